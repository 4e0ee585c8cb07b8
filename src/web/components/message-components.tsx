// A message's components. On a message an application posted, buttons and select menus are interactions: using
// one sends a MESSAGE_COMPONENT interaction (state/interactions.ts), shows a spinner until the application
// answers, and "This interaction failed" if it does not. Components of other messages (a webhook's) are rendered
// only. Link buttons are links to http(s) URLs that ask before leaving, opened without opener or referrer.
import { useState } from 'preact/hooks';
import { safeHttpUrl } from '../lib/urls.ts';
import type { ButtonComponent, ComponentEmoji, Message, SelectMenuComponent } from '../lib/wire.ts';
import { app } from '../state/app-state.ts';
import { interactionState, invoke } from '../state/interactions.ts';
import { useSelector } from '../state/store.ts';
import { displayName } from './avatar.tsx';
import { ConfirmDialog } from './dialog.tsx';

export const NOT_AN_APPLICATION = 'Only components an application posted can be used';
export const INTERACTION_FAILED = 'This interaction failed';

const STYLE_NAMES = { 1: 'primary', 2: 'secondary', 3: 'success', 4: 'danger', 5: 'link' } as const;
const SELECT_PROMPTS = { 3: 'Make a selection', 5: 'Select a user', 6: 'Select a role', 7: 'Select a user or role', 8: 'Select a channel' } as const;

/** A Unicode emoji as itself; a custom one as :name: (its image would come from a CDN this server lacks). */
function emojiText(emoji: ComponentEmoji | null): string {
  if (!emoji) return '';
  if (emoji.id) return `:${emoji.name ?? 'emoji'}:`;
  return emoji.name ?? '';
}

/** The application that answers this message's components: the bot that posted it (not a webhook). */
function applicationOf(message: Message): string | null {
  if (message.interaction) return message.interaction.application_id;
  return message.author.bot && !message.webhook_id ? message.author.id : null;
}

type Use = (componentType: number, customId: string, values?: string[]) => void;

export function MessageComponents({ message }: { message: Message }) {
  const rows = message.components;
  const applicationId = applicationOf(message);
  const guildId = message.guild_id ?? null;
  const states = useSelector(interactionState, (s) => Object.values(s.pending).filter((p) => p.key?.startsWith(`${message.id}:`)));
  const [error, setError] = useState<string | null>(null);
  if (!rows?.length) return null;
  const stateOf = (customId: string) => states.find((p) => p.key === `${message.id}:${customId}`)?.state ?? null;
  const use: Use | null = applicationId
    ? (componentType, customId, values) => {
        setError(null);
        const data = values ? { component_type: componentType, custom_id: customId, values } : { component_type: componentType, custom_id: customId };
        invoke(
          { type: 3, application_id: applicationId, channel_id: message.channel_id, guild_id: guildId, message_id: message.id, data },
          customId,
          `${message.id}:${customId}`,
        ).catch((e: Error) => setError(e.message));
      }
    : null;
  const failed = states.some((p) => p.state === 'failed');
  return (
    <div class="message-components">
      {rows.map((row, i) => (
        <div key={i} class="component-row">
          {row.components.map((c, j) =>
            c.type === 2 ? (
              <ComponentButton key={c.custom_id ?? `link-${j}`} button={c} use={use} state={c.custom_id ? stateOf(c.custom_id) : null} />
            ) : (
              <ComponentSelect key={c.custom_id} select={c} use={use} guildId={guildId} state={stateOf(c.custom_id)} />
            ),
          )}
        </div>
      ))}
      {failed || error ? (
        <p class="error component-failed" role="alert">
          {error ?? INTERACTION_FAILED}
        </p>
      ) : null}
    </div>
  );
}

function ComponentButton({ button, use, state }: { button: ButtonComponent; use: Use | null; state: 'pending' | 'failed' | null }) {
  const [leaving, setLeaving] = useState(false);
  const emoji = emojiText(button.emoji);
  const text = [emoji, button.label ?? ''].filter(Boolean).join(' ');
  const className = `component-button ${STYLE_NAMES[button.style]}`;
  if (button.style === 5) {
    const href = button.url ? safeHttpUrl(button.url) : null;
    if (href && !button.disabled) {
      return (
        <>
          <a
            class={className}
            href={href}
            target="_blank"
            rel="noopener noreferrer nofollow ugc"
            title={href}
            onClick={(e) => {
              e.preventDefault();
              setLeaving(true);
            }}
          >
            {text}
          </a>
          {leaving ? (
            <ConfirmDialog
              title="Leaving Harmony"
              message={
                <p>
                  This link goes to <strong class="leaving-url">{href}</strong>. Are you sure you want to go there?
                </p>
              }
              confirmLabel="Visit site"
              onConfirm={async () => {
                window.open(href, '_blank', 'noopener,noreferrer');
              }}
              onClose={() => setLeaving(false)}
            />
          ) : null}
        </>
      );
    }
    return (
      <span class={`${className} disabled`} aria-disabled="true">
        {text}
      </span>
    );
  }
  if (!use || !button.custom_id || button.disabled) {
    return (
      <button type="button" class={`${className} disabled`} aria-disabled="true" title={use ? undefined : NOT_AN_APPLICATION}>
        {text}
      </button>
    );
  }
  const customId = button.custom_id;
  const pending = state === 'pending';
  return (
    <button type="button" class={className} aria-busy={pending} disabled={pending} onClick={() => use(2, customId)}>
      {pending ? <span class="spinner" aria-hidden="true" /> : null}
      {text}
    </button>
  );
}

function ComponentSelect({
  select,
  use,
  guildId,
  state,
}: {
  select: SelectMenuComponent;
  use: Use | null;
  guildId: string | null;
  state: 'pending' | 'failed' | null;
}) {
  const prompt = select.placeholder ?? SELECT_PROMPTS[select.type];
  const members = useSelector(app, (s) => (guildId ? s.members[guildId] : undefined));
  const detail = useSelector(app, (s) => (guildId ? s.details[guildId] : undefined));
  const users = (): [string, string][] => Object.values(members ?? {}).map((m) => [m.user.id, m.nick ?? displayName(m.user)]);
  const roles = (): [string, string][] => (detail?.roles ?? []).filter((r) => r.id !== guildId).map((r) => [r.id, `@${r.name}`]);
  const entries: [string, string][] =
    select.type === 3
      ? select.options.map((o) => [o.value, `${[emojiText(o.emoji), o.label].filter(Boolean).join(' ')}${o.description ? ` — ${o.description}` : ''}`])
      : select.type === 5
        ? users()
        : select.type === 6
          ? roles()
          : select.type === 7
            ? [...users(), ...roles()]
            : (detail?.channels ?? []).filter((c) => !select.channel_types.length || select.channel_types.includes(c.type)).map((c) => [c.id, `#${c.name}`]);
  const usable = use !== null && !select.disabled;
  return (
    <select
      class="component-select"
      disabled={!usable || state === 'pending'}
      aria-busy={state === 'pending'}
      aria-label={prompt}
      title={use ? undefined : NOT_AN_APPLICATION}
      onChange={(e) => {
        const value = e.currentTarget.value;
        if (value && use) use(select.type, select.custom_id, [value]);
      }}
    >
      <option value="">{prompt}</option>
      {entries.map(([value, label]) => (
        <option key={value} value={value}>
          {label}
        </option>
      ))}
    </select>
  );
}

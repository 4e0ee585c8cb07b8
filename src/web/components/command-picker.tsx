// Slash commands in the composer: typing `/` lists the commands this channel offers (only those the person may
// run, from the channel's command index), filtered as they type; choosing one shows its options as inputs in
// order (text, numbers with their range, yes/no, choices, users/roles/channels of the server, suggestions as
// they type for autocomplete options, a file for attachment options). Sending invokes it (multipart when files
// go with it); the pending line waits for the application's answer.
import { useEffect, useRef, useState } from 'preact/hooks';
import { useAction } from '../lib/use-async.ts';
import type { ApplicationCommand, User } from '../lib/wire.ts';
import { app } from '../state/app-state.ts';
import { type CommandIndex, forget, interactionState, invoke, loadCommandIndex } from '../state/interactions.ts';
import { useSelector } from '../state/store.ts';
import { Avatar, displayName } from './avatar.tsx';
import { Icon } from './icons.tsx';
import { ErrorText } from './ui.tsx';

type Option = Omit<ApplicationCommand['options'][number], 'options'>;

/** One runnable line of the picker: a command, or one of its subcommands (`path`: [group?, subcommand]). */
export type CommandEntry = { command: ApplicationCommand; path: string[]; label: string; description: string; options: Option[] };

/** Chat commands as Discord's picker lists them: each subcommand (of a group too) is its own entry. */
export function entriesOf(commands: readonly ApplicationCommand[]): CommandEntry[] {
  const out: CommandEntry[] = [];
  for (const command of commands) {
    if (command.type !== 1) continue;
    const subs = command.options.filter((o) => o.type === 1 || o.type === 2);
    if (subs.length === 0) {
      out.push({ command, path: [], label: command.name, description: command.description, options: command.options });
      continue;
    }
    for (const sub of subs) {
      if (sub.type === 1) {
        out.push({ command, path: [sub.name], label: `${command.name} ${sub.name}`, description: sub.description, options: sub.options ?? [] });
      } else {
        for (const leaf of sub.options ?? []) {
          out.push({
            command,
            path: [sub.name, leaf.name],
            label: `${command.name} ${sub.name} ${leaf.name}`,
            description: leaf.description,
            options: leaf.options ?? [],
          });
        }
      }
    }
  }
  return out;
}

/** The entries whose name starts with what follows the `/`. */
export function matching(index: CommandIndex, query: string): CommandEntry[] {
  const wanted = query.toLowerCase().replace(/\s+/g, ' ').trim();
  return entriesOf(index.commands).filter((e) => e.label.startsWith(wanted));
}
const TEXT_CHANNEL_TYPES = [0, 5, 10, 11, 12, 15];
const SUGGEST_AFTER_MS = 250;

/** How many entries the picker lists at most. */
export const PICKER_SIZE = 25;

/** The list shown while the composer's text starts with `/`; `active` is the highlighted entry, which Enter picks. */
export function CommandPicker({
  index,
  query,
  active,
  onHover,
  onPick,
}: {
  index: CommandIndex | null;
  query: string;
  active: number;
  onHover: (i: number) => void;
  onPick: (entry: CommandEntry) => void;
}) {
  if (!index) return <p class="command-picker hint">Loading commands…</p>;
  const entries = matching(index, query).slice(0, PICKER_SIZE);
  if (entries.length === 0) return <p class="command-picker hint">No commands match /{query.trim()}</p>;
  return (
    <ul class="command-picker" aria-label="Commands">
      {entries.map((e, i) => {
        const bot = index.applications.find((a) => a.id === e.command.application_id);
        return (
          <li key={`${e.command.id} ${e.label}`}>
            <button
              type="button"
              class={i === active ? 'command-choice active' : 'command-choice'}
              aria-label={`/${e.label}: ${e.description}`}
              aria-current={i === active ? 'true' : undefined}
              ref={i === active ? (el) => el?.scrollIntoView({ block: 'nearest' }) : undefined}
              onMouseEnter={() => onHover(i)}
              onClick={() => onPick(e)}
            >
              {bot ? <Avatar user={bot} size="sm" /> : null}
              <span class="command-name">/{e.label}</span>
              <span class="hint">{e.description}</span>
              {bot ? <span class="hint command-bot">{displayName(bot)}</span> : null}
            </button>
          </li>
        );
      })}
    </ul>
  );
}

type Values = Record<string, string>;

/** A chosen command's options as a form; Enter or "Send" runs it. */
export function CommandForm({
  entry,
  bot,
  channelId,
  guildId,
  onDone,
}: {
  entry: CommandEntry;
  bot: User | undefined;
  channelId: string;
  guildId: string | null;
  onDone: () => void;
}) {
  const [values, setValues] = useState<Values>({});
  // ATTACHMENT options' files, by option name; each goes as files[n], its option's value the n.
  const [files, setFiles] = useState<Record<string, File>>({});
  const [asked, setAsked] = useState<{ option: string; nonce: string } | null>(null);
  const suggestions = useSelector(interactionState, (s) => (asked && s.suggestions?.nonce === asked.nonce ? s.suggestions.choices : null));
  const first = useRef<HTMLFormElement>(null);
  const { command, path } = entry;
  const leaves = entry.options;
  const base = { application_id: command.application_id, channel_id: channelId, guild_id: guildId };
  // A subcommand's values go inside it (and inside its group), as Discord sends them.
  const nest = (values: ReturnType<typeof optionsOf>): unknown[] =>
    path.length === 0
      ? values
      : path.length === 1
        ? [{ type: 1, name: path[0], options: values }]
        : [{ type: 2, name: path[0], options: [{ type: 1, name: path[1], options: values }] }];

  useEffect(() => {
    first.current?.querySelector<HTMLElement>('input, select')?.focus();
  }, [command.id, entry.label]);

  const send = useAction(async () => {
    const attached = leaves.filter((o) => o.type === 11 && files[o.name]);
    const named = Object.fromEntries(attached.map((o, n) => [o.name, String(n)]));
    const uploads = attached.map((o) => files[o.name] as File);
    const attachments = uploads.map((file, n) => ({ id: String(n), filename: file.name }));
    const data = { id: command.id, name: command.name, type: 1, options: nest(optionsOf(leaves, { ...values, ...named })) };
    await invoke({ ...base, type: 2, data: attachments.length > 0 ? { ...data, attachments } : data }, `/${entry.label}`, null, uploads);
    onDone();
  });
  const suggest = async (option: Option, next: Values) => {
    const options = nest(optionsOf(leaves, next, option.name));
    const nonce = await invoke({ ...base, type: 4, data: { id: command.id, name: command.name, type: 1, options } }, '').catch(() => null);
    if (nonce) setAsked({ option: option.name, nonce });
  };
  // Suggestions are asked for once typing pauses, not on every key.
  const typing = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(typing.current), []);
  const set = (option: Option, value: string) => {
    const next = { ...values, [option.name]: value };
    setValues(next);
    if (!option.autocomplete) return;
    clearTimeout(typing.current);
    typing.current = setTimeout(() => void suggest(option, next), SUGGEST_AFTER_MS);
  };

  return (
    <form
      ref={first}
      class="command-form"
      aria-label={`Options for /${entry.label}`}
      onSubmit={(e) => {
        e.preventDefault();
        if (!send.busy) void send.run();
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onDone();
      }}
    >
      <p class="command-form-title">
        {bot ? <Avatar user={bot} size="sm" /> : null} <strong>/{entry.label}</strong> <span class="hint">{entry.description}</span>
      </p>
      {leaves.map((o) => (
        <div key={o.name} class="command-option">
          <OptionInput
            option={o}
            value={values[o.name] ?? ''}
            guildId={guildId}
            onChange={(v) => set(o, v)}
            onFile={(file) => {
              const { [o.name]: _replaced, ...rest } = files;
              setFiles(file ? { ...rest, [o.name]: file } : rest);
            }}
          />
          {o.autocomplete && asked?.option === o.name && suggestions?.length ? (
            <ul class="command-suggestions" aria-label={`Suggestions for ${o.name}`}>
              {suggestions.map((c) => (
                <li key={String(c.value)}>
                  <button
                    type="button"
                    class="command-choice"
                    onClick={() => {
                      setValues({ ...values, [o.name]: String(c.value) });
                      setAsked(null);
                    }}
                  >
                    {c.name}
                  </button>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ))}
      <div class="command-form-actions">
        <button type="button" class="button" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" class="button primary" disabled={send.busy}>
          Send /{entry.label}
        </button>
      </div>
      <ErrorText error={send.error} />
    </form>
  );
}

function OptionInput({
  option,
  value,
  guildId,
  onChange,
  onFile,
}: {
  option: Option;
  value: string;
  guildId: string | null;
  onChange: (value: string) => void;
  onFile: (file: File | null) => void;
}) {
  const label = `${option.name}${option.required ? '' : ' (optional)'}`;
  const members = useSelector(app, (s) => (guildId ? s.members[guildId] : undefined));
  const detail = useSelector(app, (s) => (guildId ? s.details[guildId] : undefined));
  const pick = (entries: [string, string][]) => (
    <select aria-label={label} title={option.description} required={option.required} value={value} onChange={(e) => onChange(e.currentTarget.value)}>
      <option value="">{option.required ? 'Choose…' : '(none)'}</option>
      {entries.map(([v, name]) => (
        <option key={v} value={v}>
          {name}
        </option>
      ))}
    </select>
  );
  const users = (): [string, string][] => Object.values(members ?? {}).map((m) => [m.user.id, m.nick ?? displayName(m.user)]);
  const roles = (): [string, string][] => (detail?.roles ?? []).filter((r) => r.id !== guildId).map((r) => [r.id, `@${r.name}`]);
  let input: preact.JSX.Element;
  if (option.choices?.length) input = pick(option.choices.map((c) => [String(c.value), c.name]));
  else if (option.type === 5)
    input = pick([
      ['true', 'True'],
      ['false', 'False'],
    ]);
  else if (option.type === 6) input = pick(users());
  else if (option.type === 8) input = pick(roles());
  else if (option.type === 9) input = pick([...users(), ...roles()]);
  else if (option.type === 7) {
    const types = option.channel_types ?? TEXT_CHANNEL_TYPES;
    input = pick((detail?.channels ?? []).filter((c) => types.includes(c.type)).map((c) => [c.id, `#${c.name ?? c.id}`]));
  } else if (option.type === 11)
    input = (
      <input
        type="file"
        aria-label={label}
        title={option.description}
        required={option.required}
        onChange={(e) => onFile(e.currentTarget.files?.[0] ?? null)}
      />
    );
  else {
    const common = { 'aria-label': label, title: option.description, required: option.required, value };
    input =
      option.type === 4 || option.type === 10 ? (
        <input
          {...common}
          type="number"
          step={option.type === 4 ? 1 : 'any'}
          min={option.min_value ?? undefined}
          max={option.max_value ?? undefined}
          onInput={(e) => onChange(e.currentTarget.value)}
        />
      ) : (
        <input
          {...common}
          type="text"
          autoComplete="off"
          minLength={option.min_length ?? undefined}
          maxLength={option.max_length ?? undefined}
          onInput={(e) => onChange(e.currentTarget.value)}
        />
      );
  }
  return (
    <div class="command-option-label">
      <span>
        <strong>{option.name}</strong> <span class="hint">{option.description}</span>
      </span>
      {input}
    </div>
  );
}

/** The filled-in options, typed as the command declares them; `focused` marks the one autocomplete asks about. */
function optionsOf(options: Option[], values: Values, focused?: string) {
  const out: { type: number; name: string; value: string | number | boolean; focused?: boolean }[] = [];
  for (const o of options) {
    const raw = values[o.name] ?? '';
    if (raw === '' && o.name !== focused) continue;
    const value = o.type === 4 || o.type === 10 ? (o.name === focused ? raw : Number(raw)) : o.type === 5 ? raw === 'true' : raw;
    out.push(o.name === focused ? { type: o.type, name: o.name, value, focused: true } : { type: o.type, name: o.name, value });
  }
  return out;
}

/** What this person invoked in the channel and is waiting for, or that failed. */
export function PendingInteractions({ channelId }: { channelId: string }) {
  const pending = useSelector(interactionState, (s) => Object.values(s.pending).filter((p) => p.channelId === channelId && p.key === null));
  if (pending.length === 0) return null;
  return (
    <ul class="pending-interactions" aria-label="Commands sent">
      {pending.map((p) =>
        p.state === 'pending' ? (
          <li key={p.nonce} role="status">
            <span class="spinner" aria-hidden="true" /> Sending {p.label}…
          </li>
        ) : (
          <li key={p.nonce} role="alert" class="error">
            {p.label}: The application did not respond{' '}
            <button type="button" class="link-button" onClick={() => forget(p.nonce)}>
              Dismiss
            </button>
          </li>
        ),
      )}
    </ul>
  );
}

/**
 * The "Apps" menu of a message (MESSAGE commands) or a member (USER commands): the channel's context-menu
 * commands of that type, read when the menu opens; choosing one runs it on `targetId`.
 */
export function ContextCommands({
  channelId,
  guildId,
  commandType,
  targetId,
  label,
  class: className = 'icon-button',
  icon = false,
  preloaded,
}: {
  channelId: string;
  guildId: string | null;
  commandType: 2 | 3;
  targetId: string;
  label: string;
  class?: string;
  /** Shown as "…" (a message's toolbar) rather than the word Apps. */
  icon?: boolean;
  /** The channel's index when the caller already read it; otherwise it is read when the menu opens. */
  preloaded?: CommandIndex;
}) {
  const [open, setOpen] = useState(false);
  const [loaded, setIndex] = useState<CommandIndex | null>(null);
  const index = preloaded ?? loaded;
  const run = useAction(async (command: ApplicationCommand) => {
    setOpen(false);
    await invoke(
      {
        type: 2,
        application_id: command.application_id,
        channel_id: channelId,
        guild_id: guildId,
        data: { id: command.id, name: command.name, type: commandType, target_id: targetId },
      },
      command.name,
    );
  });
  const commands = index?.commands.filter((c) => c.type === commandType) ?? null;
  return (
    <span class="context-commands">
      <button
        type="button"
        class={className}
        aria-label={label}
        title={label}
        aria-expanded={open}
        onClick={() => {
          setOpen(!open);
          if (!index) {
            loadCommandIndex(channelId).then(setIndex, () => setIndex({ applications: [], commands: [] }));
          }
        }}
      >
        {icon ? <Icon name="dots" size={18} /> : 'Apps'}
      </button>
      {open ? (
        <ul class="context-command-menu" aria-label={label}>
          {commands === null ? <li class="hint">Loading…</li> : null}
          {commands?.length === 0 ? <li class="hint">No apps here</li> : null}
          {commands?.map((c) => {
            const bot = index?.applications.find((a) => a.id === c.application_id);
            return (
              <li key={c.id}>
                <button type="button" class="command-choice" onClick={() => void run.run(c)}>
                  {c.name}
                  {bot ? <span class="hint command-bot">{displayName(bot)}</span> : null}
                </button>
              </li>
            );
          })}
        </ul>
      ) : null}
      <ErrorText error={run.error} />
    </span>
  );
}

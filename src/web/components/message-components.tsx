// A message's components, rendered only: clicking a button or choosing in a menu is an interaction, which
// this version does not deliver, so buttons say so (aria-disabled with a title) and selects are disabled.
// Link buttons are real links to http(s) URLs, opened without opener or referrer. Labels are text.

import { safeHttpUrl } from '../lib/urls.ts';
import type { ActionRow, ButtonComponent, ComponentEmoji, SelectMenuComponent } from '../lib/wire.ts';

export const INTERACTIONS_LATER = 'Interactions arrive in a later version';

const STYLE_NAMES = { 1: 'primary', 2: 'secondary', 3: 'success', 4: 'danger', 5: 'link' } as const;
const SELECT_PROMPTS = { 3: 'Make a selection', 5: 'Select a user', 6: 'Select a role', 7: 'Select a user or role', 8: 'Select a channel' } as const;

/** A Unicode emoji as itself; a custom one as :name: (its image would come from a CDN this server lacks). */
function emojiText(emoji: ComponentEmoji | null): string {
  if (!emoji) return '';
  if (emoji.id) return `:${emoji.name ?? 'emoji'}:`;
  return emoji.name ?? '';
}

export function MessageComponents({ rows }: { rows: readonly ActionRow[] | undefined }) {
  if (!rows?.length) return null;
  return (
    <div class="message-components">
      {rows.map((row, i) => (
        <div key={i} class="component-row">
          {row.components.map((c, j) =>
            c.type === 2 ? <ComponentButton key={c.custom_id ?? `link-${j}`} button={c} /> : <ComponentSelect key={c.custom_id} select={c} />,
          )}
        </div>
      ))}
    </div>
  );
}

function ComponentButton({ button }: { button: ButtonComponent }) {
  const emoji = emojiText(button.emoji);
  const text = [emoji, button.label ?? ''].filter(Boolean).join(' ');
  const className = `component-button ${STYLE_NAMES[button.style]}`;
  if (button.style === 5) {
    const href = button.url ? safeHttpUrl(button.url) : null;
    if (href && !button.disabled) {
      return (
        <a class={className} href={href} target="_blank" rel="noopener noreferrer nofollow ugc" title={href}>
          {text}
        </a>
      );
    }
    return (
      <span class={`${className} disabled`} aria-disabled="true">
        {text}
      </span>
    );
  }
  return (
    <button type="button" class={`${className} disabled`} aria-disabled="true" title={INTERACTIONS_LATER}>
      {text}
    </button>
  );
}

function ComponentSelect({ select }: { select: SelectMenuComponent }) {
  const prompt = select.placeholder ?? SELECT_PROMPTS[select.type];
  return (
    <select class="component-select" disabled aria-label={prompt} title={INTERACTIONS_LATER}>
      <option value="">{prompt}</option>
      {select.options.map((o) => (
        <option key={o.value} value={o.value}>
          {[emojiText(o.emoji), o.label].filter(Boolean).join(' ')}
          {o.description ? ` — ${o.description}` : ''}
        </option>
      ))}
    </select>
  );
}

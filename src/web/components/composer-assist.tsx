// Autocomplete in the composer: `@` for members, roles that may be mentioned and @everyone/@here where the
// person may use them, `#` for the server's channels, `:` (two letters on) for emoji, the server's own first.
// Picking inserts the wire form (`<@id>`, `<@&id>`, `<#id>`, `<:name:id>`, the Unicode emoji), so the server and
// every bot read it as Discord's clients write it. ↑↓ move, Enter or Tab picks, Escape dismisses; the textarea
// keeps the focus and points at the highlighted option (aria-activedescendant).
import type { ComponentChildren, RefObject } from 'preact';
import { useEffect, useId, useState } from 'preact/hooks';
import { rememberEmoji, savedTone, searchEmoji, shortName, type UnicodeEmoji, useUnicodeEmoji, withTone } from '../lib/emoji-data.ts';
import { Flags, has } from '../lib/permissions.ts';
import type { Member } from '../lib/wire.ts';
import { ensureEmojis } from '../state/actions.ts';
import { app } from '../state/app-state.ts';
import { memberName, permissionsIn } from '../state/selectors.ts';
import { useSelector } from '../state/store.ts';
import { Avatar } from './avatar.tsx';
import { EmojiGlyph } from './custom-emoji.tsx';
import { customKey } from './emoji-picker.tsx';

const MAX_SUGGESTIONS = 10;
/** The trigger and what follows it up to the caret: `@al`, `#gen`, `:smi`. */
const TRIGGER = /(?:^|[\s(])([@#:])([^\s@#:<>]{0,32})$/;
/** Channel types offered after `#`: text, announcement, forum (not categories or voice). */
const MENTIONABLE_CHANNEL_TYPES = new Set([0, 5, 15]);

type Suggestion = { id: string; label: string; hint?: string; insert: string; icon: ComponentChildren; style?: Record<string, string> };
type Trigger = { char: '@' | '#' | ':'; query: string; start: number; end: number };

export type ComposerAssist = {
  /** The suggestion list to render above the input (null when closed). */
  list: ComponentChildren;
  /** Handles the key when the list is open; true when it did. */
  onKeyDown: (e: KeyboardEvent) => boolean;
  /** Call when the caret may have moved (input, click, key up). */
  track: () => void;
  /** Attributes that tie the textarea to the list. */
  inputProps: Record<string, string | boolean | undefined>;
  /** Puts `insert` at the caret (the emoji picker's pick), with a space after. */
  insertAtCaret: (insert: string) => void;
};

export function useComposerAssist({
  text,
  setText,
  box,
  guildId,
  channelId,
}: {
  text: string;
  setText: (text: string) => void;
  box: RefObject<HTMLTextAreaElement | null>;
  guildId: string | null;
  channelId: string;
}): ComposerAssist {
  const listId = `autocomplete-${useId()}`;
  const [caret, setCaret] = useState(0);
  const [active, setActive] = useState(0);
  const [dismissed, setDismissed] = useState<string | null>(null);
  const trigger = findTrigger(text, Math.min(caret, text.length));
  const triggerKey = trigger ? `${trigger.start}:${trigger.char}` : null;
  // Subscribed to what the suggestions read, so they follow members joining and emoji being added.
  useSelector(app, (s) => (guildId ? [s.members[guildId], s.details[guildId], s.emojis[guildId]] : []));
  useEffect(() => {
    if (guildId && trigger?.char === ':') void ensureEmojis(guildId).catch(() => {});
  }, [guildId, trigger?.char]);
  const unicode = useUnicodeEmoji(trigger?.char === ':');
  const suggestions = trigger && triggerKey !== dismissed ? suggest(app.get(), unicode ?? [], trigger, guildId, channelId) : [];
  const open = suggestions.length > 0;
  const current = Math.min(active, suggestions.length - 1);

  const place = (next: string, at: number) => {
    // The textarea changes now, inside the key or click handler, not at Preact's next render: keys typed right after
    // (already queued by a fast typist) must land after the insertion, at the new caret.
    const el = box.current;
    if (el) {
      el.value = next;
      el.setSelectionRange(at, at);
    }
    setText(next);
    setCaret(at);
    // Focus only: setting the caret again a frame later would pull it back behind what was typed since.
    requestAnimationFrame(() => {
      if (box.current && document.activeElement !== box.current) box.current.focus();
    });
  };

  const choose = (suggestion: Suggestion) => {
    if (!trigger) return;
    if (trigger.char === ':') rememberEmoji(suggestion.id);
    const insert = `${suggestion.insert} `;
    place(text.slice(0, trigger.start) + insert + text.slice(trigger.end), trigger.start + insert.length);
    setActive(0);
  };

  const onKeyDown = (e: KeyboardEvent): boolean => {
    if (!open || e.isComposing) return false;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const step = e.key === 'ArrowDown' ? 1 : -1;
      setActive((current + step + suggestions.length) % suggestions.length);
      return true;
    }
    if ((e.key === 'Enter' && !e.shiftKey) || e.key === 'Tab') {
      const chosen = suggestions[current];
      if (!chosen) return false;
      e.preventDefault();
      choose(chosen);
      return true;
    }
    if (e.key === 'Escape') {
      e.preventDefault();
      setDismissed(triggerKey);
      return true;
    }
    return false;
  };

  const track = () => {
    const el = box.current;
    if (!el) return;
    if (el.selectionStart !== caret) {
      setCaret(el.selectionStart);
      setActive(0);
    }
  };

  const title = trigger?.char === '@' ? 'Members' : trigger?.char === '#' ? 'Channels' : 'Emoji matching';
  const list = open ? (
    // Pressing on the list must not take focus from the textarea, which keeps the keyboard.
    // biome-ignore lint/a11y/noStaticElementInteractions: only stops the focus change a press would cause
    <div class="autocomplete" onMouseDown={(e) => e.preventDefault()}>
      <div class="autocomplete-title" aria-hidden="true">
        {title}
        {trigger?.char === ':' ? ` :${trigger.query}` : ''}
      </div>
      <div id={listId} role="listbox" aria-label={title}>
        {suggestions.map((s, i) => (
          // The keyboard reaches the options through the textarea (aria-activedescendant); a click picks too.
          // biome-ignore lint/a11y/useKeyWithClickEvents: keys are handled by the textarea that owns the list
          <div
            key={s.id}
            id={`${listId}-${i}`}
            role="option"
            tabIndex={-1}
            aria-selected={i === current}
            class="autocomplete-option"
            onMouseEnter={() => setActive(i)}
            onClick={() => choose(s)}
          >
            {s.icon}
            <span style={s.style}>{s.label}</span>
            {s.hint ? <span class="hint">{s.hint}</span> : null}
          </div>
        ))}
      </div>
    </div>
  ) : null;

  return {
    list,
    onKeyDown,
    track,
    // Kept a textbox (its role stays what people and tests know it by); these tie the list to it.
    inputProps: {
      'aria-autocomplete': 'list',
      'aria-controls': open ? listId : undefined,
      'aria-activedescendant': open ? `${listId}-${current}` : undefined,
    },
    insertAtCaret: (insert) => {
      const el = box.current;
      const start = el?.selectionStart ?? text.length;
      const end = el?.selectionEnd ?? text.length;
      const before = text.slice(0, start);
      const spaced = before && !/\s$/.test(before) ? ` ${insert} ` : `${insert} `;
      place(before + spaced + text.slice(end), start + spaced.length);
    },
  };
}

export function findTrigger(text: string, caret: number): Trigger | null {
  const match = TRIGGER.exec(text.slice(0, caret));
  if (!match) return null;
  const char = match[1] as Trigger['char'];
  const query = match[2] ?? '';
  if (char === ':' && query.length < 2) return null;
  return { char, query, start: caret - query.length - 1, end: caret };
}

function suggest(s: ReturnType<typeof app.get>, unicode: UnicodeEmoji[], trigger: Trigger, guildId: string | null, channelId: string): Suggestion[] {
  const q = trigger.query.toLowerCase();
  const detail = guildId ? s.details[guildId] : undefined;
  if (trigger.char === ':') {
    const custom = (guildId ? (s.emojis[guildId] ?? []) : [])
      .filter((e) => e.name.toLowerCase().includes(q))
      .map((e) => ({
        id: customKey(e),
        label: `:${e.name}:`,
        hint: detail?.name,
        insert: `<${e.animated ? 'a' : ''}:${e.name}:${e.id}>`,
        icon: (
          <span class="autocomplete-emoji">
            <EmojiGlyph emoji={customKey(e)} />
          </span>
        ),
      }));
    const tone = savedTone();
    const matches = searchEmoji(unicode, q, MAX_SUGGESTIONS).map((e) => {
      const glyph = withTone(e, tone);
      return { id: glyph, label: `:${shortName(e, q)}:`, insert: glyph, icon: <span class="autocomplete-emoji">{glyph}</span> };
    });
    return [...custom, ...matches].slice(0, MAX_SUGGESTIONS);
  }
  if (!guildId || !detail) return [];
  if (trigger.char === '#') {
    return detail.channels
      .filter((c) => MENTIONABLE_CHANNEL_TYPES.has(c.type) && c.name.toLowerCase().includes(q))
      .sort((a, b) => rank(a.name, q) - rank(b.name, q) || a.position - b.position)
      .slice(0, MAX_SUGGESTIONS)
      .map((c) => ({ id: c.id, label: c.name, insert: `<#${c.id}>`, icon: <span class="autocomplete-emoji">#</span> }));
  }
  const channel = detail.channels.find((c) => c.id === channelId) ?? s.threads[guildId]?.[channelId];
  const mayMentionAll = has(permissionsIn(s, guildId, channel), Flags.MentionEveryone);
  const members = Object.values(s.members[guildId] ?? {})
    .filter((m) => names(m).some((n) => n.includes(q)))
    .sort(
      (a, b) =>
        Math.min(...names(a).map((n) => rank(n, q))) - Math.min(...names(b).map((n) => rank(n, q))) || (memberName(a) ?? '').localeCompare(memberName(b) ?? ''),
    )
    .map((m) => ({
      id: m.user.id,
      label: memberName(m) ?? m.user.username,
      hint: m.user.username,
      insert: `<@${m.user.id}>`,
      icon: <Avatar user={m.user} size="sm" />,
    }));
  const roles = detail.roles
    .filter((r) => r.id !== guildId && (r.mentionable || mayMentionAll) && r.name.toLowerCase().includes(q))
    .map((r) => ({
      id: r.id,
      label: `@${r.name}`,
      hint: 'Role',
      insert: `<@&${r.id}>`,
      icon: <span class="autocomplete-emoji">@</span>,
      style: r.color ? { color: `#${r.color.toString(16).padStart(6, '0')}` } : undefined,
    }));
  const everyone = mayMentionAll
    ? (['everyone', 'here'] as const)
        .filter((w) => w.startsWith(q))
        .map((w) => ({
          id: w,
          label: `@${w}`,
          hint: w === 'everyone' ? 'Notify everyone who can see this channel' : 'Notify everyone online here',
          insert: `@${w}`,
          icon: <span class="autocomplete-emoji">@</span>,
        }))
    : [];
  return [...members.slice(0, MAX_SUGGESTIONS), ...roles, ...everyone].slice(0, MAX_SUGGESTIONS);
}

function names(m: Member): string[] {
  return [m.nick, m.user.global_name, m.user.username].filter((n): n is string => !!n).map((n) => n.toLowerCase());
}

/** 0 when the name starts with the query, 1 when it only contains it. */
function rank(name: string, q: string): number {
  return name.toLowerCase().startsWith(q) ? 0 : 1;
}

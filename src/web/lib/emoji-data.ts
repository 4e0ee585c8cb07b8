// Every Unicode emoji for the picker and `:` autocomplete, from emojibase-data: its name and keywords for
// search, its category, its skin-tone variants, and the Slack/Discord-style shortcodes people type
// (`:thumbsup:`). The table (emoji-table.ts) is served by this server as assets/emoji.json and fetched the first
// time it is needed, which keeps it out of the bundle every page loads; no CDN. The skin tone and recently
// used emoji are remembered in this browser.
import { useEffect, useState } from 'preact/hooks';
import type { EmojiRow } from './emoji-table.ts';

export type UnicodeEmoji = {
  unicode: string;
  label: string;
  group: number;
  tags: string[];
  shortcodes: string[];
  /** By tone 1 (light) to 5 (dark); absent when the emoji has no skin tones. */
  skins?: string[];
  /** Lower-case, each preceded by a newline, so one `includes` tests "a shortcode starts with". */
  codeIndex: string;
  /** Label and keywords the same way. */
  wordIndex: string;
};

/** emojibase's groups, in its order; 2 (skin tone and hair components) is not offered. */
export const EMOJI_GROUPS: { id: number; name: string; icon: string }[] = [
  { id: 0, name: 'Smileys & Emotion', icon: '😀' },
  { id: 1, name: 'People & Body', icon: '👋' },
  { id: 3, name: 'Animals & Nature', icon: '🐻' },
  { id: 4, name: 'Food & Drink', icon: '🍔' },
  { id: 5, name: 'Travel & Places', icon: '✈️' },
  { id: 6, name: 'Activities', icon: '⚽' },
  { id: 7, name: 'Objects', icon: '💡' },
  { id: 8, name: 'Symbols', icon: '❤️' },
  { id: 9, name: 'Flags', icon: '🏁' },
];

export const SKIN_TONES = ['Default', 'Light', 'Medium-light', 'Medium', 'Medium-dark', 'Dark'] as const;

let all: UnicodeEmoji[] | null = null;
let loading: Promise<UnicodeEmoji[]> | null = null;

/** Fetches the table once (a failed fetch is tried again on the next call). */
export function loadEmoji(): Promise<UnicodeEmoji[]> {
  loading ??= fetch('assets/emoji.json')
    .then(async (res) => {
      if (!res.ok) throw new Error(`The emoji list could not be loaded (${res.status}).`);
      all = emojiFromTable((await res.json()) as EmojiRow[]);
      return all;
    })
    .catch((error: unknown) => {
      loading = null;
      throw error;
    });
  return loading;
}

/** The emoji once loaded (null until then); asks for them and re-renders when they arrive. */
export function useUnicodeEmoji(wanted = true): UnicodeEmoji[] | null {
  const [list, setList] = useState(all);
  useEffect(() => {
    if (!wanted || list) return;
    let live = true;
    loadEmoji()
      .then((loaded) => live && setList(loaded))
      .catch(() => {});
    return () => {
      live = false;
    };
  }, [wanted, list]);
  return list;
}

/** The table's rows as the picker reads them, with search indexes. */
export function emojiFromTable(rows: EmojiRow[]): UnicodeEmoji[] {
  const list = (joined: string) => (joined ? joined.split('|') : []);
  return rows.map(([unicode, label, group, tags, codes, skins]) => {
    const shortcodes = list(codes);
    const keywords = list(tags);
    const entry: UnicodeEmoji = {
      unicode,
      label,
      group,
      tags: keywords,
      shortcodes,
      codeIndex: shortcodes
        .map((c) => `\n${c}`)
        .join('')
        .toLowerCase(),
      // Every word of the label may start a match ("hand" finds "waving hand").
      wordIndex: [label, ...label.split(' ').slice(1), ...keywords]
        .map((w) => `\n${w}`)
        .join('')
        .toLowerCase(),
    };
    if (skins) entry.skins = list(skins);
    return entry;
  });
}

/** The emoji in the person's skin tone (0: default yellow). */
export function withTone(emoji: UnicodeEmoji, tone: number): string {
  return (tone > 0 && emoji.skins?.[tone - 1]) || emoji.unicode;
}

/**
 * The name to show for it: the shortcode matching what was typed, else its first word-like shortcode
 * (`thumbsup` over `+1`, as Discord shows it), else its label.
 */
export function shortName(emoji: UnicodeEmoji, typed = ''): string {
  const q = typed.toLowerCase();
  return (
    (q && emoji.shortcodes.find((c) => c.startsWith(q))) ||
    emoji.shortcodes.find((c) => /^[a-z][a-z0-9_]*$/.test(c)) ||
    emoji.shortcodes[0] ||
    emoji.label.replaceAll(' ', '_')
  );
}

/**
 * Emoji whose shortcode, name or keyword matches `query`: shortcodes that start with it first, then names
 * and keywords that contain a word starting with it.
 */
export function searchEmoji(emoji: UnicodeEmoji[], query: string, limit = 60): UnicodeEmoji[] {
  const q = query.trim().toLowerCase().replaceAll(':', '');
  if (!q) return [];
  const spaced = q.replaceAll('_', ' ');
  const first: UnicodeEmoji[] = [];
  const second: UnicodeEmoji[] = [];
  for (const e of emoji) {
    if (e.codeIndex.includes(`\n${q}`)) first.push(e);
    else if (e.wordIndex.includes(`\n${spaced}`) || e.codeIndex.includes(q)) second.push(e);
    if (first.length >= limit) break;
  }
  return [...first, ...second].slice(0, limit);
}

const TONE_KEY = 'harmony.emoji.tone';
const RECENT_KEY = 'harmony.emoji.recent';
const MAX_RECENT = 24;

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

export function savedTone(): number {
  const tone = Number(storage()?.getItem(TONE_KEY) ?? 0);
  return Number.isInteger(tone) && tone >= 0 && tone <= 5 ? tone : 0;
}

export function saveTone(tone: number): void {
  storage()?.setItem(TONE_KEY, String(tone));
}

/** Recently used emoji keys (a Unicode emoji, or `name:id` for a custom one), newest first. */
export function recentEmoji(): string[] {
  try {
    const list: unknown = JSON.parse(storage()?.getItem(RECENT_KEY) ?? '[]');
    return Array.isArray(list) ? list.filter((k): k is string => typeof k === 'string' && k.length <= 80).slice(0, MAX_RECENT) : [];
  } catch {
    return [];
  }
}

export function rememberEmoji(key: string): void {
  storage()?.setItem(RECENT_KEY, JSON.stringify([key, ...recentEmoji().filter((k) => k !== key)].slice(0, MAX_RECENT)));
}

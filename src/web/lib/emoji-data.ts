// Every Unicode emoji for the picker and `:` autocomplete, from emojibase-data (bundled into the app, so no
// CDN): its name and keywords for search, its category, its skin-tone variants, and the Slack/Discord-style
// shortcodes people type (`:thumbsup:`). The skin tone and recently used emoji are remembered in this browser.
import compact from 'emojibase-data/en/compact.json';
import shortcodeTable from 'emojibase-data/en/shortcodes/iamcal.json';

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

type CompactEntry = {
  unicode: string;
  label: string;
  hexcode: string;
  group?: number;
  order?: number;
  tags?: string[];
  skins?: { unicode: string; hexcode: string }[];
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
const TONE_MODIFIERS = ['1F3FB', '1F3FC', '1F3FD', '1F3FE', '1F3FF'];

let all: UnicodeEmoji[] | null = null;

/** All offered emoji in emojibase's order (built once, on first use). */
export function unicodeEmoji(): UnicodeEmoji[] {
  if (all) return all;
  const codes = shortcodeTable as Record<string, string | string[]>;
  all = (compact as CompactEntry[])
    .filter((e) => e.group !== undefined && e.group !== 2)
    .sort((a, b) => (a.order ?? 0) - (b.order ?? 0))
    .map((e) => {
      const code = codes[e.hexcode];
      const shortcodes = code === undefined ? [] : Array.isArray(code) ? code : [code];
      const tags = e.tags ?? [];
      const entry: UnicodeEmoji = {
        unicode: qualified(e.unicode),
        label: e.label,
        group: e.group ?? 0,
        tags,
        shortcodes,
        codeIndex: shortcodes.map((c) => `\n${c}`).join('').toLowerCase(),
        // Every word of the label may start a match ("hand" finds "waving hand").
        wordIndex: [e.label, ...e.label.split(' ').slice(1), ...tags].map((w) => `\n${w}`).join('').toLowerCase(),
      };
      if (e.skins?.length) entry.skins = TONE_MODIFIERS.map((tone) => qualified(singleTone(e.skins ?? [], tone) ?? e.unicode));
      return entry;
    });
  return all;
}

/**
 * The form Unicode calls fully qualified, which Discord's clients send (so a reaction picked here adds to the
 * same reaction): emojibase also puts U+FE0F after characters that are emoji already (`👍` + FE0F), which would
 * make a different reaction key.
 */
function qualified(unicode: string): string {
  return unicode.replace(/(\p{Emoji_Presentation})\uFE0F/gu, '$1');
}

/** The variant whose every modifier is `tone` (two-person emoji have mixed-tone variants too). */
function singleTone(skins: { unicode: string; hexcode: string }[], tone: string): string | undefined {
  return skins.find((s) => {
    const modifiers = s.hexcode.split('-').filter((part) => TONE_MODIFIERS.includes(part));
    return modifiers.length > 0 && modifiers.every((m) => m === tone);
  })?.unicode;
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
export function searchEmoji(query: string, limit = 60): UnicodeEmoji[] {
  const q = query.trim().toLowerCase().replaceAll(':', '');
  if (!q) return [];
  const spaced = q.replaceAll('_', ' ');
  const first: UnicodeEmoji[] = [];
  const second: UnicodeEmoji[] = [];
  for (const emoji of unicodeEmoji()) {
    if (emoji.codeIndex.includes(`\n${q}`)) first.push(emoji);
    else if (emoji.wordIndex.includes(`\n${spaced}`) || emoji.codeIndex.includes(q)) second.push(emoji);
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

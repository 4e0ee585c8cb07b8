// The server's side of the emoji list (serve.ts sends it as assets/emoji.json): emojibase-data's compact set and
// iamcal shortcodes (~620 KB of JSON) reduced to the fields the picker reads (emoji-data.ts), built once.
import compact from 'emojibase-data/en/compact.json';
import shortcodeTable from 'emojibase-data/en/shortcodes/iamcal.json';

type CompactEntry = {
  unicode: string;
  label: string;
  hexcode: string;
  group?: number;
  order?: number;
  tags?: string[];
  skins?: { unicode: string; hexcode: string }[];
};

/** One row per emoji: [unicode, label, group, tags `|`-joined, shortcodes `|`-joined, five single-tone variants `|`-joined or ''] */
export type EmojiRow = [string, string, number, string, string, string];

const TONE_MODIFIERS = ['1F3FB', '1F3FC', '1F3FD', '1F3FE', '1F3FF'];

export function emojiTable(): EmojiRow[] {
  const codes = shortcodeTable as Record<string, string | string[]>;
  return (compact as CompactEntry[])
    .filter((e) => e.group !== undefined && e.group !== 2)
    .sort((a, b) => (a.order ?? 0) - (b.order ?? 0))
    .map((e) => {
      const code = codes[e.hexcode];
      const shortcodes = code === undefined ? [] : Array.isArray(code) ? code : [code];
      const skins = e.skins?.length ? TONE_MODIFIERS.map((tone) => qualified(singleTone(e.skins ?? [], tone) ?? e.unicode)).join('|') : '';
      return [qualified(e.unicode), e.label, e.group ?? 0, (e.tags ?? []).join('|'), shortcodes.join('|'), skins];
    });
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

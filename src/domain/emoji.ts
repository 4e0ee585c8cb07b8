// Reaction emoji as they appear in URLs: a unicode emoji ("👍", "🇫🇷", "1️⃣") or a custom "name:id".
import { isSnowflake } from './snowflake.ts';

const UNICODE_EMOJI = /^(?:\p{Extended_Pictographic}|\p{Emoji_Modifier}|\p{Regional_Indicator}|[#*0-9]\uFE0F?\u20E3|\u200D|\uFE0F|\p{Emoji_Component})+$/u;
const HAS_PICTURE = /\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20E3/u;
// The optional prefix is a whole `a:` (animated) or `:`; a bare optional `a` would eat the first letter of "awesome:1".
const CUSTOM_EMOJI = /^(a:|:)?([A-Za-z0-9_]{2,32}):(\d{1,20})$/;

export type Emoji = { name: string; id: string | null; animated: boolean };

/** Canonical stored form, or null when the string is not an emoji. */
export function parseEmoji(raw: string): Emoji | null {
  if (raw.length === 0 || raw.length > 64) return null;
  const custom = CUSTOM_EMOJI.exec(raw);
  if (custom?.[2] && custom[3] && isSnowflake(custom[3])) return { name: custom[2], id: custom[3], animated: custom[1] === 'a:' };
  if (UNICODE_EMOJI.test(raw) && HAS_PICTURE.test(raw)) return { name: raw, id: null, animated: false };
  return null;
}

/** `name:id` for a custom emoji (`a:name:id` when animated), the emoji itself otherwise. */
export function emojiKey(emoji: Emoji): string {
  return emoji.id ? `${emoji.animated ? 'a:' : ''}${emoji.name}:${emoji.id}` : emoji.name;
}

export function emojiFromKey(key: string): Emoji {
  const at = key.lastIndexOf(':');
  if (at > 0 && isSnowflake(key.slice(at + 1))) {
    const animated = key.startsWith('a:');
    return { name: key.slice(animated ? 2 : 0, at), id: key.slice(at + 1), animated };
  }
  return { name: key, id: null, animated: false };
}

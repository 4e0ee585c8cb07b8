// A reaction or picker emoji: a Unicode emoji as text, a custom one (`name:id`, `a:name:id`) as its image from
// this server, named by its :name: for screen readers and on hover.
import { imageUrl } from '../lib/urls.ts';

/** The parts of a custom emoji key, or null for a Unicode emoji. */
export function customEmoji(key: string): { name: string; id: string; animated: boolean } | null {
  const match = /^(a:)?([A-Za-z0-9_]{2,32}):(\d{1,20})$/.exec(key);
  return match ? { name: match[2] ?? '', id: match[3] ?? '', animated: match[1] === 'a:' } : null;
}

/** How an emoji key reads aloud: the Unicode emoji itself, or :name:. */
export function emojiLabel(key: string): string {
  const custom = customEmoji(key);
  return custom ? `:${custom.name}:` : key;
}

export function EmojiGlyph({ emoji }: { emoji: string }) {
  const custom = customEmoji(emoji);
  if (!custom) return <span>{emoji}</span>;
  const src = imageUrl(`/emojis/${custom.id}.${custom.animated ? 'gif' : 'png'}`);
  return src ? <img class="custom-emoji" src={src} alt={`:${custom.name}:`} title={`:${custom.name}:`} /> : <span>{`:${custom.name}:`}</span>;
}

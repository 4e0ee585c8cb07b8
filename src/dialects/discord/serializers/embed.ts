// Embeds in Discord's shape. Keys without a value are left out, as Discord does. Images and thumbnails are
// `{ url }` only: Harmony runs no media proxy and never downloads them, so it can honestly give neither a
// `proxy_url` (a client that loads it to hide its reader's address would be misled) nor `width`/`height`.
import { type APIEmbed, EmbedType } from 'discord-api-types/v10';
import type { Embed } from '../../../domain/embeds.ts';

export function embed(e: Embed): APIEmbed {
  return {
    type: EmbedType.Rich,
    ...(e.title !== null ? { title: e.title } : {}),
    ...(e.description !== null ? { description: e.description } : {}),
    ...(e.url !== null ? { url: e.url } : {}),
    ...(e.timestamp !== null ? { timestamp: new Date(e.timestamp).toISOString() } : {}),
    ...(e.color !== null ? { color: e.color } : {}),
    ...(e.footer ? { footer: { text: e.footer.text, ...(e.footer.iconUrl !== null ? { icon_url: e.footer.iconUrl } : {}) } } : {}),
    ...(e.image ? { image: { url: e.image.url } } : {}),
    ...(e.thumbnail ? { thumbnail: { url: e.thumbnail.url } } : {}),
    ...(e.author
      ? {
          author: {
            name: e.author.name,
            ...(e.author.url !== null ? { url: e.author.url } : {}),
            ...(e.author.iconUrl !== null ? { icon_url: e.author.iconUrl } : {}),
          },
        }
      : {}),
    ...(e.fields.length > 0 ? { fields: e.fields.map((f) => ({ name: f.name, value: f.value, inline: f.inline })) } : {}),
  };
}

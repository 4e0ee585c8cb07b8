// Rich embeds on messages: the model, Discord's limits, and the one parser both bot dialects use for a body's
// `embeds` (Discord's request shape, which v1 accepts as is). Every limit names the field in its 50035
// (`embeds.0.fields.3.value`). Harmony never fetches the URLs: it only checks they are http(s), or (for pictures)
// `attachment://name`, a file uploaded with the message.
import type { FieldPath, FormErrors } from '../http/api-error.ts';
import { FormReader, type Json } from './form-reader.ts';
import type { Embed, EmbedAuthor, EmbedField, EmbedFooter, EmbedMedia } from './model/embed.ts';

export type { Embed, EmbedAuthor, EmbedField, EmbedFooter, EmbedMedia } from './model/embed.ts';

/** Discord's limits, in characters (code points). `total` counts titles, descriptions, field names and values, footers and author names of all embeds. */
export const EMBED_LIMITS = {
  embeds: 10,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footerText: 2048,
  authorName: 256,
  total: 6000,
} as const;

const COLOR_MAX = 0xffffff;

/** The characters of an embed that count towards EMBED_LIMITS.total. */
export function embedLength(e: Embed): number {
  const chars = (s: string | null | undefined) => (s ? [...s].length : 0);
  let n = chars(e.title) + chars(e.description) + chars(e.footer?.text) + chars(e.author?.name);
  for (const f of e.fields) n += chars(f.name) + chars(f.value);
  return n;
}

/** Whether an embed shows anything (a URL or colour alone does not). */
export function embedShowsSomething(e: Embed): boolean {
  return !!(e.title || e.description || e.fields.length > 0 || e.author || e.footer || e.image || e.thumbnail);
}

/**
 * A body's `embeds` (absent or null: none). Problems are added to `errors` (the caller throws once, with
 * everything wrong in the body); embeds that show nothing are dropped, as they would render as an empty box.
 */
export function parseEmbeds(raw: unknown, errors: FormErrors): Embed[] {
  const read = new FormReader(errors);
  const embeds: Embed[] = [];
  read.list(raw, ['embeds'], { max: EMBED_LIMITS.embeds }).forEach((item, i) => {
    const embed = parseEmbed(read, item, ['embeds', i]);
    if (embed && embedShowsSomething(embed)) embeds.push(embed);
  });
  if (embeds.reduce((n, e) => n + embedLength(e), 0) > EMBED_LIMITS.total) {
    read.fail(['embeds'], 'MAX_EMBED_SIZE_EXCEEDED', `Embed size exceeds maximum size of ${EMBED_LIMITS.total}`);
  }
  return embeds;
}

function parseEmbed(read: FormReader, value: unknown, path: FieldPath): Embed | null {
  const o = read.object(value, path, true);
  if (!o) return null;
  if (o.type !== undefined && o.type !== null && o.type !== 'rich') read.choice(o.type, [...path, 'type'], ['rich']);
  const fields: EmbedField[] = [];
  read.list(o.fields, [...path, 'fields'], { max: EMBED_LIMITS.fields }).forEach((item, i) => {
    const field = parseField(read, item, [...path, 'fields', i]);
    if (field) fields.push(field);
  });
  return {
    title: read.string(o.title, [...path, 'title'], EMBED_LIMITS.title),
    description: read.string(o.description, [...path, 'description'], EMBED_LIMITS.description),
    url: read.webUrl(o.url, [...path, 'url']),
    timestamp: parseTimestamp(read, o.timestamp, [...path, 'timestamp']),
    color: read.integer(o.color, [...path, 'color'], { min: 0, max: COLOR_MAX }),
    footer: parseFooter(read, o.footer, [...path, 'footer']),
    image: parseMedia(read, o.image, [...path, 'image']),
    thumbnail: parseMedia(read, o.thumbnail, [...path, 'thumbnail']),
    author: parseAuthor(read, o.author, [...path, 'author']),
    fields,
  };
}

function parseField(read: FormReader, value: unknown, path: FieldPath): EmbedField | null {
  const o = read.object(value, path, true);
  if (!o) return null;
  const name = read.string(o.name, [...path, 'name'], EMBED_LIMITS.fieldName, true);
  const fieldValue = read.string(o.value, [...path, 'value'], EMBED_LIMITS.fieldValue, true);
  const inline = read.boolean(o.inline, [...path, 'inline']) ?? false;
  return name === null || fieldValue === null ? null : { name, value: fieldValue, inline };
}

function parseFooter(read: FormReader, value: unknown, path: FieldPath): EmbedFooter | null {
  const o = read.object(value, path);
  if (!o) return null;
  const text = read.string(o.text, [...path, 'text'], EMBED_LIMITS.footerText, true);
  const iconUrl = read.mediaUrl(o.icon_url, [...path, 'icon_url']);
  return text === null ? null : { text, iconUrl };
}

function parseAuthor(read: FormReader, value: unknown, path: FieldPath): EmbedAuthor | null {
  const o = read.object(value, path);
  if (!o) return null;
  const name = read.string(o.name, [...path, 'name'], EMBED_LIMITS.authorName, true);
  const url = read.webUrl(o.url, [...path, 'url']);
  const iconUrl = read.mediaUrl(o.icon_url, [...path, 'icon_url']);
  return name === null ? null : { name, url, iconUrl };
}

function parseMedia(read: FormReader, value: unknown, path: FieldPath): EmbedMedia | null {
  const o: Json | null = read.object(value, path);
  if (!o) return null;
  const url = read.mediaUrl(o.url, [...path, 'url'], true);
  return url === null ? null : { url };
}

/** ISO 8601 with a date and a time, as Discord takes it; kept as milliseconds. */
function parseTimestamp(read: FormReader, value: unknown, path: FieldPath): number | null {
  if (value === undefined || value === null) return null;
  const ms = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) return read.fail(path, 'DATE_TYPE_PARSE', 'Could not parse the timestamp. Should be ISO8601.');
  return ms;
}

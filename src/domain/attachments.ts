// Files on messages. A request carries uploads (the bytes, as the multipart reader found them) and, optionally,
// Discord's `attachments` list: an entry whose id is an upload's index names and describes that upload, an entry
// whose id is an attachment of the message keeps it on an edit. What the file is comes from its bytes
// (sniffContentType, sniffImage), never from the client's Content-Type or file name.
import { RESTJSONErrorCodes as Codes } from 'discord-api-types/v10';
import { sniffContentType, sniffImage } from '../files/sniff.ts';
import { ApiError, FormErrors } from '../http/api-error.ts';
import type { Embed } from './embeds.ts';
import { ATTACHMENT_SCHEME, FormReader } from './form-reader.ts';
import type { Attachment, AttachmentView } from './model/attachment.ts';

export type { Attachment, AttachmentView } from './model/attachment.ts';

/** Mints the URL an attachment is downloaded from (signed, expiring; see files/attachment-links.ts). */
export interface AttachmentUrls {
  url(attachment: Pick<Attachment, 'id' | 'channelId' | 'filename' | 'interactionId'>): string;
}

/** One file part of a request: `key` is the n of `files[n]` (or the part's position when named otherwise). */
export type Upload = { key: string; filename: string; bytes: Uint8Array };

export type AttachmentLimits = { maxBytes: number; maxCount: number };

/** A new attachment and the bytes to store for it. */
export type NewAttachment = { attachment: Attachment; bytes: Uint8Array };

export const DESCRIPTION_MAX = 1024;
const FILENAME_MAX = 255;

export const fileTooLarge = (limits: AttachmentLimits) =>
  new ApiError(413, Codes.RequestEntityTooLarge, `Request entity too large (files up to ${limits.maxBytes} bytes)`);

/**
 * A file name safe to put in a URL path and a Content-Disposition: the last path segment, whitespace as `_`, no
 * control or reserved characters, no leading dots, at most 255 characters; `file` when nothing is left.
 */
export function cleanFilename(raw: string): string {
  const last = raw.split(/[\\/]/).pop() ?? '';
  const cleaned = last
    .replace(/\s+/g, '_')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is removed
    .replace(/[\u0000-\u001f\u007f"*:<>?|%#]/g, '')
    .replace(/^\.+/, '');
  const cut = [...cleaned].slice(0, FILENAME_MAX).join('');
  return cut === '' ? 'file' : cut;
}

type Entry = { id: string; filename: string | null; description: string | null };

/** Discord's `attachments` list: ids (snowflakes or upload indexes) with an optional filename and description. */
function readEntries(value: unknown, limits: AttachmentLimits): Entry[] | undefined {
  if (value === undefined) return undefined;
  const errors = new FormErrors();
  const read = new FormReader(errors);
  const entries: Entry[] = [];
  const list = read.list(value, ['attachments'], { max: limits.maxCount });
  list.forEach((item, i) => {
    const o = read.object(item, ['attachments', i], true);
    if (!o) return;
    const id = read.snowflake(o.id, ['attachments', i, 'id'], true);
    const filename = read.string(o.filename, ['attachments', i, 'filename'], 1024);
    const description = read.string(o.description, ['attachments', i, 'description'], DESCRIPTION_MAX);
    if (id !== null) entries.push({ id, filename, description });
  });
  errors.throwIfAny();
  return entries;
}

export type AttachmentPlan = {
  /** The message's attachments after the request, in order (kept ones and new ones). */
  attachments: Attachment[];
  /** Which of them are new, with their bytes. */
  added: NewAttachment[];
};

/**
 * Works out a message's attachments from a request. `existing` are the message's current attachments (none on
 * create). With no `attachments` list every existing one stays and every upload is added; with one, only the
 * existing ids it lists stay, and uploads take their filename and description from the entry naming their index;
 * the order is the list's, then the uploads it does not name.
 * Too many files is a 50035 on `attachments`, a file over the size limit a 413 with code 40005, an entry that
 * names neither an upload nor an attachment of this message a 50035 on its id.
 */
export function planAttachments(input: {
  messageId: string;
  channelId: string;
  uploads: readonly Upload[];
  entries: unknown;
  existing: readonly Attachment[];
  limits: AttachmentLimits;
  mintId: () => string;
}): AttachmentPlan {
  const { uploads, existing, limits } = input;
  for (const upload of uploads) if (upload.bytes.length > limits.maxBytes) throw fileTooLarge(limits);
  const entries = readEntries(input.entries === null ? [] : input.entries, limits);
  const byKey = new Map(uploads.map((u) => [u.key, u]));
  const byId = new Map(existing.map((a) => [a.id, a]));
  const chosen: ({ kept: Attachment } | { upload: Upload; entry: Entry | null })[] = [];
  const used = new Set<Upload>();
  if (entries === undefined) {
    for (const a of existing) chosen.push({ kept: a });
  } else {
    const errors = new FormErrors();
    entries.forEach((entry, i) => {
      const upload = byKey.get(entry.id);
      const kept = byId.get(entry.id);
      if (upload && !used.has(upload)) {
        used.add(upload);
        chosen.push({ upload, entry });
      } else if (kept) chosen.push({ kept });
      else errors.add(['attachments', i, 'id'], 'ATTACHMENT_NOT_FOUND', 'Unknown attachment: not an uploaded file nor an attachment of this message.');
    });
    errors.throwIfAny();
  }
  for (const upload of uploads) if (!used.has(upload)) chosen.push({ upload, entry: null });
  if (chosen.length > limits.maxCount) {
    const errors = new FormErrors();
    errors.add(['attachments'], 'BASE_TYPE_MAX_LENGTH', `Must be ${limits.maxCount} or fewer in length.`);
    errors.throwIfAny();
  }
  const attachments: Attachment[] = [];
  const added: NewAttachment[] = [];
  chosen.forEach((choice, position) => {
    if ('kept' in choice) {
      attachments.push({ ...choice.kept, position });
      return;
    }
    const { upload, entry } = choice;
    const id = input.mintId();
    const attachment = describeUpload(upload, {
      id,
      messageId: input.messageId,
      channelId: input.channelId,
      position,
      filename: entry?.filename ?? upload.filename,
      description: entry?.description ?? null,
      fileKey: `attachments/${input.channelId}/${id}`,
    });
    attachments.push(attachment);
    added.push({ attachment, bytes: upload.bytes });
  });
  return { attachments, added };
}

/** The attachment an upload becomes: its name cleaned, its type, size and image dimensions read from the bytes. */
export function describeUpload(
  upload: Upload,
  at: Pick<Attachment, 'id' | 'messageId' | 'channelId' | 'position' | 'filename' | 'description' | 'fileKey'> & { interactionId?: string },
): Attachment {
  const image = sniffImage(upload.bytes);
  return {
    ...at,
    filename: cleanFilename(at.filename),
    contentType: sniffContentType(upload.bytes),
    size: upload.bytes.length,
    width: image?.width ?? null,
    height: image?.height ?? null,
    sha256: new Bun.CryptoHasher('sha256').update(upload.bytes).digest('hex'),
  };
}

/** Embeds with every `attachment://name` replaced by the URL of the message's attachment of that name. */
export function resolveAttachmentUrls(embeds: readonly Embed[], attachments: readonly AttachmentView[]): Embed[] {
  if (attachments.length === 0) return embeds as Embed[];
  const byName = new Map(attachments.map((a) => [a.filename, a.url]));
  const resolve = (url: string): string => (url.startsWith(ATTACHMENT_SCHEME) ? (byName.get(url.slice(ATTACHMENT_SCHEME.length)) ?? url) : url);
  const resolveOrNull = (url: string | null) => (url === null ? null : resolve(url));
  return embeds.map((e) => ({
    ...e,
    image: e.image ? { url: resolve(e.image.url) } : null,
    thumbnail: e.thumbnail ? { url: resolve(e.thumbnail.url) } : null,
    footer: e.footer ? { ...e.footer, iconUrl: resolveOrNull(e.footer.iconUrl) } : null,
    author: e.author ? { ...e.author, iconUrl: resolveOrNull(e.author.iconUrl) } : null,
  }));
}

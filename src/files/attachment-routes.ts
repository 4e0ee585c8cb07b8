// GET/HEAD /attachments/{channel_id}/{attachment_id}/{filename}?ex&is&hm: a message's file, for whoever holds a link
// that is still valid (see attachment-links.ts), like a CDN link. A forged, tampered or expired link, a wrong file
// name, or a file whose message is gone are all the same 404 ("This content is no longer available.", as Discord's
// CDN says). The bytes are served as what the server found them to be, never as what the uploader claimed, with
// `nosniff` so a browser cannot guess otherwise: only raster images (PNG, JPEG, GIF, WebP) display inline, anything
// else downloads, and a sandboxing CSP covers whatever a browser might still render.
import { Elysia, t } from 'elysia';
import type { Core } from '../core.ts';
import type { Attachment } from '../domain/attachments.ts';
import { ATTACHMENTS_PATH, EPHEMERAL_ATTACHMENTS_PATH } from './attachment-links.ts';
import type { FileStore, OpenedFile } from './file-store.ts';
import { INLINE_SAFE_TYPES } from './sniff.ts';
import { unreachable } from './unreachable.ts';

async function openFile(files: FileStore, key: string): Promise<OpenedFile | null> {
  if (files.open) return files.open(key);
  const bytes = await files.get(key);
  return bytes && { size: bytes.length, body: bytes as Uint8Array<ArrayBuffer> };
}

const gone = () =>
  new Response('This content is no longer available.', {
    status: 404,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' },
  });

/** RFC 5987/6266 `filename*` value: UTF-8, percent-encoded, with the characters the grammar also reserves. */
const encodeFilename = (name: string) => encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

const Params = t.Object({ channelId: t.String({ pattern: '^\\d{1,20}$' }), attachmentId: t.String({ pattern: '^\\d{1,20}$' }), filename: t.String() });
const EphemeralParams = t.Object({
  interactionId: t.String({ pattern: '^\\d{1,20}$' }),
  attachmentId: t.String({ pattern: '^\\d{1,20}$' }),
  filename: t.String(),
});
const Signature = t.Object({ ex: t.Optional(t.String()), is: t.Optional(t.String()), hm: t.Optional(t.String()) }, { additionalProperties: true });

export function attachmentRoutes(core: Pick<Core, 'attachmentLinks' | 'uow' | 'files'>) {
  /** A message's file, by the channel and id its link names. */
  async function messageFile(params: { channelId: string; attachmentId: string }, query: { ex?: string; is?: string; hm?: string }) {
    const left = core.attachmentLinks.check(params.channelId, params.attachmentId, query);
    if (left === null) return null;
    const attachment = await core.uow.repos.attachments.byId(params.attachmentId);
    return attachment && attachment.channelId === params.channelId ? { attachment, left } : null;
  }

  /** A file an interaction record holds (an ATTACHMENT option's upload, an ephemeral answer's file), while it lives. */
  async function interactionFile(params: { interactionId: string; attachmentId: string }, query: { ex?: string; is?: string; hm?: string }) {
    const left = core.attachmentLinks.checkInteractionFile(params.interactionId, params.attachmentId, query);
    if (left === null) return null;
    const attachment = (await core.uow.repos.interactions.byId(params.interactionId))?.interaction.files?.find((f) => f.id === params.attachmentId);
    return attachment ? { attachment, left } : null;
  }

  async function serve(found: { attachment: Attachment; left: number } | null, filename: string, withBody: boolean): Promise<Response> {
    if (!found || found.attachment.filename !== filename) return gone();
    const { attachment, left } = found;
    // An opened file is streamed (from disk or the bucket) when sent; bytes from a store without open() are held for the response.
    const file = await openFile(core.files, attachment.fileKey).catch(unreachable);
    if (file instanceof Response) return file;
    if (!file) return gone();
    const inline = INLINE_SAFE_TYPES.has(attachment.contentType);
    const headers = {
      'content-type': attachment.contentType,
      'content-length': String(file.size),
      'x-content-type-options': 'nosniff',
      'content-disposition': `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeFilename(attachment.filename)}`,
      'content-security-policy': "default-src 'none'; sandbox",
      'cache-control': `private, max-age=${left}`,
    };
    if (!withBody && file.body instanceof ReadableStream) await file.body.cancel();
    return new Response(withBody ? file.body : null, { headers });
  }

  const detail = {
    tags: ['Files'],
    summary: 'A message attachment, by the signed link in its `url` (no token; the link expires after 24 hours)',
    description:
      'Served with the content type sniffed from the bytes and `X-Content-Type-Options: nosniff`; only PNG, JPEG, GIF and WebP are `inline`, anything else is a download. 404 when the link is expired, altered, or the file was deleted.',
  };
  const ephemeralDetail = {
    ...detail,
    summary: "A file an interaction holds (an ATTACHMENT option's upload, an ephemeral answer's file), by its signed link; gone when the interaction expires",
  };
  return new Elysia({ name: 'attachments' })
    .get(
      `${ATTACHMENTS_PATH}/:channelId/:attachmentId/:filename`,
      async ({ params, query }) => serve(await messageFile(params, query), params.filename, true),
      {
        params: Params,
        query: Signature,
        detail,
      },
    )
    .head(
      `${ATTACHMENTS_PATH}/:channelId/:attachmentId/:filename`,
      async ({ params, query }) => serve(await messageFile(params, query), params.filename, false),
      {
        params: Params,
        query: Signature,
        detail: { ...detail, summary: 'The headers of a message attachment, by its signed link' },
      },
    )
    .get(
      `${EPHEMERAL_ATTACHMENTS_PATH}/:interactionId/:attachmentId/:filename`,
      async ({ params, query }) => serve(await interactionFile(params, query), params.filename, true),
      { params: EphemeralParams, query: Signature, detail: ephemeralDetail },
    )
    .head(
      `${EPHEMERAL_ATTACHMENTS_PATH}/:interactionId/:attachmentId/:filename`,
      async ({ params, query }) => serve(await interactionFile(params, query), params.filename, false),
      { params: EphemeralParams, query: Signature, detail: { ...ephemeralDetail, summary: "The headers of an interaction's file, by its signed link" } },
    );
}

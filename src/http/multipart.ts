// A bounded multipart/form-data reader for the routes that take files (Discord's `files[n]` + `payload_json`).
// It walks the buffered body once, part by part, and stops at the first part over a limit: a file larger than the
// per-file limit (413, code 40005), more files than a message may carry or more plain fields than any request
// needs (50035), plain fields larger than a JSON body may be. Field values are text, never parsed here: only
// `payload_json` is JSON, and the body parser reads it with the same size and nesting guard as any JSON body.
// Field names are kept as sent (no `a.b` nesting, unlike Elysia's own form parser).
import { RESTJSONErrorCodes as Codes } from 'discord-api-types/v10';
import { ApiError, invalidField } from './api-error.ts';
import { MAX_BODY_BYTES } from './body-limit.ts';

export type FilePart = { name: string; filename: string; bytes: Uint8Array };
export type MultipartForm = { fields: Map<string, string>; files: FilePart[] };
export type MultipartLimits = { maxFileBytes: number; maxFiles: number };

/** Plain (non-file) fields a request may have: payload_json, or a handful of message fields sent one by one. */
export const MAX_FIELDS = 32;
const MAX_HEADER_BYTES = 8 * 1024;

const malformed = () => invalidField('files', 'MULTIPART_INVALID', 'The multipart/form-data body is malformed.');
export const tooManyFiles = (max: number) => invalidField('attachments', 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`);
const fileTooLarge = (max: number) => new ApiError(413, Codes.RequestEntityTooLarge, `Request entity too large (files up to ${max} bytes)`);

/** The boundary of a multipart/form-data Content-Type, or null. */
export function boundaryOf(contentType: string): string | null {
  const match = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType);
  return match ? ((match[1] ?? match[2]) as string) : null;
}

/** `name="..."`, `filename="..."` and RFC 5987 `filename*=UTF-8''...` of a Content-Disposition header. */
function disposition(header: string): { name: string | null; filename: string | null } {
  const params = new Map<string, string>();
  for (const m of header.matchAll(/;\s*([A-Za-z*]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)/g)) {
    const key = (m[1] as string).toLowerCase();
    const raw = (m[2] as string).trim();
    params.set(key, raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw);
  }
  let filename = params.get('filename') ?? null;
  const extended = params.get('filename*');
  if (extended) {
    const m = /^UTF-8''(.*)$/i.exec(extended);
    try {
      if (m) filename = decodeURIComponent(m[1] as string);
    } catch {}
  }
  return { name: params.get('name') ?? null, filename };
}

export function parseMultipart(body: Uint8Array, contentType: string, limits: MultipartLimits): MultipartForm {
  const boundary = boundaryOf(contentType);
  if (!boundary) throw malformed();
  const buf = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  const decoder = new TextDecoder();
  const fields = new Map<string, string>();
  const files: FilePart[] = [];
  let fieldBytes = 0;
  // The first boundary may follow a preamble; every later one is preceded by CRLF.
  let at = buf.indexOf(`--${boundary}`);
  if (at < 0) throw malformed();
  at += boundary.length + 2;
  for (;;) {
    if (buf[at] === 0x2d && buf[at + 1] === 0x2d) break;
    if (buf[at] !== 0x0d || buf[at + 1] !== 0x0a) throw malformed();
    const headersEnd = buf.indexOf('\r\n\r\n', at + 2);
    if (headersEnd < 0 || headersEnd - at > MAX_HEADER_BYTES) throw malformed();
    const headers = decoder.decode(buf.subarray(at + 2, headersEnd)).split('\r\n');
    const line = headers.find((h) => /^content-disposition\s*:/i.test(h));
    const { name, filename } = line ? disposition(line) : { name: null, filename: null };
    if (name === null) throw malformed();
    const start = headersEnd + 4;
    const end = buf.indexOf(delimiter, start);
    if (end < 0) throw malformed();
    const size = end - start;
    if (filename !== null) {
      if (size > limits.maxFileBytes) throw fileTooLarge(limits.maxFileBytes);
      if (files.length >= limits.maxFiles) throw tooManyFiles(limits.maxFiles);
      files.push({ name, filename, bytes: new Uint8Array(buf.subarray(start, end)) });
    } else {
      fieldBytes += size;
      if (fields.size >= MAX_FIELDS) throw invalidField('_body', 'BASE_TYPE_MAX_LENGTH', `A form may have at most ${MAX_FIELDS} fields besides files.`);
      if (fieldBytes > MAX_BODY_BYTES) throw new ApiError(413, Codes.RequestEntityTooLarge, 'Request entity too large (form fields up to 1 MiB)');
      fields.set(name, decoder.decode(buf.subarray(start, end)));
    }
    at = end + delimiter.length;
  }
  return { fields, files };
}

// Request bodies, read with a size and a nesting limit before any schema work. Elysia pretty-prints a rejected body
// into its validation error, which takes time quadratic in the depth (18 s for 20 000 levels, 40 KB, with every
// other request waiting) and overflows the stack beyond that; no request of ours nests deeper than a few levels.
// `parseRequestBody` is the parse hook of every Elysia route that takes a body, mounted once in app.ts; the presence
// faces, which read raw bodies themselves, parse their JSON with `parseJsonBody`.
// The Discord dialect keeps the digits of integers too big for a JS number (see exact-json.ts); the v1 API takes
// snowflakes as strings only, as the seed documents, since a JS client's integer id has already been rounded.
import { RESTJSONErrorCodes as Codes } from 'discord-api-types/v10';
import { ApiError, invalidField } from './api-error.ts';
import { bodyTooLarge, MAX_BODY_BYTES } from './body-limit.ts';
import { parseExactJson } from './exact-json.ts';
import { parseMultipart } from './multipart.ts';
import { rememberUploads, type UploadPolicy } from './uploads.ts';

export const MAX_JSON_DEPTH = 32;

/** How integers past 2^53 are read: rounded to a number as JSON.parse does, or kept exact as their digits. */
export type JsonIntegers = 'number' | 'exact';

const tooDeep = () => new ApiError(400, Codes.RequestBodyContainsInvalidJSON, `The request body nests deeper than ${MAX_JSON_DEPTH} levels.`);
const malformed = () => new ApiError(400, Codes.RequestBodyContainsInvalidJSON, 'The request body contains invalid JSON.');

/**
 * Tracks bracket depth over a JSON text fed in chunks of UTF-8 bytes, in one linear pass: brackets inside strings
 * do not count (every byte of a multi-byte UTF-8 character is 0x80 or above, so the ASCII ones are never mistaken).
 * Malformed input is left for JSON.parse to refuse.
 */
export class NestingGauge {
  private depth = 0;
  private inString = false;
  private escaped = false;

  constructor(private readonly max: number) {}

  /** False as soon as the text so far nests deeper than `max`. */
  feed(bytes: Uint8Array): boolean {
    let { depth, inString, escaped } = this;
    for (let i = 0; i < bytes.length; i++) {
      const c = bytes[i];
      if (inString) {
        if (escaped) escaped = false;
        else if (c === 0x5c) escaped = true;
        else if (c === 0x22) inString = false;
      } else if (c === 0x22) inString = true;
      else if (c === 0x7b || c === 0x5b) {
        if (++depth > this.max) return false;
      } else if (c === 0x7d || c === 0x5d) depth--;
    }
    this.depth = depth;
    this.inString = inString;
    this.escaped = escaped;
    return true;
  }
}

function parseChecked(text: string, integers: JsonIntegers): unknown {
  let value: unknown;
  try {
    value = integers === 'exact' ? parseExactJson(text) : JSON.parse(text);
  } catch {
    throw malformed();
  }
  return CONVERSION_KEYS.test(text) ? convertible(value) : value;
}

/**
 * An object whose own `toString` or `valueOf` is data (`{"toString": {}}`) cannot be turned into a string: Elysia's
 * validation error does exactly that with a rejected value, and threw instead of answering 400. Such objects get a
 * prototype whose Symbol.toPrimitive (which wins over both keys) gives what a plain object gives.
 */
const CONVERSION_KEYS = /"(?:toString|valueOf)"\s*:/;
const CONVERTIBLE = Object.freeze(Object.create(Object.prototype, { [Symbol.toPrimitive]: { value: () => '[object Object]' } }));

function convertible(value: unknown): unknown {
  if (Array.isArray(value)) for (const item of value) convertible(item);
  else if (value !== null && typeof value === 'object') {
    if (Object.hasOwn(value, 'toString') || Object.hasOwn(value, 'valueOf')) Object.setPrototypeOf(value, CONVERTIBLE);
    for (const item of Object.values(value)) convertible(item);
  }
  return value;
}

/** Parses a JSON text; ApiError 400 (50109) for malformed or too deeply nested JSON. */
export function parseJsonBody(text: string, integers: JsonIntegers = 'number'): unknown {
  if (!new NestingGauge(MAX_JSON_DEPTH).feed(new TextEncoder().encode(text))) throw tooDeep();
  return parseChecked(text, integers);
}

/**
 * Reads and parses a JSON body, checking size and depth chunk by chunk as it arrives: past MAX_BODY_BYTES it is an
 * ApiError 413 (40005), past MAX_JSON_DEPTH a 400 (50109), and the rest of the body is not read. Undefined for an
 * empty body. A body that declares a length within the limit is read whole and checked the same way.
 */
export async function readJsonBody(request: Request, integers: JsonIntegers = 'number'): Promise<unknown> {
  // A body of a declared size within the limit is read whole: what app.ts hands Elysia is already in memory, and
  // reading it as a stream costs a stream, a reader and a promise per chunk.
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (declared <= MAX_BODY_BYTES) return parseWhole(new Uint8Array(await request.arrayBuffer()), integers);
  if (request.body === null) return undefined;
  const reader = request.body.getReader();
  const gauge = new NestingGauge(MAX_JSON_DEPTH);
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > MAX_BODY_BYTES) throw bodyTooLarge();
      if (!gauge.feed(value)) throw tooDeep();
      chunks.push(value);
    }
  } catch (error) {
    // Released, not cancelled: Bun leaves the rest unread and answers at once. (Cancelling the body of a Request
    // rebuilt from the server's, as app.ts hands Elysia, stalls the response until the client gives up.)
    reader.releaseLock();
    throw error;
  }
  return parseText(Buffer.concat(chunks), integers);
}

/** A body read whole, checked for size and depth as readJsonBody checks a stream. */
function parseWhole(bytes: Uint8Array, integers: JsonIntegers): unknown {
  if (bytes.byteLength > MAX_BODY_BYTES) throw bodyTooLarge();
  if (!new NestingGauge(MAX_JSON_DEPTH).feed(bytes)) throw tooDeep();
  return parseText(bytes, integers);
}

/** Undefined for an empty body (or only whitespace). */
function parseText(bytes: Uint8Array, integers: JsonIntegers): unknown {
  const text = new TextDecoder().decode(bytes);
  return text.trim() === '' ? undefined : parseChecked(text, integers);
}

/**
 * The parse hook of every route that takes a body. JSON goes through readJsonBody. Multipart is read only on the
 * routes `uploads` accepts (a message's send and edit): the files are kept with the request (see uploads.ts) and the
 * body is `payload_json`, read like a JSON body, or else the plain fields as text. Everywhere else multipart is
 * refused, since Elysia's form parser would JSON-parse field values and nest dotted field names without a limit.
 * Other types (text/plain, urlencoded, octet-stream) are flat and left to Elysia, as is an empty body, which
 * Elysia refuses where a body is required and leaves out where it is optional. `integersFor` says, by path, how a
 * route's dialect reads big integers.
 */
export function requestBodyParser(integersFor: (path: string) => JsonIntegers, uploads?: UploadPolicy) {
  return async ({ request, contentType }: { request: Request; contentType: string }): Promise<unknown> => {
    const type = contentType.trim().toLowerCase();
    const path = new URL(request.url).pathname;
    if (type === 'application/json') return readJsonBody(request, integersFor(path));
    if (type === 'multipart/form-data') {
      if (!uploads?.accepts(request.method, path)) {
        throw invalidField('files', 'UNSUPPORTED_BY_SERVER', 'File uploads (multipart/form-data) are not supported on this route; send the body as JSON');
      }
      // The size of the whole body was checked before routing (withBodyLimit with uploadBodyLimit).
      const fullType = request.headers.get('content-type') ?? '';
      const form = parseMultipart(new Uint8Array(await request.arrayBuffer()), fullType, uploads.limits);
      rememberUploads(request, form);
      const payload = form.fields.get('payload_json');
      if (payload === undefined) return Object.fromEntries(form.fields);
      const body = parseJsonBody(payload, integersFor(path));
      if (typeof body !== 'object' || body === null || Array.isArray(body)) throw malformed();
      return body;
    }
    return undefined;
  };
}

/** The parser for routes that read integers as JSON.parse does. */
export const parseRequestBody = requestBodyParser(() => 'number');

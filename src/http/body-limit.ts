// Request bodies above 1 MiB (or, for a multipart body on a route that takes files, above uploadBodyLimit) get
// Harmony's JSON 413. Bun's own limit (maxRequestBodySize) answers with an empty 413
// before any of our code runs, so the server sets no limit of its own and this check does the refusing: at once for
// a declared Content-Length, and while reading for a chunked body (which is then handed on buffered).
import { RESTJSONErrorCodes as Codes } from 'discord-api-types/v10';
import { ApiError } from './api-error.ts';
import { jsonResponse } from './error-response.ts';

export const MAX_BODY_BYTES = 1024 * 1024;

/** For Bun.serve's maxRequestBodySize: never the one to refuse, see above. */
export const SERVER_BODY_LIMIT = Number.MAX_SAFE_INTEGER;

const mib = (bytes: number) => `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MiB`;

export const bodyTooLarge = (limit = MAX_BODY_BYTES) => new ApiError(413, Codes.RequestEntityTooLarge, `Request entity too large (${mib(limit)} at most)`);

/** The request to route (the same one unless its chunked body had to be read), or the 413 to answer. */
export async function withBodyLimit(request: Request, limit = MAX_BODY_BYTES): Promise<Request | Response> {
  const tooLarge = () => jsonResponse(413, bodyTooLarge(limit).toJSON());
  const declared = request.headers.get('content-length');
  if (declared !== null) return Number(declared) > limit ? tooLarge() : request;
  if (request.body === null) return request;
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return tooLarge();
    }
    chunks.push(value);
  }
  return new Request(request, { body: Buffer.concat(chunks) });
}

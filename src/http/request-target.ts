// What a request asks for, taken from Bun's parse of the request line and Host header, never from string offsets.
// Bun builds request.url from the Host header; when there is none (HTTP/1.0 may leave it out) or it is not a host,
// request.url is the bare path, which is no URL: such a request is answered 400, not left to throw into a 500.
import type { Server } from 'bun';
import { RESTJSONErrorCodes as Codes } from 'discord-api-types/v10';
import { jsonResponse } from './error-response.ts';

/**
 * The origin of the request Elysia routes. Elysia's compiled router cuts the path out of request.url from a fixed
 * offset (it assumes a host of at least four characters), so `Host: x` made `/zzz/api/...` route as `/api/...`. It
 * is handed a URL rebuilt on this origin from the parsed pathname: it routes exactly the path a proxy in front
 * matched on. Handlers read the client's host from the Host header, never from request.url.
 */
export const ROUTING_ORIGIN = 'http://localhost';

/** The parsed request URL, or null when the request names no valid Host. */
export function requestTarget(request: Request): URL | null {
  return URL.parse(request.url);
}

export function missingHost(): Response {
  return jsonResponse(400, { code: Codes.GeneralError, message: '400: Bad Request (missing or invalid Host header)' });
}

/** Verdicts on request.url's origin (`scheme://host[:port]`), by that origin: a server sees few hosts. */
const originVerdicts = new Map<string, boolean>();
/** Bounds the map against a client sending endless made-up Host headers: full, it starts over. */
const MAX_ORIGIN_VERDICTS = 256;

/**
 * Whether request.url parses as a URL, as `URL.canParse(request.url)` says, without parsing every request's URL:
 * the path, query and fragment can never make WHATWG parsing fail (only the scheme and authority can), so the
 * verdict on `origin + '/'` is the verdict on the whole URL, and it is kept per origin. A URL without an origin
 * (Bun's bare path, when the Host is missing or unusable) is no URL.
 */
export function parsesAsUrl(url: string): boolean {
  if (url.charCodeAt(0) === 47 /* '/' */) return false;
  const scheme = url.indexOf('//');
  const end = scheme === -1 ? -1 : url.indexOf('/', scheme + 2);
  if (end === -1) return URL.canParse(url);
  const origin = url.slice(0, end);
  let verdict = originVerdicts.get(origin);
  if (verdict === undefined) {
    verdict = URL.canParse(`${origin}/`);
    if (originVerdicts.size >= MAX_ORIGIN_VERDICTS) originVerdicts.clear();
    originVerdicts.set(origin, verdict);
  }
  return verdict;
}

/** Verdicts by Host header value (bounded as above). */
const hostVerdicts = new Map<string, boolean>();

/**
 * parsesAsUrl(request.url), kept per Host header: Bun builds request.url from the Host header alone (an
 * absolute-form request target's authority is not used), so the verdict on one request holds for every request
 * with the same Host, and request.url (a string Bun builds on each read) is read once per Host.
 */
export function usableHost(request: Request): boolean {
  const host = request.headers.get('host');
  if (host === null) return parsesAsUrl(request.url);
  let verdict = hostVerdicts.get(host);
  if (verdict === undefined) {
    verdict = parsesAsUrl(request.url);
    if (hostVerdicts.size >= MAX_ORIGIN_VERDICTS) hostVerdicts.clear();
    hostVerdicts.set(host, verdict);
  }
  return verdict;
}

type NativeHandler<R extends Request> = (request: R, server: Server<unknown>) => Response | Promise<Response>;

/**
 * Bun's native `routes`, each handler answering 400 for a request without a valid Host, as `fetch` does (that
 * answer is `refuse`'s: routes that answer final responses pass one with the server's headers).
 */
export function requireHost<T extends Record<string, Record<string, NativeHandler<never>>>>(routes: T, refuse: () => Response = missingHost): T {
  const guarded: Record<string, Record<string, NativeHandler<Request>>> = {};
  for (const [path, methods] of Object.entries(routes)) {
    guarded[path] = {};
    for (const [method, handler] of Object.entries(methods) as [string, NativeHandler<Request>][]) {
      guarded[path][method] = (request, server) => (usableHost(request) ? handler(request, server) : refuse());
    }
  }
  // Same paths, methods and handler signatures as given: only the bodies are wrapped.
  return guarded as unknown as T;
}

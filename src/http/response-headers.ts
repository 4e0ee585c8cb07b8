// Headers every response carries, whichever part of the server answers it (API, web app, /docs, attachments,
// presence faces, errors): `X-Content-Type-Options: nosniff` unless the handler already set it, and, when the
// public URL is https, `Strict-Transport-Security` so a browser that once reached the instance over TLS never
// again tries it over plain http. Never sent for an http public URL: a browser ignores it over http anyway,
// and an instance reached by http must stay reachable.
import type { Config } from '../config.ts';

/** One year; no includeSubDomains (the instance does not own its sibling hosts) and no preload. */
export const STRICT_TRANSPORT_SECURITY = 'max-age=31536000';

/** Adds headers to a response; `request` (the one it answers) is given where known. */
export type ResponseDecorator = (response: Response, request?: Request) => Response;

/**
 * What the decoration adds to a response that has none of it yet, in its order: for answers whose headers are
 * built once and reused (the presence reads' ready answers), which then need no decoration per response.
 */
export function decorationHeaders(config: Pick<Config, 'publicUrl'>): Record<string, string> {
  const https = config.publicUrl !== null && new URL(config.publicUrl).protocol === 'https:';
  return { 'x-content-type-options': 'nosniff', ...(https ? { 'strict-transport-security': STRICT_TRANSPORT_SECURITY } : {}) };
}

export function responseHeaders(config: Pick<Config, 'publicUrl'>): ResponseDecorator {
  const https = config.publicUrl !== null && new URL(config.publicUrl).protocol === 'https:';
  return (response) => {
    const headers = response.headers;
    if (!headers.has('x-content-type-options')) headers.set('X-Content-Type-Options', 'nosniff');
    if (https) headers.set('Strict-Transport-Security', STRICT_TRANSPORT_SECURITY);
    return response;
  };
}

type NativeHandler<R, S> = (request: R, server: S) => Response | Promise<Response>;

/**
 * The same routes (Bun.serve's `routes`), each handler's response passed through the decorator `decorateFor` made
 * for its path, once per path (what depends only on the route, such as its metrics class, is worked out there).
 */
export function decorateRoutes<T extends Record<string, Record<string, NativeHandler<never, never>>>>(
  routes: T,
  decorateFor: (path: string) => ResponseDecorator,
): T {
  const decorated: Record<string, Record<string, NativeHandler<Request, unknown>>> = {};
  for (const [path, methods] of Object.entries(routes)) {
    decorated[path] = {};
    const decorate = decorateFor(path);
    for (const [method, handler] of Object.entries(methods) as [string, NativeHandler<Request, unknown>][]) {
      decorated[path][method] = (request, server) => {
        const response = handler(request, server);
        return response instanceof Promise ? response.then((r) => decorate(r, request)) : decorate(response, request);
      };
    }
  }
  // Same paths, methods and handler signatures as given: only the responses are decorated.
  return decorated as unknown as T;
}

/**
 * The same routes, each handler's response counted by the counter `countFor` made for its path, and otherwise
 * untouched: for routes whose handlers answer final responses (decorated where needed by themselves).
 */
export function countRoutes<T extends Record<string, Record<string, NativeHandler<never, never>>>>(
  routes: T,
  countFor: (path: string) => (request: Request, status: number) => void,
): T {
  return decorateRoutes(routes, (path) => {
    const count = countFor(path);
    return (response, request) => {
      if (request) count(request, response.status);
      return response;
    };
  });
}

// The public presence reads websites hammer — GET /user/:id, Lanyard's GET /v1/users/:id and the card — on Bun's
// native router, without a framework in between: a Map lookup, the rate limit when it is on, and ready bytes with
// headers built once per answer. Only the plain public read is answered here; anything else (a token, a query,
// an unknown user, a budget counted in Redis...) is handed, untouched, to `elsewhere` (the Elysia app, which
// still serves every face and documents it), so errors and edge cases keep exactly one implementation.
// /user/:id answers its errors itself, as it did before the others moved here.

import type { Server } from 'bun';
import { originRecorder } from '../../http/client-address.ts';
import type { RouteDeps } from '../../http/guard.ts';
import { decorationHeaders } from '../../http/response-headers.ts';
import { lanyardErrorResponse } from '../lanyard/index.ts';
import { lanyardPresence } from '../lanyard/serializers.ts';
import { CARD_HEADERS, presenceErrorResponse, presenceReaders } from './index.ts';
import { CORS_HEADERS, faceDeps, PresenceError, rateLimit, toPresenceError } from './presence-http.ts';
import { answerResponse, LIVE_CACHE_CONTROL, notModified, type ReadyAnswer, ReadyAnswers, readyAnswer } from './ready-answers.ts';

type Handler<P extends string> = (request: Bun.BunRequest<P>, server: Server<unknown>) => Response | Promise<Response>;
/** The app's own answer to a request (undecorated: the native route's decoration applies once). */
export type Elsewhere = (request: Request, server: Server<unknown>) => Promise<Response | undefined>;

const SNOWFLAKE = /^\d{1,20}$/;
const JSON_HEADERS = { ...CORS_HEADERS, 'cache-control': LIVE_CACHE_CONTROL, 'content-type': 'application/json' };

/**
 * An answer's response headers when they are the same for every request (no rate-limit counts): built once per
 * answer, since Bun copies a Headers object into a Response several times faster than it reads a plain object.
 * Each answer belongs to one face, so its headers are always that face's.
 */
const prepared = new WeakMap<ReadyAnswer, { ok: Headers; notModified: Headers }>();

/**
 * A ready answer with headers fixed per answer. They end with what the server's decoration adds (`decoration`:
 * nosniff, and HSTS behind https), in its order, so these responses are final: the route does not decorate them.
 */
function fixedResponse(answer: ReadyAnswer, ifNoneMatch: string | null, fixed: Record<string, string>, decoration: Record<string, string>): Response {
  let headers = prepared.get(answer);
  if (!headers) {
    const { 'content-type': _, ...rest } = fixed;
    const last = { etag: answer.etag, ...decoration };
    headers = { ok: new Headers({ ...fixed, ...last }), notModified: new Headers({ ...rest, ...last }) };
    prepared.set(answer, headers);
  }
  return notModified(ifNoneMatch, answer.etag)
    ? new Response(null, { status: 304, headers: headers.notModified })
    : new Response(answer.body, { headers: headers.ok });
}

/**
 * The routes answer final responses: every one but a fixed ready answer (which carries them already) goes through
 * `decorate` (the server's response headers) here.
 */
export function presenceFastRoutes(deps: Pick<RouteDeps, 'core' | 'limiter'>, elsewhere: Elsewhere, decorate: (response: Response) => Response) {
  const decoration = decorationHeaders(deps.core.config);
  const decorated = (response: Response | Promise<Response>) => (response instanceof Promise ? response.then(decorate) : decorate(response));
  const face = faceDeps(deps);
  const recordOrigin = originRecorder(deps.core.config);
  const readers = presenceReaders(deps.core);
  const directory = deps.core.services.presenceDirectory;
  const lanyard = new ReadyAnswers<ReadyAnswer>(directory);
  const buildLanyard = (id: string) => {
    const snapshot = directory.snapshot(id, false);
    return snapshot ? readyAnswer(JSON.stringify({ success: true, data: lanyardPresence(snapshot) })) : null;
  };
  const handOn = (request: Request, server: Server<unknown>) =>
    elsewhere(request, server).then((response) => decorate(response ?? new Response(null, { status: 404 })));

  /**
   * The plain public read of a face: `answer` is null (and the request handed on) for anything but a monitored
   * user. With rate limits off the headers are fixed per answer; with them on, they carry this address's counts.
   */
  function publicRead<P extends string>(
    fixed: Record<string, string>,
    answer: (request: Bun.BunRequest<P>) => ReadyAnswer | Promise<ReadyAnswer> | null,
    error: (e: PresenceError) => Response,
  ): Handler<P> {
    return (request, server) => {
      // Budgets counted in Redis (a cluster) stay with the app's own route; so does any owner's read.
      if (face.limiter.shared || request.headers.has('authorization')) return handOn(request, server);
      const ready = answer(request);
      if (!ready) return handOn(request, server);
      const ifNoneMatch = request.headers.get('if-none-match');
      if (!face.limiter.enabled)
        return ready instanceof Promise
          ? ready.then((a) => fixedResponse(a, ifNoneMatch, fixed, decoration))
          : fixedResponse(ready, ifNoneMatch, fixed, decoration);
      recordOrigin(request, server);
      const headers: Record<string, string | number> = { ...fixed };
      try {
        // Synchronous here (it returns a promise only for shared budgets, handed on above); throws when over budget.
        void rateLimit(face, request, headers);
      } catch (e) {
        return decorate(error(e instanceof PresenceError ? e : toPresenceError('UNKNOWN', e)));
      }
      return decorated(ready instanceof Promise ? ready.then((a) => answerResponse(a, ifNoneMatch, headers)) : answerResponse(ready, ifNoneMatch, headers));
    };
  }

  const cardHeaders = { ...CORS_HEADERS, ...CARD_HEADERS };
  return {
    '/user/:id': {
      GET: userRead(deps, readers.user, decoration, decorated),
    },
    '/v1/users/:id': {
      GET: publicRead<'/v1/users/:id'>(
        JSON_HEADERS,
        (request) => (SNOWFLAKE.test(request.params.id) ? lanyard.get(request.params.id, 'lanyard', () => buildLanyard(request.params.id)) : null),
        lanyardErrorResponse,
      ),
    },
    '/user/:id/card.svg': {
      GET: publicRead<'/user/:id/card.svg'>(
        cardHeaders,
        // The theme comes in a query string: those requests (and their validation) stay with the app.
        (request) => (SNOWFLAKE.test(request.params.id) && !request.url.includes('?') ? readers.card(request.params.id, 'dark') : null),
        presenceErrorResponse,
      ),
    },
  };
}

/** `GET /user/:id`: every answer here, errors included (the same as the Elysia route's, which serves it under a path prefix). */
function userRead(
  deps: Pick<RouteDeps, 'core' | 'limiter'>,
  read: ReturnType<typeof presenceReaders>['user'],
  decoration: Record<string, string>,
  decorated: (response: Response | Promise<Response>) => Response | Promise<Response>,
): Handler<'/user/:id'> {
  const face = faceDeps(deps);
  const recordOrigin = originRecorder(deps.core.config);
  return (request, server) => {
    const fail = (error: unknown) => presenceErrorResponse(toPresenceError('UNKNOWN', error));
    try {
      if (!SNOWFLAKE.test(request.params.id)) throw new PresenceError(400, 'invalid_request', 'id: must be a snowflake (1-20 digits)');
      const authorization = request.headers.get('authorization') ?? undefined;
      const ifNoneMatch = request.headers.get('if-none-match');
      // With rate limits off nothing reads the client's address, and the headers are the same for everyone: a
      // fixed ready answer, final as it is. Everything else gets the server's headers.
      if (!face.limiter.enabled && authorization === undefined) return fixedResponse(read(request.params.id, undefined), ifNoneMatch, JSON_HEADERS, decoration);
      recordOrigin(request, server);
      const headers: Record<string, string | number> = { ...JSON_HEADERS };
      const respond = () => answerResponse(read(request.params.id, authorization), ifNoneMatch, headers);
      const limited = rateLimit(face, request, headers);
      // A promise only on a node of a cluster (the budget is counted in Redis); one node answers synchronously.
      if (limited !== undefined) return decorated(limited.then(respond).catch(fail));
      return decorated(respond());
    } catch (error) {
      return decorated(fail(error));
    }
  };
}

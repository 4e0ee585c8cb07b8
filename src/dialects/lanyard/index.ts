// The Lanyard-compatible REST face (/v1/users/...): Lanyard's {success, data} / {success: false, error}
// envelopes and its K/V routes with the API key in Authorization, over the same directory as /user/:id.
import { Elysia, t } from 'elysia';
import type { KvRule } from '../../domain/presence/kv-rules.ts';
import { jsonResponse } from '../../http/error-response.ts';
import type { RouteDeps } from '../../http/guard.ts';
import { Snowflake } from '../../http/schemas.ts';
import { PRESENCE_TOKEN } from '../presence/index.ts';
import {
  CORS_HEADERS,
  faceDeps,
  kvError,
  notMonitored,
  PresenceError,
  rateLimit,
  readJson,
  readValue,
  requireOwner,
  tokenOwner,
  toPresenceError,
} from '../presence/presence-http.ts';
import { answerResponse, LIVE_CACHE_CONTROL, type ReadyAnswer, ReadyAnswers, readyAnswer } from '../presence/ready-answers.ts';
import { lanyardPresence } from './serializers.ts';

/** Lanyard's error envelope; a 429 also carries `retry_after`. */
export function lanyardErrorResponse(error: PresenceError): Response {
  const body: Record<string, unknown> = { success: false, error: { code: error.code, message: error.message } };
  if (error.retryAfter !== undefined) body.retry_after = error.retryAfter;
  return jsonResponse(error.status, body, { ...CORS_HEADERS, ...error.headers });
}

const KV_RULES: ReadonlySet<string> = new Set<KvRule>(['invalid_key', 'invalid_value', 'value_too_long', 'too_many_keys', 'invalid_patch']);

// Lanyard's own codes where it has one: no_permission for a bad key, kv_validation_failed for a broken K/V
// rule (the message still names the rule).
function lanyardError(error: unknown): PresenceError {
  if (!(error instanceof PresenceError)) return toPresenceError('UNKNOWN', error);
  if (error.status === 401 || error.status === 403) return new PresenceError(error.status, 'no_permission', error.message, error.headers);
  if (error.status === 400 && KV_RULES.has(error.code)) return new PresenceError(400, 'kv_validation_failed', error.message, error.headers);
  return error;
}

const IdOrMe = t.Union([Snowflake, t.Literal('@me')], { description: 'A user id, or @me for the API key owner' });
const KeyParams = t.Object({ id: IdOrMe, key: t.String({ description: 'A key: 1-255 of a-z, A-Z, 0-9, _' }) });
const TAGS = ['Lanyard-compatible'];

export function lanyardApi({ core, limiter }: RouteDeps) {
  const directory = core.services.presenceDirectory;
  const face = faceDeps({ core, limiter });

  // The public answer is kept ready as bytes per user (see ready-answers.ts); the owner's own (private keys) is built each time.
  const ready = new ReadyAnswers<ReadyAnswer>(directory);
  const build = (userId: string, includePrivate: boolean) => {
    const snapshot = directory.snapshot(userId, includePrivate);
    return snapshot ? readyAnswer(JSON.stringify({ success: true, data: lanyardPresence(snapshot) })) : null;
  };

  /** Lanyard's success envelope, with an ETag and no-cache: presence is live, so clients revalidate. */
  const ok = (set: { headers: Record<string, string | number> }, ifNoneMatch: string | undefined, userId: string, includePrivate: boolean) => {
    const answer = includePrivate ? build(userId, true) : ready.get(userId, 'lanyard', () => build(userId, false));
    if (!answer) throw notMonitored();
    set.headers['cache-control'] = LIVE_CACHE_CONTROL;
    set.headers['content-type'] = 'application/json';
    return answerResponse(answer, ifNoneMatch, set.headers);
  };

  const guarded = <T>(work: () => T): T => {
    try {
      return work();
    } catch (error) {
      throw lanyardError(error);
    }
  };

  return new Elysia({ normalize: false, detail: { tags: TAGS } })
    .onError(({ code, error }) => lanyardErrorResponse(toPresenceError(code, error)))
    .options('/v1/*', () => new Response(null, { status: 204, headers: CORS_HEADERS }), { detail: { hide: true } })
    .onTransform(({ request, set }) => {
      Object.assign(set.headers, CORS_HEADERS);
      return rateLimit(face, request, set.headers);
    })
    .get(
      '/v1/users/@me',
      ({ headers, set }) =>
        guarded(() => {
          const owner = tokenOwner(directory, headers.authorization);
          if (owner === null) throw new PresenceError(401, 'no_permission', 'You do not have permission to access this resource');
          return ok(set, headers['if-none-match'], owner, true);
        }),
      { detail: { summary: "The API key owner's presence (private keys included)", security: PRESENCE_TOKEN } },
    )
    .get(
      '/v1/users/:id',
      ({ params, headers, set }) =>
        guarded(() => {
          const owner = tokenOwner(directory, headers.authorization);
          return ok(set, headers['if-none-match'], params.id, owner === params.id);
        }),
      {
        params: t.Object({ id: Snowflake }),
        detail: {
          summary: "A user's presence in Lanyard's shape",
          description:
            '`{success: true, data: {discord_user, discord_status, activities, spotify, listening_to_spotify, kv, active_on_discord_web, ' +
            'active_on_discord_desktop, active_on_discord_mobile, last_seen}}`; 404 `user_not_monitored` until the user opts in. ' +
            '`Cache-Control: no-cache` with a strong ETag: `If-None-Match` gets a bodyless 304 while the answer is unchanged.',
          security: [{}, ...PRESENCE_TOKEN],
        },
      },
    )
    .put(
      '/v1/users/:id/kv/:key',
      async ({ params, headers, request, set }) => {
        const owner = guarded(() => requireOwner(directory, headers.authorization, params.id));
        // Lanyard stores the raw body as the value, whatever its content type.
        const value = await readValue(request, false);
        const result = await directory.setKv(owner, params.key, value);
        if (!result.ok) throw lanyardError(kvError(result));
        set.status = 204;
      },
      { params: KeyParams, parse: 'none', detail: { summary: 'Set one key (the raw body is the value); 204', security: PRESENCE_TOKEN } },
    )
    .patch(
      '/v1/users/:id/kv',
      async ({ params, headers, request, set }) => {
        const owner = guarded(() => requireOwner(directory, headers.authorization, params.id));
        const patch = await readJson(request).catch(() => {
          throw new PresenceError(400, 'invalid_kv_value', 'body must be an object');
        });
        const result = await directory.mergeKv(owner, patch);
        if (!result.ok) throw lanyardError(result.rule === 'invalid_patch' ? new PresenceError(400, 'invalid_kv_value', result.error) : kvError(result));
        set.status = 204;
      },
      {
        params: t.Object({ id: IdOrMe }),
        parse: 'none',
        detail: { summary: 'Merge a flat object of string values, all-or-nothing; 204', security: PRESENCE_TOKEN },
      },
    )
    .delete(
      '/v1/users/:id/kv/:key',
      async ({ params, headers, set }) => {
        const owner = guarded(() => requireOwner(directory, headers.authorization, params.id));
        const result = await directory.deleteKv(owner, params.key);
        if (!result.ok) throw lanyardError(kvError(result));
        set.status = 204;
      },
      { params: KeyParams, detail: { summary: 'Delete one key; 204', security: PRESENCE_TOKEN } },
    )
    .all(
      '/v1/*',
      ({ request }) => {
        throw toPresenceError('NOT_FOUND', request);
      },
      { detail: { hide: true } },
    );
}

// What the two public presence faces (the seed's /user and Lanyard's /v1) share over HTTP: open CORS, the
// per-address rate limit, API-token checks and one error type with a string code. Each face turns the
// error into its own JSON envelope; nothing here builds a body.

import type { KvRule } from '../../domain/presence/kv-rules.ts';
import type { PresenceDirectory } from '../../domain/presence/presence-directory.ts';
import { clientAddress } from '../../http/client-address.ts';
import type { RouteDeps } from '../../http/guard.ts';
import { tokenFrom } from '../../http/guard.ts';
import { parseJsonBody } from '../../http/json-body.ts';
import { checkPublicRequest, checkSharedPublicRequest, type PublicRateLimits, publicRateLimits } from '../../http/public-rate-limit.ts';
import type { RateLimiter } from '../../http/rate-limit.ts';
import type { RestRateLimitResult } from '../../http/rest-rate-limit.ts';
import { storageFailure } from '../../http/storage-failure.ts';

/** An error of a presence face: HTTP status, a snake_case code, a message, and headers to send with it. */
export class PresenceError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
    /** Seconds to wait, on a 429. */
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

export const notMonitored = () => new PresenceError(404, 'user_not_monitored', 'User is not being monitored: they have not opted in to the presence API');

/** Websites read presence from the browser, from any origin; nothing here uses cookies. */
export const CORS_HEADERS: Record<string, string> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, PUT, PATCH, DELETE, OPTIONS',
  'Access-Control-Allow-Headers': 'Authorization, Content-Type',
  'Access-Control-Expose-Headers': 'Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, X-RateLimit-Reset-After, X-RateLimit-Bucket',
  'Access-Control-Max-Age': '86400',
};

export type FaceDeps = { directory: PresenceDirectory; limiter: RateLimiter; limits: PublicRateLimits };

/** The deps every presence face (the seed's /user, Lanyard's /v1) is built from. */
export function faceDeps({ core, limiter }: Pick<RouteDeps, 'core' | 'limiter'>): FaceDeps {
  return { directory: core.services.presenceDirectory, limiter, limits: publicRateLimits(core.config.presenceRateLimit, core.config.presenceRateBurst) };
}

/**
 * Counts the request against its address's budget; adds the rate-limit headers or throws a 429. Asynchronous (a
 * promise) only on a node of a cluster, where the budget is counted in Redis.
 */
export function rateLimit({ limiter, limits }: FaceDeps, request: Request, headers: Record<string, string | number>): void | Promise<void> {
  const apply = (result: RestRateLimitResult) => {
    if (!result.allowed) {
      throw new PresenceError(429, 'rate_limited', 'You are being rate limited.', { ...CORS_HEADERS, ...result.headers }, result.retryAfter);
    }
    if (result.headers) Object.assign(headers, result.headers);
  };
  if (limiter.shared) return checkSharedPublicRequest(limiter, clientAddress(request), limits).then(apply);
  apply(checkPublicRequest(limiter, clientAddress(request), limits));
}

/**
 * The API token's owner, from `Authorization: <token>` or `Bearer <token>`; null when no header was sent.
 * A header that carries no valid token is a 401, never silently ignored.
 */
export function tokenOwner(directory: PresenceDirectory, header: string | undefined): string | null {
  if (header === undefined || header.trim() === '') return null;
  const owner = directory.userForToken(tokenFrom(header));
  if (!owner) throw new PresenceError(401, 'invalid_api_key', 'The API token is missing, malformed or revoked');
  return owner;
}

/** For writes: the token must be there and belong to `userId` (`@me` means the token's owner). */
export function requireOwner(directory: PresenceDirectory, header: string | undefined, userId: string): string {
  const owner = tokenOwner(directory, header);
  if (owner === null) throw new PresenceError(401, 'invalid_api_key', 'This endpoint needs your API token: Authorization: <token>');
  if (userId !== '@me' && userId !== owner) throw new PresenceError(403, 'forbidden', "This API token cannot change another user's K/V");
  if (!directory.isMonitored(owner)) throw notMonitored();
  return owner;
}

export function kvError(check: { rule: KvRule; error: string }): PresenceError {
  return new PresenceError(400, check.rule, `${check.error} (${check.rule})`);
}

/** Elysia's own failures (bad params, bad JSON, no route, a bug) as presence errors; bugs are logged, not echoed. */
export function toPresenceError(code: string | number, error: unknown): PresenceError {
  if (error instanceof PresenceError) return error;
  switch (code) {
    case 'VALIDATION': {
      const summary = (error as { valueError?: { path?: string; message?: string } }).valueError;
      const where = summary?.path ? `${summary.path.replace(/^\//, '')}: ` : '';
      return new PresenceError(400, 'invalid_request', `${where}${summary?.message ?? 'invalid request'}`);
    }
    case 'PARSE':
      return new PresenceError(400, 'invalid_json', 'The request body is not valid JSON');
    case 'NOT_FOUND':
      return new PresenceError(404, 'not_found', 'Route does not exist');
  }
  const storage = storageFailure(error);
  if (storage) {
    console.error(`storage failure: ${storage.status} ${error instanceof Error ? error.message : String(error)}`);
    return new PresenceError(storage.status, storage.status === 507 ? 'insufficient_storage' : 'storage_unavailable', storage.message, storage.headers);
  }
  console.error('unexpected error:', error instanceof Error ? (error.stack ?? error.message) : error);
  return new PresenceError(500, 'internal_error', 'Internal Server Error');
}

/** `PUT .../kv/:key` bodies: raw text, or JSON `{"value": "..."}` when sent as application/json. */
export async function readValue(request: Request, json: boolean): Promise<unknown> {
  const text = await request.text();
  if (!json || !/^application\/json\b/i.test(request.headers.get('content-type') ?? '')) return text;
  const body = parseJson(text);
  if (typeof body !== 'object' || body === null || Array.isArray(body) || !Object.hasOwn(body, 'value')) {
    throw new PresenceError(400, 'invalid_value', 'A JSON body must be {"value": "<string>"}; send text/plain to store raw text');
  }
  return (body as { value: unknown }).value;
}

export async function readJson(request: Request): Promise<unknown> {
  return parseJson(await request.text());
}

/** JSON with the API's nesting limit (see http/json-body.ts); too deep is invalid JSON here too. */
function parseJson(text: string): unknown {
  try {
    return parseJsonBody(text);
  } catch {
    throw new PresenceError(400, 'invalid_json', 'The request body is not valid JSON');
  }
}

// Every default limit in one table: the seed's REST limits for bots, a roomier global bucket for humans, and the
// login and gateway limits. Pass a different RestRateLimits (or rule) to change them.
import type { RateLimitRule } from './rate-limit.ts';

/** REST limits: a rule per route key (`METHOD /path/:id`, see routeKey), a fallback, and one global bucket per caller. */
export type RestRateLimits = {
  readonly routes: Readonly<Record<string, RateLimitRule>>;
  /** Any route not in `routes`; each such route still gets its own bucket. */
  readonly fallback: RateLimitRule;
  readonly global: RateLimitRule;
};

const SECOND = 1000;
const MINUTE = 60 * SECOND;

/** The seed's table, which limits bots. */
export const DEFAULT_RATE_LIMITS: RestRateLimits = {
  routes: {
    'POST /channels/:id/messages': { limit: 5, windowMs: SECOND, name: 'POST /channels/:id/messages' },
    'GET /channels/:id/messages': { limit: 10, windowMs: SECOND, name: 'GET /channels/:id/messages' },
  },
  fallback: { limit: 10, windowMs: SECOND, name: 'route' },
  global: { limit: 50, windowMs: MINUTE, name: 'global' },
};

/**
 * Humans (the web app) share the route limits, but 50 requests a minute would stall a page that loads a guild, its
 * channels and their history, so their global bucket is Discord's own: 50 a second.
 */
export const DEFAULT_USER_RATE_LIMITS: RestRateLimits = {
  ...DEFAULT_RATE_LIMITS,
  global: { limit: 50, windowMs: SECOND, name: 'global-user' },
};

/**
 * Logins, keyed by the trusted client address: slows password guessing without bothering a person who mistypes.
 * Each account also has its own backoff (login-backoff.ts), which address rotation does not get around.
 */
export const LOGIN_RATE_LIMIT: RateLimitRule = { limit: 10, windowMs: MINUTE, name: 'login' };

/** Sign-ups, keyed by the trusted client address, in a bucket of their own so they never use up logins. */
export const REGISTER_RATE_LIMIT: RateLimitRule = { limit: 10, windowMs: 60 * MINUTE, name: 'register' };

/** Gateway frames a client may send, keyed by session id; heartbeats count (one per ~41 s is far below this). */
export const GATEWAY_FRAME_RATE_LIMIT: RateLimitRule = { limit: 120, windowMs: MINUTE, name: 'gateway-frame' };

/** IDENTIFY attempts, keyed by the token's digest (never the raw token, which must not sit in memory as a key). */
export const IDENTIFY_RATE_LIMIT: RateLimitRule = { limit: 10, windowMs: 5 * SECOND, name: 'gateway-identify' };

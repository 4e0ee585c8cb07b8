// The REST policy on top of the engine: a per-caller route bucket (split by major parameter) plus a per-caller
// global bucket, answered with the headers @discordjs/rest reads. Pure: the HTTP layer only copies the result out.

import type { RateLimitDecision, RateLimiter, RateLimitRule } from './rate-limit.ts';
import { DEFAULT_RATE_LIMITS, type RestRateLimits } from './rate-limit-rules.ts';

/** Sent with every rate-limited REST answer; always the route bucket's state, never the global one's. */
export type RateLimitHeaders = {
  'X-RateLimit-Limit': string;
  'X-RateLimit-Remaining': string;
  /** Epoch seconds, fractional (ms). */
  'X-RateLimit-Reset': string;
  /** Seconds, fractional (ms). */
  'X-RateLimit-Reset-After': string;
  'X-RateLimit-Bucket': string;
};

/** A 429's headers: the route bucket's, plus when to retry and which limit was hit. */
export type RateLimitedHeaders = RateLimitHeaders & {
  /** Seconds, fractional (ms); discord.js reads it as a float. */
  'Retry-After': string;
  'X-RateLimit-Scope': 'user' | 'global';
  /** Present only when the global bucket is the one exhausted: discord.js treats its mere presence as global. */
  'X-RateLimit-Global'?: 'true';
};

export type RestRateLimitResult =
  /** headers is null when rate limits are off (HARMONY_RATE_LIMITS=off): send none. */
  | { allowed: true; headers: RateLimitHeaders | null }
  /** retryAfter in seconds; the 429 body is `{ message, retry_after: retryAfter, global }`. */
  | { allowed: false; global: boolean; retryAfter: number; headers: RateLimitedHeaders };

const UNLIMITED: RestRateLimitResult = Object.freeze({ allowed: true, headers: null });

/**
 * Counts one REST request by `callerId` (a bot or user id) to `routeKey` (see routeKey) on `majorParam` (the
 * channel, guild or webhook id in the path, or null). Both buckets must have room; a denial consumes neither.
 * Pass DEFAULT_USER_RATE_LIMITS for humans.
 */
export function checkRequest(
  limiter: RateLimiter,
  callerId: string,
  routeKey: string,
  majorParam: string | null,
  rules: RestRateLimits = DEFAULT_RATE_LIMITS,
): RestRateLimitResult {
  if (!limiter.enabled) return UNLIMITED;
  const routeRule = ruleFor(rules, routeKey);
  const routeBucketKey = majorParam === null ? callerId : `${callerId}\u0000${majorParam}`;

  const global = limiter.peek(callerId, rules.global);
  if (!global.allowed) return denied(limiter.peek(routeBucketKey, routeRule), global.resetAfter, true);

  const route = limiter.take(routeBucketKey, routeRule);
  if (!route.allowed) return denied(route, route.resetAfter, false);
  // Cannot be denied: the peek above saw room and nothing runs in between.
  limiter.take(callerId, rules.global);
  return { allowed: true, headers: headersOf(route) };
}

/**
 * checkRequest for a node of a cluster (limiter.shared set): the same buckets, counted in Redis so every node
 * counts into them. Between the peek and the takes another node may count too; the route take is atomic, so a
 * bucket is never overshot, and the global one by at most one request per node at its edge.
 */
export async function checkSharedRequest(
  limiter: RateLimiter,
  callerId: string,
  routeKey: string,
  majorParam: string | null,
  rules: RestRateLimits = DEFAULT_RATE_LIMITS,
): Promise<RestRateLimitResult> {
  if (!limiter.enabled) return UNLIMITED;
  const routeRule = ruleFor(rules, routeKey);
  const routeBucketKey = majorParam === null ? callerId : `${callerId}\u0000${majorParam}`;
  const global = await limiter.peekShared(callerId, rules.global);
  if (!global.allowed) return denied(await limiter.peekShared(routeBucketKey, routeRule), global.resetAfter, true);
  const route = await limiter.takeShared(routeBucketKey, routeRule);
  if (!route.allowed) return denied(route, route.resetAfter, false);
  await limiter.takeShared(callerId, rules.global);
  return { allowed: true, headers: headersOf(route) };
}

// Route keys by method and template: every request asks, and the templates are the app's routes (a bounded set).
const routeKeys = new Map<string, string>();

/** `POST`, `/api/v10/channels/:channel_id/messages` -> `POST /channels/:id/messages`, the form rule tables use. */
export function routeKey(method: string, template: string): string {
  const asked = `${method} ${template}`;
  let key = routeKeys.get(asked);
  if (key === undefined) {
    key = `${method.toUpperCase()} ${template.replace(/^\/api\/v\d+(?=\/)/, '').replace(/:[^/]+/g, ':id')}`;
    routeKeys.set(asked, key);
  }
  return key;
}

// Routes without a rule of their own each get a copy of the fallback named after the route, so they count (and hash)
// separately, as on Discord. Copies are made once per rules table and route, up to a bound against odd route keys.
const MAX_DERIVED_RULES = 1024;
const derived = new WeakMap<RestRateLimits, Map<string, RateLimitRule>>();

function ruleFor(rules: RestRateLimits, key: string): RateLimitRule {
  if (Object.hasOwn(rules.routes, key)) return rules.routes[key] as RateLimitRule;
  let copies = derived.get(rules);
  if (copies === undefined) {
    copies = new Map();
    derived.set(rules, copies);
  }
  let rule = copies.get(key);
  if (rule === undefined) {
    rule = { limit: rules.fallback.limit, windowMs: rules.fallback.windowMs, name: `${rules.fallback.name} ${key}` };
    if (copies.size < MAX_DERIVED_RULES) copies.set(key, rule);
  }
  return rule;
}

function headersOf(d: RateLimitDecision): RateLimitHeaders {
  return {
    'X-RateLimit-Limit': String(d.limit),
    'X-RateLimit-Remaining': String(d.remaining),
    'X-RateLimit-Reset': String(Math.ceil(d.resetAt) / 1000),
    'X-RateLimit-Reset-After': String(d.resetAfter),
    'X-RateLimit-Bucket': d.bucket,
  };
}

// Even a global 429 carries the route bucket's headers: discord.js files every X-RateLimit-Bucket under the route,
// so sending the global bucket's hash would merge all routes into one queue on the client.
function denied(route: RateLimitDecision, retryAfter: number, global: boolean): RestRateLimitResult {
  const headers: RateLimitedHeaders = {
    ...headersOf(route),
    'Retry-After': String(retryAfter),
    // Discord's documented values: `global` for the per-caller global limit, `user` for a per-caller route limit.
    'X-RateLimit-Scope': global ? 'global' : 'user',
  };
  if (global) headers['X-RateLimit-Global'] = 'true';
  return { allowed: false, global, retryAfter, headers };
}

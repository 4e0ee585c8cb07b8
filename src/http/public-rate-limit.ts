// Per-address limits for the public presence faces (/user/..., /v1/...): a per-minute budget plus a
// per-second burst cap, as the hosted presence API documents (120/min, 3/s). Answers with the same
// X-RateLimit-* headers as the bot API; a denial consumes neither bucket.
import type { RateLimitDecision, RateLimiter, RateLimitRule } from './rate-limit.ts';
import type { RateLimitedHeaders, RateLimitHeaders, RestRateLimitResult } from './rest-rate-limit.ts';

export type PublicRateLimits = { readonly perMinute: RateLimitRule; readonly perSecond: RateLimitRule };

export function publicRateLimits(perMinute: number, perSecond: number): PublicRateLimits {
  return {
    perMinute: { limit: perMinute, windowMs: 60_000, name: 'presence-minute' },
    perSecond: { limit: perSecond, windowMs: 1000, name: 'presence-second' },
  };
}

/** Counts one request from `address`. The headers describe the per-minute bucket unless the burst cap refused. */
export function checkPublicRequest(limiter: RateLimiter, address: string, rules: PublicRateLimits): RestRateLimitResult {
  if (!limiter.enabled) return { allowed: true, headers: null };
  const second = limiter.peek(address, rules.perSecond);
  if (!second.allowed) return denied(second);
  const minute = limiter.take(address, rules.perMinute);
  if (!minute.allowed) return denied(minute);
  // Cannot be denied: the peek above saw room and nothing runs in between.
  limiter.take(address, rules.perSecond);
  return { allowed: true, headers: headersOf(minute) };
}

/** checkPublicRequest counted in Redis, for a node of a cluster (limiter.shared set): every node counts into one budget. */
export async function checkSharedPublicRequest(limiter: RateLimiter, address: string, rules: PublicRateLimits): Promise<RestRateLimitResult> {
  if (!limiter.enabled) return { allowed: true, headers: null };
  const second = await limiter.peekShared(address, rules.perSecond);
  if (!second.allowed) return denied(second);
  const minute = await limiter.takeShared(address, rules.perMinute);
  if (!minute.allowed) return denied(minute);
  await limiter.takeShared(address, rules.perSecond);
  return { allowed: true, headers: headersOf(minute) };
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

function denied(d: RateLimitDecision): RestRateLimitResult {
  const headers: RateLimitedHeaders = { ...headersOf(d), 'Retry-After': String(d.resetAfter), 'X-RateLimit-Scope': 'user' };
  return { allowed: false, global: false, retryAfter: d.resetAfter, headers };
}

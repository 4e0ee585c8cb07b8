// Executing a webhook has no account to count against: each webhook has its own bucket, Discord's 5 per 2 seconds,
// shared by whoever holds its token. Both dialects' execute routes count through here.
import type { RateLimiter, RateLimitRule } from './rate-limit.ts';
import { RateLimitedError } from './rate-limited-error.ts';

export const WEBHOOK_EXECUTE_RATE_LIMIT: RateLimitRule = { limit: 5, windowMs: 2000, name: 'POST /webhooks/:id/:token' };

/** Counts one execute of `webhookId`: the headers to send, or a 429 thrown (scope `shared`, as Discord names it). */
export function countWebhookExecute(limiter: RateLimiter, webhookId: string): Record<string, string> {
  if (!limiter.enabled) return {};
  const decision = limiter.take(`webhook:${webhookId}`, WEBHOOK_EXECUTE_RATE_LIMIT);
  const headers = {
    'X-RateLimit-Limit': String(decision.limit),
    'X-RateLimit-Remaining': String(decision.remaining),
    'X-RateLimit-Reset': String(Math.ceil(decision.resetAt) / 1000),
    'X-RateLimit-Reset-After': String(decision.resetAfter),
    'X-RateLimit-Bucket': decision.bucket,
  };
  if (!decision.allowed)
    throw new RateLimitedError(decision.resetAfter, false, { ...headers, 'Retry-After': String(decision.resetAfter), 'X-RateLimit-Scope': 'shared' });
  return headers;
}

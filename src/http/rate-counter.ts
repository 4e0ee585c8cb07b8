// Where rate-limit windows are counted: in this process (one node, the default) or in Redis (every node counts
// into the same windows, so a limit is one limit however many nodes serve the caller). The port is one atomic
// step, "count a hit unless the window is full", so two nodes can never both take the last slot.
import type { Redis } from '../cluster/redis.ts';
import { DEFAULT_KEY_PREFIX } from '../cluster/redis.ts';
import { type Clock, systemClock } from '../domain/clock.ts';
import { bucketHash, type RateLimitDecision, type RateLimitRule } from './rate-limit.ts';
import type { LoginAttempts } from './shared-login-backoff.ts';

/** A window as it stands: hits counted and when it ends (ms since the epoch). */
export type CounterWindow = { count: number; resetAt: number };

export interface RateCounter {
  /**
   * Counts one hit in window `id` (which lasts `windowMs` from its first hit) unless it already holds `limit`.
   * `allowed` says whether this hit was counted; the window is returned as it stands after.
   */
  hit(id: string, limit: number, windowMs: number): Promise<CounterWindow & { allowed: boolean }>;
  /** The window as it stands, without counting (null: no live window). */
  peek(id: string): Promise<CounterWindow | null>;
}

/** Counts in this process's memory, bounded like RateLimiter (the least recently used window goes at the cap). */
export class MemoryRateCounter implements RateCounter {
  private readonly windows = new Map<string, CounterWindow>();

  constructor(
    private readonly clock: Clock = systemClock,
    private readonly maxWindows = 100_000,
  ) {}

  async hit(id: string, limit: number, windowMs: number): Promise<CounterWindow & { allowed: boolean }> {
    const now = this.clock.now();
    let w = this.live(id, now);
    if (w !== undefined && w.count >= limit) return { ...w, allowed: false };
    if (w === undefined) {
      if (limit <= 0) return { count: 0, resetAt: now + windowMs, allowed: false };
      w = { count: 0, resetAt: now + windowMs };
      if (this.windows.size >= this.maxWindows) this.evictOldest(now);
    }
    w.count++;
    this.windows.delete(id);
    this.windows.set(id, w);
    return { ...w, allowed: true };
  }

  async peek(id: string): Promise<CounterWindow | null> {
    const w = this.live(id, this.clock.now());
    return w === undefined ? null : { ...w };
  }

  private live(id: string, now: number): CounterWindow | undefined {
    const w = this.windows.get(id);
    if (w !== undefined && w.resetAt <= now) {
      this.windows.delete(id);
      return undefined;
    }
    return w;
  }

  private evictOldest(now: number): void {
    for (const [id, w] of this.windows) {
      this.windows.delete(id);
      if (w.resetAt > now) return;
    }
  }
}

// GET + (INCR, PEXPIRE on the first hit) in one script: atomic on the server, so concurrent hits from any number
// of nodes are counted exactly and a full window refuses without counting. Answers {count, ms left}.
const HIT = `
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
if count >= tonumber(ARGV[1]) then
  return {count, redis.call('PTTL', KEYS[1]), 0}
end
count = redis.call('INCR', KEYS[1])
if count == 1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return {count, tonumber(ARGV[2]), 1}
end
return {count, redis.call('PTTL', KEYS[1]), 1}`;

const PEEK = `return {tonumber(redis.call('GET', KEYS[1]) or '0'), redis.call('PTTL', KEYS[1])}`;

/**
 * Counts in Redis: one key per window (`<prefix>rl:<id>`) that expires with the window, so nothing needs sweeping.
 * The window's end is taken from the key's remaining lifetime, so nodes whose clocks differ still agree on it.
 */
export class RedisRateCounter implements RateCounter {
  constructor(
    private readonly redis: Redis,
    private readonly clock: Clock = systemClock,
    private readonly prefix = DEFAULT_KEY_PREFIX,
  ) {}

  async hit(id: string, limit: number, windowMs: number): Promise<CounterWindow & { allowed: boolean }> {
    if (limit <= 0) return { count: 0, resetAt: this.clock.now() + windowMs, allowed: false };
    const [count, left, allowed] = (await this.redis.eval(HIT, [this.key(id)], [limit, windowMs])) as number[];
    return { count: Number(count), resetAt: this.clock.now() + remaining(left, windowMs), allowed: allowed === 1 };
  }

  async peek(id: string): Promise<CounterWindow | null> {
    const [count, left] = (await this.redis.eval(PEEK, [this.key(id)], [])) as number[];
    if (!count || Number(left) <= 0) return null;
    return { count: Number(count), resetAt: this.clock.now() + Number(left) };
  }

  private key(id: string): string {
    return `${this.prefix}rl:${id}`;
  }
}

// PTTL is -1 for a key that lost its expiry (never, with the script above) and -2 for one that just expired.
const remaining = (left: number | undefined, windowMs: number) => (left === undefined || Number(left) < 0 ? windowMs : Number(left));

/**
 * RateLimiter's decisions over a RateCounter: the same fixed windows, rules and bucket hashes, asynchronous
 * because the counter may be shared. What the REST, login, IDENTIFY and public presence limits count through
 * when several nodes serve one instance.
 */
export class SharedRateLimiter {
  constructor(
    private readonly counter: RateCounter,
    private readonly clock: Clock = systemClock,
    readonly enabled = true,
    /** The per-account login backoff shared by the nodes (shared-login-backoff.ts), when there is one. */
    readonly loginBackoff: LoginAttempts | null = null,
  ) {}

  async take(key: string, rule: RateLimitRule): Promise<RateLimitDecision> {
    const now = this.clock.now();
    if (!this.enabled) return { allowed: true, limit: rule.limit, remaining: rule.limit, resetAt: now, resetAfter: 0, bucket: bucketHash(rule.name) };
    const w = await this.counter.hit(windowId(rule, key), rule.limit, rule.windowMs);
    return decision(w.allowed, rule, w.allowed ? rule.limit - w.count : 0, w.resetAt, now);
  }

  async peek(key: string, rule: RateLimitRule): Promise<RateLimitDecision> {
    const now = this.clock.now();
    if (!this.enabled) return { allowed: true, limit: rule.limit, remaining: rule.limit, resetAt: now, resetAfter: 0, bucket: bucketHash(rule.name) };
    const w = await this.counter.peek(windowId(rule, key));
    if (w === null) return decision(rule.limit > 0, rule, rule.limit, now + rule.windowMs, now);
    const left = Math.max(0, rule.limit - w.count);
    return decision(left > 0, rule, left, w.resetAt, now);
  }
}

const windowId = (rule: RateLimitRule, key: string) => `${rule.name}\u0000${key}`;

function decision(allowed: boolean, rule: RateLimitRule, remaining: number, resetAt: number, now: number): RateLimitDecision {
  return { allowed, limit: rule.limit, remaining, resetAt, resetAfter: Math.ceil(resetAt - now) / 1000, bucket: bucketHash(rule.name) };
}

// The one rate-limit engine: fixed windows keyed by (rule name, key), driven by an injected clock.
// REST, login and the gateway all count through it, so memory bounds and the on/off switch live in one place.
import type { Clock } from '../domain/clock.ts';
import type { SharedRateLimiter } from './rate-counter.ts';

/** A limit: at most `limit` takes per `windowMs`. `name` is the bucket identity (and what the bucket hash shows). */
export type RateLimitRule = { readonly limit: number; readonly windowMs: number; readonly name: string };

export type RateLimitDecision = {
  allowed: boolean;
  limit: number;
  /** Takes left in the window (after this take, for `take`; as it stands, for `peek`). */
  remaining: number;
  /** When the window ends, ms since the epoch. */
  resetAt: number;
  /** Seconds until the window ends, rounded up to the millisecond. */
  resetAfter: number;
  /** Opaque, stable hash of the rule name: safe to show, it never contains who was counted. */
  bucket: string;
};

export type RateLimiterOptions = {
  /** false (HARMONY_RATE_LIMITS=off): every take is allowed and nothing is stored. Default true. */
  enabled?: boolean;
  /** Hard cap on stored windows; beyond it the least recently used is evicted. Default 100 000. */
  maxBuckets?: number;
  /** Expired windows are swept after max(sweepEvery, stored windows) takes. Default 1024. */
  sweepEvery?: number;
};

type Window = { count: number; resetAt: number };

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a (32-bit, over UTF-16 code units) of a rule name as 8 hex digits: short, stable across restarts. */
export function bucketHash(name: string): string {
  let h = FNV_OFFSET;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), FNV_PRIME);
  return (h >>> 0).toString(16).padStart(8, '0');
}

// Rules are long-lived constants, so their hash is computed once per rule object.
const hashes = new WeakMap<RateLimitRule, string>();
function hashOf(rule: RateLimitRule): string {
  let h = hashes.get(rule);
  if (h === undefined) {
    h = bucketHash(rule.name);
    hashes.set(rule, h);
  }
  return h;
}

export class RateLimiter {
  readonly enabled: boolean;
  private readonly maxBuckets: number;
  private readonly sweepEvery: number;
  // Insertion order is recency order (a take re-inserts its window), so the first key is the least recently used.
  private readonly windows = new Map<string, Window>();
  private takesSinceSweep = 0;

  constructor(
    private readonly clock: Clock,
    options: RateLimiterOptions = {},
  ) {
    this.enabled = options.enabled ?? true;
    this.maxBuckets = options.maxBuckets ?? 100_000;
    this.sweepEvery = options.sweepEvery ?? 1024;
    if (!(this.maxBuckets >= 1)) throw new RangeError('maxBuckets must be at least 1');
  }

  /**
   * Set on a node of a cluster: the limits that must hold across nodes (login, IDENTIFY, REST, public presence
   * reads) count through it, in Redis, by `takeShared`/`peekShared`. Unset, those count here as `take`/`peek` do.
   */
  shared: SharedRateLimiter | null = null;

  takeShared(key: string, rule: RateLimitRule): RateLimitDecision | Promise<RateLimitDecision> {
    return this.shared && this.enabled ? this.shared.take(key, rule) : this.take(key, rule);
  }

  peekShared(key: string, rule: RateLimitRule): RateLimitDecision | Promise<RateLimitDecision> {
    return this.shared && this.enabled ? this.shared.peek(key, rule) : this.peek(key, rule);
  }

  /** Stored windows (for tests and metrics). */
  get size(): number {
    return this.windows.size;
  }

  /** Counts one take if the window has room. A denied take changes nothing. */
  take(key: string, rule: RateLimitRule): RateLimitDecision {
    const now = this.clock.now();
    if (!this.enabled) return unlimited(rule, now);
    const id = windowId(rule, key);
    const live = this.live(id, now);
    const used = live === undefined ? 0 : live.count;
    if (used >= rule.limit) return decision(false, rule, 0, live === undefined ? now + rule.windowMs : live.resetAt, now);

    let w = live;
    if (w === undefined) {
      // Reuse an expired window's object instead of allocating a new one.
      w = this.windows.get(id);
      if (w === undefined) {
        w = { count: 0, resetAt: 0 };
        if (this.windows.size >= this.maxBuckets) this.evictOldest();
      }
      w.count = 0;
      w.resetAt = now + rule.windowMs;
    }
    w.count++;
    this.windows.delete(id);
    this.windows.set(id, w);
    if (++this.takesSinceSweep >= Math.max(this.sweepEvery, this.windows.size)) this.sweep();
    return decision(true, rule, rule.limit - w.count, w.resetAt, now);
  }

  /** What the bucket looks like now, without taking or storing anything; `allowed` says whether a take would be. */
  peek(key: string, rule: RateLimitRule): RateLimitDecision {
    const now = this.clock.now();
    if (!this.enabled) return unlimited(rule, now);
    const live = this.live(windowId(rule, key), now);
    if (live === undefined) return decision(rule.limit > 0, rule, rule.limit, now + rule.windowMs, now);
    const remaining = Math.max(0, rule.limit - live.count);
    return decision(remaining > 0, rule, remaining, live.resetAt, now);
  }

  /**
   * Drops every window that has ended; returns how many. Runs by itself, amortised: after max(sweepEvery, size)
   * takes, so each take pays O(1) on average and no timer is needed.
   */
  sweep(): number {
    const now = this.clock.now();
    let removed = 0;
    for (const [id, w] of this.windows) {
      if (w.resetAt <= now) {
        this.windows.delete(id);
        removed++;
      }
    }
    this.takesSinceSweep = 0;
    return removed;
  }

  private live(id: string, now: number): Window | undefined {
    const w = this.windows.get(id);
    return w !== undefined && w.resetAt > now ? w : undefined;
  }

  // At the cap the least recently used window goes, live or not: a flood of fresh keys then costs a forgotten
  // count for someone idle, never unbounded memory or an O(n) scan per take.
  private evictOldest(): void {
    for (const id of this.windows.keys()) {
      this.windows.delete(id);
      return;
    }
  }
}

// The rule name namespaces the key, so one caller's key under two rules never shares a window.
function windowId(rule: RateLimitRule, key: string): string {
  return `${rule.name}\u0000${key}`;
}

function decision(allowed: boolean, rule: RateLimitRule, remaining: number, resetAt: number, now: number): RateLimitDecision {
  return {
    allowed,
    limit: rule.limit,
    remaining,
    resetAt,
    resetAfter: Math.ceil(resetAt - now) / 1000,
    bucket: hashOf(rule),
  };
}

// Disabled: nothing used, nothing to wait for.
function unlimited(rule: RateLimitRule, now: number): RateLimitDecision {
  return { allowed: true, limit: rule.limit, remaining: rule.limit, resetAt: now, resetAfter: 0, bucket: hashOf(rule) };
}

// Per-account login backoff: failed logins for an account raise a delay (1 s, 2 s, 4 s ... 30 s) that every
// address must sit out before its next attempt on that account is checked. The wait is counted per address from
// its own first refused attempt, so a flood from many addresses cannot push the real user's turn back: whoever
// waits the delay out gets one check, and the right password from a fresh address gets in within 30 s. Addresses
// that logged in to the account recently skip the wait. Keyed by the lower-cased name whether or not the account
// exists, so the answers say nothing about which accounts do.
import type { Clock } from '../domain/clock.ts';

export type LoginBackoffOptions = {
  /** false (HARMONY_RATE_LIMITS=off): every attempt is checked at once and nothing is stored. */
  enabled?: boolean;
  /** Delay after the first failure; doubles with each one after. */
  baseMs?: number;
  maxMs?: number;
  /** An account's failures are forgotten this long after the last one. */
  forgetAfterMs?: number;
  /** A served wait stays good this long; a client that comes back later waits again. */
  ticketGraceMs?: number;
  /** How long an address that logged in to an account skips that account's delay. */
  knownForMs?: number;
  /** Bounds on memory: accounts tracked, waiting addresses per account, known addresses per account. */
  maxAccounts?: number;
  maxTicketsPerAccount?: number;
  maxKnownPerAccount?: number;
};

type Failures = {
  count: number;
  lastAt: number;
  /** Attempts being checked right now: they count as failures until they settle, so a burst cannot slip through. */
  inflight: number;
  /** Address -> when its current wait started. */
  tickets: Map<string, number>;
};

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export class LoginBackoff {
  readonly enabled: boolean;
  private readonly options: Required<Omit<LoginBackoffOptions, 'enabled'>>;
  // Insertion order is recency order in all three maps, so the first key is the one to evict.
  private readonly failures = new Map<string, Failures>();
  private readonly known = new Map<string, Map<string, number>>();

  constructor(
    private readonly clock: Clock,
    options: LoginBackoffOptions = {},
  ) {
    this.enabled = options.enabled ?? true;
    this.options = {
      baseMs: options.baseMs ?? 1000,
      maxMs: options.maxMs ?? 30_000,
      forgetAfterMs: options.forgetAfterMs ?? 15 * MINUTE,
      ticketGraceMs: options.ticketGraceMs ?? MINUTE,
      knownForMs: options.knownForMs ?? 30 * DAY,
      maxAccounts: options.maxAccounts ?? 100_000,
      maxTicketsPerAccount: options.maxTicketsPerAccount ?? 4096,
      maxKnownPerAccount: options.maxKnownPerAccount ?? 16,
    };
  }

  /** The delay an account's next attempt from an unknown address must wait, in ms, after `failures` failures. */
  delayAfter(failures: number): number {
    if (failures <= 0) return 0;
    return Math.min(this.options.maxMs, this.options.baseMs * 2 ** Math.min(failures - 1, 30));
  }

  /**
   * Whether an attempt on `account` from `address` may be checked now: null if so (then call `settle` with the
   * outcome), else the seconds to wait (ms precision) before trying again.
   */
  admit(account: string, address: string): number | null {
    if (!this.enabled) return null;
    const now = this.clock.now();
    const key = account.toLowerCase();
    let state = this.live(key, now);
    const seen = this.known.get(key)?.get(address);
    const need = state === undefined || (seen !== undefined && now - seen < this.options.knownForMs) ? 0 : this.delayAfter(state.count + state.inflight);
    if (need > 0 && state !== undefined) {
      const started = state.tickets.get(address);
      if (started === undefined || now - started > need + this.options.ticketGraceMs) {
        state.tickets.delete(address);
        if (state.tickets.size >= this.options.maxTicketsPerAccount) evictOldest(state.tickets);
        state.tickets.set(address, now);
        return need / 1000;
      }
      if (now < started + need) return (started + need - now) / 1000;
      state.tickets.delete(address);
    }
    state ??= this.track(key, now);
    state.inflight++;
    return null;
  }

  /** Records the outcome of an attempt `admit` let through (`aborted`: neither, e.g. the server failed). */
  settle(account: string, address: string, outcome: 'succeeded' | 'failed' | 'aborted'): void {
    if (!this.enabled) return;
    const now = this.clock.now();
    const key = account.toLowerCase();
    const state = this.failures.get(key);
    if (state !== undefined && state.inflight > 0) state.inflight--;
    if (outcome === 'succeeded') {
      this.failures.delete(key);
      this.remember(key, address, now);
    } else if (outcome === 'failed') {
      const live = this.live(key, now) ?? this.track(key, now);
      live.count++;
      live.lastAt = now;
      // Most recently failed last, so eviction at the cap takes the account left alone longest.
      this.failures.delete(key);
      this.failures.set(key, live);
    }
  }

  /** Marks `address` as one the account's owner uses (it just created the account), so it skips the delay. */
  trust(account: string, address: string): void {
    if (this.enabled) this.remember(account.toLowerCase(), address, this.clock.now());
  }

  /** Accounts with failures on record (for tests and metrics). */
  get size(): number {
    return this.failures.size;
  }

  private live(key: string, now: number): Failures | undefined {
    const state = this.failures.get(key);
    if (state === undefined) return undefined;
    if (state.inflight === 0 && now - state.lastAt >= this.options.forgetAfterMs) {
      this.failures.delete(key);
      return undefined;
    }
    return state;
  }

  private track(key: string, now: number): Failures {
    const state: Failures = { count: 0, lastAt: now, inflight: 0, tickets: new Map() };
    if (this.failures.size >= this.options.maxAccounts) evictOldest(this.failures);
    this.failures.set(key, state);
    return state;
  }

  private remember(key: string, address: string, now: number): void {
    let addresses = this.known.get(key);
    if (addresses === undefined) {
      if (this.known.size >= this.options.maxAccounts) evictOldest(this.known);
      addresses = new Map();
    }
    this.known.delete(key);
    this.known.set(key, addresses);
    addresses.delete(address);
    if (addresses.size >= this.options.maxKnownPerAccount) evictOldest(addresses);
    addresses.set(address, now);
  }
}

function evictOldest<K, V>(map: Map<K, V>): void {
  for (const key of map.keys()) {
    map.delete(key);
    return;
  }
}

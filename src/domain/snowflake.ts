// Discord-style snowflakes: 42 bits of ms since 2015-01-01, 10 bits of worker, 12 of sequence.
// Handled as bigint inside, decimal strings everywhere else.
import type { Clock } from './clock.ts';

export const EPOCH = 1420070400000n;
const MAX = (1n << 64n) - 1n;

export class SnowflakeGenerator {
  private lastMs = -1n;
  private sequence = 0n;

  /**
   * `worker`: a fixed id (one node: 0), or a function asked at every mint (a node's leased id, which throws once
   * the lease may have lapsed, so a node that lost it fails fast instead of minting ids another node may mint).
   */
  constructor(
    private readonly clock: Clock,
    private readonly worker: bigint | (() => number) = 0n,
  ) {}

  next(): string {
    return this.mint().id;
  }

  /**
   * A new id and the millisecond inside it, from one clock read: an entity's creation time is this `at`, so
   * its timestamp and the time a client reads out of its id (discord.js' createdTimestamp) never differ.
   */
  mint(): { id: string; at: number } {
    const worker = typeof this.worker === 'bigint' ? this.worker : BigInt(this.worker());
    let ms = BigInt(this.clock.now());
    // A clock that steps back (or a burst past 4096 ids in one ms) borrows the next millisecond
    // so ids stay strictly increasing.
    if (ms <= this.lastMs) {
      this.sequence = (this.sequence + 1n) & 0xfffn;
      if (this.sequence === 0n) this.lastMs += 1n;
      ms = this.lastMs;
    } else {
      this.sequence = 0n;
      this.lastMs = ms;
    }
    return { id: (((ms - EPOCH) << 22n) | ((worker & 0x3ffn) << 12n) | this.sequence).toString(), at: Number(ms) };
  }
}

/** True for a decimal string that fits a snowflake (1–20 digits, below 2^64). */
export function isSnowflake(value: string): boolean {
  return /^\d{1,20}$/.test(value) && BigInt(value) <= MAX;
}

export function snowflakeTime(id: string): number {
  return Number((BigInt(id) >> 22n) + EPOCH);
}

/**
 * The newer of a channel's last message id and a message just committed in it: ids are minted before their writes
 * queue, so a later commit may carry an older id.
 */
export function newerId(current: string | null, candidate: string): string {
  return current === null || BigInt(candidate) > BigInt(current) ? candidate : current;
}

/** The smallest snowflake that could have been made at `ms`: lets `before=<ISO date>` reuse id ordering. */
export function snowflakeAt(ms: number): string {
  const offset = BigInt(Math.max(0, Math.floor(ms))) - EPOCH;
  return offset <= 0n ? '0' : (offset << 22n).toString();
}

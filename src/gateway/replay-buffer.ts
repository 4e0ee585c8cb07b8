// The bounded history RESUME replays from: every dispatch with its audience and its serialized frames,
// kept for the resume window and within a count and a byte cap. Shared by every dialect.
import type { Audience } from './audience.ts';

export type ReplayEntry = {
  seq: number;
  at: number;
  audience: Audience;
  /** stream -> the exact text frame published on it. */
  frames: ReadonlyMap<string, string>;
  /** stream -> user id -> the frame that user's sessions got instead (see EncodedFrame). */
  targeted?: ReadonlyMap<string, ReadonlyMap<string, string>>;
  bytes: number;
};

export type ReplayBufferOptions = { windowMs: number; maxEntries: number; maxBytes: number };

export class ReplayBuffer {
  // A deque: entries[head..] are live, oldest first; the array is compacted when the dead prefix grows.
  private entries: (ReplayEntry | undefined)[] = [];
  private head = 0;
  private bytes = 0;
  /** Highest sequence number ever evicted (0: none). A session that missed it cannot be replayed to. */
  private evictedThrough = 0;

  constructor(private readonly options: ReplayBufferOptions) {}

  get size(): number {
    return this.entries.length - this.head;
  }

  get byteSize(): number {
    return this.bytes;
  }

  /** Sequence number of the oldest entry kept, or Infinity when empty. */
  get oldestSeq(): number {
    return this.entries[this.head]?.seq ?? Number.POSITIVE_INFINITY;
  }

  /** Highest sequence number evicted so far (0: none). */
  get evicted(): number {
    return this.evictedThrough;
  }

  /** Every entry kept, oldest first (for the resume snapshot). */
  kept(): readonly ReplayEntry[] {
    return this.entries.slice(this.head) as ReplayEntry[];
  }

  /**
   * Takes over a previous process's buffer (empty before): its entries, oldest first, and how far it had evicted.
   * Entries already past the window or the caps are evicted as usual.
   */
  restore(entries: readonly ReplayEntry[], evictedThrough: number, now: number): void {
    this.evictedThrough = Math.max(this.evictedThrough, evictedThrough);
    for (const entry of entries) this.push(entry, now);
  }

  /** Appends an entry (seq must grow), then evicts by age, count and bytes. */
  push(entry: ReplayEntry, now: number): void {
    if (this.options.windowMs <= 0 || this.options.maxEntries <= 0) {
      this.evictedThrough = entry.seq;
      return;
    }
    this.entries.push(entry);
    this.bytes += entry.bytes;
    while (this.size > this.options.maxEntries || (this.bytes > this.options.maxBytes && this.size > 1)) this.evictOldest();
    this.prune(now);
  }

  /** Drops entries older than the resume window. */
  prune(now: number): void {
    const cutoff = now - this.options.windowMs;
    while (this.size > 0 && (this.entries[this.head]?.at ?? cutoff) <= cutoff) this.evictOldest();
  }

  /**
   * Entries after `seq`, oldest first; null when any entry after `seq` was already evicted, because then
   * the session may have missed something it can no longer be given (it must IDENTIFY again).
   */
  after(seq: number, now: number): ReplayEntry[] | null {
    this.prune(now);
    if (seq < this.evictedThrough) return null;
    // Binary search for the first entry with entry.seq > seq.
    let lo = this.head;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.entries[mid]?.seq ?? 0) > seq) hi = mid;
      else lo = mid + 1;
    }
    return this.entries.slice(lo) as ReplayEntry[];
  }

  private evictOldest(): void {
    const entry = this.entries[this.head];
    if (!entry) return;
    this.entries[this.head] = undefined;
    this.head++;
    this.bytes -= entry.bytes;
    this.evictedThrough = entry.seq;
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
  }
}

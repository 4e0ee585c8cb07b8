// Rows kept in memory for a few seconds, for the reads every request repeats (a bot's token, a membership, a
// channel). Events forget an entry as soon as its row changes; the TTL bounds a change that no event reports; the cap
// bounds memory (past it the cache starts over rather than grow). A read that raced a change is not kept: `load`
// keeps its answer only if nothing was forgotten while it read, since the change may have been announced already.

import type { Clock } from './clock.ts';

export class ExpiringCache<K, V> {
  private readonly entries = new Map<K, { value: V; until: number }>();
  /** Bumped by every forget; a load that saw it move kept reading a row that may have changed. */
  private generation = 0;

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** The value while it is fresh; an expired one is dropped. */
  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.until > this.clock.now()) return entry.value;
    this.entries.delete(key);
    return undefined;
  }

  set(key: K, value: V): void {
    if (this.entries.size >= this.maxEntries && !this.entries.has(key)) this.entries.clear();
    this.entries.set(key, { value, until: this.clock.now() + this.ttlMs });
  }

  /**
   * The fresh value, or `read()`'s answer, kept when it is not null, `keep` accepts it and nothing was forgotten
   * while it was read (null answers are never kept: they are asked for each time).
   */
  async load(key: K, read: () => Promise<V | null>, keep: (value: V) => boolean = () => true): Promise<V | null> {
    const known = this.get(key);
    if (known !== undefined) return known;
    const generation = this.generation;
    const value = await read();
    if (value !== null && generation === this.generation && keep(value)) this.set(key, value);
    return value;
  }

  /** Changes a held value in place (its expiry stays); nothing when the key is not held. */
  update(key: K, change: (value: V) => V): void {
    const entry = this.entries.get(key);
    if (entry) entry.value = change(entry.value);
  }

  forget(key: K): void {
    this.generation++;
    this.entries.delete(key);
  }

  /** Forgets every entry `matches` names (by value: a key not held cannot be asked, hence one generation for all). */
  forgetWhere(matches: (value: V, key: K) => boolean): void {
    this.generation++;
    for (const [key, entry] of this.entries) if (matches(entry.value, key)) this.entries.delete(key);
  }

  clear(): void {
    this.generation++;
    this.entries.clear();
  }
}

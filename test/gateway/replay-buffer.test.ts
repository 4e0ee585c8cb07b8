// The replay buffer: ordered, bounded by time, count and bytes, and honest about what it lost.
import { describe, expect, it } from 'bun:test';
import { toTopic } from '../../src/gateway/audience.ts';
import { ReplayBuffer, type ReplayEntry } from '../../src/gateway/replay-buffer.ts';

const entry = (seq: number, at: number, bytes = 10): ReplayEntry => ({ seq, at, audience: toTopic('c:1'), frames: new Map([['s', `frame ${seq}`]]), bytes });
const seqs = (entries: ReplayEntry[] | null) => entries?.map((e) => e.seq) ?? null;

describe('ReplayBuffer', () => {
  it('returns the entries after a sequence number, oldest first', () => {
    const buffer = new ReplayBuffer({ windowMs: 60_000, maxEntries: 100, maxBytes: 1e6 });
    for (const seq of [1, 2, 5, 9, 10]) buffer.push(entry(seq, 0), 0);
    expect(seqs(buffer.after(0, 0))).toEqual([1, 2, 5, 9, 10]);
    expect(seqs(buffer.after(2, 0))).toEqual([5, 9, 10]);
    expect(seqs(buffer.after(3, 0))).toEqual([5, 9, 10]);
    expect(seqs(buffer.after(9, 0))).toEqual([10]);
    expect(seqs(buffer.after(10, 0))).toEqual([]);
  });

  it('finds the right place among many entries', () => {
    const buffer = new ReplayBuffer({ windowMs: 60_000, maxEntries: 10_000, maxBytes: 1e9 });
    for (let seq = 1; seq <= 5000; seq++) buffer.push(entry(seq * 2, 0), 0);
    for (const probe of [1, 2, 3, 999, 1000, 9999, 10_000]) {
      const after = buffer.after(probe, 0) ?? [];
      expect(after[0]?.seq ?? null).toBe(probe < 10_000 ? (Math.floor(probe / 2) + 1) * 2 : null);
      expect(after.length).toBe(5000 - Math.floor(probe / 2));
    }
  });

  it('keeps at most maxEntries and refuses to replay past an evicted entry', () => {
    const buffer = new ReplayBuffer({ windowMs: 60_000, maxEntries: 3, maxBytes: 1e6 });
    for (let seq = 1; seq <= 5; seq++) buffer.push(entry(seq, 0), 0);
    expect(buffer.size).toBe(3);
    expect(seqs(buffer.after(2, 0))).toEqual([3, 4, 5]);
    expect(buffer.after(1, 0)).toBeNull();
  });

  it('drops entries older than the window', () => {
    const buffer = new ReplayBuffer({ windowMs: 1000, maxEntries: 100, maxBytes: 1e6 });
    buffer.push(entry(1, 0), 0);
    buffer.push(entry(2, 500), 500);
    buffer.push(entry(3, 900), 900);
    expect(seqs(buffer.after(0, 1200))).toBeNull();
    expect(seqs(buffer.after(1, 1200))).toEqual([2, 3]);
    expect(seqs(buffer.after(2, 1600))).toEqual([3]);
    expect(buffer.oldestSeq).toBe(3);
  });

  it('keeps total bytes under maxBytes (always keeping the newest entry)', () => {
    const buffer = new ReplayBuffer({ windowMs: 60_000, maxEntries: 100, maxBytes: 25 });
    buffer.push(entry(1, 0, 10), 0);
    buffer.push(entry(2, 0, 10), 0);
    expect(buffer.byteSize).toBe(20);
    buffer.push(entry(3, 0, 10), 0);
    expect(buffer.byteSize).toBe(20);
    expect(seqs(buffer.after(1, 0))).toEqual([2, 3]);
    buffer.push(entry(4, 0, 100), 0);
    expect(seqs(buffer.after(3, 0))).toEqual([4]);
  });

  it('with a window of 0 keeps nothing and replays nothing missed', () => {
    const buffer = new ReplayBuffer({ windowMs: 0, maxEntries: 100, maxBytes: 1e6 });
    buffer.push(entry(1, 0), 0);
    expect(buffer.size).toBe(0);
    expect(buffer.after(0, 0)).toBeNull();
    expect(seqs(buffer.after(1, 0))).toEqual([]);
  });

  it('compacts its storage as entries go', () => {
    const buffer = new ReplayBuffer({ windowMs: 60_000, maxEntries: 10, maxBytes: 1e6 });
    for (let seq = 1; seq <= 50_000; seq++) buffer.push(entry(seq, 0), 0);
    expect(buffer.size).toBe(10);
    expect(seqs(buffer.after(49_990, 0))).toEqual([49_991, 49_992, 49_993, 49_994, 49_995, 49_996, 49_997, 49_998, 49_999, 50_000]);
  });
});

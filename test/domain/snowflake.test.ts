// Snowflakes: 2015 epoch, 42 bits of milliseconds, 10 of worker, 12 of sequence; strings everywhere, never numbers.
import { describe, expect, it } from 'bun:test';
import { EPOCH, isSnowflake, newerId, SnowflakeGenerator, snowflakeAt, snowflakeTime } from '../../src/domain/snowflake.ts';

const at = (ms: number) => ({ now: () => ms });
const parts = (id: string) => {
  const n = BigInt(id);
  return { ms: Number((n >> 22n) + EPOCH), worker: Number((n >> 12n) & 0x3ffn), sequence: Number(n & 0xfffn) };
};

describe('SnowflakeGenerator', () => {
  it('encodes the clock time since 2015-01-01 and the worker', () => {
    const now = Date.UTC(2024, 0, 1);
    const id = new SnowflakeGenerator(at(now), 5n).next();
    expect(id).toMatch(/^\d+$/);
    expect(parts(id)).toEqual({ ms: now, worker: 5, sequence: 0 });
    expect(snowflakeTime(id)).toBe(now);
  });

  it('makes ids above 2^53 that survive only as strings (and as bigint)', () => {
    const ids = new SnowflakeGenerator(at(Date.UTC(2026, 0, 1)), 3n);
    ids.next();
    const id = ids.next();
    expect(BigInt(id)).toBeGreaterThan(2n ** 53n);
    expect(BigInt(id).toString()).toBe(id);
    expect(String(Number(id))).not.toBe(id);
  });

  it('counts a sequence within one millisecond and resets it on the next', () => {
    let now = Date.UTC(2024, 5, 1);
    const ids = new SnowflakeGenerator({ now: () => now });
    const first = [ids.next(), ids.next(), ids.next()].map(parts);
    expect(first.map((p) => [p.ms, p.sequence])).toEqual([
      [now, 0],
      [now, 1],
      [now, 2],
    ]);
    now += 1;
    expect(parts(ids.next())).toMatchObject({ ms: now, sequence: 0 });
  });

  it('stays strictly increasing when the clock steps back', () => {
    let now = Date.UTC(2024, 5, 1, 12);
    const ids = new SnowflakeGenerator({ now: () => now });
    const a = ids.next();
    now -= 60_000;
    const b = ids.next();
    const c = ids.next();
    expect(BigInt(b)).toBeGreaterThan(BigInt(a));
    expect(BigInt(c)).toBeGreaterThan(BigInt(b));
  });

  it('borrows the next millisecond after 4096 ids in one, staying strictly increasing', () => {
    const now = Date.UTC(2024, 5, 1);
    const ids = new SnowflakeGenerator(at(now));
    const made = Array.from({ length: 5000 }, () => ids.next());
    for (let i = 1; i < made.length; i++) expect(BigInt(made[i] as string) > BigInt(made[i - 1] as string)).toBe(true);
    expect(new Set(made).size).toBe(5000);
    expect(parts(made[4095] as string)).toMatchObject({ ms: now, sequence: 4095 });
    expect(parts(made[4096] as string)).toMatchObject({ ms: now + 1, sequence: 0 });
  });

  it('mints an id with the millisecond inside it, from a single clock read', () => {
    let reads = 0;
    let now = Date.UTC(2024, 5, 1);
    const ids = new SnowflakeGenerator({ now: () => (reads++, now++) });
    const minted = ids.mint();
    expect(reads).toBe(1);
    expect(minted.at).toBe(snowflakeTime(minted.id));
    expect(minted.at).toBe(Date.UTC(2024, 5, 1));
  });

  it('mints the borrowed millisecond as `at` when the clock steps back, so it still matches the id', () => {
    let now = Date.UTC(2024, 5, 1, 12);
    const ids = new SnowflakeGenerator({ now: () => now });
    ids.mint();
    now -= 60_000;
    const minted = ids.mint();
    expect(minted.at).toBe(snowflakeTime(minted.id));
    expect(minted.at).toBe(Date.UTC(2024, 5, 1, 12));
  });

  it('keeps ids of different workers apart', () => {
    const now = Date.UTC(2024, 5, 1);
    expect(new SnowflakeGenerator(at(now), 1n).next()).not.toBe(new SnowflakeGenerator(at(now), 2n).next());
  });
});

describe('isSnowflake', () => {
  it.each(['0', '1', '1300000000000000000', '18446744073709551615'])('accepts %p', (value) => {
    expect(isSnowflake(value)).toBe(true);
  });

  it.each([
    ['18446744073709551616', '2^64'],
    ['123456789012345678901', '21 digits'],
    ['', 'empty'],
    ['-1', 'negative'],
    ['1e5', 'an exponent'],
    [' 1', 'a space'],
    ['12a', 'letters'],
    ['1.0', 'a decimal'],
  ])('refuses %p (%s)', (value) => {
    expect(isSnowflake(value)).toBe(false);
  });
});

describe('snowflakeAt / snowflakeTime', () => {
  it('gives the smallest id of a millisecond, so before=<time> compares like an id', () => {
    const ms = Date.UTC(2024, 0, 1);
    const id = snowflakeAt(ms);
    expect(snowflakeTime(id)).toBe(ms);
    expect(parts(id)).toEqual({ ms, worker: 0, sequence: 0 });
    const madeThen = new SnowflakeGenerator(at(ms), 1023n).next();
    expect(BigInt(madeThen)).toBeGreaterThanOrEqual(BigInt(id));
    expect(BigInt(madeThen)).toBeLessThan(BigInt(snowflakeAt(ms + 1)));
  });

  it('answers "0" for times at or before the epoch', () => {
    expect(snowflakeAt(Number(EPOCH))).toBe('0');
    expect(snowflakeAt(0)).toBe('0');
    expect(snowflakeAt(-5)).toBe('0');
  });

  it('floors fractional milliseconds', () => {
    const ms = Date.UTC(2024, 0, 1);
    expect(snowflakeAt(ms + 0.9)).toBe(snowflakeAt(ms));
  });
});

describe('newerId', () => {
  it('keeps the numerically newer id, whatever the order of commits and the length of the strings', () => {
    expect(newerId(null, '5')).toBe('5');
    expect(newerId('10', '9')).toBe('10');
    expect(newerId('9', '10')).toBe('10');
    expect(newerId('10', '10')).toBe('10');
  });
});

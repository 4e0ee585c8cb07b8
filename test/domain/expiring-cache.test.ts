// The in-memory row cache behind the bot-token, membership and channel caches: expiry by the injected clock, the cap,
// forgetting by key and by value, and a read that raced a forget not being kept.
import { describe, expect, it } from 'bun:test';
import { ExpiringCache } from '../../src/domain/expiring-cache.ts';

function setUp(maxEntries = 10) {
  let now = 1_000;
  const cache = new ExpiringCache<string, { id: string; group: string }>({ now: () => now }, 5_000, maxEntries);
  return { cache, advance: (ms: number) => (now += ms) };
}

const row = (id: string, group = 'g') => ({ id, group });

describe('ExpiringCache', () => {
  it('answers a value until its TTL has passed, then drops it', () => {
    const { cache, advance } = setUp();
    cache.set('a', row('1'));
    advance(4_999);
    expect(cache.get('a')).toEqual(row('1'));
    advance(1);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('starts over when a new key would pass the cap, and not for a key it holds', () => {
    const { cache } = setUp(2);
    cache.set('a', row('1'));
    cache.set('b', row('2'));
    cache.set('b', row('2b'));
    expect([cache.size, cache.get('a')?.id, cache.get('b')?.id]).toEqual([2, '1', '2b']);
    cache.set('c', row('3'));
    expect([cache.size, cache.get('a'), cache.get('b'), cache.get('c')?.id]).toEqual([1, undefined, undefined, '3']);
  });

  it('forgets one key, the values a test names, or everything', () => {
    const { cache } = setUp();
    cache.set('a', row('1', 'x'));
    cache.set('b', row('2', 'x'));
    cache.set('c', row('3', 'y'));
    cache.set('d', row('4', 'y'));
    cache.forget('a');
    expect(cache.get('a')).toBeUndefined();
    cache.forgetWhere((value) => value.group === 'x');
    expect([cache.get('b'), cache.get('c')?.id]).toEqual([undefined, '3']);
    cache.clear();
    expect(cache.size).toBe(0);
  });

  it('loads a missing value once and answers it from memory after; null and refused answers are asked for each time', async () => {
    const { cache } = setUp();
    let reads = 0;
    const read = async () => {
      reads++;
      return row('1');
    };
    expect(await cache.load('a', read)).toEqual(row('1'));
    expect(await cache.load('a', read)).toEqual(row('1'));
    expect(reads).toBe(1);
    expect(await cache.load('n', async () => null)).toBeNull();
    expect(cache.get('n')).toBeUndefined();
    expect(await cache.load('r', read, (value) => value.id !== '1')).toEqual(row('1'));
    expect(cache.get('r')).toBeUndefined();
  });

  it('does not keep a read that raced a forget of any key (it may carry the row from before the change)', async () => {
    const { cache } = setUp();
    const forgotten = [(c: typeof cache) => c.forget('other'), (c: typeof cache) => c.forgetWhere(() => false), (c: typeof cache) => c.clear()];
    for (const forget of forgotten) {
      const answer = await cache.load('a', async () => {
        forget(cache);
        return row('stale');
      });
      expect(answer).toEqual(row('stale'));
      expect(cache.get('a')).toBeUndefined();
    }
    await cache.load('a', async () => row('fresh'));
    expect(cache.get('a')).toEqual(row('fresh'));
  });

  it('updates a held value in place, keeping its expiry, and ignores a key it does not hold', () => {
    const { cache, advance } = setUp();
    cache.set('a', row('1'));
    advance(3_000);
    cache.update('a', (value) => ({ ...value, group: 'z' }));
    cache.update('missing', (value) => ({ ...value, group: 'z' }));
    expect([cache.get('a'), cache.get('missing')]).toEqual([row('1', 'z'), undefined]);
    advance(2_000);
    expect(cache.get('a')).toBeUndefined();
  });
});

// Contract tests for what nodes share besides events: rate counters, locks, the snowflake worker-id lease and node
// heartbeats. Each port's suite runs against its in-memory adapter and its Redis adapter (a throwaway
// redis-server from test/support/redis-server.ts), and must pass the same way on both.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { type LockHandle, type Locks, MemoryLocks, RedisLocks } from '../../src/cluster/locks.ts';
import { MemoryNodeHeartbeats, type NodeHeartbeats, RedisNodeHeartbeats } from '../../src/cluster/node-heartbeats.ts';
import { Redis, RedisUnavailableError } from '../../src/cluster/redis.ts';
import { RedisWorkerLease, WorkerLeaseLostError } from '../../src/cluster/worker-lease.ts';
import { SnowflakeGenerator } from '../../src/domain/snowflake.ts';
import type { SessionSnapshot } from '../../src/gateway/resume-store.ts';
import { ClusterSequence } from '../../src/gateway/sequence.ts';
import { MemorySharedSessions, RedisSharedSessions, type SharedSessions } from '../../src/gateway/shared-sessions.ts';
import { MemoryRateCounter, type RateCounter, RedisRateCounter, SharedRateLimiter } from '../../src/http/rate-counter.ts';
import { startRedis, type TestRedis } from '../support/redis-server.ts';

let server: TestRedis;
const clients: Redis[] = [];
let run = 0;

beforeAll(async () => {
  server = await startRedis();
});
afterAll(async () => {
  for (const c of clients) c.close();
  await server.close();
});

async function redis(): Promise<Redis> {
  const client = new Redis(server.url);
  await client.connect();
  clients.push(client);
  return client;
}
/** A key prefix of its own per test, so tests never see each other's keys. */
const prefix = () => `t${++run}:`;

type Adapters<T> = [string, () => Promise<T>][];

const counters: Adapters<RateCounter> = [
  ['memory', async () => new MemoryRateCounter()],
  ['redis', async () => new RedisRateCounter(await redis(), undefined, prefix())],
];

describe.each(counters)('RateCounter (%s)', (_name, make) => {
  test('counts hits up to the limit, refuses the rest without counting, and opens a new window after it ends', async () => {
    const counter = await make();
    const started = Date.now();
    const hits = [];
    for (let i = 0; i < 4; i++) hits.push(await counter.hit('a', 3, 300));
    expect(hits.map((h) => [h.allowed, h.count])).toEqual([
      [true, 1],
      [true, 2],
      [true, 3],
      [false, 3],
    ]);
    expect(hits[0]?.resetAt).toBeGreaterThanOrEqual(started + 250);
    expect(hits[0]?.resetAt).toBeLessThanOrEqual(Date.now() + 300);
    expect(await counter.peek('a')).toEqual({ count: 3, resetAt: expect.any(Number) });
    expect(await counter.peek('other')).toBeNull();
    await Bun.sleep(350);
    expect(await counter.peek('a')).toBeNull();
    expect((await counter.hit('a', 3, 300)).count).toBe(1);
  });

  test('concurrent hits on one window are counted exactly once each', async () => {
    const counter = await make();
    const results = await Promise.all(Array.from({ length: 50 }, () => counter.hit('burst', 20, 5000)));
    expect(results.filter((r) => r.allowed)).toHaveLength(20);
    expect((await counter.peek('burst'))?.count).toBe(20);
  });

  test('a limit of 0 refuses everything', async () => {
    const counter = await make();
    expect((await counter.hit('zero', 0, 1000)).allowed).toBe(false);
  });

  test('SharedRateLimiter gives RateLimiter-shaped decisions', async () => {
    const limiter = new SharedRateLimiter(await make());
    const rule = { name: 'contract', limit: 2, windowMs: 10_000 };
    const first = await limiter.take('k', rule);
    expect(first).toMatchObject({ allowed: true, limit: 2, remaining: 1, bucket: expect.stringMatching(/^[0-9a-f]{8}$/) });
    expect(first.resetAfter).toBeGreaterThan(9);
    expect((await limiter.take('k', rule)).remaining).toBe(0);
    const refused = await limiter.take('k', rule);
    expect(refused).toMatchObject({ allowed: false, remaining: 0 });
    expect((await limiter.peek('k', rule)).allowed).toBe(false);
    expect((await limiter.peek('fresh', rule)).remaining).toBe(2);
  });
});

test('two nodes counting into one Redis share one limit', async () => {
  const shared = prefix();
  const a = new SharedRateLimiter(new RedisRateCounter(await redis(), undefined, shared));
  const b = new SharedRateLimiter(new RedisRateCounter(await redis(), undefined, shared));
  const rule = { name: 'login', limit: 3, windowMs: 10_000 };
  const answers = [await a.take('1.2.3.4', rule), await b.take('1.2.3.4', rule), await a.take('1.2.3.4', rule), await b.take('1.2.3.4', rule)];
  expect(answers.map((d) => d.allowed)).toEqual([true, true, true, false]);
});

const locks: Adapters<Locks> = [
  ['memory', async () => new MemoryLocks()],
  ['redis', async () => new RedisLocks(await redis(), prefix())],
];

describe.each(locks)('Locks (%s)', (_name, make) => {
  test('one holder at a time; renew and release only by the holder; free again after the lease', async () => {
    const locks = await make();
    const first = (await locks.tryAcquire('bridge', 300)) as LockHandle;
    expect(first).not.toBeNull();
    expect(await locks.tryAcquire('bridge', 300)).toBeNull();
    expect(await locks.tryAcquire('other', 300)).not.toBeNull();
    expect(await first.renew()).toBe(true);
    await Bun.sleep(350);
    // The lease ran out: someone else takes it, and the first holder can neither renew nor free it.
    const second = (await locks.tryAcquire('bridge', 5000)) as LockHandle;
    expect(second).not.toBeNull();
    expect(await first.renew()).toBe(false);
    await first.release();
    expect(await locks.tryAcquire('bridge', 300)).toBeNull();
    await second.release();
    expect(await locks.tryAcquire('bridge', 300)).not.toBeNull();
  });

  test('of many concurrent tries exactly one wins (a command answered once)', async () => {
    const locks = await make();
    const tries = await Promise.all(Array.from({ length: 20 }, () => locks.tryAcquire('command:123', 10_000)));
    expect(tries.filter((t) => t !== null)).toHaveLength(1);
  });
});

const heartbeats: Adapters<NodeHeartbeats> = [
  ['memory', async () => new MemoryNodeHeartbeats()],
  ['redis', async () => new RedisNodeHeartbeats(await redis(), prefix())],
];

describe.each(heartbeats)('NodeHeartbeats (%s)', (_name, make) => {
  test('lists the nodes that beat within their TTL; a node that leaves or stops beating drops off', async () => {
    const hb = await make();
    expect(await hb.live()).toEqual([]);
    await hb.beat({ id: 'b', url: 'http://127.0.0.1:2', startedAt: 1, beatAt: 2 }, 5000);
    await hb.beat({ id: 'a', url: null, startedAt: 1, beatAt: 2 }, 200);
    await hb.beat({ id: 'c', url: null, startedAt: 1, beatAt: 2 }, 5000);
    expect((await hb.live()).map((n) => n.id)).toEqual(['a', 'b', 'c']);
    expect((await hb.live())[1]).toEqual({ id: 'b', url: 'http://127.0.0.1:2', startedAt: 1, beatAt: 2 });
    await hb.leave('c');
    await Bun.sleep(250);
    expect((await hb.live()).map((n) => n.id)).toEqual(['b']);
  });
});

const sessionStores: Adapters<SharedSessions> = [
  ['memory', async () => new MemorySharedSessions()],
  ['redis', async () => new RedisSharedSessions(await redis(), prefix())],
];

const record = (id: string): SessionSnapshot => ({
  id,
  userId: '42',
  kind: 'bot',
  tokenHash: 'ab'.repeat(32),
  dialect: 'discord-v10',
  streams: ['v10:intents=513'],
  startSeq: 1048576,
  platform: 'desktop',
  presence: null,
  disconnectedAt: 1_700_000_000_000,
  dialectState: { compress: false },
  guilds: [['7', ['8', '9']]],
  dms: ['10'],
  topics: ['g:7', 'c:8'],
  changes: [{ at: 1048832, topic: 'c:9', added: true }],
});

describe.each(sessionStores)('SharedSessions (%s)', (_name, make) => {
  test('a record comes back as saved until it expires or is removed; unknown ids are null', async () => {
    const store = await make();
    await store.save(record('s1'), 200);
    await store.save(record('s2'), 5000);
    expect(await store.load('s1')).toEqual(record('s1'));
    expect(await store.load('nope')).toBeNull();
    await store.save({ ...record('s2'), topics: ['g:7'] }, 5000);
    expect((await store.load('s2'))?.topics).toEqual(['g:7']);
    await store.remove('s2');
    expect(await store.load('s2')).toBeNull();
    await Bun.sleep(250);
    expect(await store.load('s1')).toBeNull();
  });

  test('a takeover announced by one node is heard by every node', async () => {
    const store = await make();
    const heard: [string, string][] = [];
    await store.onTaken((sessionId, node) => heard.push([sessionId, node]));
    await store.announceTaken('s9', 'node-a');
    const deadline = Date.now() + 2000;
    while (heard.length === 0 && Date.now() < deadline) await Bun.sleep(10);
    expect(heard).toEqual([['s9', 'node-a']]);
    store.close();
  });
});

test('ClusterSequence numbers the i-th dispatch of batch n alike on every node, whatever frames each sent to its own connections', async () => {
  let batch = 3;
  const one = new ClusterSequence(() => batch);
  const two = new ClusterSequence(() => batch);
  expect(one.next()).toBe(3 * 2 ** 20 + 2 ** 8);
  expect(one.nextLocal()).toBe(3 * 2 ** 20 + 2 ** 8 + 1);
  expect(one.next()).toBe(3 * 2 ** 20 + 2 * 2 ** 8);
  expect(two.next()).toBe(3 * 2 ** 20 + 2 ** 8);
  expect(two.next()).toBe(3 * 2 ** 20 + 2 * 2 ** 8);
  batch = 4;
  expect(one.nextLocal()).toBe(4 * 2 ** 20 + 1);
  expect(one.next()).toBe(4 * 2 ** 20 + 2 ** 8);
  expect(two.next()).toBe(4 * 2 ** 20 + 2 ** 8);
  expect(one.ceiling).toBe(5 * 2 ** 20 - 1);
  // Never backwards, even if batch numbers were to restart.
  batch = 1;
  expect(one.next()).toBe(4 * 2 ** 20 + 2 ** 8);
});

describe('RedisWorkerLease', () => {
  test('live nodes never hold the same worker id; a released id can be leased again', async () => {
    const shared = prefix();
    const leases = await Promise.all(Array.from({ length: 12 }, async () => new RedisWorkerLease(await redis(), { prefix: shared, ttlMs: 10_000 })));
    const ids = await Promise.all(leases.map((l) => l.acquire()));
    expect(new Set(ids).size).toBe(12);
    for (const [i, lease] of leases.entries()) expect(lease.current()).toBe(ids[i] as number);
    await leases[0]?.release();
    expect(() => leases[0]?.current()).toThrow(WorkerLeaseLostError);
    for (const lease of leases.slice(1)) await lease.release();
  });

  test('renewal keeps the lease past its TTL; a node whose lease was taken over stops minting, then leases a new id', async () => {
    const shared = prefix();
    const client = await redis();
    const lease = new RedisWorkerLease(client, { prefix: shared, ttlMs: 300 });
    const id = await lease.acquire();
    await Bun.sleep(500);
    expect(lease.current()).toBe(id);
    // Another holder's token in its key (as after a long pause): the next renewal finds it is no longer ours.
    await client.send('SET', [`${shared}worker:${id}`, 'someone-else', 'PX', 60_000]);
    await lease.renew();
    const next = lease.current();
    expect(next).not.toBe(id);
    await lease.release();
  });

  test('a generator on a lease that lapsed throws instead of minting', async () => {
    const shared = prefix();
    const client = new Redis(server.url);
    await client.connect();
    const lease = new RedisWorkerLease(client, { prefix: shared, ttlMs: 200 });
    const id = await lease.acquire();
    const ids = new SnowflakeGenerator({ now: () => Date.now() }, () => lease.current());
    expect(Number((BigInt(ids.next()) >> 12n) & 0x3ffn)).toBe(id);
    client.close();
    // Renewals now fail (the connection is closed), so the lease lapses within its TTL.
    await Bun.sleep(300);
    expect(() => ids.next()).toThrow(WorkerLeaseLostError);
    await lease.release();
  });
});

test('Redis going away fails commands fast with 503, and the same client works again once it is back', async () => {
  const own = await startRedis();
  try {
    const client = new Redis(own.url);
    await client.connect();
    const counter = new RedisRateCounter(client);
    expect((await counter.hit('x', 5, 60_000)).allowed).toBe(true);
    await own.stop();
    const started = Date.now();
    const error = await counter.hit('x', 5, 60_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedisUnavailableError);
    expect((error as RedisUnavailableError).status).toBe(503);
    expect(Date.now() - started).toBeLessThan(2500);
    await own.start();
    const deadline = Date.now() + 10_000;
    let back = false;
    while (!back && Date.now() < deadline) {
      back = await counter.hit('x', 5, 60_000).then(
        () => true,
        () => false,
      );
      if (!back) await Bun.sleep(100);
    }
    expect(back).toBe(true);
    client.close();
  } finally {
    await own.close();
  }
});

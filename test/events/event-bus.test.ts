// The EventBus contract, run against LocalBus (one process) and RedisBus (a throwaway redis-server): every node's
// listeners get every published batch, whole and in order, and all nodes see the same total order. Then the outbox
// relay (SQLite outbox, migration 0021) holding events while Redis is down and delivering them once it is back,
// and the epoch telling nodes when Redis lost the log.
import { Database } from 'bun:sqlite';
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { Redis } from '../../src/cluster/redis.ts';
import { migrate } from '../../src/db/migrate.ts';
import { commitTimeOf } from '../../src/events/commit-time.ts';
import type { DomainEvent } from '../../src/events/domain-events.ts';
import { type EventBus, LocalBus } from '../../src/events/event-bus.ts';
import { type AsyncOutbox, OutboxRelay, type OutboxRow } from '../../src/events/outbox.ts';
import { RedisBus } from '../../src/events/redis-bus.ts';
import { SqliteOutbox } from '../../src/store/sqlite/outbox-store.ts';
import { startRedis, type TestRedis } from '../support/redis-server.ts';

let server: TestRedis;
const closers: (() => Promise<void> | void)[] = [];
let run = 0;

beforeAll(async () => {
  server = await startRedis();
});
afterAll(async () => {
  for (const close of closers.reverse()) await close();
  await server.close();
});

async function redisBus(url: string, prefix: string, onReset?: (epoch: string) => void): Promise<RedisBus> {
  const redis = new Redis(url);
  await redis.connect();
  const bus = new RedisBus(redis, { prefix, blockMs: 200, ...(onReset ? { onReset } : {}) });
  await bus.start();
  closers.push(async () => {
    await bus.close();
    redis.close();
  });
  return bus;
}

const typing = (n: number, userId = 'u'): DomainEvent => ({ type: 'typing.start', channelId: '1', guildId: null, userId, at: n });

/** Resolves once `seen` holds `count` events (or fails after 5 s). */
async function until(seen: unknown[], count: number): Promise<void> {
  const deadline = Date.now() + 5000;
  while (seen.length < count && Date.now() < deadline) await Bun.sleep(10);
  expect(seen).toHaveLength(count);
}

/** `nodes` buses that form one instance: the same LocalBus, or RedisBuses on one stream. */
const adapters: [string, (nodes: number) => Promise<EventBus[]>][] = [
  [
    'local',
    async (nodes) => {
      const bus = new LocalBus();
      return Array.from({ length: nodes }, () => bus);
    },
  ],
  [
    'redis',
    async (nodes) => {
      const prefix = `bus${++run}:`;
      return Promise.all(Array.from({ length: nodes }, () => redisBus(server.url, prefix)));
    },
  ],
];

describe.each(adapters)('EventBus (%s)', (_name, nodes) => {
  test('every listener gets every batch whole, in publish order, as plain equal data', async () => {
    const [bus] = (await nodes(1)) as [EventBus];
    const first: DomainEvent[] = [];
    const second: DomainEvent[] = [];
    bus.subscribe((e) => first.push(e));
    const off = bus.subscribe((e) => second.push(e));
    await bus.publish([typing(1), typing(2)]);
    await bus.publish([]);
    await bus.publish([typing(3)]);
    await until(first, 3);
    await until(second, 3);
    expect(first).toEqual([typing(1), typing(2), typing(3)]);
    off();
    await bus.publish([typing(4)]);
    await until(first, 4);
    expect(second).toHaveLength(3);
  });

  test('a listener that throws never stops the others', async () => {
    const [bus] = (await nodes(1)) as [EventBus];
    const seen: DomainEvent[] = [];
    const original = console.error;
    console.error = () => {};
    try {
      bus.subscribe(() => {
        throw new Error('boom');
      });
      bus.subscribe((e) => seen.push(e));
      await bus.publish([typing(1)]);
      await until(seen, 1);
    } finally {
      console.error = original;
    }
  });

  test('batches published at once from several nodes reach every node in one and the same order', async () => {
    const buses = await nodes(3);
    const seen = buses.map(() => [] as DomainEvent[]);
    for (const [i, bus] of buses.entries()) bus.subscribe((e) => seen[i]?.push(e));
    await Promise.all(
      buses.flatMap((bus, node) => Array.from({ length: 20 }, (_, n) => bus.publish([typing(n, `node${node}`), typing(n + 100, `node${node}`)]))),
    );
    for (const s of seen) await until(s, 120);
    expect(seen[1]).toEqual(seen[0] as DomainEvent[]);
    expect(seen[2]).toEqual(seen[0] as DomainEvent[]);
    // A batch is never split by another's events, and each node's batches keep their order.
    const order = seen[0] as Extract<DomainEvent, { type: 'typing.start' }>[];
    for (let i = 0; i < order.length; i += 2) {
      const head = order[i] as (typeof order)[number];
      expect(order[i + 1]).toEqual({ ...head, at: head.at + 100 });
    }
    for (const node of ['node0', 'node1', 'node2']) {
      const mine = order.filter((e) => e.userId === node && e.at < 100).map((e) => e.at);
      expect(mine).toEqual(Array.from({ length: 20 }, (_, n) => n));
    }
  });
});

test('RedisBus: a node that starts later hears what comes after, not the history', async () => {
  const prefix = `bus${++run}:`;
  const early = await redisBus(server.url, prefix);
  await early.publish([typing(1)]);
  const late = await redisBus(server.url, prefix);
  const seen: DomainEvent[] = [];
  late.subscribe((e) => seen.push(e));
  await early.publish([typing(2)]);
  await until(seen, 1);
  expect(seen).toEqual([typing(2)]);
});

test('RedisBus: every node delivers each batch under the same batch number, counting up in stream order', async () => {
  const prefix = `bus${++run}:`;
  const [one, two] = [await redisBus(server.url, prefix), await redisBus(server.url, prefix)];
  const numbers: [number[], number[]] = [[], []];
  one.subscribe(() => numbers[0].push(one.batch));
  two.subscribe(() => numbers[1].push(two.batch));
  await Promise.all([one.publish([typing(1)]), two.publish([typing(2)]), one.publish([typing(3), typing(4)])]);
  await until(numbers[0], 4);
  await until(numbers[1], 4);
  expect(numbers[1]).toEqual(numbers[0]);
  expect(new Set(numbers[0]).size).toBe(3);
  expect([...numbers[0]].sort((x, y) => x - y)).toEqual(numbers[0]);
});

test('the outbox holds commits while Redis is down and the relay delivers them, in order, once it is back', async () => {
  const own = await startRedis();
  const db = new Database(':memory:');
  migrate(db);
  try {
    const publisher = await redisBus(own.url, 'relay:');
    const reader = await redisBus(own.url, 'relay:');
    const seen: DomainEvent[] = [];
    reader.subscribe((e) => seen.push(e));
    const outbox = new SqliteOutbox(db);
    const relay = new OutboxRelay(outbox, publisher, { minRetryMs: 50, maxRetryMs: 200 });
    closers.push(() => relay.close());
    outbox.append([typing(1)]);
    await relay.kick();
    await until(seen, 1);
    expect(relay.backlog()).toBe(0);

    await own.stop();
    outbox.append([typing(2), typing(3)]);
    outbox.append([typing(4)]);
    await relay.kick();
    expect(relay.backlog()).toBe(2);
    expect(db.query('SELECT count(*) AS n FROM event_outbox').get()).toEqual({ n: 2 });

    await own.start();
    // Nothing kicks the relay: its own retry delivers the rows once Redis answers again.
    await until(seen, 4);
    expect(seen).toEqual([typing(1), typing(2), typing(3), typing(4)]);
    expect(relay.backlog()).toBe(0);
  } finally {
    db.close();
    await own.close();
  }
});

test('the relay appends a backlog in one round trip, each commit still its own batch, with its commit time', async () => {
  const db = new Database(':memory:');
  migrate(db);
  try {
    const prefix = `relay${++run}:`;
    const publisher = await redisBus(server.url, prefix);
    const reader = await redisBus(server.url, prefix);
    const seen: [DomainEvent, number, number | undefined][] = [];
    reader.subscribe((e) => seen.push([e, reader.batch, commitTimeOf(e)]));
    let at = 1_700_000_000_000;
    const outbox = new SqliteOutbox(db, () => at++);
    const calls: string[] = [];
    const relay = new OutboxRelay(outbox, {
      publish: (events, committedAt) => {
        calls.push('publish');
        return publisher.publish(events, committedAt);
      },
      publishAll: (batches) => {
        calls.push(`publishAll ${batches.length}`);
        return publisher.publishAll(batches);
      },
    });
    closers.push(() => relay.close());
    for (let n = 1; n <= 5; n++) outbox.append([typing(n)]);
    await relay.kick();
    await until(seen, 5);
    expect(calls).toEqual(['publishAll 5']);
    expect(seen.map(([e]) => e)).toEqual([1, 2, 3, 4, 5].map((n) => typing(n)));
    const batches = seen.map(([, batch]) => batch);
    expect(batches.map((b) => b - (batches[0] as number))).toEqual([0, 1, 2, 3, 4]);
    expect(seen.map(([, , committed]) => committed)).toEqual([0, 1, 2, 3, 4].map((n) => 1_700_000_000_000 + n));
    expect(relay.backlog()).toBe(0);
  } finally {
    db.close();
  }
});

test('a row sent again (its delete failed after the append, or a second node relays it as orphaned) reaches every node once', async () => {
  const prefix = `relay${++run}:`;
  const publisher = await redisBus(server.url, prefix);
  const other = await redisBus(server.url, prefix);
  const reader = await redisBus(server.url, prefix);
  const seen: DomainEvent[] = [];
  reader.subscribe((e) => seen.push(e));
  // Rows of one shared database (ids unique in the instance, as PostgreSQL's are), in memory.
  const rows: OutboxRow[] = [1, 2, 3].map((n) => ({ id: n, events: [typing(n)], createdAt: 1_700_000_000_000 + n }));
  let failDeletes = 1;
  const shared = (): AsyncOutbox => ({
    scope: 'test-db',
    append: async () => {},
    pending: async (limit) => rows.slice(0, limit),
    remove: async () => {},
    removeAll: async (ids) => {
      // As a crash between the append and the delete leaves it: the bus has the rows, the outbox still holds them.
      if (failDeletes-- > 0) throw new Error('connection lost');
      for (const id of ids)
        rows.splice(
          rows.findIndex((row) => row.id === id),
          1,
        );
    },
  });
  const relay = new OutboxRelay(shared(), publisher, { minRetryMs: 20, maxRetryMs: 50 });
  closers.push(() => relay.close());
  await relay.kick();
  // Its retry sends the three rows again, then deletes them.
  const deadline = Date.now() + 5000;
  while (rows.length > 0 && Date.now() < deadline) await Bun.sleep(10);
  expect(rows).toEqual([]);
  // Another node finds the same rows (say it read them before the delete) and relays them too.
  const again: OutboxRow[] = [1, 2, 3].map((n) => ({ id: n, events: [typing(n)], createdAt: 1_700_000_000_000 + n }));
  await other.publishAll(again.map((row) => ({ events: row.events, committedAt: row.createdAt, key: `test-db:${row.id}:${row.createdAt}` })));
  // A new row, and one that reuses an old id at another time (a database restored from a backup), both go through.
  await other.publishAll([
    { events: [typing(4)], committedAt: 1_700_000_000_004, key: 'test-db:4:1700000000004' },
    { events: [typing(5)], committedAt: 1_700_000_000_005, key: 'test-db:1:1700000000005' },
  ]);
  await until(seen, 5);
  await Bun.sleep(300);
  expect(seen).toEqual([1, 2, 3, 4, 5].map((n) => typing(n)));
});

test('RedisBus: Redis losing the log (restarted without persistence) is reported as a new epoch, and the new log is read from its start', async () => {
  const own = await startRedis();
  try {
    const resets: string[] = [];
    const bus = await redisBus(own.url, 'epoch:', (epoch) => resets.push(epoch));
    const seen: DomainEvent[] = [];
    bus.subscribe((e) => seen.push(e));
    const before = bus.position.epoch;
    expect(before).toMatch(/^[0-9a-f-]{36}$/);
    await bus.publish([typing(1)]);
    await until(seen, 1);

    await own.stop();
    await own.start();
    // Another node publishes into the new, empty log as soon as Redis is back.
    const other = await redisBus(own.url, 'epoch:');
    await other.publish([typing(2)]);
    await until(seen, 2);
    expect(seen[1]).toEqual(typing(2));
    expect(resets).toHaveLength(1);
    expect(resets[0]).not.toBe(before as string);
    expect(bus.position.epoch).toBe(resets[0] as string);
  } finally {
    await own.close();
  }
});

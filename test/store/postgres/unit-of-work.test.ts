// The PostgreSQL unit of work against a real PostgreSQL: commit and rollback, savepoints, events only after the
// commit, repositories inside vs outside a write, two "nodes" (two pools, two units of work) racing on one row,
// and the outbox row written in the commit's own transaction.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { SQL } from 'bun';
import type { DomainEvent } from '../../../src/events/domain-events.ts';
import { OutboxRelay } from '../../../src/events/outbox.ts';
import { openPostgres } from '../../../src/store/postgres/connection.ts';
import { migratePostgres } from '../../../src/store/postgres/migrate.ts';
import { PostgresOutbox } from '../../../src/store/postgres/outbox-store.ts';
import { type Isolation, PostgresUnitOfWork } from '../../../src/store/postgres/unit-of-work.ts';
import { freshDatabase } from '../../support/postgres-server.ts';

let url = '';
const pools: SQL[] = [];

beforeAll(async () => {
  url = await freshDatabase('harmony_uow');
  const first = pool();
  await migratePostgres(first);
});

afterAll(async () => {
  for (const p of pools) await p.close();
});

function pool(): SQL {
  const p = openPostgres(url, { max: 4 });
  pools.push(p);
  return p;
}

/** A unit of work over its own pool (one "node") and the events its hub received, in order. */
function node(options: { isolation?: Isolation; outbox?: boolean; maxAttempts?: number } = {}) {
  const sql = pool();
  const published: DomainEvent[] = [];
  const outbox = options.outbox ? new PostgresOutbox(sql, Date.now, 'node-a') : undefined;
  const kicks: number[] = [];
  const uow = new PostgresUnitOfWork(
    sql,
    { publish: (events) => published.push(...events) },
    {
      ...(options.isolation ? { isolation: options.isolation } : {}),
      ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
      ...(outbox ? { outbox, relay: { kick: async () => void kicks.push(1) } } : {}),
    },
  );
  return { sql, uow, published, outbox, kicks };
}

/** Closes these nodes' pools now, leaving the server's connections to the tests after them. */
async function release(nodes: { sql: SQL }[]): Promise<void> {
  for (const { sql } of nodes) {
    pools.splice(pools.indexOf(sql), 1);
    await sql.close();
  }
}

let n = 0;
const key = (label: string) => `${label}-${process.pid}-${++n}`;
const marker = (id: string): DomainEvent => ({ type: 'message.delete', id, channelId: '1', guildId: null });
const ids = (events: readonly DomainEvent[]) => events.map((e) => (e.type === 'message.delete' ? e.id : e.type));

function signal() {
  let fire: () => void = () => {};
  const fired = new Promise<void>((resolve) => {
    fire = resolve;
  });
  return { fire, fired };
}

describe('PostgresUnitOfWork', () => {
  test('a write commits its rows and resolves with its value; its events reach the hub after the commit', async () => {
    const { uow, published } = node();
    const k = key('commit');
    const value = await uow.write(async (emit) => {
      await uow.repos.settings.set(k, 'v1');
      emit(marker('a'));
      emit(marker('b'));
      expect(published).toEqual([]);
      return 42;
    });
    expect(value).toBe(42);
    expect(ids(published)).toEqual(['a', 'b']);
    expect(await uow.repos.settings.get(k)).toBe('v1');
  });

  test('the hub is called only once the rows are visible to another connection', async () => {
    const other = pool();
    const sql = pool();
    const k = key('visible');
    const checks: Promise<unknown>[] = [];
    const uow = new PostgresUnitOfWork(sql, {
      publish: () => {
        checks.push(other`SELECT value FROM settings WHERE key = ${k}`.then((rows) => rows[0]?.value ?? null));
      },
    });
    await uow.write(async (emit) => {
      await uow.repos.settings.set(k, 'seen');
      emit(marker('x'));
    });
    expect(await Promise.all(checks)).toEqual(['seen']);
  });

  test('a write that throws rolls back every row and publishes nothing; the error reaches the caller', async () => {
    const { uow, published } = node();
    const k = key('rollback');
    const failure = uow.write(async (emit) => {
      await uow.repos.settings.set(k, 'never');
      emit(marker('lost'));
      throw new Error('refused');
    });
    await expect(failure).rejects.toThrow('refused');
    expect(await uow.repos.settings.get(k)).toBeNull();
    expect(published).toEqual([]);
  });

  test('a nested write is a savepoint: when it fails only its rows and events go, the outer write commits', async () => {
    const { uow, published } = node();
    const [outer, inner, later] = [key('outer'), key('inner'), key('later')];
    await uow.write(async (emit) => {
      await uow.repos.settings.set(outer, 'kept');
      emit(marker('outer'));
      await expect(
        uow.write(async (emitInner) => {
          await uow.repos.settings.set(inner, 'undone');
          emitInner(marker('inner'));
          // Inside the savepoint its own uncommitted row is visible.
          expect(await uow.repos.settings.get(inner)).toBe('undone');
          throw new Error('inner refused');
        }),
      ).rejects.toThrow('inner refused');
      expect(await uow.repos.settings.get(inner)).toBeNull();
      await uow.write(async (emitInner) => {
        await uow.repos.settings.set(later, 'joined');
        emitInner(marker('later'));
      });
      emit(marker('end'));
    });
    expect(ids(published)).toEqual(['outer', 'later', 'end']);
    expect(await uow.repos.settings.get(outer)).toBe('kept');
    expect(await uow.repos.settings.get(inner)).toBeNull();
    expect(await uow.repos.settings.get(later)).toBe('joined');
  });

  test('a nested write that succeeded is still undone when the outer write fails', async () => {
    const { uow, published } = node();
    const inner = key('inner-undone');
    await expect(
      uow.write(async () => {
        await uow.write(async (emit) => {
          await uow.repos.settings.set(inner, 'x');
          emit(marker('inner'));
        });
        throw new Error('outer refused');
      }),
    ).rejects.toThrow('outer refused');
    expect(await uow.repos.settings.get(inner)).toBeNull();
    expect(published).toEqual([]);
  });

  test('nested writes started together run one after another in the one transaction', async () => {
    const { uow, published } = node();
    const keys = [key('p1'), key('p2'), key('p3')];
    await uow.write(async () => {
      await Promise.all(
        keys.map((k, i) =>
          uow.write(async (emit) => {
            await uow.repos.settings.set(k, String(i));
            emit(marker(String(i)));
          }),
        ),
      );
    });
    expect(ids(published)).toEqual(['0', '1', '2']);
    expect(await Promise.all(keys.map((k) => uow.repos.settings.get(k)))).toEqual(['0', '1', '2']);
  });

  test('repos inside a write see its uncommitted rows; outside it (another request) they see committed rows only', async () => {
    const { uow } = node();
    const k = key('isolation');
    const written = signal();
    const release = signal();
    const work = uow.write(async () => {
      await uow.repos.settings.set(k, 'pending');
      expect(await uow.repos.settings.get(k)).toBe('pending');
      written.fire();
      await release.fired;
    });
    await written.fired;
    // This test's own async context is not the write's: the same `repos` object reads through the pool.
    expect(await uow.repos.settings.get(k)).toBeNull();
    release.fire();
    await work;
    expect(await uow.repos.settings.get(k)).toBe('pending');
  });

  test('enrichment runs before the commit, reads in the transaction, and what it adds is published', async () => {
    const { uow, published } = node();
    const k = key('enrich');
    uow.enrichWith(async (events) => {
      const value = await uow.repos.settings.get(k);
      events.push(marker(`enriched:${value}`));
    });
    await uow.write(async (emit) => {
      await uow.repos.settings.set(k, 'fresh');
      emit(marker('m'));
    });
    expect(ids(published)).toEqual(['m', 'enriched:fresh']);
  });

  test('a failing enrichment rolls the write back', async () => {
    const { uow, published } = node();
    const k = key('enrich-fails');
    uow.enrichWith(async () => {
      throw new Error('no view');
    });
    await expect(
      uow.write(async (emit) => {
        await uow.repos.settings.set(k, 'x');
        emit(marker('m'));
      }),
    ).rejects.toThrow('no view');
    expect(await uow.repos.settings.get(k)).toBeNull();
    expect(published).toEqual([]);
  });

  test('an error that is not a lost race is not retried', async () => {
    const { uow } = node();
    let calls = 0;
    await expect(
      uow.write(async () => {
        calls++;
        await uow.repos.settings.set(key('dup'), 'x');
        throw new Error('plain');
      }),
    ).rejects.toThrow('plain');
    expect(calls).toBe(1);
    expect(uow.retried).toBe(0);
  });
});

describe('two nodes writing to one database', () => {
  /**
   * Read-decide-write on one counter from two nodes, both reading before either writes (what the SQLite engine's
   * single writer made impossible). Returns the final counter and how many writes were rerun.
   */
  async function race(isolation: Isolation | undefined) {
    const a = node(isolation ? { isolation } : {});
    const b = node(isolation ? { isolation } : {});
    const k = key('counter');
    await a.uow.write(async () => a.uow.repos.settings.set(k, '0'));
    let arrived = 0;
    const bothRead = signal();
    const increment = (uow: PostgresUnitOfWork) =>
      uow.write(async (emit) => {
        const current = Number(await uow.repos.settings.get(k));
        // First attempt of each: wait until the other node has read too.
        if (++arrived <= 2) {
          if (arrived === 2) bothRead.fire();
          await bothRead.fired;
        }
        await uow.repos.settings.set(k, String(current + 1));
        emit(marker(`to ${current + 1}`));
      });
    await Promise.all([increment(a.uow), increment(b.uow)]);
    return {
      value: await a.uow.repos.settings.get(k),
      retried: a.uow.retried + b.uow.retried,
      events: [...ids(a.published), ...ids(b.published)].sort(),
    };
  }

  test('a read-decide-write race is rerun by the loser: both increments count, each node published its own', async () => {
    const { value, retried, events } = await race(undefined);
    expect(value).toBe('2');
    expect(retried).toBeGreaterThanOrEqual(1);
    // The loser's first attempt emitted "to 1" too, but that attempt rolled back: only committed events are published.
    expect(events).toEqual(['to 1', 'to 2']);
  });

  test('under READ COMMITTED the same race loses an update (why the default is SERIALIZABLE)', async () => {
    const { value, retried } = await race('read committed');
    expect(value).toBe('1');
    expect(retried).toBe(0);
  });

  test('many increments from three nodes at once all count', async () => {
    // Twelve writers on one row: each round has one winner, so the last may lose eleven times.
    const nodes = [node({ maxAttempts: 40 }), node({ maxAttempts: 40 }), node({ maxAttempts: 40 })];
    const k = key('many');
    await nodes[0]?.uow.write(async () => nodes[0]?.uow.repos.settings.set(k, '0'));
    await Promise.all(
      Array.from({ length: 12 }, (_, i) => {
        const { uow } = nodes[i % 3] as ReturnType<typeof node>;
        return uow.write(async () => {
          const current = Number(await uow.repos.settings.get(k));
          await uow.repos.settings.set(k, String(current + 1));
        });
      }),
    );
    expect(await nodes[1]?.uow.repos.settings.get(k)).toBe('12');
  });
});

describe("an author's own read state, acked just after each post's commit", () => {
  test('a burst of posts by one author in one channel from three nodes: none is rerun, and the read state ends at the newest', async () => {
    const nodes = [node(), node(), node()];
    const { uow: first } = nodes[0] as ReturnType<typeof node>;
    const author = String(9_000_000_000_000 + (process.pid % 1000) * 1000 + ++n);
    const channel = String(8_000_000_000_000 + (process.pid % 1000) * 1000 + n);
    await first.write(async () => {
      await first.repos.users.insert({ id: author, username: `a${author}`, passwordHash: null, bot: false, admin: false, createdAt: 1 });
      await first.repos.channels.insert({ id: channel, guildId: null, type: 1, name: null, topic: null, position: 0, lastMessageId: null, createdAt: 1 });
      await first.repos.readStates.mentionUsers(channel, [author, author]);
    });
    const posts = Array.from({ length: 24 }, (_, i) => String(7_000_000_000_000 + i));
    await Promise.all(
      posts.map((post, i) => {
        const { uow } = nodes[i % 3] as ReturnType<typeof node>;
        // The post's own rows would be written here too; what matters is that every post acks the one row.
        return uow.write(async (emit) => {
          await uow.repos.readStates.ackOwnMessage(author, channel, post);
          emit(marker(post));
        });
      }),
    );
    expect(nodes.map(({ uow }) => uow.retried)).toEqual([0, 0, 0]);
    // Whatever order the acks ran in, the newest post wins and the mentions are gone.
    expect(await first.repos.readStates.ofUser(author)).toEqual([{ channelId: channel, lastReadMessageId: posts.at(-1) as string, mentionCount: 0 }]);
    // An older post acked late does not move it back, and leaves mentions made since then.
    await first.write(async () => first.repos.readStates.mentionUsers(channel, [author]));
    await first.write(async () => first.repos.readStates.ackOwnMessage(author, channel, posts[0] as string));
    expect(await first.repos.readStates.ofUser(author)).toEqual([{ channelId: channel, lastReadMessageId: posts.at(-1) as string, mentionCount: 1 }]);
    await release(nodes);
  });

  test('a write that rolls back drops its ack with it', async () => {
    const { uow } = node();
    const author = String(9_100_000_000_000 + (process.pid % 1000) * 1000 + ++n);
    const channel = String(8_100_000_000_000 + (process.pid % 1000) * 1000 + n);
    await uow.write(async () => {
      await uow.repos.users.insert({ id: author, username: `b${author}`, passwordHash: null, bot: false, admin: false, createdAt: 1 });
      await uow.repos.channels.insert({ id: channel, guildId: null, type: 1, name: null, topic: null, position: 0, lastMessageId: null, createdAt: 1 });
    });
    const failed = uow.write(async () => {
      await uow.repos.readStates.ackOwnMessage(author, channel, '7000000000001');
      throw new Error('refused');
    });
    await expect(failed).rejects.toThrow('refused');
    const inner = uow.write(async () => {
      await uow
        .write(async () => {
          await uow.repos.readStates.ackOwnMessage(author, channel, '7000000000002');
          throw new Error('nested refused');
        })
        .catch(() => {});
    });
    await inner;
    expect(await uow.repos.readStates.ofUser(author)).toEqual([]);
    await release([{ sql: uow.sql }]);
  });
});

describe('with an outbox', () => {
  test("the commit's events are an outbox row of the same transaction; the hub is not called, the relay is kicked", async () => {
    const { uow, published, outbox, kicks, sql } = node({ outbox: true });
    const k = key('outbox');
    const before = await sql<{ n: string }[]>`SELECT count(*) AS n FROM event_outbox`;
    await uow.write(async (emit) => {
      await uow.repos.settings.set(k, 'v');
      emit(marker('o1'));
      emit(marker('o2'));
      // Not yet visible to another connection: the row is part of this transaction.
      const other = pools[0] as SQL;
      expect((await other<{ n: string }[]>`SELECT count(*) AS n FROM event_outbox`)[0]?.n).toBe(before[0]?.n);
    });
    expect(published).toEqual([]);
    expect(kicks).toHaveLength(1);
    const rows = await (outbox as PostgresOutbox).pending(100);
    expect(rows.map((r) => ids(r.events))).toContainEqual(['o1', 'o2']);
  });

  test('a rolled-back write leaves no outbox row; a write without events writes none', async () => {
    const { uow, outbox, kicks } = node({ outbox: true });
    const start = (await (outbox as PostgresOutbox).pending(1000)).length;
    await expect(
      uow.write(async (emit) => {
        emit(marker('gone'));
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    await uow.write(async () => uow.repos.settings.set(key('quiet'), 'x'));
    expect((await (outbox as PostgresOutbox).pending(1000)).length).toBe(start);
    expect(kicks).toHaveLength(0);
  });

  test('the relay publishes the rows in commit order and deletes them; a row left by a dead node is relayed after the orphan delay', async () => {
    const sql = pool();
    const k = key('relay');
    const node = `relay-${k}`;
    const outbox = new PostgresOutbox(sql, Date.now, node, 60_000);
    const uow = new PostgresUnitOfWork(sql, { publish: () => {} }, { outbox });
    await sql`DELETE FROM event_outbox`;
    for (const id of ['r1', 'r2', 'r3']) await uow.write(async (emit) => emit(marker(id)));
    // A crash before the relay ran: the rows are all there, in order.
    expect((await outbox.pending(10)).map((r) => ids(r.events))).toEqual([['r1'], ['r2'], ['r3']]);
    // Another node's relay does not take them while this node may still be alive...
    const later = { now: Date.now() };
    const otherNode = new PostgresOutbox(sql, () => later.now, 'other', 60_000);
    expect(await otherNode.pending(10)).toEqual([]);
    // ...but does once they are older than the orphan delay.
    later.now += 61_000;
    const bus: (readonly DomainEvent[])[] = [];
    const relay = new OutboxRelay(otherNode, { publish: async (events) => void bus.push(events) });
    await relay.kick();
    expect(bus.map(ids)).toEqual([['r1'], ['r2'], ['r3']]);
    expect(await relay.backlog()).toBe(0);
    expect((await sql<{ n: string }[]>`SELECT count(*) AS n FROM event_outbox`)[0]?.n).toBe('0');
  });
});

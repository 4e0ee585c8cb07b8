// The unit of work on SQLite: writes queue one at a time, events reach the hub only after commit and never after a
// rollback, nested writes are savepoints, repositories act in the write of their async context, and reads outside a
// write never see its uncommitted rows (a second, read-only connection on a file; waiting for the write on :memory:).
// Group commit: writes queued together share one transaction, each in its own savepoint, and are acknowledged and
// published, in queue order, only after that transaction commits.
import { Database } from 'bun:sqlite';
import { afterEach, describe, expect, it } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';
import { SqliteUnitOfWork, type SqliteUnitOfWorkOptions } from '../../src/db/unit-of-work.ts';
import type { DomainEvent } from '../../src/events/domain-events.ts';
import { EventHub } from '../../src/events/event-hub.ts';
import { sqliteRepositories } from '../../src/store/sqlite/index.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** Batches bounded by count only (no time budget), unless a test asks otherwise: the machine may be slow. */
function setUp(where: 'file' | 'memory', options: SqliteUnitOfWorkOptions = { batchBudgetMs: 60_000 }) {
  const dir = mkdtempSync(join(tmpdir(), 'harmony-uow-'));
  const db = openDatabase(where === 'file' ? join(dir, 'harmony.db') : ':memory:');
  migrate(db);
  const hub = new EventHub();
  const uow = new SqliteUnitOfWork(db, hub, sqliteRepositories, options);
  const published: string[] = [];
  hub.subscribe((e) => published.push((e as { userId: string }).userId));
  cleanups.push(async () => {
    await uow.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { db, hub, uow, published, file: join(dir, 'harmony.db') };
}

/** A stand-in event: the unit of work only carries events, it does not read them. */
const event = (tag: string) => ({ type: 'PRESENCE_UPDATE', userId: tag }) as unknown as DomainEvent;
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('SqliteUnitOfWork', () => {
  it('commits a body that awaits, then publishes its events in order', async () => {
    const { uow, published } = setUp('file');
    const result = await uow.write(async (emit) => {
      await uow.repos.settings.set('a', '1');
      emit(event('first'));
      await tick();
      emit(event('second'));
      return uow.repos.settings.get('a');
    });
    expect(result).toBe('1');
    expect(published).toEqual(['first', 'second']);
    expect(await uow.repos.settings.get('a')).toBe('1');
  });

  it('rolls back a body that throws and publishes nothing', async () => {
    const { uow, published } = setUp('file');
    const failed = uow.write(async (emit) => {
      await uow.repos.settings.set('a', '1');
      emit(event('lost'));
      await tick();
      throw new Error('no');
    });
    await expect(failed).rejects.toThrow('no');
    expect(published).toEqual([]);
    expect(await uow.repos.settings.get('a')).toBeNull();
  });

  it('runs writes one at a time, in the order they were asked for', async () => {
    const { uow, published } = setUp('file');
    const order: string[] = [];
    const slow = uow.write(async (emit) => {
      order.push('slow begins');
      await tick();
      await uow.repos.settings.set('n', 'slow');
      order.push('slow ends');
      emit(event('slow'));
    });
    const fast = uow.write(async (emit) => {
      order.push('fast begins');
      await uow.repos.settings.set('n', 'fast');
      emit(event('fast'));
    });
    await Promise.all([slow, fast]);
    expect(order).toEqual(['slow begins', 'slow ends', 'fast begins']);
    expect(published).toEqual(['slow', 'fast']);
    expect(await uow.repos.settings.get('n')).toBe('fast');
  });

  it('makes a nested write a savepoint: its rollback keeps the outer write, its events go only if it succeeded', async () => {
    const { uow, published } = setUp('file');
    await uow.write(async (emit) => {
      await uow.repos.settings.set('outer', '1');
      emit(event('outer'));
      await uow.write(async (emitInner) => {
        await uow.repos.settings.set('kept', '1');
        emitInner(event('kept'));
        // A write nested in a nested write is a savepoint of its own (and does not wait for its parent).
        await uow.write(async (emitDeeper) => {
          await uow.repos.settings.set('deeper', '1');
          emitDeeper(event('deeper'));
        });
      });
      await expect(
        uow.write(async (emitInner) => {
          await uow.repos.settings.set('dropped', '1');
          emitInner(event('dropped'));
          throw new Error('inner fails');
        }),
      ).rejects.toThrow('inner fails');
    });
    expect(published).toEqual(['outer', 'kept', 'deeper']);
    expect(await uow.repos.settings.get('outer')).toBe('1');
    expect(await uow.repos.settings.get('kept')).toBe('1');
    expect(await uow.repos.settings.get('deeper')).toBe('1');
    expect(await uow.repos.settings.get('dropped')).toBeNull();
  });

  it('enriches the events inside the transaction, before they are published', async () => {
    const { uow, hub } = setUp('file');
    uow.enrichWith(async (events) => {
      const seen = await uow.repos.settings.get('e');
      for (const [i, e] of events.entries()) events[i] = { ...e, userId: `${(e as { userId: string }).userId}:${seen}` } as DomainEvent;
    });
    const got: string[] = [];
    hub.subscribe((e) => got.push((e as { userId: string }).userId));
    await uow.write(async (emit) => {
      await uow.repos.settings.set('e', 'uncommitted-then-committed');
      emit(event('x'));
    });
    expect(got).toEqual(['x:uncommitted-then-committed']);
  });

  it('lets a write asked for by a hub listener run after the one that published', async () => {
    const { uow, hub } = setUp('file');
    const order: string[] = [];
    hub.subscribe((e) => {
      if ((e as { userId: string }).userId !== 'first') return;
      void uow.write(async () => {
        order.push('follow-up writes');
        await uow.repos.settings.set('f', 'follow-up');
      });
      order.push('listener returns');
    });
    await uow.write(async (emit) => {
      emit(event('first'));
    });
    order.push('first resolved');
    await tick();
    expect(order).toEqual(['listener returns', 'first resolved', 'follow-up writes']);
    expect(await uow.repos.settings.get('f')).toBe('follow-up');
  });

  it('never lets a read outside the write see its uncommitted rows (file: a read connection)', async () => {
    const { uow } = setUp('file');
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let written!: () => void;
    const wrote = new Promise<void>((resolve) => {
      written = resolve;
    });
    const writing = uow.write(async () => {
      await uow.repos.settings.set('x', 'uncommitted');
      expect(await uow.repos.settings.get('x')).toBe('uncommitted');
      written();
      await gate;
    });
    await wrote;
    expect(await uow.repos.settings.get('x')).toBeNull();
    release();
    await writing;
    expect(await uow.repos.settings.get('x')).toBe('uncommitted');
  });

  it('never lets a read outside the write see its uncommitted rows (:memory:: the read waits for the commit)', async () => {
    const { uow } = setUp('memory');
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let written!: () => void;
    const wrote = new Promise<void>((resolve) => {
      written = resolve;
    });
    const writing = uow.write(async () => {
      await uow.repos.settings.set('x', 'uncommitted');
      written();
      await gate;
      await uow.repos.settings.set('x', 'committed');
    });
    await wrote;
    const read = uow.repos.settings.get('x');
    release();
    expect(await read).toBe('committed');
    await writing;
  });

  it('refuses a repository write made outside any write while another request has one open (file: the read connection is read-only)', async () => {
    const { uow } = setUp('file');
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let opened!: () => void;
    const open = new Promise<void>((resolve) => {
      opened = resolve;
    });
    const writing = uow.write(async () => {
      opened();
      await gate;
    });
    await open;
    await expect(uow.repos.settings.set('y', '1')).rejects.toThrow(/readonly/i);
    release();
    await writing;
    expect(await uow.repos.settings.get('y')).toBeNull();
  });

  it('does not act in a write that has ended: work that outlives its body reads committed rows', async () => {
    const { uow } = setUp('file');
    let later!: Promise<string | null>;
    await uow.write(async () => {
      await uow.repos.settings.set('z', '1');
      // Started inside the body, run after the commit: it must not take the write connection as its transaction.
      later = tick().then(() => uow.repos.settings.get('z'));
    });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const other = uow.write(async () => {
      await uow.repos.settings.set('z', 'other, uncommitted');
      await gate;
    });
    expect(await later).toBe('1');
    release();
    await other;
  });
});

describe('SqliteUnitOfWork group commit', () => {
  it('commits writes asked for together in one transaction, and acknowledges each only once it is durable', async () => {
    const { uow, published, file } = setUp('file');
    const before = { ...uow.stats };
    const other = new Database(file, { readonly: true });
    cleanups.push(async () => other.close());
    const seenByAnotherConnection: (string | null)[] = [];
    const n = 50;
    const results = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        uow
          .write(async (emit) => {
            await uow.repos.settings.set(`k${i}`, `v${i}`);
            emit(event(`w${i}`));
            return i;
          })
          .then((value) => {
            // Acknowledged: another connection (another process, after a crash) already sees the row.
            const row = other.query('SELECT value FROM settings WHERE key = ?').get(`k${i}`) as { value: string } | null;
            seenByAnotherConnection.push(row?.value ?? null);
            return value;
          }),
      ),
    );
    expect(results).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(uow.stats.batches - before.batches).toBe(1);
    expect(uow.stats.writes - before.writes).toBe(n);
    expect(seenByAnotherConnection).toEqual(Array.from({ length: n }, (_, i) => `v${i}`));
    expect(published).toEqual(Array.from({ length: n }, (_, i) => `w${i}`));
  });

  it('gathers into one batch the writes of requests handled in the same turn of the event loop', async () => {
    // Each HTTP request is its own task: a write asked for by the first must wait for the others to ask too,
    // or every request commits alone (as it did while a batch started on the first microtask).
    const { uow, published } = setUp('file');
    const before = uow.stats.batches;
    const requests = Array.from({ length: 8 }, (_, i) =>
      new Promise<void>((resolve) => setImmediate(resolve)).then(() =>
        uow.write(async (emit) => {
          await uow.repos.settings.set(`r${i}`, 'x');
          emit(event(`r${i}`));
        }),
      ),
    );
    await Promise.all(requests);
    expect(uow.stats.batches - before).toBe(1);
    expect(published).toEqual(Array.from({ length: 8 }, (_, i) => `r${i}`));
  });

  it('rejects writes queued when the database closes under them, and leaves no unhandled error', async () => {
    const { db, uow } = setUp('file');
    const writes = [1, 2, 3].map((i) => uow.write(async () => uow.repos.settings.set(`c${i}`, 'x')));
    // The batch starts on the next turn of the event loop: the connection is gone by then.
    db.close(false);
    const outcomes = await Promise.allSettled(writes);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected']);
  });

  it('keeps writes queued while a batch runs for the next batch, and publishes every event in queue order', async () => {
    const { uow, published } = setUp('file');
    const before = uow.stats.batches;
    const writes: Promise<unknown>[] = [];
    for (let i = 0; i < 30; i++) {
      writes.push(
        uow.write(async (emit) => {
          // Bodies that take different times still commit and publish in the order they were asked for.
          if (i % 3 === 0) await tick();
          await uow.repos.settings.set('last', String(i));
          emit(event(`w${i}`));
        }),
      );
      if (i % 10 === 9) await tick();
    }
    await Promise.all(writes);
    const batches = uow.stats.batches - before;
    expect(batches).toBeGreaterThan(1);
    expect(batches).toBeLessThan(30);
    expect(published).toEqual(Array.from({ length: 30 }, (_, i) => `w${i}`));
    expect(await uow.repos.settings.get('last')).toBe('29');
  });

  it('bounds a batch, so that one transaction does not hold the connection for the whole queue', async () => {
    const { uow } = setUp('file', { batchLimit: 256, batchBudgetMs: 60_000 });
    const before = uow.stats.batches;
    await Promise.all(Array.from({ length: 600 }, (_, i) => uow.write(async () => uow.repos.settings.set(`b${i}`, '1'))));
    expect(uow.stats.batches - before).toBe(3);
    expect(uow.stats.largest).toBe(256);
  });

  it('commits a batch early once it has run out of time, acknowledging its writes before the next batch runs', async () => {
    const { uow } = setUp('file', { batchBudgetMs: 20 });
    const before = uow.stats.batches;
    const order: string[] = [];
    await Promise.all([
      uow
        .write(async () => {
          await new Promise((resolve) => setTimeout(resolve, 40));
          await uow.repos.settings.set('slow', '1');
        })
        .then(() => order.push('slow acknowledged')),
      ...['a', 'b'].map((tag) =>
        uow.write(async () => {
          order.push(`${tag} runs`);
          await uow.repos.settings.set(tag, '1');
        }),
      ),
    ]);
    expect(order).toEqual(['slow acknowledged', 'a runs', 'b runs']);
    expect(uow.stats.batches - before).toBe(2);
  });

  it('rolls back only the write that fails in a batch: the others keep their rows, results and events', async () => {
    const { uow, published } = setUp('file');
    const before = uow.stats.batches;
    const outcomes = await Promise.allSettled(
      ['a', 'b', 'c', 'd'].map((tag) =>
        uow.write(async (emit) => {
          await uow.repos.settings.set(tag, tag);
          emit(event(tag));
          await tick();
          if (tag === 'b' || tag === 'd') {
            // Partial work, a nested write that succeeded, then the failure: none of it may stay.
            await uow.write(async (emitInner) => {
              await uow.repos.settings.set(`${tag}-inner`, '1');
              emitInner(event(`${tag}-inner`));
            });
            throw new Error(`${tag} fails`);
          }
          return tag.toUpperCase();
        }),
      ),
    );
    expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value : (o.reason as Error).message))).toEqual(['A', 'b fails', 'C', 'd fails']);
    expect(uow.stats.batches - before).toBe(1);
    expect(published).toEqual(['a', 'c']);
    for (const [key, value] of [
      ['a', 'a'],
      ['b', null],
      ['b-inner', null],
      ['c', 'c'],
      ['d', null],
      ['d-inner', null],
    ] as const)
      expect(await uow.repos.settings.get(key)).toBe(value);
  });

  it('rolls back a lone failing write whole, and runs the next one in a transaction of its own', async () => {
    const { uow, published } = setUp('file');
    await expect(
      uow.write(async () => {
        await uow.repos.settings.set('alone', '1');
        throw new Error('alone fails');
      }),
    ).rejects.toThrow('alone fails');
    await uow.write(async (emit) => {
      await uow.repos.settings.set('next', '1');
      emit(event('next'));
    });
    expect(published).toEqual(['next']);
    expect(await uow.repos.settings.get('alone')).toBeNull();
    expect(await uow.repos.settings.get('next')).toBe('1');
  });

  it('keeps nested writes as savepoints inside each write of a batch', async () => {
    const { uow, published } = setUp('file');
    await Promise.all(
      ['x', 'y'].map((tag) =>
        uow.write(async (emit) => {
          emit(event(tag));
          await uow.write(async (emitInner) => {
            await uow.repos.settings.set(`${tag}-kept`, '1');
            emitInner(event(`${tag}-kept`));
          });
          await expect(
            uow.write(async (emitInner) => {
              await uow.repos.settings.set(`${tag}-dropped`, '1');
              emitInner(event(`${tag}-dropped`));
              throw new Error('inner fails');
            }),
          ).rejects.toThrow('inner fails');
        }),
      ),
    );
    expect(published).toEqual(['x', 'x-kept', 'y', 'y-kept']);
    expect(await uow.repos.settings.get('x-kept')).toBe('1');
    expect(await uow.repos.settings.get('y-kept')).toBe('1');
    expect(await uow.repos.settings.get('x-dropped')).toBeNull();
    expect(await uow.repos.settings.get('y-dropped')).toBeNull();
  });

  it('enriches each write inside its own savepoint: a failing enrichment fails only its write', async () => {
    const { uow, published } = setUp('file');
    uow.enrichWith(async (events) => {
      const tag = (events[0] as { userId: string } | undefined)?.userId;
      if (tag === 'bad') throw new Error('enrichment fails');
      for (const [i, e] of events.entries())
        events[i] = { ...e, userId: `${(e as { userId: string }).userId}:${await uow.repos.settings.get(tag ?? '')}` } as DomainEvent;
    });
    const outcomes = await Promise.allSettled(
      ['good', 'bad', 'fine'].map((tag) =>
        uow.write(async (emit) => {
          await uow.repos.settings.set(tag, `${tag}-row`);
          emit(event(tag));
        }),
      ),
    );
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(published).toEqual(['good:good-row', 'fine:fine-row']);
    expect(await uow.repos.settings.get('bad')).toBeNull();
  });

  it('rejects the writes of a batch whose transaction a body ended, and runs the rest in a new one', async () => {
    const { uow, db, published } = setUp('file');
    const outcomes = await Promise.allSettled(
      ['first', 'breaks', 'after'].map((tag) =>
        uow.write(async (emit) => {
          await uow.repos.settings.set(tag, '1');
          emit(event(tag));
          if (tag === 'breaks') db.exec('ROLLBACK');
        }),
      ),
    );
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
    expect(published).toEqual(['after']);
    expect(await uow.repos.settings.get('first')).toBeNull();
    expect(await uow.repos.settings.get('breaks')).toBeNull();
    expect(await uow.repos.settings.get('after')).toBe('1');
  });

  it('lets a :memory: read waiting for a batch run before the next batch', async () => {
    const { uow } = setUp('memory');
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const first = uow.write(async () => {
      await uow.repos.settings.set('m', 'first');
      await gate;
    });
    await tick();
    const read = uow.repos.settings.get('m').then((value) => order.push(`read ${value}`));
    const second = uow.write(async () => {
      order.push('second batch');
      await uow.repos.settings.set('m', 'second');
    });
    release();
    await Promise.all([first, read, second]);
    expect(order).toEqual(['read first', 'second batch']);
  });
});

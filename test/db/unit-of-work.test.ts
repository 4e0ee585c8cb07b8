// The unit of work on SQLite: writes queue one at a time, events reach the hub only after commit and never after a
// rollback, nested writes are savepoints, repositories act in the write of their async context, and reads outside a
// write never see its uncommitted rows (a second, read-only connection on a file; waiting for the write on :memory:).
import { afterEach, describe, expect, it } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';
import { SqliteUnitOfWork } from '../../src/db/unit-of-work.ts';
import type { DomainEvent } from '../../src/events/domain-events.ts';
import { EventHub } from '../../src/events/event-hub.ts';
import { sqliteRepositories } from '../../src/store/sqlite/index.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function setUp(where: 'file' | 'memory') {
  const dir = mkdtempSync(join(tmpdir(), 'harmony-uow-'));
  const db = openDatabase(where === 'file' ? join(dir, 'harmony.db') : ':memory:');
  migrate(db);
  const hub = new EventHub();
  const uow = new SqliteUnitOfWork(db, hub, sqliteRepositories);
  const published: string[] = [];
  hub.subscribe((e) => published.push((e as { userId: string }).userId));
  cleanups.push(async () => {
    await uow.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { db, hub, uow, published };
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

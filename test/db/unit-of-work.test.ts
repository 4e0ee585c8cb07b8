// The awaiting unit of work on SQLite: writes queue one at a time, events reach the hub only after commit and
// never after a rollback, nested writes are savepoints, and reads outside a write never see its uncommitted rows
// (a second, read-only connection on a file; waiting for the write on a :memory: database).
import { afterEach, describe, expect, it } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';
import { UnitOfWork } from '../../src/db/unit-of-work.ts';
import type { DomainEvent } from '../../src/events/domain-events.ts';
import { EventHub } from '../../src/events/event-hub.ts';
import { sqliteRepositories } from '../../src/store/sqlite/index.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function setUp(where: 'file' | 'memory') {
  const dir = mkdtempSync(join(tmpdir(), 'harmony-uow-'));
  const db = openDatabase(where === 'file' ? join(dir, 'harmony.db') : ':memory:');
  migrate(db);
  const hub = new EventHub();
  const uow = new UnitOfWork(db, hub, sqliteRepositories);
  const published: string[] = [];
  hub.subscribe((e) => published.push((e as { userId: string }).userId));
  cleanups.push(() => {
    uow.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { db, uow, published };
}

/** A stand-in event: the unit of work only carries events, it does not read them. */
const event = (tag: string) => ({ type: 'PRESENCE_UPDATE', userId: tag }) as unknown as DomainEvent;
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('UnitOfWork.writeAsync on SQLite', () => {
  it('commits a body that awaits, then publishes its events in order', async () => {
    const { uow, published } = setUp('file');
    const result = await uow.writeAsync(async (tx, emit) => {
      await tx.settings.set('a', '1');
      emit(event('first'));
      await tick();
      emit(event('second'));
      return tx.settings.get('a');
    });
    expect(result).toBe('1');
    expect(published).toEqual(['first', 'second']);
    expect(await uow.reads.settings.get('a')).toBe('1');
  });

  it('rolls back a body that throws and publishes nothing', async () => {
    const { uow, published } = setUp('file');
    const failed = uow.writeAsync(async (tx, emit) => {
      await tx.settings.set('a', '1');
      emit(event('lost'));
      await tick();
      throw new Error('no');
    });
    await expect(failed).rejects.toThrow('no');
    expect(published).toEqual([]);
    expect(await uow.reads.settings.get('a')).toBeNull();
  });

  it('runs writes one at a time, in the order they were asked for', async () => {
    const { uow, published } = setUp('file');
    const order: string[] = [];
    const slow = uow.writeAsync(async (tx, emit) => {
      order.push('slow begins');
      await tick();
      await tx.settings.set('n', 'slow');
      order.push('slow ends');
      emit(event('slow'));
    });
    const fast = uow.writeAsync(async (tx, emit) => {
      order.push('fast begins');
      await tx.settings.set('n', 'fast');
      emit(event('fast'));
    });
    await Promise.all([slow, fast]);
    expect(order).toEqual(['slow begins', 'slow ends', 'fast begins']);
    expect(published).toEqual(['slow', 'fast']);
    expect(await uow.reads.settings.get('n')).toBe('fast');
  });

  it('makes a nested write a savepoint: its rollback keeps the outer write, its events go only if it succeeded', async () => {
    const { uow, published } = setUp('file');
    await uow.writeAsync(async (tx, emit) => {
      await tx.settings.set('outer', '1');
      emit(event('outer'));
      await uow.writeAsync(async (inner, emitInner) => {
        await inner.settings.set('kept', '1');
        emitInner(event('kept'));
      });
      await expect(
        uow.writeAsync(async (inner, emitInner) => {
          await inner.settings.set('dropped', '1');
          emitInner(event('dropped'));
          throw new Error('inner fails');
        }),
      ).rejects.toThrow('inner fails');
      // A synchronous write from inside the body joins the transaction too.
      uow.write((emitSync) => {
        uow.db.query("INSERT INTO settings (key, value) VALUES ('sync', '1')").run();
        emitSync(event('sync'));
      });
    });
    expect(published).toEqual(['outer', 'kept', 'sync']);
    expect(await uow.reads.settings.get('outer')).toBe('1');
    expect(await uow.reads.settings.get('kept')).toBe('1');
    expect(await uow.reads.settings.get('dropped')).toBeNull();
    expect(await uow.reads.settings.get('sync')).toBe('1');
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
    const writing = uow.writeAsync(async (tx) => {
      await tx.settings.set('x', 'uncommitted');
      written();
      await gate;
    });
    await wrote;
    expect(await uow.reads.settings.get('x')).toBeNull();
    release();
    await writing;
    expect(await uow.reads.settings.get('x')).toBe('uncommitted');
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
    const writing = uow.writeAsync(async (tx) => {
      await tx.settings.set('x', 'uncommitted');
      written();
      await gate;
      await tx.settings.set('x', 'committed');
    });
    await wrote;
    const read = uow.reads.settings.get('x');
    release();
    expect(await read).toBe('committed');
    await writing;
  });

  it('refuses a synchronous write from another request while an async write is open, and takes it again after', async () => {
    const { uow } = setUp('file');
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let opened!: () => void;
    const open = new Promise<void>((resolve) => {
      opened = resolve;
    });
    const writing = uow.writeAsync(async () => {
      opened();
      await gate;
    });
    await open;
    expect(() => uow.write(() => 1)).toThrow('a synchronous write cannot run while another request has an asynchronous write open');
    release();
    await writing;
    expect(uow.write(() => 2)).toBe(2);
  });
});

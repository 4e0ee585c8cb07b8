// A node of a cluster on SQLite: each write's events are written to its outbox inside the write's own transaction
// (so they commit or roll back with it, and a crash between commit and publish loses nothing), the hub hears
// nothing directly (the relay moves the rows to the bus), and the relay, which shares the write connection, only
// ever reads committed rows.
import { afterEach, describe, expect, it } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';
import { SqliteUnitOfWork } from '../../src/db/unit-of-work.ts';
import type { DomainEvent } from '../../src/events/domain-events.ts';
import { EventHub } from '../../src/events/event-hub.ts';
import { GatedOutbox, type Outbox, OutboxRelay } from '../../src/events/outbox.ts';
import { sqliteRepositories } from '../../src/store/sqlite/index.ts';
import { SqliteOutbox } from '../../src/store/sqlite/outbox-store.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const event = (tag: string) => ({ type: 'typing.start', channelId: '1', guildId: null, userId: tag, at: 0 }) as DomainEvent;
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

function setUp(outbox: (db: ReturnType<typeof openDatabase>) => Outbox = (db) => new SqliteOutbox(db)) {
  const dir = mkdtempSync(join(tmpdir(), 'harmony-uow-outbox-'));
  const db = openDatabase(join(dir, 'harmony.db'));
  migrate(db);
  const hub = new EventHub();
  const heard: DomainEvent[] = [];
  hub.subscribe((e) => heard.push(e));
  const rows = outbox(db);
  const gated = new GatedOutbox(rows);
  const relayed: DomainEvent[][] = [];
  const relay = new OutboxRelay(gated, { publish: async (events) => void relayed.push([...events]) });
  const uow = new SqliteUnitOfWork(db, hub, sqliteRepositories, { outbox: rows, relay, batchBudgetMs: 60_000 });
  gated.gateWith((fn) => uow.settled(fn));
  cleanups.push(async () => {
    relay.close();
    await uow.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const count = () => Number((db.query('SELECT count(*) AS n FROM event_outbox').get() as { n: bigint }).n);
  return { db, uow, heard, gated, relay, relayed, count };
}

describe('SqliteUnitOfWork with an outbox', () => {
  it('writes a commit’s events to the outbox in its transaction; the relay, not the hub, publishes them', async () => {
    const { uow, heard, relayed, relay } = setUp();
    await uow.write(async (emit) => {
      await uow.repos.settings.set('a', '1');
      emit(event('one'));
      emit(event('two'));
    });
    await relay.kick();
    expect(relayed).toEqual([[event('one'), event('two')]]);
    expect(heard).toEqual([]);
    expect(await relay.backlog()).toBe(0);
  });

  it('rolls the outbox row back with a write that fails, and keeps the rows of the writes around it', async () => {
    const { uow, count, relayed, relay } = setUp();
    const first = uow.write(async (emit) => emit(event('kept-1')));
    const failed = uow.write(async (emit) => {
      emit(event('lost'));
      await tick();
      throw new Error('no');
    });
    const last = uow.write(async (emit) => emit(event('kept-2')));
    await first;
    await expect(failed).rejects.toThrow('no');
    await last;
    await relay.kick();
    expect(relayed.flat().map((e) => (e as { userId: string }).userId)).toEqual(['kept-1', 'kept-2']);
    expect(count()).toBe(0);
  });

  it('fails the write itself when its events cannot be recorded: nothing of it is committed', async () => {
    const { uow, heard } = setUp((db) => {
      const rows = new SqliteOutbox(db);
      return {
        append: (events) => {
          if (events.some((e) => (e as { userId?: string }).userId === 'poison')) throw new Error('outbox refused');
          rows.append(events);
        },
        pending: (limit) => rows.pending(limit),
        remove: (id) => rows.remove(id),
      };
    });
    const write = uow.write(async (emit) => {
      await uow.repos.settings.set('b', '2');
      emit(event('poison'));
    });
    await expect(write).rejects.toThrow('outbox refused');
    expect(await uow.repos.settings.get('b')).toBeNull();
    expect(heard).toEqual([]);
  });

  it('lets the relay read only between transactions: a batch’s uncommitted rows are never relayed early', async () => {
    const { uow, gated, count } = setUp();
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    // Two writes in one batch: the first has appended its row (uncommitted) while the second still runs.
    const first = uow.write(async (emit) => emit(event('early')));
    const second = uow.write(async (emit) => {
      await held;
      emit(event('late'));
    });
    let read: number | null = null;
    try {
      await tick();
      expect(count()).toBe(1);
      const reading = gated.pending(10).then((rows) => {
        read = rows.length;
      });
      await tick();
      expect(read).toBeNull();
      release();
      await Promise.all([first, second, reading]);
      expect(read as number | null).toBe(2);
    } finally {
      release();
    }
  });
});

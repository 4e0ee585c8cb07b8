// Commit, then dispatch: a write runs in one transaction and collects its events; they reach the hub only after
// the outermost transaction commits, and never for a write that rolled back. The SQLite implementation of the
// domain's port (src/domain/ports/unit-of-work.ts).
//
// One writer at a time: writes queue, each runs BEGIN IMMEDIATE ... COMMIT (ROLLBACK on a throw) on the write
// connection; a write started inside another one's body (same async context) is a savepoint whose events join the
// outer write's only if it succeeded. While a body awaits, other requests run: their repository calls (outside any
// write) go to a separate read-only connection (WAL: it sees only committed rows), or, for a `:memory:` database
// that no second connection can open, wait until no write is open. `repos` routes each call by the async context:
// inside a write frame, or when no write is open at all, to the write connection's stores; otherwise to the read side. The SQLite stores answer at
// once (src/store/sqlite/immediate.ts); their async wrappers are built once, when the unit of work is made.
//
// Just before the outermost commit, `enrich` adds to the events what the gateways encode (src/domain/event-views.ts);
// it reads inside the transaction.
//
// Group commit (issue 16) fits in `drain`: instead of one queued write per transaction, take every write queued
// so far, BEGIN IMMEDIATE once, run each body in its own SAVEPOINT (a failure rolls back only that write and
// rejects only its promise), COMMIT once, then publish each write's events in queue order and resolve the
// promises: every write is acknowledged after the commit that made it durable, as now.

import { Database, type Statement } from 'bun:sqlite';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Repositories } from '../domain/ports/index.ts';
import type { Emit, UnitOfWork } from '../domain/ports/unit-of-work.ts';
import type { DomainEvent } from '../events/domain-events.ts';
import type { EventHub } from '../events/event-hub.ts';
import type { ImmediateRepositories } from '../store/sqlite/immediate.ts';

export type { Emit, UnitOfWork } from '../domain/ports/unit-of-work.ts';

/**
 * One open transaction or savepoint: its events so far, and its nested writes, run one after another. `done` once
 * it has committed or rolled back: code that outlives the write in its async context no longer acts in it.
 */
type Frame = { events: DomainEvent[]; nested: Promise<unknown>; savepoints: { n: number }; done: boolean };

/** Builds an engine's repositories over one connection (src/store/sqlite/index.ts). */
export type RepositoryFactory = (db: Database) => ImmediateRepositories;

type AnyStore = Record<string, (...args: unknown[]) => unknown>;

export class SqliteUnitOfWork implements UnitOfWork {
  readonly repos: Repositories;
  private readonly context = new AsyncLocalStorage<Frame>();
  /** The write holding the connection, if any. */
  private open: Frame | null = null;
  /** Where the next write queues: settles when the one before it has committed or rolled back. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly writeSide: ImmediateRepositories;
  private readSide: ImmediateRepositories | null = null;
  private readDb: Database | null = null;
  /** One connection only (`:memory:`): a read outside the open write waits for it to end. */
  private readonly shared: boolean;
  private readonly begin: Statement;
  private readonly commit: Statement;
  /** Adds to the events, just before the outermost commit, what the gateways will need (src/domain/event-views.ts). */
  private enrich: (events: DomainEvent[]) => Promise<void> = async () => {};

  constructor(
    readonly db: Database,
    private readonly hub: EventHub,
    private readonly factory: RepositoryFactory,
  ) {
    this.writeSide = factory(db);
    const file = db.filename;
    this.shared = file === '' || file === ':memory:';
    // IMMEDIATE: the write lock is taken first, waiting up to the busy timeout for another process to let go. A
    // deferred transaction that read before writing could not wait: SQLite answers BUSY at once to a read
    // transaction that wants to write while another connection writes (waiting could deadlock).
    this.begin = db.prepare('BEGIN IMMEDIATE');
    this.commit = db.prepare('COMMIT');
    const repos: Partial<Record<keyof Repositories, unknown>> = {};
    for (const key of Object.keys(this.writeSide) as (keyof Repositories)[]) repos[key] = this.routed(key);
    this.repos = repos as Repositories;
  }

  /** Sets what reads, inside each outermost transaction, the views its events carry (once the services exist). */
  enrichWith(enrich: (events: DomainEvent[]) => Promise<void>): void {
    this.enrich = enrich;
  }

  write<T>(body: (emit: Emit) => Promise<T>): Promise<T> {
    const frame = this.frame();
    if (frame) {
      // Inside another write: a savepoint of its transaction, run after the frame's earlier nested writes.
      const turn = frame.nested.then(() => this.savepoint(frame, body));
      frame.nested = turn.catch(() => {});
      return turn;
    }
    const turn = this.queue.then(() => this.drain(body));
    this.queue = turn.catch(() => {});
    return turn;
  }

  /** Waits for the writes already asked for, then closes the read connection, if one was opened (before the write connection closes). */
  async close(): Promise<void> {
    await this.queue;
    this.readDb?.close();
    this.readDb = null;
    this.readSide = null;
  }

  private frame(): Frame | null {
    // No write open: no frame can be live (the hot path of reads skips the async-context lookup).
    if (this.open === null) return null;
    const frame = this.context.getStore();
    return frame && !frame.done ? frame : null;
  }

  private async drain<T>(body: (emit: Emit) => Promise<T>): Promise<T> {
    const frame: Frame = { events: [], nested: Promise.resolve(), savepoints: { n: 0 }, done: false };
    this.open = frame;
    let result: T;
    try {
      this.begin.run();
      try {
        result = await this.context.run(frame, () => body((e) => frame.events.push(e)));
        await this.settleNested(frame);
        await this.context.run(frame, () => this.enrich(frame.events));
        this.commit.run();
      } catch (error) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw error;
      }
    } finally {
      frame.done = true;
      this.open = null;
    }
    this.hub.publish(frame.events);
    return result;
  }

  private async savepoint<T>(parent: Frame, body: (emit: Emit) => Promise<T>): Promise<T> {
    const name = `nested_${++parent.savepoints.n}`;
    const frame: Frame = { events: [], nested: Promise.resolve(), savepoints: parent.savepoints, done: false };
    this.db.exec(`SAVEPOINT ${name}`);
    try {
      const result = await this.context.run(frame, () => body((e) => frame.events.push(e)));
      await this.settleNested(frame);
      this.db.exec(`RELEASE ${name}`);
      parent.events.push(...frame.events);
      return result;
    } catch (error) {
      this.db.exec(`ROLLBACK TO ${name}`);
      this.db.exec(`RELEASE ${name}`);
      throw error;
    } finally {
      frame.done = true;
    }
  }

  /** Waits for nested writes the body started without awaiting (each may have queued another). */
  private async settleNested(frame: Frame): Promise<void> {
    let seen: Promise<unknown> | null = null;
    while (seen !== frame.nested) {
      seen = frame.nested;
      await seen;
    }
  }

  /** Runs `read` once no write is open (a `:memory:` read must not see another request's uncommitted rows). */
  private async afterWrites<T>(read: () => T): Promise<T> {
    while (this.open) await this.queue;
    return read();
  }

  private reads(): ImmediateRepositories {
    if (this.readSide) return this.readSide;
    if (this.shared) return this.writeSide;
    this.readDb = new Database(this.db.filename, { readonly: true, strict: true, safeIntegers: true });
    this.readDb.exec('PRAGMA busy_timeout = 5000');
    this.readSide = this.factory(this.readDb);
    return this.readSide;
  }

  /** The async form of one repository, its methods built once: each call goes to the open write or the read side. */
  private routed(key: keyof Repositories): unknown {
    const writeStore = this.writeSide[key] as unknown as AnyStore;
    const out: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
    for (const name of methodNames(writeStore)) {
      const inWrite = writeStore[name]!;
      out[name] = (...args) => {
        try {
          // No write open (the common case): the write connection holds only committed rows, and its page cache is
          // warm (the read connection's is dropped at every commit of the other one).
          if (this.open === null || this.frame()) return Promise.resolve(inWrite.apply(writeStore, args));
          if (this.shared) return this.afterWrites(() => inWrite.apply(writeStore, args));
          const readStore = this.reads()[key] as unknown as AnyStore;
          return Promise.resolve(readStore[name]!.apply(readStore, args));
        } catch (error) {
          return Promise.reject(error);
        }
      };
    }
    return out;
  }
}

/** Every method a store instance answers (its class's and its ancestors', not Object's). */
function methodNames(store: object): string[] {
  const names = new Set<string>();
  for (let p = Object.getPrototypeOf(store); p && p !== Object.prototype; p = Object.getPrototypeOf(p))
    for (const name of Object.getOwnPropertyNames(p)) if (name !== 'constructor' && typeof (p as AnyStore)[name] === 'function') names.add(name);
  for (const name of Object.keys(store)) if (typeof (store as AnyStore)[name] === 'function') names.add(name);
  return [...names];
}

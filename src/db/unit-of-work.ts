// Commit, then dispatch: a write runs in one transaction and collects its events; they reach the hub only after
// the outermost transaction commits, and never for a write that rolled back. The SQLite implementation of the
// domain's port (src/domain/ports/unit-of-work.ts).
//
// One writer at a time, and group commit: writes queue; the drain takes every write queued so far (at most
// `batchLimit`), runs BEGIN IMMEDIATE once, runs each body in its own SAVEPOINT, one after another, never interleaved
// on the one connection (a body that throws rolls back only its own savepoint and rejects only its own promise),
// enriches that write's events inside its savepoint, and COMMITs once. Only then are the events published, write by
// write in queue order, and the promises resolved: every write is acknowledged after the commit that made it
// durable. If the commit fails, every write of the batch is rejected; if SQLite drops the whole transaction during a
// body (it does for some errors), the writes of the batch that had succeeded are rejected with it and the rest of
// the batch runs in a new transaction. A batch commits early, leaving the rest of its writes to the next, once it
// has run `batchBudgetMs` (a write is acknowledged only at its batch's commit). Between two batches the drain
// yields to the event loop (setImmediate), so a long queue cannot starve readers or I/O, and more writes gather
// for the next batch.
//
// A write started inside another one's body (same async context) is a savepoint whose events join the outer
// write's only if it succeeded. While a body awaits, other requests run: their repository calls (outside any
// write) go to a separate read-only connection (WAL: it sees only committed rows), or, for a `:memory:` database
// that no second connection can open, wait until the batch has ended. `repos` routes each call by the async
// context: inside a write frame, or when no batch is open at all, to the write connection's stores; otherwise to
// the read side. The SQLite stores answer at once (src/store/sqlite/immediate.ts); their async wrappers are built
// once, when the unit of work is made.
//
// `enrich` adds to a write's events what the gateways encode (src/domain/event-views.ts); it reads inside the
// write's savepoint, before the batch commits. A node of a cluster (`outbox`) then writes the events to its outbox in
// that savepoint too, so they commit or roll back with the write, and after the commit its relay moves them to the
// shared bus (src/events/outbox.ts) instead of the hub hearing them here.

import { Database, type Statement } from 'bun:sqlite';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Repositories } from '../domain/ports/index.ts';
import type { Emit, UnitOfWork } from '../domain/ports/unit-of-work.ts';
import type { DomainEvent } from '../events/domain-events.ts';
import type { EventHub } from '../events/event-hub.ts';
import type { Outbox } from '../events/outbox.ts';
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

/** A write waiting for its batch. */
type Queued = { body: (emit: Emit) => Promise<unknown>; resolve: (value: unknown) => void; reject: (error: unknown) => void };

/** How a write of a batch ended; its events are published only once the batch has committed. */
type Outcome = { ok: true; value: unknown; events: DomainEvent[] } | { ok: false; error: unknown };

export type SqliteUnitOfWorkOptions = {
  /** The most writes one transaction takes: one batch holds the write connection (and `:memory:` readers) this long. */
  batchLimit?: number;
  /**
   * Once a batch has run this long, it commits with the writes it has run so far and leaves the rest to the next:
   * a write is acknowledged only at its batch's commit, so a slow body must not keep the writes before it waiting.
   */
  batchBudgetMs?: number;
  /** A node of a cluster: each write's events go to this outbox inside its transaction, and `relay` publishes them. */
  outbox?: Outbox;
  relay?: { kick(): Promise<void> };
};

/** Marks the write connection busy between two writes of a batch (no frame is live then). */
const BETWEEN_WRITES: Frame = { events: [], nested: Promise.resolve(), savepoints: { n: 0 }, done: true };

export class SqliteUnitOfWork implements UnitOfWork {
  readonly repos: Repositories;
  /** Transactions committed, the writes they carried, and the most in one (tests and benches read them). */
  readonly stats = { batches: 0, writes: 0, largest: 0 };
  private readonly batchLimit: number;
  private readonly batchBudgetMs: number;
  private readonly context = new AsyncLocalStorage<Frame>();
  /** While a batch holds the connection: the write running, or BETWEEN_WRITES; null when no batch is open. */
  private open: Frame | null = null;
  /** Writes asked for and not yet taken by a batch, in the order they were asked for. */
  private pending: Queued[] = [];
  /** The drain, while it runs: settles once the queue is empty. */
  private draining: Promise<void> | null = null;
  /** `:memory:` reads waiting for the open batch to end (committed or rolled back); most batches have none. */
  private waiting: (() => void)[] = [];
  private readonly writeSide: ImmediateRepositories;
  private readSide: ImmediateRepositories | null = null;
  private readDb: Database | null = null;
  /** One connection only (`:memory:`): a read outside the open batch waits for it to end. */
  private readonly shared: boolean;
  private readonly begin: Statement;
  private readonly commit: Statement;
  private readonly rollback: Statement;
  private readonly savepointWrite: Statement;
  private readonly releaseWrite: Statement;
  private readonly rollbackWrite: Statement;
  /** Adds to a write's events, inside its savepoint, what the gateways will need (src/domain/event-views.ts). */
  private enrich: (events: DomainEvent[]) => Promise<void> = async () => {};

  constructor(
    readonly db: Database,
    private readonly hub: EventHub,
    private readonly factory: RepositoryFactory,
    private readonly options: SqliteUnitOfWorkOptions = {},
  ) {
    this.batchLimit = options.batchLimit ?? 256;
    this.batchBudgetMs = options.batchBudgetMs ?? 20;
    this.writeSide = factory(db);
    const file = db.filename;
    this.shared = file === '' || file === ':memory:';
    // IMMEDIATE: the write lock is taken first, waiting up to the busy timeout for another process to let go. A
    // deferred transaction that read before writing could not wait: SQLite answers BUSY at once to a read
    // transaction that wants to write while another connection writes (waiting could deadlock).
    this.begin = db.prepare('BEGIN IMMEDIATE');
    this.commit = db.prepare('COMMIT');
    this.rollback = db.prepare('ROLLBACK');
    this.savepointWrite = db.prepare('SAVEPOINT batch_write');
    this.releaseWrite = db.prepare('RELEASE batch_write');
    this.rollbackWrite = db.prepare('ROLLBACK TO batch_write');
    const repos: Partial<Record<keyof Repositories, unknown>> = {};
    for (const key of Object.keys(this.writeSide) as (keyof Repositories)[]) repos[key] = this.routed(key);
    this.repos = repos as Repositories;
  }

  /** Sets what reads, inside each write's savepoint, the views its events carry (once the services exist). */
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
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ body, resolve: resolve as (value: unknown) => void, reject });
      this.draining ??= this.drain();
    });
  }

  /** Waits for the writes already asked for, then closes the read connection, if one was opened (before the write connection closes). */
  async close(): Promise<void> {
    while (this.draining !== null) await this.draining;
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

  /**
   * Runs batches until the queue is empty. The first batch starts on the next turn of the event loop, so the
   * writes of every request handled in this turn join it (each request is its own task: starting on the next
   * microtask made each one commit alone, paying a WAL write of every page it touched).
   */
  private async drain(): Promise<void> {
    try {
      await new Promise((resolve) => setImmediate(resolve));
      for (;;) {
        const batch = this.pending.length <= this.batchLimit ? this.pending.splice(0) : this.pending.splice(0, this.batchLimit);
        try {
          await this.runBatch(batch);
        } catch (error) {
          // The connection itself failed (closed under the queue): the batch's writes were rejected as it ended,
          // and the writes still waiting can only fail the same way.
          for (const queued of this.pending.splice(0)) queued.reject(error);
          break;
        }
        if (this.pending.length === 0) break;
        // Let readers, I/O and the callers just acknowledged run before the next batch takes the connection.
        await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      this.draining = null;
    }
  }

  /** One transaction for the batch: each write in its own savepoint; outcomes are delivered after the commit. */
  private async runBatch(batch: Queued[]): Promise<void> {
    const outcomes: Outcome[] = [];
    this.open = BETWEEN_WRITES;
    try {
      const started = performance.now();
      for (const [i, queued] of batch.entries()) {
        if (i > 0 && performance.now() - started > this.batchBudgetMs) {
          // Out of time: the rest go first in the next batch.
          this.pending.unshift(...batch.splice(i));
          break;
        }
        if (!this.db.inTransaction) {
          try {
            this.begin.run();
          } catch (error) {
            outcomes.push({ ok: false, error });
            continue;
          }
        }
        const outcome = await this.runOne(queued.body, batch.length === 1);
        if (!this.db.inTransaction) {
          // The transaction is gone: rolled back for a write alone in its batch, or dropped whole by SQLite (or
          // ended by the body), and the batch's earlier writes went with it.
          const error = outcome.ok ? new Error('the transaction ended inside a write') : outcome.error;
          for (const [i, earlier] of outcomes.entries()) if (earlier.ok) outcomes[i] = { ok: false, error };
          outcomes.push(outcome.ok ? { ok: false, error } : outcome);
          continue;
        }
        outcomes.push(outcome);
      }
      // No transaction left: its last write failed and took it, and every write it held, down.
      if (!this.db.inTransaction) return;
      try {
        this.commit.run();
        const writes = outcomes.filter((o) => o.ok).length;
        this.stats.batches++;
        this.stats.writes += writes;
        this.stats.largest = Math.max(this.stats.largest, writes);
      } catch (error) {
        if (this.db.inTransaction) this.rollback.run();
        outcomes.fill({ ok: false, error });
      }
    } finally {
      this.open = null;
      for (const wake of this.waiting.splice(0)) wake();
      const { outbox, relay } = this.options;
      if (outbox && outcomes.some((o) => o.ok && o.events.length > 0)) void relay?.kick();
      for (const [i, queued] of batch.entries()) {
        const outcome = outcomes[i];
        if (outcome === undefined) queued.reject(new Error('the write did not run'));
        else if (outcome.ok) {
          if (!outbox) this.hub.publish(outcome.events);
          queued.resolve(outcome.value);
        } else queued.reject(outcome.error);
      }
    }
  }

  /**
   * One write of a batch, in its savepoint: its result and events, or its error with no trace left. A write `alone`
   * in its batch needs no savepoint: the transaction is its own, and a failure rolls it back whole.
   */
  private async runOne(body: (emit: Emit) => Promise<unknown>, alone: boolean): Promise<Outcome> {
    const frame: Frame = { events: [], nested: Promise.resolve(), savepoints: { n: 0 }, done: false };
    this.open = frame;
    try {
      if (!alone) this.savepointWrite.run();
      // One async-context frame for the body, its nested writes and its enrichment.
      const value = await this.context.run(frame, async () => {
        const result = await body((e) => frame.events.push(e));
        await this.settleNested(frame);
        await this.enrich(frame.events);
        this.options.outbox?.append(frame.events);
        return result;
      });
      if (!alone) this.releaseWrite.run();
      return { ok: true, value, events: frame.events };
    } catch (error) {
      if (!this.db.inTransaction) return { ok: false, error };
      if (alone) this.rollback.run();
      else {
        this.rollbackWrite.run();
        this.releaseWrite.run();
      }
      return { ok: false, error };
    } finally {
      frame.done = true;
      this.open = BETWEEN_WRITES;
    }
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

  /** Runs `fn` on the write connection once no batch is open: it sees committed rows only (the outbox's relay). */
  settled<T>(fn: () => T): Promise<T> {
    return this.afterWrites(fn);
  }

  /** Runs `read` once no batch is open (a `:memory:` read must not see another request's uncommitted rows). */
  private async afterWrites<T>(read: () => T): Promise<T> {
    while (this.open) await new Promise<void>((resolve) => this.waiting.push(resolve));
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

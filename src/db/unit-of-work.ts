// Commit, then dispatch: a write runs in one transaction and collects its events; they reach
// the hub only after the outermost transaction commits, and never for a write that rolled back.
//
// Two forms while the domain moves to the async ports (src/domain/ports/index.ts):
// - `write(emit => ...)`: the body runs synchronously inside bun:sqlite's transaction (nested: a savepoint).
// - `writeAsync(async (tx, emit) => ...)`: the body may await; `tx` is the transaction's repositories. On SQLite
//   one writer at a time: writes queue, each runs BEGIN IMMEDIATE ... COMMIT (ROLLBACK on a throw) on the write
//   connection; a write started inside another one's body (same async context) is a savepoint whose events join
//   the outer write's only if it succeeded. While a body awaits, other requests run: they read through `reads`,
//   a separate read-only connection (WAL: it sees only committed rows), or, for a `:memory:` database that no
//   second connection can open, reads that wait until no write is open. A synchronous write cannot wait, so one
//   started while another request's async write is open throws instead of joining it.
//
// Just before the outermost commit, `enrich` adds to the events what the gateways encode (src/domain/event-views.ts).
//
// Group commit (issue 16) fits in `drain`: instead of one queued write per transaction, take every write queued
// so far, BEGIN IMMEDIATE once, run each body in its own SAVEPOINT (a failure rolls back only that write and
// rejects only its promise), COMMIT once, then publish each write's events in queue order and resolve the
// promises: every write is acknowledged after the commit that made it durable, as now.

import { Database } from 'bun:sqlite';
import { AsyncLocalStorage } from 'node:async_hooks';
import { awaitable, type ImmediateRepositories, type Repositories } from '../domain/ports/index.ts';
import type { DomainEvent } from '../events/domain-events.ts';
import type { EventHub } from '../events/event-hub.ts';

export type Emit = (event: DomainEvent) => void;

/** An awaiting write's body: the transaction's repositories and where its events go. */
export type WriteBody<T> = (tx: Repositories, emit: Emit) => Promise<T>;

/** One open async transaction: its events so far, and its nested writes, run one after another. */
type Frame = { events: DomainEvent[]; savepoints: number; nested: Promise<unknown> };

/** Builds an engine's repositories over one connection (src/store/sqlite/index.ts). */
export type RepositoryFactory = (db: Database) => ImmediateRepositories;

export class UnitOfWork {
  private pending: DomainEvent[] | null = null;
  private readonly context = new AsyncLocalStorage<Frame>();
  /** The async write holding the connection, if any. */
  private open: Frame | null = null;
  /** Where the next async write queues: settles when the one before it has committed or rolled back. */
  private queue: Promise<unknown> = Promise.resolve();
  private txRepos: Repositories | null = null;
  private readRepos: Repositories | null = null;
  private readDb: Database | null = null;
  /** Adds to the events, just before the outermost commit, what the gateways will need (src/domain/event-views.ts). */
  private enrich: (events: DomainEvent[]) => void = () => {};

  constructor(
    readonly db: Database,
    private readonly hub: EventHub,
    private readonly repositories?: RepositoryFactory,
  ) {}

  /** Sets what reads, inside each outermost transaction, the views its events carry (once the services exist). */
  enrichWith(enrich: (events: DomainEvent[]) => void): void {
    this.enrich = enrich;
  }

  write<T>(body: (emit: Emit) => T): T {
    const frame = this.context.getStore();
    if (frame) {
      // Called from an async write's body: a savepoint of that transaction, its events published with it.
      const inner: DomainEvent[] = [];
      const result = this.db.transaction(() => body((e) => inner.push(e)))();
      frame.events.push(...inner);
      return result;
    }
    if (this.open) throw new Error('a synchronous write cannot run while another request has an asynchronous write open');
    if (this.pending) {
      // A nested write is a savepoint: its events join the outer list only if it succeeded.
      const outer = this.pending;
      const inner: DomainEvent[] = [];
      const result = this.db.transaction(() => body((e) => inner.push(e)))();
      outer.push(...inner);
      return result;
    }
    const events: DomainEvent[] = [];
    this.pending = events;
    let result: T;
    try {
      // IMMEDIATE: the write lock is taken first, waiting up to the busy timeout for another process to let go. A
      // deferred transaction that read before writing could not wait: SQLite answers BUSY at once to a read
      // transaction that wants to write while another connection writes (waiting could deadlock).
      result = this.db
        .transaction(() => {
          const value = body((e) => events.push(e));
          this.enrich(events);
          return value;
        })
        .immediate();
    } finally {
      this.pending = null;
    }
    this.hub.publish(events);
    return result;
  }

  /** A write whose body may await (see the top of this file). Resolves after the commit and the events' dispatch. */
  writeAsync<T>(body: WriteBody<T>): Promise<T> {
    const frame = this.context.getStore();
    if (frame) {
      const turn = frame.nested.then(() => this.savepoint(frame, body));
      frame.nested = turn.catch(() => {});
      return turn;
    }
    const turn = this.queue.then(() => this.drain(body));
    this.queue = turn.catch(() => {});
    return turn;
  }

  /** Repositories for reads outside a write: they never see another write's uncommitted rows. */
  get reads(): Repositories {
    if (this.readRepos) return this.readRepos;
    const factory = this.factory();
    const file = this.db.filename;
    if (file !== '' && file !== ':memory:') {
      this.readDb = new Database(file, { readonly: true, strict: true, safeIntegers: true });
      this.readDb.exec('PRAGMA busy_timeout = 5000');
      this.readRepos = awaitablePorts(factory(this.readDb));
    } else {
      // One connection only: a read outside the open write waits for it to end.
      this.readRepos = awaitablePorts(factory(this.db), () => this.settled());
    }
    return this.readRepos;
  }

  /** Closes the read connection, if one was opened (before the write connection closes). */
  close(): void {
    this.readDb?.close();
    this.readDb = null;
    this.readRepos = null;
  }

  private async drain<T>(body: WriteBody<T>): Promise<T> {
    const frame: Frame = { events: [], savepoints: 0, nested: Promise.resolve() };
    this.open = frame;
    let result: T;
    try {
      this.db.exec('BEGIN IMMEDIATE');
      try {
        result = await this.context.run(frame, () => body(this.tx(), (e) => frame.events.push(e)));
        await frame.nested;
        this.enrich(frame.events);
        this.db.exec('COMMIT');
      } catch (error) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw error;
      }
    } finally {
      this.open = null;
    }
    this.hub.publish(frame.events);
    return result;
  }

  private async savepoint<T>(frame: Frame, body: WriteBody<T>): Promise<T> {
    const name = `nested_${++frame.savepoints}`;
    const inner: DomainEvent[] = [];
    this.db.exec(`SAVEPOINT ${name}`);
    try {
      const result = await body(this.tx(), (e) => inner.push(e));
      this.db.exec(`RELEASE ${name}`);
      frame.events.push(...inner);
      return result;
    } catch (error) {
      this.db.exec(`ROLLBACK TO ${name}`);
      this.db.exec(`RELEASE ${name}`);
      throw error;
    }
  }

  /** Resolves when no async write is open or queued from outside the caller's own write. */
  private async settled(): Promise<void> {
    if (this.context.getStore()) return;
    while (this.open) await this.queue;
  }

  private tx(): Repositories {
    this.txRepos ??= awaitablePorts(this.factory()(this.db));
    return this.txRepos;
  }

  private factory(): RepositoryFactory {
    if (!this.repositories) throw new Error('this unit of work was built without repositories: pass the engine factory');
    return this.repositories;
  }
}

/** Every repository in its async form; `before` (if any) is awaited ahead of each call. */
function awaitablePorts(immediate: ImmediateRepositories, before?: () => Promise<void>): Repositories {
  const out: Partial<Record<keyof Repositories, unknown>> = {};
  for (const key of Object.keys(immediate) as (keyof Repositories)[]) out[key] = awaitable(immediate[key] as object, before);
  return out as Repositories;
}

// Commit, then dispatch, on PostgreSQL: the awaiting unit of work (src/domain/ports/unit-of-work.ts) over Bun's SQL
// client, safe with several nodes writing to one database at once.
//
// - The outermost write is one `sql.begin(…)` transaction on a connection of the pool; its repositories
//   (`postgresRepositories(tx)`) live in an AsyncLocalStorage frame, and `repos` routes every call made in that
//   async context to them. Outside any write, `repos` runs on the pool: each call sees committed rows only.
// - A write started inside another one's body is a savepoint (`tx.savepoint`) of the same transaction; nested
//   writes of one frame run one after another (one connection cannot interleave savepoints), and their events join
//   the outer write's only if they succeeded.
// - Isolation is SERIALIZABLE by default. The SQLite engine has one writer at a time, so the domain may read, decide
//   and write (a count under a limit, the next position, the last admin) without a lock; with several nodes that is
//   a race under READ COMMITTED. PostgreSQL's serializable snapshot isolation turns every such race into a
//   serialization failure (40001) or a deadlock (40P01) of one of the two transactions; the loser is rerun from the
//   start in a fresh transaction (its events dropped, its body called again), a bounded number of times.
// - Just before COMMIT the events are enriched (the enrichment's reads run in the transaction, through `repos`) and,
//   when the node has an outbox, written to event_outbox in the same transaction: a crash between commit and
//   publish then loses nothing, and the relay (src/events/outbox.ts) moves them to the bus. Without an outbox they
//   go to the hub right after the commit. A rolled-back write publishes nothing.
// - A store may leave a commutative statement for just after the commit (the author's own read state on a post,
//   which every post of a burst would otherwise contend for); it runs on the pool, before the events go out, and the
//   write stands whatever it does.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { SQL } from 'bun';
import type { Repositories } from '../../domain/ports/index.ts';
import type { Emit, UnitOfWork } from '../../domain/ports/unit-of-work.ts';
import type { DomainEvent } from '../../events/domain-events.ts';
import { type PostgresRepositories, postgresRepositories } from './index.ts';
import type { PostgresOutbox } from './outbox-store.ts';
import type { Db } from './sql.ts';

export type Isolation = 'serializable' | 'repeatable read' | 'read committed';

export type PostgresUnitOfWorkOptions = {
  /** Where a commit's events are written inside its transaction; the relay publishes them (see `relay`). */
  outbox?: PostgresOutbox;
  /** Told after each commit that wrote outbox rows, so it relays them now rather than on its next retry. */
  relay?: { kick(): Promise<void> };
  /**
   * Called before a write begins; throws (a 503) when this node must not acknowledge writes now: in a cluster,
   * while the shared log is unreachable, since events waiting in several nodes' outboxes would reach it in an
   * order that is not the order they were acknowledged in.
   */
  gate?: () => void;
  /** SERIALIZABLE unless a test wants to see what a weaker level allows. */
  isolation?: Isolation;
  /** How many times a write is run in all before its serialization failure reaches the caller (default 30). */
  maxAttempts?: number;
};

/**
 * One open transaction or savepoint: its handle, repositories over it, its events, its nested writes' queue, and the
 * statements its stores left for just after the commit (ReadStatesStore.ackOwnMessage).
 */
type Frame = { tx: Db; repos: PostgresRepositories; events: DomainEvent[]; nested: Promise<unknown>; after: AfterCommitStatement[] };
type AfterCommitStatement = (sql: Db) => Promise<unknown>;

function frameOver(tx: Db): Frame {
  const after: AfterCommitStatement[] = [];
  return { tx, repos: postgresRepositories(tx, (statement) => after.push(statement)), events: [], nested: Promise.resolve(), after };
}

/** SQLSTATEs that mean "this transaction lost a race; run it again": serialization_failure, deadlock_detected. */
const RETRYABLE = new Set(['40001', '40P01']);

export function isRetryable(error: unknown): boolean {
  return typeof error === 'object' && error !== null && RETRYABLE.has(String((error as { errno?: unknown }).errno));
}

export class PostgresUnitOfWork implements UnitOfWork {
  readonly repos: Repositories;
  private readonly context = new AsyncLocalStorage<Frame>();
  private enrich: (events: DomainEvent[]) => Promise<void> = async () => {};
  private retries = 0;

  constructor(
    readonly sql: SQL,
    private readonly hub: { publish(events: readonly DomainEvent[]): void },
    private readonly options: PostgresUnitOfWorkOptions = {},
  ) {
    this.repos = routed(postgresRepositories(sql), () => this.context.getStore()?.repos);
  }

  enrichWith(enrich: (events: DomainEvent[]) => Promise<void>): void {
    this.enrich = enrich;
  }

  /** How many writes were rerun after losing a race (for /metrics and tests). */
  get retried(): number {
    return this.retries;
  }

  write<T>(body: (emit: Emit) => Promise<T>): Promise<T> {
    const frame = this.context.getStore();
    if (frame) {
      const turn = frame.nested.then(() => this.savepoint(frame, body));
      frame.nested = turn.catch(() => {});
      return turn;
    }
    return this.outermost(body);
  }

  /** Closes the pool: the unit of work is what a node holds its database by. */
  async close(): Promise<void> {
    await this.sql.close();
  }

  private async outermost<T>(body: (emit: Emit) => Promise<T>): Promise<T> {
    this.options.gate?.();
    const maxAttempts = this.options.maxAttempts ?? 30;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.attempt(body);
      } catch (error) {
        if (!isRetryable(error) || attempt >= maxAttempts) throw error;
        this.retries++;
        // Full jitter, capped at 64 ms: a burst on one hot row (one author's own read state: every post acks it) is
        // won by one writer per round, so the losers must spread out, not wait for seconds.
        await Bun.sleep(Math.random() * 2 ** Math.min(attempt, 6));
      }
    }
  }

  private async attempt<T>(body: (emit: Emit) => Promise<T>): Promise<T> {
    const { outbox } = this.options;
    let committed: DomainEvent[] = [];
    let after: AfterCommitStatement[] = [];
    const result = (await this.sql.begin(`isolation level ${this.options.isolation ?? 'serializable'}`, async (tx) => {
      const frame = frameOver(tx);
      return await this.context.run(frame, async () => {
        const value = await body((event) => frame.events.push(event));
        await frame.nested;
        await this.enrich(frame.events);
        if (outbox) await outbox.within(tx).append(frame.events);
        committed = frame.events;
        after = frame.after;
        return value;
      });
    })) as T;
    // Each on its own, at the pool's READ COMMITTED: the commit stands whatever they do.
    for (const statement of after) await statement(this.sql).catch((error) => console.error('postgres: a statement after a commit failed:', error));
    if (committed.length > 0) {
      // Acknowledged means in the shared log too (a RESUME on another node replays up to the log's head): wait for
      // the relay. With Redis away the rows wait in the outbox and the write still succeeds.
      if (outbox) await this.options.relay?.kick().catch(() => {});
      else this.hub.publish(committed);
    }
    return result;
  }

  private async savepoint<T>(outer: Frame, body: (emit: Emit) => Promise<T>): Promise<T> {
    const inTransaction = outer.tx as Db & { savepoint<R>(fn: (sp: Db) => Promise<R>): Promise<R> };
    let events: DomainEvent[] = [];
    let after: AfterCommitStatement[] = [];
    const result = await inTransaction.savepoint(async (sp) => {
      const frame = frameOver(sp);
      return await this.context.run(frame, async () => {
        const value = await body((event) => frame.events.push(event));
        await frame.nested;
        events = frame.events;
        after = frame.after;
        return value;
      });
    });
    outer.events.push(...events);
    outer.after.push(...after);
    return result;
  }
}

/**
 * Repositories whose every call goes to the current write's (when there is one) or else to `pool`'s: plain objects
 * of methods built once, as the SQLite engine's are, so that a call allocates nothing on the way.
 */
function routed(pool: PostgresRepositories, current: () => PostgresRepositories | undefined): Repositories {
  type AnyStore = Record<string, (...args: unknown[]) => unknown>;
  const out: Record<string, AnyStore> = {};
  for (const name of Object.keys(pool) as (keyof PostgresRepositories)[]) {
    const poolStore = pool[name] as unknown as AnyStore;
    const methods: AnyStore = {};
    for (const method of methodNames(poolStore))
      methods[method] = (...args) => {
        const store = (current()?.[name] ?? poolStore) as unknown as AnyStore;
        return store[method]!(...args);
      };
    out[name] = methods;
  }
  return out as unknown as Repositories;
}

/** The methods a store's classes define (not Object's, not its fields: those hold its database handle). */
function methodNames(store: object): string[] {
  const names = new Set<string>();
  for (let proto = Object.getPrototypeOf(store); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto))
    for (const name of Object.getOwnPropertyNames(proto))
      if (name !== 'constructor' && typeof Object.getOwnPropertyDescriptor(proto, name)?.value === 'function') names.add(name);
  return [...names];
}

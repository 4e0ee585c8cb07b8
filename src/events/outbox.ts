// Nothing committed is lost between the commit and the shared log: a commit's events are first written as an
// outbox row in the commit's own transaction (both engines' units of work do it), and the relay appends rows to the bus in
// order and deletes each once the bus has it. When the bus is away (Redis down), rows wait and the relay tries
// again with backoff; a crash leaves them for the next start. A crash between the append and the delete sends that
// row again; when the outbox's row ids are unique in the instance (PostgreSQL's: one sequence), the row is named
// to the bus, which appends a name it has already taken only once, so every node still applies it once.
//
// The table (SQLite: store/sqlite/outbox-store.ts, migration 0021; a PostgreSQL store has the same shape):
//   event_outbox(id INTEGER PRIMARY KEY AUTOINCREMENT  -- the order rows are relayed in
//                events TEXT NOT NULL                  -- one commit's events, encodeEvents(...)
//                created_at INTEGER NOT NULL)          -- ms, to see how far behind the relay is
import type { DomainEvent } from './domain-events.ts';
import type { EventBus, PublishedBatch } from './event-bus.ts';

/** `createdAt`: when the commit wrote it (ms since the epoch): the events' commit time, carried through the bus. */
export type OutboxRow = { id: number; events: DomainEvent[]; createdAt: number };

export interface Outbox {
  /**
   * What makes this outbox's row ids unique in the instance (set when they are): the relay names each row
   * `scope:id:createdAt` to the bus, which then appends a row sent twice only once. Unset: delivery stays at least once.
   */
  readonly scope?: string;
  /** Records one commit's events; inside the commit's transaction when called from one. */
  append(events: readonly DomainEvent[]): void;
  /** The oldest rows not yet relayed, oldest first. */
  pending(limit: number): OutboxRow[];
  /** The bus has this row: forget it. */
  remove(id: number): void;
  /** The bus has these rows: forget them, in one statement. */
  removeAll?(ids: readonly number[]): void;
}

/** The same outbox on an engine across the network (PostgreSQL, store/postgres/outbox-store.ts): every call awaits. */
export interface AsyncOutbox {
  readonly scope?: string;
  append(events: readonly DomainEvent[]): Promise<void>;
  pending(limit: number): Promise<OutboxRow[]>;
  remove(id: number): Promise<void>;
  removeAll?(ids: readonly number[]): Promise<void>;
}

/**
 * SQLite's outbox as its relay and the events written outside a write (presence) use it: every call waits for
 * `gate`, which the unit of work sets (SqliteUnitOfWork.settled) so that it runs between transactions. The relay
 * shares the write connection, where an open batch's rows are not committed yet: read then, they could be relayed
 * for a write that then rolls back, and a row appended or deleted then would roll back with that write. The unit of
 * work itself appends a write's events to `inner`, inside its transaction.
 */
export class GatedOutbox implements AsyncOutbox {
  private gate: <T>(fn: () => T) => Promise<T> = async (fn) => fn();

  constructor(readonly inner: Outbox) {}

  get scope(): string | undefined {
    return this.inner.scope;
  }

  gateWith(gate: <T>(fn: () => T) => Promise<T>): void {
    this.gate = gate;
  }

  append(events: readonly DomainEvent[]): Promise<void> {
    return this.gate(() => this.inner.append(events));
  }

  pending(limit: number): Promise<OutboxRow[]> {
    return this.gate(() => this.inner.pending(limit));
  }

  remove(id: number): Promise<void> {
    return this.gate(() => this.inner.remove(id));
  }
}

/** For tests and for a node without a database of its own to keep rows in. */
export class MemoryOutbox implements Outbox {
  private rows: OutboxRow[] = [];
  private nextId = 1;

  append(events: readonly DomainEvent[]): void {
    if (events.length > 0) this.rows.push({ id: this.nextId++, events: structuredClone([...events]), createdAt: Date.now() });
  }

  pending(limit: number): OutboxRow[] {
    return this.rows.slice(0, limit);
  }

  remove(id: number): void {
    this.rows = this.rows.filter((r) => r.id !== id);
  }
}

export type OutboxRelayOptions = { batch?: number; minRetryMs?: number; maxRetryMs?: number };

/**
 * Moves outbox rows to the bus in order, so the bus sees commits in the order they were made: each round reads the
 * waiting rows, appends them (in one call when the bus can: RedisBus.publishAll), then forgets them (one DELETE when
 * the outbox can). A kick resolves once a round that began after it has ended (its commit's row was in it), or once
 * the relay gave up for now (the bus or database away: the rows wait for the retry); never waiting for the backlog of
 * later commits, so a node under steady writes does not hold each acknowledgement until its outbox is empty.
 */
export class OutboxRelay {
  private running: Promise<void> | null = null;
  /** Kicks since the current round began: they are served by the next one. */
  private waiting: (() => void)[] = [];
  private retry: ReturnType<typeof setTimeout> | null = null;
  private delay: number;
  private closed = false;

  constructor(
    private readonly outbox: Outbox | AsyncOutbox,
    private readonly bus: Pick<EventBus, 'publish' | 'publishAll'>,
    private readonly options: OutboxRelayOptions = {},
  ) {
    this.delay = options.minRetryMs ?? 100;
  }

  /** Rows are waiting: relay them now (one relay at a time; a kick during a round gets one more). */
  kick(): Promise<void> {
    if (this.closed) return Promise.resolve();
    const served = new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running ??= this.drain().finally(() => {
      this.running = null;
      // A kick that came as the last round ended (after its check) starts the next one.
      if (this.waiting.length > 0 && !this.closed) void this.kick().then(() => undefined);
    });
    return served;
  }

  /** Rows still waiting (the relay's backlog); a Promise when the outbox is an AsyncOutbox. */
  backlog(): number | Promise<number> {
    const rows = this.outbox.pending(Number.MAX_SAFE_INTEGER);
    return Array.isArray(rows) ? rows.length : rows.then((all) => all.length);
  }

  close(): void {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    for (const resolve of this.waiting.splice(0)) resolve();
  }

  private async drain(): Promise<void> {
    while (this.waiting.length > 0) {
      const served = this.waiting.splice(0);
      const finished = await this.round();
      for (const resolve of served) resolve();
      if (!finished) {
        // Given up for now: whoever kicked meanwhile is answered too (their rows wait for the retry).
        for (const resolve of this.waiting.splice(0)) resolve();
        this.scheduleRetry();
        return;
      }
    }
    this.delay = this.options.minRetryMs ?? 100;
  }

  /**
   * Relays every row waiting now (ending at a read of less than a full batch, so rows committed during it do not
   * keep it going); false when the outbox or the bus failed (the rows stay for the retry).
   */
  private async round(): Promise<boolean> {
    const batch = this.options.batch ?? 64;
    for (;;) {
      let rows: OutboxRow[];
      try {
        rows = await this.outbox.pending(batch);
      } catch {
        // The database is away (an AsyncOutbox): its rows wait there, try again later.
        return false;
      }
      // Closed meanwhile (the node is stopping): what it read stays for the next start, as if it had died here.
      if (rows.length === 0 || this.closed) return true;
      try {
        if (this.bus.publishAll) await this.bus.publishAll(rows.map((row) => this.batchOf(row)));
        else for (const row of rows) await this.bus.publish(row.events, row.createdAt);
      } catch {
        return false;
      }
      try {
        // Published but not forgotten: the rows go out again on the retry (delivery is at least once).
        if (this.outbox.removeAll) await this.outbox.removeAll(rows.map((row) => row.id));
        else for (const row of rows) await this.outbox.remove(row.id);
      } catch {
        return false;
      }
      if (rows.length < batch) return true;
    }
  }

  private batchOf(row: OutboxRow): PublishedBatch {
    const { scope } = this.outbox;
    // The creation time too: a database restored from a backup numbers rows again from the backup's last id.
    return { events: row.events, committedAt: row.createdAt, ...(scope ? { key: `${scope}:${row.id}:${row.createdAt}` } : {}) };
  }

  private scheduleRetry(): void {
    if (this.retry || this.closed) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      void this.kick();
    }, this.delay);
    this.delay = Math.min(this.delay * 2, this.options.maxRetryMs ?? 5000);
  }
}

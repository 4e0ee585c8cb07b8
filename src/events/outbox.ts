// Nothing committed is lost between the commit and the shared log: a commit's events are first written as an
// outbox row (in the commit's own transaction, where the store allows it), and the relay appends rows to the bus in
// order and deletes each once the bus has it. When the bus is away (Redis down), rows wait and the relay tries
// again with backoff; a crash leaves them for the next start. Delivery is at least once: a crash between the
// append and the delete sends that row again.
//
// The table (SQLite: store/sqlite/outbox-store.ts, migration 0021; a PostgreSQL store has the same shape):
//   event_outbox(id INTEGER PRIMARY KEY AUTOINCREMENT  -- the order rows are relayed in
//                events TEXT NOT NULL                  -- one commit's events, encodeEvents(...)
//                created_at INTEGER NOT NULL)          -- ms, to see how far behind the relay is
import type { DomainEvent } from './domain-events.ts';
import type { EventBus } from './event-bus.ts';

/** `createdAt`: when the commit wrote it (ms since the epoch): the events' commit time, carried through the bus. */
export type OutboxRow = { id: number; events: DomainEvent[]; createdAt: number };

export interface Outbox {
  /** Records one commit's events; inside the commit's transaction when called from one. */
  append(events: readonly DomainEvent[]): void;
  /** The oldest rows not yet relayed, oldest first. */
  pending(limit: number): OutboxRow[];
  /** The bus has this row: forget it. */
  remove(id: number): void;
}

/** The same outbox on an engine across the network (PostgreSQL, store/postgres/outbox-store.ts): every call awaits. */
export interface AsyncOutbox {
  append(events: readonly DomainEvent[]): Promise<void>;
  pending(limit: number): Promise<OutboxRow[]>;
  remove(id: number): Promise<void>;
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

/** Moves outbox rows to the bus, one at a time and in order, so the bus sees commits in the order they were made. */
export class OutboxRelay {
  private running: Promise<void> | null = null;
  private again = false;
  private retry: ReturnType<typeof setTimeout> | null = null;
  private delay: number;
  private closed = false;

  constructor(
    private readonly outbox: Outbox | AsyncOutbox,
    private readonly bus: Pick<EventBus, 'publish'>,
    private readonly options: OutboxRelayOptions = {},
  ) {
    this.delay = options.minRetryMs ?? 100;
  }

  /** Rows are waiting: relay them now (one relay at a time; a kick during one makes it go round again). */
  kick(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.running !== null) {
      this.again = true;
      return this.running;
    }
    this.running = this.drain().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Rows still waiting (the relay's backlog); a Promise when the outbox is an AsyncOutbox. */
  backlog(): number | Promise<number> {
    const rows = this.outbox.pending(Number.MAX_SAFE_INTEGER);
    return Array.isArray(rows) ? rows.length : rows.then((all) => all.length);
  }

  close(): void {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
  }

  private async drain(): Promise<void> {
    do {
      this.again = false;
      for (;;) {
        let rows: OutboxRow[];
        try {
          rows = await this.outbox.pending(this.options.batch ?? 64);
        } catch {
          // The database is away (an AsyncOutbox): its rows wait there, try again later.
          this.scheduleRetry();
          return;
        }
        if (rows.length === 0) break;
        for (const row of rows) {
          try {
            await this.bus.publish(row.events, row.createdAt);
          } catch {
            this.scheduleRetry();
            return;
          }
          try {
            await this.outbox.remove(row.id);
          } catch {
            // Published but not forgotten: the row goes out again on the retry (delivery is at least once).
            this.scheduleRetry();
            return;
          }
        }
      }
      this.delay = this.options.minRetryMs ?? 100;
    } while (this.again);
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

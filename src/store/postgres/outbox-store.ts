// The event outbox in PostgreSQL (table event_outbox, migration 0021): see events/outbox.ts for why it exists. The
// unit of work appends a commit's events through `within(tx)`, inside that commit's transaction, so the events
// exist exactly when the rows they describe do; the relay reads and deletes over the pool.
import type { DomainEvent } from '../../events/domain-events.ts';
import { decodeEvents, encodeEvents } from '../../events/event-bus.ts';
import type { AsyncOutbox, OutboxRow } from '../../events/outbox.ts';
import type { Db } from './sql.ts';

/**
 * Each node relays the rows it wrote (nodes share the database), and any node relays rows left longer than
 * `orphanAfterMs` by a node that went away before relaying them (at least once: two nodes may both send one).
 */
export class PostgresOutbox implements AsyncOutbox {
  /** Every node's rows take their ids from the one shared sequence. */
  readonly scope = 'postgres';

  constructor(
    private readonly sql: Db,
    private readonly now: () => number = Date.now,
    readonly node = '',
    private readonly orphanAfterMs = 60_000,
  ) {}

  /** The same outbox writing through `tx`: the transaction of the commit whose events these are. */
  within(tx: Db): PostgresOutbox {
    return new PostgresOutbox(tx, this.now, this.node, this.orphanAfterMs);
  }

  async append(events: readonly DomainEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.sql`INSERT INTO event_outbox (events, node, created_at) VALUES (${encodeEvents(events)}, ${this.node}, ${this.now()})`;
  }

  async pending(limit: number): Promise<OutboxRow[]> {
    const rows = await this.sql<{ id: string; events: string; created_at: string }[]>`
      SELECT id, events, created_at FROM event_outbox WHERE node = ${this.node} OR created_at < ${this.now() - this.orphanAfterMs}
      ORDER BY id LIMIT ${Math.min(limit, 2 ** 31 - 1)}`;
    return rows.map((row) => ({ id: Number(row.id), events: decodeEvents(row.events), createdAt: Number(row.created_at) }));
  }

  async remove(id: number): Promise<void> {
    await this.sql`DELETE FROM event_outbox WHERE id = ${id}`;
  }

  async removeAll(ids: readonly number[]): Promise<void> {
    if (ids.length === 0) return;
    await this.sql`DELETE FROM event_outbox WHERE id = ANY(${this.sql.array([...ids], 'INT8')})`;
  }
}

// The event outbox in SQLite (table event_outbox, migration 0021): see events/outbox.ts for why it exists.
import type { Database } from 'bun:sqlite';
import type { DomainEvent } from '../../events/domain-events.ts';
import { decodeEvents, encodeEvents } from '../../events/event-bus.ts';
import type { Outbox, OutboxRow } from '../../events/outbox.ts';

/**
 * Each node relays the rows it wrote (nodes may share the database), and any node relays rows left longer than
 * `orphanAfterMs` by a node that went away before relaying them.
 */
export class SqliteOutbox implements Outbox {
  constructor(
    private readonly db: Database,
    private readonly now: () => number = Date.now,
    private readonly node = '',
    private readonly orphanAfterMs = 60_000,
  ) {}

  append(events: readonly DomainEvent[]): void {
    if (events.length === 0) return;
    this.db.query('INSERT INTO event_outbox (events, node, created_at) VALUES (?, ?, ?)').run(encodeEvents(events), this.node, this.now());
  }

  pending(limit: number): OutboxRow[] {
    return this.db
      .query<{ id: number; events: string; created_at: number }, [string, number, number]>(
        'SELECT id, events, created_at FROM event_outbox WHERE node = ? OR created_at < ? ORDER BY id LIMIT ?',
      )
      .all(this.node, this.now() - this.orphanAfterMs, limit)
      .map((row) => ({ id: row.id, events: decodeEvents(row.events), createdAt: row.created_at }));
  }

  remove(id: number): void {
    this.db.query('DELETE FROM event_outbox WHERE id = ?').run(id);
  }

  removeAll(ids: readonly number[]): void {
    if (ids.length === 0) return;
    this.db.query(`DELETE FROM event_outbox WHERE id IN (${ids.map(() => '?').join(',')})`).run(...ids);
  }
}

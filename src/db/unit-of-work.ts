// Commit, then dispatch: a write runs in one transaction and collects its events; they reach
// the hub only after the outermost transaction commits, and never for a write that rolled back.
import type { Database } from 'bun:sqlite';
import type { DomainEvent } from '../events/domain-events.ts';
import type { EventHub } from '../events/event-hub.ts';

export type Emit = (event: DomainEvent) => void;

export class UnitOfWork {
  private pending: DomainEvent[] | null = null;

  constructor(
    readonly db: Database,
    private readonly hub: EventHub,
  ) {}

  write<T>(body: (emit: Emit) => T): T {
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
      result = this.db.transaction(() => body((e) => events.push(e)))();
    } finally {
      this.pending = null;
    }
    this.hub.publish(events);
    return result;
  }
}

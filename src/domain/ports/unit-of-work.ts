import type { DomainEvent } from '../../events/domain-events.ts';
import type { Repositories } from './index.ts';

export type Emit = (event: DomainEvent) => void;
export interface UnitOfWork {
  /** One transaction (inside another write: a savepoint); its events are enriched just before the outermost
   *  commit and published after it, never for a rollback. Resolves after the commit. */
  write<T>(body: (emit: Emit) => Promise<T>): Promise<T>;
  /** Every repository: inside a write (same async context) they act in its transaction; outside one they read
   *  committed rows only. Services take their repositories from here. */
  readonly repos: Repositories;
  enrichWith(enrich: (events: DomainEvent[]) => Promise<void>): void;
  close(): Promise<void>;
}

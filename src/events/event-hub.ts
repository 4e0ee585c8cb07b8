// Hands committed domain events to whoever listens (the gateways, the presence store).
// Listeners run synchronously after commit; one that throws never stops the others.
import { markCommitted } from './commit-time.ts';
import type { DomainEvent } from './domain-events.ts';

export type EventListener = (event: DomainEvent) => void;

export class EventHub {
  private readonly listeners = new Set<EventListener>();

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(events: readonly DomainEvent[]): void {
    markCommitted(events);
    for (const event of events) {
      for (const listener of this.listeners) {
        try {
          listener(event);
        } catch (error) {
          console.error(`event listener failed on ${event.type}:`, error);
        }
      }
    }
  }
}

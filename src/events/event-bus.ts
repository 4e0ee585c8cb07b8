// How committed events reach every listener (gateways, presence, caches) on every node: Soketi's adapter model.
// `LocalBus` is today's in-process hub (one node, the default); `RedisBus` (redis-bus.ts) carries them through one
// Redis stream that every node reads in order, so all nodes apply the same events in the same total order.
import { markCommitted } from './commit-time.ts';
import type { DomainEvent } from './domain-events.ts';
import { EventHub, type EventListener } from './event-hub.ts';

/** One commit's events as the outbox relay hands them over; `key` names the outbox row, unique in the instance. */
export type PublishedBatch = { events: readonly DomainEvent[]; committedAt?: number; key?: string };

export interface EventBus {
  /**
   * Hands one commit's events to every node, in order and as one batch. Resolves once they are accepted (for a
   * shared bus: durably appended to the shared log); rejects when they could not be (then the caller keeps them
   * in its outbox and tries again). `committedAt` (ms since the epoch): when the commit was made, if not now;
   * it travels with the events, for the fan-out lag every node measures.
   */
  publish(events: readonly DomainEvent[], committedAt?: number): Promise<void>;
  /**
   * Several commits' batches at once, in this order (one round trip on a shared bus); as publish otherwise. A batch
   * with a `key` the shared log has already taken (within a day) is left out: an outbox row sent again after a
   * crash between its append and its delete reaches every node once.
   */
  publishAll?(batches: readonly PublishedBatch[]): Promise<void>;
  /** Calls `listener` for every event from every node, in the bus's one order, until the returned function is called. */
  subscribe(listener: EventListener): () => void;
  /** Starts delivering (a shared bus begins reading at the log's end); safe to call twice. */
  start(): Promise<void>;
  /** Stops delivering and lets go of connections. */
  close(): Promise<void>;
}

/** One process: events go straight to the listeners, synchronously, in publish order (EventHub's semantics). */
export class LocalBus implements EventBus {
  constructor(readonly hub: EventHub = new EventHub()) {}

  async publish(events: readonly DomainEvent[], committedAt?: number): Promise<void> {
    if (committedAt !== undefined) markCommitted(events, committedAt);
    this.hub.publish(events);
  }

  subscribe(listener: EventListener): () => void {
    return this.hub.subscribe(listener);
  }

  async start(): Promise<void> {}

  async close(): Promise<void> {}
}

/**
 * Events on the wire between nodes: JSON, with the two non-JSON values domain events hold tagged: bigint (permission
 * bits of roles and overwrites) as `{"$bigint":"<decimal>"}`, and Map (the members an enriched message names) as
 * `{"$map":[[key,value],...]}`. test/events/event-codec.test.ts round-trips every type.
 */
export function encodeEvents(events: readonly DomainEvent[]): string {
  return JSON.stringify(events, (_key, value: unknown) => {
    if (typeof value === 'bigint') return { $bigint: value.toString() };
    if (value instanceof Map) return { $map: [...value] };
    return value;
  });
}

export function decodeEvents(text: string): DomainEvent[] {
  const value: unknown = JSON.parse(text, (_key, value: unknown) => {
    if (isTaggedBigint(value)) return BigInt(value.$bigint);
    if (isTaggedMap(value)) return new Map(value.$map);
    return value;
  });
  if (!Array.isArray(value) || !value.every((e) => typeof e === 'object' && e !== null && typeof (e as { type?: unknown }).type === 'string')) {
    throw new Error('not a batch of domain events');
  }
  return value as DomainEvent[];
}

function isTaggedMap(value: unknown): value is { $map: [unknown, unknown][] } {
  if (typeof value !== 'object' || value === null) return false;
  const keys = Object.keys(value);
  const entries = (value as { $map?: unknown }).$map;
  return keys.length === 1 && keys[0] === '$map' && Array.isArray(entries) && entries.every((e) => Array.isArray(e) && e.length === 2);
}

function isTaggedBigint(value: unknown): value is { $bigint: string } {
  if (typeof value !== 'object' || value === null) return false;
  const keys = Object.keys(value);
  return (
    keys.length === 1 &&
    keys[0] === '$bigint' &&
    typeof (value as { $bigint: unknown }).$bigint === 'string' &&
    /^-?\d+$/.test((value as { $bigint: string }).$bigint)
  );
}

// When each committed event was committed, for the fan-out lag metric (commit -> handed to the sockets): kept
// beside the event (a WeakMap, so events stay plain data and nothing leaks), set once, by the first of: the hub
// handing it out after commit (one node), or the shared log delivering it with its commit time (a cluster, where
// the time travels with the log entry from the node that committed it).
import type { DomainEvent } from './domain-events.ts';

const committedAt = new WeakMap<DomainEvent, number>();

/** Wall-clock milliseconds with sub-millisecond precision (comparable across the nodes of one machine or NTP'd hosts). */
export const wallClock = (): number => performance.timeOrigin + performance.now();

/** Records `at` as the commit time of each event that has none yet. */
export function markCommitted(events: readonly DomainEvent[], at: number = wallClock()): void {
  for (const event of events) if (!committedAt.has(event)) committedAt.set(event, at);
}

/** When `event` was committed (wall-clock ms), or undefined when nobody said. */
export function commitTimeOf(event: DomainEvent): number | undefined {
  return committedAt.get(event);
}

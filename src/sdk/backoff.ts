// Reconnect delays: doubling from a base up to a cap, with jitter so a server restart is not met by
// every client at the same instant.

export type BackoffOptions = { baseDelay: number; maxDelay: number };

export const DEFAULT_BACKOFF: BackoffOptions = { baseDelay: 1000, maxDelay: 30_000 };

/**
 * Delay in ms before reconnect attempt `attempt` (0-based): the ceiling is base * 2^attempt capped at maxDelay,
 * and the delay is drawn uniformly from the upper half of it ("equal jitter"), so it never exceeds the cap
 * and never collapses to zero.
 */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  const ceiling = Math.min(options.maxDelay, options.baseDelay * 2 ** Math.min(attempt, 30));
  return ceiling / 2 + random() * (ceiling / 2);
}

// Time is injected so tests can move it; production passes the system clock.
export type Clock = { now(): number };

export const systemClock: Clock = { now: () => Date.now() };

// The gateway's fixed limits in one place. Timing limits derive from config (heartbeat interval,
// resume window); these are the ones an operator never needs to tune.

/** Largest client frame accepted (bytes). Bun itself drops frames over 64 KiB (app.ts) with 1009. */
export const MAX_FRAME_BYTES = 16 * 1024;

/** A session that sends nothing for this many heartbeat intervals is closed. */
export const HEARTBEAT_GRACE = 1.5;

/** A fresh connection must IDENTIFY (or RESUME) within this, or within 1.5 heartbeat intervals when that is shorter. */
export const IDENTIFY_TIMEOUT_MAX_MS = 10_000;

/**
 * Unsent bytes a connection may queue before it is dropped as a slow consumer. Below Bun's own
 * `backpressureLimit` (1 MiB in app.ts), so we usually close first, with a code; Bun's limit is the backstop
 * for bursts that arrive between two checks (it closes with 1006).
 */
export const SLOW_CONSUMER_BYTES = 512 * 1024;

/**
 * Direct sends (READY, a RESUME replay, per-session frames) stop handing frames to Bun once the socket has this
 * many bytes unsent, and queue them until Bun reports `drain`. So a large replay streams at the client's pace
 * instead of tripping the slow-consumer limit. While frames are queued, the connection takes its topic traffic
 * through the same queue, in order.
 */
export const SEND_HIGH_WATER_BYTES = 256 * 1024;

/** A server-side close the client never completes (it stopped reading) is cut off after this. */
export const CLOSE_GRACE_MS = 3000;

/** Replay buffer caps besides the resume window: entries and bytes of serialized frames. */
export const REPLAY_MAX_ENTRIES = 20_000;
export const REPLAY_MAX_BYTES = 32 * 1024 * 1024;

/** How often timers (heartbeat deadlines, slow consumers, expired sessions) are checked at most. */
export const TICK_MAX_MS = 1000;

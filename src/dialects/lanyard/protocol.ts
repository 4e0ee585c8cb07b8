// Lanyard's socket protocol, named once: opcodes, event names, close codes, timings and our bounds.
export const LanyardOp = {
  /** Server -> client: a dispatch (`t` is INIT_STATE or PRESENCE_UPDATE). */
  Event: 0,
  /** Server -> client, on connect: `{heartbeat_interval}`. */
  Hello: 1,
  /** Client -> server: subscribe_to_id | subscribe_to_ids | subscribe_to_all; accepted any time, repeatable. */
  Initialize: 2,
  /** Client -> server: keeps the connection alive; no answer. */
  Heartbeat: 3,
  /** Client -> server: unsubscribe_from_id | unsubscribe_from_ids | unsubscribe_from_all. */
  Unsubscribe: 4,
} as const;

export const LanyardEvent = { InitState: 'INIT_STATE', PresenceUpdate: 'PRESENCE_UPDATE' } as const;

export const LanyardClose = {
  UnknownOpcode: 4004,
  RequiresDataObject: 4005,
  InvalidPayload: 4006,
  /** No frame (heartbeat or other) within IDLE_TIMEOUT_MS. */
  Idle: 1000,
  /** The server is shutting down: reconnect (to another node). */
  GoingAway: 1001,
  /** Too many frames: a client has no reason to send more than a heartbeat every 30 s. */
  Flood: 1008,
} as const;

export const HEARTBEAT_INTERVAL_MS = 30_000;
/** Twice the heartbeat interval, as Lanyard's own server allows. */
export const IDLE_TIMEOUT_MS = 60_000;
/** Ids one connection may follow (subscribe_to_all aside). */
export const MAX_SUBSCRIBED_IDS = 1000;
/** Frames a connection may send per minute. */
export const FRAMES_PER_MINUTE = 120;

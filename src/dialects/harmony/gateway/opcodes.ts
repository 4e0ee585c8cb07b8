// The harmony v1 gateway's opcodes and close codes, with the names the seed and Discord use.
// docs/gateway.md documents each one; the SDK (src/sdk/protocol.ts) keeps its own copy to stay dependency-free.
import type { CoreCloses } from '../../../gateway/dialect.ts';
import { MAX_FRAME_BYTES } from '../../../gateway/limits.ts';

export const Op = {
  /** Server -> client: an event (`t` names it, `s` is its sequence number). */
  Dispatch: 0,
  /** Client -> server, every `heartbeat_interval` ms; answered with HeartbeatAck. */
  Heartbeat: 1,
  /** Client -> server, first frame: `{ token, properties?, presence? }`. */
  Identify: 2,
  /** Client -> server: `{ since, activities, status, afk }`. */
  PresenceUpdate: 3,
  /** Client -> server instead of Identify: `{ token, session_id, seq }`. */
  Resume: 6,
  /** Server -> client, just before a graceful shutdown closes with 4000: reconnect and RESUME (the session survives the restart). */
  Reconnect: 7,
  /** Server -> client: the session cannot be resumed (`d: false`); IDENTIFY again. */
  InvalidSession: 9,
  /** Server -> client: heartbeat acknowledged. */
  HeartbeatAck: 11,
} as const;

export const CloseCode = {
  /** Something went wrong on our side, or the server is restarting: reconnect and RESUME. */
  UnknownError: 4000,
  UnknownOpcode: 4001,
  /** Not JSON, not an object with an integer `op`, or a payload that does not validate. */
  DecodeError: 4002,
  /** A frame other than IDENTIFY/RESUME before identifying, or no IDENTIFY in time. */
  NotAuthenticated: 4003,
  /** Bad token; also sent when the token is regenerated, the user logs out or the account is disabled. */
  AuthenticationFailed: 4004,
  AlreadyAuthenticated: 4005,
  /** RESUME with a sequence number the session cannot have. */
  InvalidSeq: 4007,
  /** Too many frames, a frame over 16 KiB, or too many IDENTIFYs for one token. */
  RateLimited: 4008,
  /** No heartbeat for 1.5 × heartbeat_interval. */
  SessionTimedOut: 4009,
} as const;

/** The closes the core performs, in v1's codes. `resumable` says whether RESUME may follow. */
export const CORE_CLOSES: CoreCloses = {
  // RECONNECT (op 7) first, as v10 does; the 4000 close that follows says the same to clients that do not know op 7.
  restart: {
    code: CloseCode.UnknownError,
    reason: 'Server restarting: reconnect',
    resumable: true,
    frame: JSON.stringify({ op: Op.Reconnect, d: null, s: null, t: null }),
  },
  superseded: { code: CloseCode.UnknownError, reason: 'Session resumed on another connection', resumable: true },
  revoked: { code: CloseCode.AuthenticationFailed, reason: 'Authentication failed: credentials revoked', resumable: false },
  slowConsumer: { code: CloseCode.UnknownError, reason: 'Slow consumer: too much unread data', resumable: true },
  heartbeatTimeout: { code: CloseCode.SessionTimedOut, reason: 'Session timed out: no heartbeat', resumable: false },
  identifyTimeout: { code: CloseCode.NotAuthenticated, reason: 'Not authenticated: IDENTIFY in time', resumable: false },
  frameTooLarge: { code: CloseCode.RateLimited, reason: `Frame too large (${MAX_FRAME_BYTES / 1024} KiB at most)`, resumable: true },
  rateLimited: { code: CloseCode.RateLimited, reason: 'Rate limited: too many frames', resumable: true },
  unknownError: { code: CloseCode.UnknownError, reason: 'Unknown error', resumable: true },
};

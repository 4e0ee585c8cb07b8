// The contract between the dialect-independent gateway core and one wire dialect (harmony v1, discord v10).
// The core owns sessions, sequence numbers, replay, audiences, topics, timers and limits; a dialect owns
// its frames: how a connection greets, which opcodes exist, what each event is called and looks like.

import type { GatewayConnection } from './connection.ts';
import type { Dispatch } from './dispatch.ts';

/** A close the core performs on a dialect's behalf, in that dialect's words. */
export type CloseSpec = {
  code: number;
  reason: string;
  /** Whether the session stays resumable for the resume window after this close. */
  resumable: boolean;
  /** A last frame sent just before the close (v10 says RECONNECT, op 7, before a restart close). */
  frame?: string;
};

/** Closes the core itself decides on; each dialect says which code and words its clients expect. */
export type CoreCloses = {
  /** Graceful shutdown: clients should reconnect (and RESUME or IDENTIFY against the next process). */
  restart: CloseSpec;
  /** A RESUME of this session arrived on another connection, which takes over. */
  superseded: CloseSpec;
  /** The token was regenerated, the user logged out, or the account was disabled. */
  revoked: CloseSpec;
  /** The send buffer grew past SLOW_CONSUMER_BYTES. */
  slowConsumer: CloseSpec;
  /** No heartbeat within HEARTBEAT_GRACE intervals. */
  heartbeatTimeout: CloseSpec;
  /** No IDENTIFY/RESUME in time after connecting. */
  identifyTimeout: CloseSpec;
  /** A frame over MAX_FRAME_BYTES. */
  frameTooLarge: CloseSpec;
  /** More frames than GATEWAY_FRAME_RATE_LIMIT allows. */
  rateLimited: CloseSpec;
  /** A handler threw: a bug, never the client's fault; the session is kept so the client can RESUME. */
  unknownError: CloseSpec;
};

/**
 * One serialized variant of a dispatch: the stream it is published on and the exact text frame. The optional
 * third entry targets single users where a payload is truly per user (v10: a bot without MESSAGE_CONTENT still
 * sees the content of messages that mention it): those users' sessions on this stream get their own frame
 * instead of `frame`. A null `frame` reaches nobody else (an event only its subject hears on that stream).
 */
export type EncodedFrame = readonly [stream: string, frame: string] | readonly [stream: string, frame: string | null, targeted: ReadonlyMap<string, string>];

export interface GatewayDialect {
  /** Unique name, for logs and bookkeeping ('harmony-v1', 'discord-v10'). */
  readonly id: string;
  readonly closes: CoreCloses;
  /**
   * Serializes one dispatch, carrying sequence number `seq`, once per stream (payload variant) this
   * dialect has: v1 has one; a dialect with intents or optional content may have several (each session
   * listens on the streams that match it). Return no entry for a stream that must not carry it.
   * Called once per dispatch, never per session: this is the hot path. A pure function of the dispatch: what it
   * shows beyond the event was read at commit (src/domain/event-views.ts) or by the fan-out with its audience, so
   * numbering, encoding, the replay buffer and the publish happen in one synchronous step.
   */
  encode(dispatch: Dispatch, seq: number): readonly EncodedFrame[];
  /** Whether `guild.available` must carry every member of the guild (v10's GUILD_CREATE lists them; v1's does not). */
  readonly showsGuildMembers?: boolean;
}

/** Parameters an endpoint read from the upgrade request (e.g. `?v=10&encoding=json&compress=zlib-stream`). */
export type ConnectionParams = Readonly<Record<string, string>>;

/** A dialect's socket-level protocol: bound to a path by `gatewayEndpoint`. */
export interface GatewayProtocol {
  readonly path: string;
  readonly dialect: GatewayDialect;
  /** Validate the upgrade request; return a Response to refuse it. */
  upgrade?(request: Request, url: URL): ConnectionParams | Response;
  /** A socket opened: greet it (v10 sends HELLO), or set `connection.transform` for per-connection compression. */
  open?(connection: GatewayConnection): void;
  /** One client frame, already within size and rate limits: decode → validate → handle → encode. */
  frame(connection: GatewayConnection, text: string): void | Promise<void>;
}

// One WebSocket connection as the gateway sees it. Sessions outlive connections (RESUME attaches a new
// connection to an old session), so the two are separate; both are keyed by stable ids, never by socket objects.
import type { CloseSpec, ConnectionParams, GatewayDialect } from './dialect.ts';
import type { GatewaySession } from './session.ts';

/** The narrow socket the gateway needs; Bun's ServerWebSocket is one, unit tests pass a fake. */
export interface GatewaySocket {
  /** Bun: bytes sent, -1 when queued under backpressure, 0 when dropped. */
  send(data: string | Uint8Array): number;
  close(code?: number, reason?: string): void;
  /** Drops the connection without a closing handshake (for clients that stopped reading). */
  terminate?(): void;
  subscribe(topic: string): unknown;
  unsubscribe(topic: string): unknown;
  getBufferedAmount(): number;
}

export type ConnectionPhase =
  /** Connected, nothing identified yet. */
  | 'new'
  /** IDENTIFY or RESUME accepted for processing (token being checked). */
  | 'authenticating'
  /** Attached to a session: receives dispatches. */
  | 'ready'
  | 'closed';

/** When the connection must have done something by, and how it is closed if it has not. */
export type Deadline = { at: number; close: CloseSpec };

export class GatewayConnection {
  phase: ConnectionPhase = 'new';
  session: GatewaySession | null = null;
  deadline: Deadline;
  /**
   * Per-connection frame transform (e.g. a zlib-stream context). Set it in the protocol's `open` only.
   * A connection with a transform cannot share bytes with others, so it receives topic traffic by direct
   * sends instead of native Bun topic subscriptions.
   */
  transform: ((frame: string) => string | Uint8Array) | null = null;
  /** Set between a send that hit backpressure and the next `drain`. */
  congested = false;
  /**
   * Frames waiting for Bun's `drain` (see SEND_HIGH_WATER_BYTES), oldest first; null when nothing waits.
   * While it is non-null the connection receives topic traffic by direct sends, so order is kept.
   */
  backlog: string[] | null = null;
  backlogBytes = 0;
  /**
   * Extra characters the backlog may hold while a RESUME replay streams at the client's pace; live traffic
   * alone may only back up SLOW_CONSUMER_BYTES. Cleared when the backlog empties.
   */
  replayAllowance = 0;
  /** Frames handled one at a time, in order, even when one of them awaits (IDENTIFY checks a token). */
  pending: Promise<void> | null = null;

  constructor(
    readonly id: string,
    readonly socket: GatewaySocket,
    readonly dialect: GatewayDialect,
    readonly params: ConnectionParams,
    readonly openedAt: number,
    identifyDeadline: Deadline,
  ) {
    this.deadline = identifyDeadline;
  }

  /** Whether topic traffic reaches it through Bun's native topics (else by direct sends). */
  get native(): boolean {
    return this.transform === null && this.backlog === null;
  }

  get open(): boolean {
    return this.phase !== 'closed';
  }
}

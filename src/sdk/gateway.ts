// The gateway session state machine: IDENTIFY or RESUME on open, heartbeats with zombie detection,
// reconnect with backoff, close-code policy. It knows frames, not SDK events: it reports to a sink.
import { type BackoffOptions, backoffDelay } from './backoff.ts';
import type { ClientProperties } from './client-properties.ts';
import { HarmonyGatewayError } from './errors.ts';
import type { Activity, CloseInfo, DispatchPayload, PresenceData } from './events.ts';
import { CloseCode, decodeFrame, FATAL_CLOSE_CODES, Op, SESSION_ENDING_CLOSE_CODES, type ServerFrame } from './protocol.ts';
import { loadWebSocket, type WebSocketConstructor } from './socket.ts';

export interface GatewaySink {
  /** Every op 0 frame, READY and RESUMED included, after the connection has taken what it needs from it. */
  dispatch(payload: DispatchPayload): void;
  /** A socket went away; `reconnecting` says whether another one is on its way. */
  closed(info: CloseInfo): void;
  /** Something worth reporting that the connection recovers from by itself. */
  error(error: Error): void;
  /** The connection gave up for good (fatal close code, no WebSocket implementation). */
  failed(error: Error): void;
}

/** Op 3's `d`, every field present, in the order the protocol documents. */
export type PresenceFrame = { since: number | null; activities: Activity[]; status: PresenceData['status']; afk: boolean };

export type GatewayOptions = {
  url: string;
  token: string;
  /** IDENTIFY's `properties`: what the client runs on (client_status). */
  properties: ClientProperties;
  backoff: BackoffOptions;
  sink: GatewaySink;
  loadWebSocket?: () => Promise<WebSocketConstructor>;
};

const OPEN = 1;
const CLOSED = 3;
/** Used only if READY does not say; the spec's documented interval. */
const DEFAULT_HEARTBEAT_INTERVAL = 30_000;
/** How long stop() waits for the close handshake before resolving anyway (dead networks never answer). */
const STOP_TIMEOUT = 2000;

export class GatewayConnection {
  private socket: WebSocket | null = null;
  /** Between start() and stop() or a fatal close: whether the connection should exist. */
  private running = false;
  /** Bumped whenever an open in flight must be abandoned (stop, or a newer open). */
  private generation = 0;
  private session: string | null = null;
  private seq: number | null = null;
  private heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;
  private heartbeatTimer: ReturnType<typeof setInterval> | undefined;
  private awaitingAck = false;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private attempts = 0;
  /** The current socket has had READY or RESUMED: op 3 may go out on it (before that the server would close 4003). */
  private live = false;
  /** The presence asked for with setPresence(), for every session to come. */
  private presence: PresenceFrame | null = null;
  /**
   * Whether the server's session holds `presence`: one IDENTIFY carried it in, or op 3 or a RESUMEd session that
   * had it. Anything set since (while away, or between IDENTIFY and READY) still has to go out as op 3.
   */
  private presenceHeld = false;
  /** The presence the current socket's IDENTIFY carried, until READY (if the server refuses it, it is dropped). */
  private identifiedWith: PresenceFrame | null = null;

  constructor(private readonly options: GatewayOptions) {}

  get sessionId(): string | null {
    return this.session;
  }

  /**
   * Remembers the presence and sends it now (op 3) if the session is live. Every new session starts with it, in
   * IDENTIFY, so an invisible or dnd user never shows online in between; a RESUMEd session kept it, and one set
   * while away goes out once RESUMED. Whether it went out now.
   */
  setPresence(presence: PresenceFrame): boolean {
    this.presence = presence;
    this.presenceHeld = false;
    return this.sendPresence();
  }

  /** Starts connecting unless already running. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.attempts = 0;
    void this.open();
  }

  /** Closes for good: no reconnect, session forgotten. Resolves when the socket has closed (or after a timeout). */
  async stop(code: number, reason: string): Promise<void> {
    const wasRunning = this.running;
    this.running = false;
    this.generation++;
    clearTimeout(this.reconnectTimer);
    this.stopHeartbeat();
    this.dropSession();
    const socket = this.socket;
    this.socket = null;
    this.live = false;
    let closed = Promise.resolve();
    if (socket) {
      socket.onopen = null;
      socket.onmessage = null;
      closed = new Promise<void>((resolve) => {
        if (socket.readyState === CLOSED) return resolve();
        const timer = setTimeout(resolve, STOP_TIMEOUT);
        socket.onclose = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      closeQuietly(socket, code, reason);
    }
    if (wasRunning) this.options.sink.closed({ code, reason, reconnecting: false });
    await closed;
  }

  private async open(): Promise<void> {
    const generation = ++this.generation;
    let socket: WebSocket;
    try {
      const WebSocketImpl = await (this.options.loadWebSocket ?? loadWebSocket)();
      if (generation !== this.generation) return;
      socket = new WebSocketImpl(this.options.url);
    } catch (error) {
      if (generation !== this.generation) return;
      this.running = false;
      this.options.sink.failed(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    socket.binaryType = 'arraybuffer';
    socket.onopen = () => this.onOpen(socket);
    socket.onmessage = (event) => this.onMessage(socket, event.data);
    socket.onclose = (event) => this.onClose(socket, event.code, event.reason);
    // A close event always follows an error; and `ws` on Node throws on an 'error' nobody listens to.
    socket.onerror = ignore;
    this.socket = socket;
    this.live = false;
    this.identifiedWith = null;
  }

  private onOpen(socket: WebSocket): void {
    if (socket !== this.socket) return;
    const { token, properties } = this.options;
    if (this.session === null) {
      // The new session starts with the remembered presence instead of online-then-op-3.
      const presence = this.presence;
      this.send({ op: Op.Identify, d: presence === null ? { token, properties } : { token, properties, presence } });
      this.identifiedWith = presence;
      this.presenceHeld = presence !== null;
      return;
    }
    this.send({ op: Op.Resume, d: { token, session_id: this.session, seq: this.seq } });
    // No READY comes after a RESUME, so the heartbeat restarts with the interval the session was given.
    this.startHeartbeat();
  }

  private onMessage(socket: WebSocket, data: unknown): void {
    if (socket !== this.socket) return;
    const frame = decodeFrame(data);
    if (!frame) {
      this.options.sink.error(new Error('Ignored a gateway frame that is not a JSON object with a numeric op'));
      return;
    }
    switch (frame.op) {
      case Op.Dispatch:
        this.onDispatch(frame);
        return;
      case Op.HeartbeatAck:
        this.awaitingAck = false;
        return;
      case Op.Heartbeat:
        // The server asks for a heartbeat now; answering does not change what we wait for.
        this.send({ op: Op.Heartbeat, d: this.seq });
        return;
      case Op.Reconnect:
        this.replaceSocket('Server asked to reconnect');
        return;
      case Op.InvalidSession:
        // d:true means the session can still be resumed; anything else means it is gone.
        if (frame.d !== true) this.dropSession();
        this.replaceSocket('Invalid session');
        return;
    }
  }

  private onDispatch(frame: ServerFrame): void {
    if (frame.s !== null && (this.seq === null || frame.s > this.seq)) this.seq = frame.s;
    if (frame.t === 'READY') {
      const d = (typeof frame.d === 'object' && frame.d !== null ? frame.d : {}) as Record<string, unknown>;
      this.session = typeof d.session_id === 'string' ? d.session_id : null;
      const interval = d.heartbeat_interval;
      this.heartbeatInterval = typeof interval === 'number' && interval > 0 ? interval : DEFAULT_HEARTBEAT_INTERVAL;
      this.startHeartbeat();
      this.attempts = 0;
      this.live = true;
      this.identifiedWith = null;
      // IDENTIFY carried the presence; only one set after it was sent has yet to reach the session.
      if (!this.presenceHeld) this.sendPresence();
    } else if (frame.t === 'RESUMED') {
      this.attempts = 0;
      this.live = true;
      // The server kept the session's presence; only one set while away has yet to reach it.
      if (!this.presenceHeld) this.sendPresence();
    }
    this.options.sink.dispatch({ t: frame.t ?? '', d: frame.d, s: frame.s });
  }

  private onClose(socket: WebSocket, code: number, reason: string): void {
    if (socket !== this.socket) return;
    if (code === CloseCode.DecodeError && !this.live && this.identifiedWith !== null) this.dropRefusedPresence(code, reason);
    this.identifiedWith = null;
    this.socket = null;
    this.live = false;
    this.stopHeartbeat();
    if (FATAL_CLOSE_CODES.has(code)) {
      this.running = false;
      this.dropSession();
      this.options.sink.failed(new HarmonyGatewayError(code, reason));
      this.options.sink.closed({ code, reason, reconnecting: false });
      return;
    }
    if (SESSION_ENDING_CLOSE_CODES.has(code)) this.dropSession();
    this.options.sink.closed({ code, reason, reconnecting: this.running });
    this.scheduleReconnect();
  }

  /** Client-side decision to drop this socket and get a new one (RESUME if a session is still held). */
  private replaceSocket(reason: string): void {
    const socket = this.socket;
    if (!socket) return;
    this.socket = null;
    this.live = false;
    this.stopHeartbeat();
    socket.onopen = null;
    socket.onmessage = null;
    socket.onclose = null;
    closeQuietly(socket, CloseCode.Reconnecting, reason);
    this.options.sink.closed({ code: CloseCode.Reconnecting, reason, reconnecting: this.running });
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (!this.running) return;
    clearTimeout(this.reconnectTimer);
    const delay = backoffDelay(this.attempts++, this.options.backoff);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this.running) void this.open();
    }, delay);
  }

  private startHeartbeat(): void {
    this.stopHeartbeat();
    this.heartbeatTimer = setInterval(() => {
      // The previous beat was never acknowledged: the connection is a zombie even if TCP has not noticed.
      if (this.awaitingAck) {
        this.replaceSocket('Heartbeat ACK not received');
        return;
      }
      this.awaitingAck = true;
      this.send({ op: Op.Heartbeat, d: this.seq });
    }, this.heartbeatInterval);
  }

  private stopHeartbeat(): void {
    clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
    this.awaitingAck = false;
  }

  private dropSession(): void {
    this.session = null;
    this.seq = null;
    this.presenceHeld = false;
  }

  /**
   * The server closed 4002 on an IDENTIFY that carried the presence: it refused the presence (an activity it does
   * not take). IDENTIFYing with it again would be refused again, forever; connect without it and say so.
   */
  private dropRefusedPresence(code: number, reason: string): void {
    if (this.presence === this.identifiedWith) {
      this.presence = null;
      this.presenceHeld = false;
    }
    const cause = new HarmonyGatewayError(code, reason);
    this.options.sink.error(new Error(`The server refused the presence sent in IDENTIFY (${cause.message}); connecting without it`, { cause }));
  }

  private sendPresence(): boolean {
    if (this.presence === null || !this.live || this.socket?.readyState !== OPEN) return false;
    this.send({ op: Op.PresenceUpdate, d: this.presence });
    this.presenceHeld = true;
    return true;
  }

  private send(frame: { op: number; d: unknown }): void {
    if (this.socket?.readyState === OPEN) this.socket.send(JSON.stringify(frame));
  }
}

function ignore(): void {}

function closeQuietly(socket: WebSocket, code: number, reason: string): void {
  try {
    socket.close(code, reason);
  } catch {
    // Already closing, or an implementation that rejects the code: the socket is being dropped either way.
  }
}

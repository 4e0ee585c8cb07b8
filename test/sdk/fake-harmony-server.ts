// A stand-in harmony v1 server for SDK tests: just enough gateway (IDENTIFY/READY, heartbeat ACK, RESUME with
// replay, INVALID_SESSION, a refused IDENTIFY presence) and a pluggable REST handler, on Bun.serve port 0.
// Records everything a client sends.
import type { Server, ServerWebSocket } from 'bun';

export type ClientFrame = { op: number; d: unknown };

export type FakeConnection = {
  id: number;
  /** Frames the client sent on this socket, in order. */
  frames: ClientFrame[];
  /** Set when the socket closed, with the code the server saw. */
  closed: { code: number; reason: string } | null;
  ws: ServerWebSocket<{ id: number }>;
};

export type RecordedRequest = {
  method: string;
  /** Path and query exactly as sent (percent-encoding kept). */
  path: string;
  headers: Headers;
  body: unknown;
  /** performance.now() when the request arrived. */
  at: number;
};

export type RestHandler = (request: RecordedRequest) => Response | Promise<Response>;

export const BOT = { id: '100000000000000001', username: 'harmony-bot' };

export class FakeHarmonyServer {
  readonly connections: FakeConnection[] = [];
  readonly requests: RecordedRequest[] = [];
  /** What the single live session has been sent (or would have been), for replay on RESUME. */
  readonly log: { s: number; t: string; d: unknown }[] = [];
  acceptedToken = 'good-token';
  heartbeatInterval = 1000;
  ackHeartbeats = true;
  /** 'invalid' answers every RESUME with INVALID_SESSION d:false. */
  resumeMode: 'replay' | 'invalid' = 'replay';
  /** Closes 4002 on an IDENTIFY that carries a presence, as the real server does with one it cannot take. */
  refusePresence = false;
  /** While set, READY waits until this resolves (a client acting between IDENTIFY and READY). */
  holdReady: Promise<void> | null = null;
  rest: RestHandler = () => Response.json({ message: 'no handler' }, { status: 500 });
  /** Who READY says the token belongs to: `{ bot }` for bot tokens, `{ user }` for user sessions. */
  identity: { bot: typeof BOT } | { user: typeof BOT } = { bot: BOT };
  session: string | null = null;
  private seq = 0;
  private sessions = 0;
  private readonly live = new Set<number>();
  private readonly server: Server<{ id: number }>;
  private readonly prefix: string;

  constructor(options: { prefix?: string; port?: number } = {}) {
    const prefix = options.prefix ?? '';
    this.prefix = prefix;
    let nextId = 0;
    this.server = Bun.serve<{ id: number }>({
      port: options.port ?? 0,
      hostname: '127.0.0.1',
      fetch: async (req, server) => {
        const url = new URL(req.url);
        if (url.pathname === `${prefix}/gateway`) {
          if (server.upgrade(req, { data: { id: ++nextId } })) return undefined;
          return new Response('upgrade failed', { status: 400 });
        }
        const apiPrefix = `${prefix}/api/v1`;
        if (!url.pathname.startsWith(apiPrefix)) return new Response('not found', { status: 404 });
        const text = await req.text();
        const recorded: RecordedRequest = {
          method: req.method,
          path: url.pathname.slice(apiPrefix.length) + url.search,
          headers: req.headers,
          body: text === '' ? undefined : JSON.parse(text),
          at: performance.now(),
        };
        this.requests.push(recorded);
        return this.rest(recorded);
      },
      websocket: {
        open: (ws) => {
          this.connections.push({ id: ws.data.id, frames: [], closed: null, ws });
        },
        message: (ws, message) => this.onFrame(this.connection(ws.data.id), String(message)),
        close: (ws, code, reason) => {
          this.live.delete(ws.data.id);
          this.connection(ws.data.id).closed = { code, reason };
        },
      },
    });
  }

  get url(): string {
    return `ws://127.0.0.1:${this.server.port}${this.prefix}/gateway`;
  }

  get port(): number {
    return this.server.port ?? 0;
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.server.port}${this.prefix}/api/v1`;
  }

  get lastConnection(): FakeConnection {
    const last = this.connections.at(-1);
    if (!last) throw new Error('no connection yet');
    return last;
  }

  /** Logs a dispatch for the session and sends it to every live socket; returns its sequence number. */
  dispatch(t: string, d: unknown): number {
    const s = ++this.seq;
    this.log.push({ s, t, d });
    for (const connection of this.connections) {
      if (this.live.has(connection.id)) send(connection.ws, { op: 0, d, s, t });
    }
    return s;
  }

  /** Closes every open socket from the server side. */
  closeAll(code: number, reason = ''): void {
    for (const connection of this.connections) {
      if (connection.closed === null) connection.ws.close(code, reason);
    }
  }

  send(connection: FakeConnection, frame: { op: number; d: unknown; s?: number | null; t?: string | null }): void {
    send(connection.ws, { s: null, t: null, ...frame });
  }

  async waitFor(what: string, condition: () => boolean, timeoutMs = 3000): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (!condition()) {
      if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await Bun.sleep(5);
    }
  }

  stop(): void {
    this.server.stop(true);
  }

  private connection(id: number): FakeConnection {
    const found = this.connections.find((c) => c.id === id);
    if (!found) throw new Error(`unknown connection ${id}`);
    return found;
  }

  private onFrame(connection: FakeConnection, text: string): void {
    const frame = JSON.parse(text) as ClientFrame;
    connection.frames.push(frame);
    const d = (frame.d ?? {}) as Record<string, unknown>;
    if (frame.op === 1) {
      if (this.ackHeartbeats) this.send(connection, { op: 11, d: null });
    } else if (frame.op === 2) {
      if (d.token !== this.acceptedToken) {
        connection.ws.close(4004, 'Authentication failed');
        return;
      }
      if (this.refusePresence && d.presence != null) {
        connection.ws.close(4002, 'Decode error: invalid payload');
        return;
      }
      if (this.holdReady !== null) void this.holdReady.then(() => this.ready(connection));
      else this.ready(connection);
    } else if (frame.op === 6) {
      if (this.resumeMode === 'invalid' || d.session_id !== this.session || d.token !== this.acceptedToken) {
        this.send(connection, { op: 9, d: false });
        return;
      }
      const after = typeof d.seq === 'number' ? d.seq : 0;
      for (const entry of this.log) {
        if (entry.s > after) this.send(connection, { op: 0, t: entry.t, s: entry.s, d: entry.d });
      }
      this.live.add(connection.id);
      this.send(connection, { op: 0, t: 'RESUMED', s: ++this.seq, d: {} });
    }
  }

  /** A new session for an accepted IDENTIFY. */
  private ready(connection: FakeConnection): void {
    if (connection.closed !== null) return;
    this.session = `session-${++this.sessions}`;
    this.log.length = 0;
    this.live.add(connection.id);
    const ready = {
      ...this.identity,
      session_id: this.session,
      heartbeat_interval: this.heartbeatInterval,
      guilds: [{ id: '200000000000000001', name: 'Lobby' }],
    };
    this.send(connection, { op: 0, t: 'READY', s: ++this.seq, d: ready });
  }
}

function send(ws: ServerWebSocket<{ id: number }>, frame: { op: number; d: unknown; s: number | null; t: string | null }) {
  ws.send(JSON.stringify(frame));
}

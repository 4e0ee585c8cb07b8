// The Lanyard-compatible /socket: Hello, then INIT_STATE for every Initialize and PRESENCE_UPDATE for every
// change of a followed user. Fan-out is by Bun topics: each change is serialized once (and deflated once,
// if anyone asked for zlib_json) and published to the user's topic and the subscribe-all topic.
import { deflateSync } from 'node:zlib';
import type { Server, ServerWebSocket } from 'bun';
import type { Core } from '../../core.ts';
import type { Clock } from '../../domain/clock.ts';
import type { PresenceDirectory } from '../../domain/presence/presence-directory.ts';
import type { RateLimiter } from '../../http/rate-limit.ts';
import type { SocketData, SocketEndpoint } from '../../http/socket-endpoint.ts';
import { FRAMES_PER_MINUTE, HEARTBEAT_INTERVAL_MS, IDLE_TIMEOUT_MS, LanyardClose, LanyardEvent, LanyardOp, MAX_SUBSCRIBED_IDS } from './protocol.ts';
import { lanyardPresence } from './serializers.ts';

export type LanyardSocketDeps = {
  directory: PresenceDirectory;
  /** Whether a user is an instance admin (for subscribe_to_all in 'admin' mode). */
  isAdmin: (userId: string) => Promise<boolean>;
  subscribeAll: 'off' | 'admin' | 'open';
  limiter: RateLimiter;
  clock: Clock;
  /** How often idle connections are looked for (ms); the idle limit itself is IDLE_TIMEOUT_MS of the clock. */
  sweepEveryMs?: number;
};

type Encoding = 'json' | 'zlib';
type Connection = { ws: ServerWebSocket<SocketData>; encoding: Encoding; ids: Set<string>; all: boolean; lastFrameAt: number };
type Frame = Record<string, unknown>;

const PATH = '/socket';
const SNOWFLAKE = /^\d{1,20}$/;
const FRAME_RULE = { limit: FRAMES_PER_MINUTE, windowMs: 60_000, name: 'lanyard-frame' };

/** Thrown by a handler to close the connection with a protocol code. */
class Close extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

const isObject = (value: unknown): value is Frame => typeof value === 'object' && value !== null && !Array.isArray(value);
const topic = (encoding: Encoding, userId: string) => `lanyard:${encoding}:${userId}`;
const ALL = '*';

export class LanyardSocket implements SocketEndpoint {
  readonly path = PATH;
  private server: Server<SocketData> | null = null;
  private readonly connections = new Map<number, Connection>();
  private nextId = 1;
  private sweeper: ReturnType<typeof setInterval> | null = null;
  private readonly unsubscribe: () => void;

  private readonly handlers: Record<number, (c: Connection, frame: Frame) => void> = {
    [LanyardOp.Initialize]: (c, frame) => this.initialize(c, frame.d),
    [LanyardOp.Heartbeat]: () => {},
    [LanyardOp.Unsubscribe]: (c, frame) => this.unsubscribeFrom(c, frame.d),
  };

  constructor(private readonly deps: LanyardSocketDeps) {
    this.unsubscribe = deps.directory.onChange((userId) => this.publish(userId));
  }

  upgrade(_request: Request, url: URL): SocketData {
    // Lanyard's only option; anything else means plain JSON text frames.
    return { endpoint: PATH, encoding: url.searchParams.get('compression') === 'zlib_json' ? 'zlib' : 'json' };
  }

  open(ws: ServerWebSocket<SocketData>): void {
    const id = this.nextId++;
    ws.data.connectionId = id;
    const connection: Connection = {
      ws,
      encoding: ws.data.encoding === 'zlib' ? 'zlib' : 'json',
      ids: new Set(),
      all: false,
      lastFrameAt: this.deps.clock.now(),
    };
    this.connections.set(id, connection);
    this.send(connection, { op: LanyardOp.Hello, d: { heartbeat_interval: HEARTBEAT_INTERVAL_MS } });
  }

  message(ws: ServerWebSocket<SocketData>, message: string | Buffer): void {
    const connection = this.connections.get(ws.data.connectionId as number);
    if (!connection) return;
    connection.lastFrameAt = this.deps.clock.now();
    try {
      if (!this.deps.limiter.take(String(ws.data.connectionId), FRAME_RULE).allowed) throw new Close(LanyardClose.Flood, 'rate_limited');
      let frame: unknown;
      try {
        frame = JSON.parse(typeof message === 'string' ? message : message.toString('utf8'));
      } catch {
        throw new Close(LanyardClose.InvalidPayload, 'invalid_payload');
      }
      if (!isObject(frame)) throw new Close(LanyardClose.InvalidPayload, 'invalid_payload');
      const handler = typeof frame.op === 'number' ? this.handlers[frame.op] : undefined;
      if (!handler) throw new Close(LanyardClose.UnknownOpcode, 'unknown_opcode');
      handler(connection, frame);
    } catch (error) {
      if (!(error instanceof Close)) throw error;
      ws.close(error.code, error.reason);
    }
  }

  close(ws: ServerWebSocket<SocketData>): void {
    this.connections.delete(ws.data.connectionId as number);
  }

  attach(server: Server<SocketData>): void {
    this.server = server;
    this.sweeper = setInterval(() => this.closeIdle(), this.deps.sweepEveryMs ?? 1000);
    this.sweeper.unref?.();
  }

  shutdown(): void {
    this.unsubscribe();
    if (this.sweeper) clearInterval(this.sweeper);
    for (const c of this.connections.values()) c.ws.close(LanyardClose.GoingAway, 'server shutting down');
    this.connections.clear();
    this.server = null;
  }

  /** Open connections (for tests and metrics). */
  get size(): number {
    return this.connections.size;
  }

  // ---- ops ----

  private initialize(c: Connection, d: unknown): void {
    if (!isObject(d) || Object.keys(d).length === 0) throw new Close(LanyardClose.RequiresDataObject, 'requires_data_object');
    // Lanyard's order when several are given: a list, then one id, then everyone.
    if (d.subscribe_to_ids !== undefined) {
      const ids = d.subscribe_to_ids;
      if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string' && SNOWFLAKE.test(id))) {
        throw new Close(LanyardClose.InvalidPayload, 'invalid_payload');
      }
      this.follow(c, ids as string[]);
      const state: Record<string, unknown> = {};
      for (const id of ids as string[]) {
        const snapshot = this.deps.directory.snapshot(id, false);
        if (snapshot) state[id] = lanyardPresence(snapshot);
      }
      this.dispatch(c, LanyardEvent.InitState, state);
    } else if (d.subscribe_to_id !== undefined) {
      const id = d.subscribe_to_id;
      if (typeof id !== 'string' || !SNOWFLAKE.test(id)) throw new Close(LanyardClose.InvalidPayload, 'invalid_payload');
      this.follow(c, [id]);
      const snapshot = this.deps.directory.snapshot(id, false);
      // Lanyard answers an unmonitored id with an empty object and still sends its updates later.
      this.dispatch(c, LanyardEvent.InitState, snapshot ? lanyardPresence(snapshot) : {});
    } else if (d.subscribe_to_all === true) {
      // Whether the key's owner is an admin is read from the database: the answer (or the close) comes after it.
      const apiKey = d.api_key;
      this.mayFollowAll(apiKey).then(
        (allowed) => {
          if (!this.connections.has(c.ws.data.connectionId as number)) return;
          if (!allowed) return c.ws.close(LanyardClose.InvalidPayload, 'subscribe_to_all_not_allowed');
          this.followAll(c, true);
          const state: Record<string, unknown> = {};
          for (const id of this.deps.directory.monitoredIds()) {
            const snapshot = this.deps.directory.snapshot(id, false);
            if (snapshot) state[id] = lanyardPresence(snapshot);
          }
          this.dispatch(c, LanyardEvent.InitState, state);
        },
        (error: unknown) => {
          console.error('lanyard: could not check a subscribe_to_all key:', error);
          c.ws.close(LanyardClose.InvalidPayload, 'subscribe_to_all_not_allowed');
        },
      );
    } else {
      throw new Close(LanyardClose.InvalidPayload, 'invalid_payload');
    }
  }

  /** Unknown shapes are ignored, as Lanyard does: unsubscribing from nothing is harmless. */
  private unsubscribeFrom(c: Connection, d: unknown): void {
    if (!isObject(d)) return;
    const ids = typeof d.unsubscribe_from_id === 'string' ? [d.unsubscribe_from_id] : Array.isArray(d.unsubscribe_from_ids) ? d.unsubscribe_from_ids : [];
    for (const id of ids) {
      if (typeof id !== 'string' || !c.ids.delete(id)) continue;
      if (!c.all) c.ws.unsubscribe(topic(c.encoding, id));
    }
    if (d.unsubscribe_from_all === true) {
      // Lanyard's unsubscribe_from_all drops every subscription, the single ids too.
      this.followAll(c, false);
      for (const id of c.ids) c.ws.unsubscribe(topic(c.encoding, id));
      c.ids.clear();
    }
  }

  // ---- subscriptions ----

  private follow(c: Connection, ids: string[]): void {
    const fresh = ids.filter((id) => !c.ids.has(id));
    if (c.ids.size + new Set(fresh).size > MAX_SUBSCRIBED_IDS) throw new Close(LanyardClose.InvalidPayload, 'too_many_ids');
    for (const id of fresh) {
      c.ids.add(id);
      // A subscribe-all connection already gets everyone; a second topic would deliver each update twice.
      if (!c.all) c.ws.subscribe(topic(c.encoding, id));
    }
  }

  private followAll(c: Connection, on: boolean): void {
    if (c.all === on) return;
    c.all = on;
    if (on) {
      for (const id of c.ids) c.ws.unsubscribe(topic(c.encoding, id));
      c.ws.subscribe(topic(c.encoding, ALL));
    } else {
      c.ws.unsubscribe(topic(c.encoding, ALL));
      for (const id of c.ids) c.ws.subscribe(topic(c.encoding, id));
    }
  }

  private async mayFollowAll(apiKey: unknown): Promise<boolean> {
    if (this.deps.subscribeAll === 'open') return true;
    if (this.deps.subscribeAll === 'off' || typeof apiKey !== 'string') return false;
    const owner = this.deps.directory.userForToken(apiKey);
    return owner !== null && (await this.deps.isAdmin(owner));
  }

  // ---- sending ----

  /** One serialization (and at most one deflate) per change, whoever follows it. */
  private publish(userId: string): void {
    const server = this.server;
    if (!server) return;
    const json = [topic('json', userId), topic('json', ALL)];
    const zlib = [topic('zlib', userId), topic('zlib', ALL)];
    const listeners = (topics: string[]) => topics.some((t) => server.subscriberCount(t) > 0);
    const wantJson = listeners(json);
    const wantZlib = listeners(zlib);
    if (!wantJson && !wantZlib) return;
    const snapshot = this.deps.directory.snapshot(userId, false);
    // Someone who stopped sharing simply goes quiet, as a user who leaves Lanyard's server does.
    if (!snapshot) return;
    const text = JSON.stringify({ op: LanyardOp.Event, t: LanyardEvent.PresenceUpdate, d: lanyardPresence(snapshot) });
    if (wantJson) for (const t of json) server.publish(t, text);
    if (wantZlib) {
      const bytes = deflateSync(text);
      for (const t of zlib) server.publish(t, bytes);
    }
  }

  private dispatch(c: Connection, t: string, d: unknown): void {
    this.send(c, { op: LanyardOp.Event, t, d });
  }

  private send(c: Connection, payload: unknown): void {
    const text = JSON.stringify(payload);
    c.ws.send(c.encoding === 'zlib' ? deflateSync(text) : text);
  }

  private closeIdle(): void {
    const limit = this.deps.clock.now() - IDLE_TIMEOUT_MS;
    for (const c of this.connections.values()) {
      if (c.lastFrameAt < limit) c.ws.close(LanyardClose.Idle, 'idle_timeout');
    }
  }
}

/** The /socket endpoint over an app's core (gateways.ts adds it). */
export function lanyardSocket({ core, limiter }: { core: Core; limiter: RateLimiter }): LanyardSocket {
  return new LanyardSocket({
    directory: core.services.presenceDirectory,
    isAdmin: async (userId) => (await core.uow.repos.users.byId(userId))?.admin ?? false,
    subscribeAll: core.config.socketSubscribeAll,
    limiter,
    clock: core.clock,
  });
}

// Bare gateway clients for black-box tests: RecordingSocket, which the v1 GatewayClient here and the v10 client
// (test/dialects/discord/gateway/fixtures.ts) build on. A real WebSocket (Bun's global one), every frame recorded,
// bounded waits instead of sleeps. Negative checks use a sentinel: the server sends in order, so once a later
// event has arrived, an earlier one that did not arrive never will.
import type { TestServer } from './test-server.ts';

export type Frame = { op: number; d: any; s: number | null; t: string | null };
export type Closed = { code: number; reason: string };

const DEFAULT_TIMEOUT = 3000;

/**
 * What every bare gateway client in the tests does, whatever the dialect: record each frame (`raw` as it arrived,
 * `frames` parsed), heartbeat, and wait for a frame or the close. `decode` turns a message into what `raw` keeps
 * and the JSON text to parse (a compressed dialect inflates here).
 */
export class RecordingSocket<Raw extends string | Uint8Array = string> {
  readonly frames: Frame[] = [];
  /** Every message as received, for shape checks. */
  readonly raw: Raw[] = [];
  closeInfo: Closed | null = null;
  /** Resolves when the socket closes, however long that takes. */
  readonly whenClosed: Promise<Closed>;
  private readonly waiters = new Set<() => void>();
  private heartbeatTimer: ReturnType<typeof setInterval> | undefined;

  constructor(
    readonly ws: WebSocket,
    decode: (data: string | ArrayBuffer) => { raw: Raw; text: string },
  ) {
    ws.onmessage = (event) => {
      const { raw, text } = decode(event.data as string | ArrayBuffer);
      this.raw.push(raw);
      this.frames.push(JSON.parse(text));
      this.wake();
    };
    this.whenClosed = new Promise((resolve) => {
      ws.onclose = (event) => {
        clearInterval(this.heartbeatTimer);
        this.closeInfo = { code: event.code, reason: event.reason };
        resolve(this.closeInfo);
        this.wake();
      };
    });
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  startHeartbeat(everyMs: number): void {
    clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = setInterval(() => {
      if (this.ws.readyState === WebSocket.OPEN) this.send({ op: 1, d: this.lastSeq });
    }, everyMs);
  }

  stopHeartbeat(): void {
    clearInterval(this.heartbeatTimer);
  }

  get lastSeq(): number | null {
    let seq: number | null = null;
    for (const f of this.frames) if (f.s !== null && (seq === null || f.s > seq)) seq = f.s;
    return seq;
  }

  dispatches(t: string): Frame[] {
    return this.frames.filter((f) => f.t === t);
  }

  /** The first frame (already received or yet to come) matching `predicate`; gives up early once the socket closes. */
  async waitFor(predicate: (frame: Frame) => boolean, timeout = DEFAULT_TIMEOUT): Promise<Frame> {
    const found = await this.until(() => this.frames.find(predicate), timeout, true);
    if (!found) {
      const why = this.closeInfo ? `socket closed ${this.closeInfo.code} ${this.closeInfo.reason}` : `nothing within ${timeout} ms`;
      const last = this.frames.slice(-10).map((f) => JSON.stringify(f));
      throw new Error(`no matching frame (${why}); last frames:\n${last.join('\n')}`);
    }
    return found;
  }

  /** The first dispatch named `t` whose `d` satisfies `match`. */
  event(t: string, match: (d: Frame['d']) => boolean = () => true, timeout = DEFAULT_TIMEOUT): Promise<Frame> {
    return this.waitFor((f) => f.t === t && match(f.d), timeout);
  }

  async waitClosed(timeout = DEFAULT_TIMEOUT): Promise<Closed> {
    const info = await this.until(() => this.closeInfo ?? undefined, timeout, false);
    if (!info) throw new Error(`socket still open after ${timeout} ms`);
    return info;
  }

  close(code = 1000): void {
    this.stopHeartbeat();
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(code);
  }

  private wake(): void {
    for (const waiter of this.waiters) waiter();
  }

  /** Re-evaluates `check` on every frame and close until it returns something or time runs out. */
  private until<T>(check: () => T | undefined, timeout: number, giveUpOnClose: boolean): Promise<T | undefined> {
    const now = check();
    if (now !== undefined) return Promise.resolve(now);
    return new Promise((resolve) => {
      const done = (value: T | undefined) => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
        resolve(value);
      };
      const waiter = () => {
        const value = check();
        if (value !== undefined) done(value);
        else if (giveUpOnClose && this.closeInfo) done(undefined);
      };
      const timer = setTimeout(() => done(check()), timeout);
      this.waiters.add(waiter);
    });
  }
}

/** A v1 client: text frames, kept as text. */
export class GatewayClient extends RecordingSocket<string> {
  ready: Frame | null = null;

  constructor(ws: WebSocket) {
    super(ws, (data) => {
      const text = typeof data === 'string' ? data : new TextDecoder().decode(data);
      return { raw: text, text };
    });
  }

  /** Resolves when the socket closes. */
  get closed(): Promise<Closed> {
    return this.whenClosed;
  }

  /** IDENTIFY and wait for READY; heartbeats start at half the interval READY gives unless told otherwise. */
  async identify(token: string, extra: Record<string, unknown> = {}, options: { heartbeat?: boolean } = {}): Promise<Frame> {
    this.send({ op: 2, d: { token, ...extra } });
    const ready = await this.waitFor((f) => f.t === 'READY');
    this.ready = ready;
    if (options.heartbeat !== false) this.startHeartbeat(ready.d.heartbeat_interval / 2);
    return ready;
  }
}

/** Resolves once `ws` is open; rejects if it fails to open. */
export function opened(ws: WebSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    ws.addEventListener('open', () => resolve(), { once: true });
    ws.addEventListener('error', () => reject(new Error('WebSocket failed to open')), { once: true });
  });
}

/** Opens a WebSocket to `path` (the v1 gateway by default) of a server or an http:// address, and resolves once it is open. */
export async function openGateway(server: Pick<TestServer, 'url'> | string, path = '/gateway'): Promise<GatewayClient> {
  const url = typeof server === 'string' ? server : server.url;
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}${path}`);
  const client = new GatewayClient(ws);
  await opened(ws);
  return client;
}

/** Opens and identifies in one step. */
export async function connectAs(server: TestServer, token: string, extra: Record<string, unknown> = {}): Promise<GatewayClient> {
  const client = await openGateway(server);
  await client.identify(token, extra);
  return client;
}

/** Polls `check` until it returns true (or throws after `timeout`). */
export async function eventually(check: () => boolean | Promise<boolean>, timeout = DEFAULT_TIMEOUT, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    if (await check()) return;
    await Bun.sleep(10);
  }
  throw new Error(`${what} not met within ${timeout} ms`);
}

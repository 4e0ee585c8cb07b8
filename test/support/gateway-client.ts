// A bare v1 gateway client for black-box tests: a real WebSocket (Bun's global one), every frame recorded,
// bounded waits instead of sleeps. Negative checks use a sentinel: the server sends in order, so once a later
// event has arrived, an earlier one that did not arrive never will.
import type { TestServer } from './test-server.ts';

export type Frame = { op: number; d: any; s: number | null; t: string | null };
export type Closed = { code: number; reason: string };

const DEFAULT_TIMEOUT = 3000;

export class GatewayClient {
  readonly frames: Frame[] = [];
  /** Raw text of every frame, for shape checks. */
  readonly raw: string[] = [];
  readonly closed: Promise<Closed>;
  closeInfo: Closed | null = null;
  ready: Frame | null = null;
  private readonly waiters = new Set<() => void>();
  private heartbeatTimer: ReturnType<typeof setInterval> | undefined;

  constructor(readonly ws: WebSocket) {
    ws.onmessage = (event) => {
      const text = typeof event.data === 'string' ? event.data : new TextDecoder().decode(event.data as ArrayBuffer);
      this.raw.push(text);
      this.frames.push(JSON.parse(text));
      this.wake();
    };
    this.closed = new Promise((resolve) => {
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

  /** IDENTIFY and wait for READY; heartbeats start at half the interval READY gives unless told otherwise. */
  async identify(token: string, extra: Record<string, unknown> = {}, options: { heartbeat?: boolean } = {}): Promise<Frame> {
    this.send({ op: 2, d: { token, ...extra } });
    const ready = await this.waitFor((f) => f.t === 'READY');
    this.ready = ready;
    if (options.heartbeat !== false) this.startHeartbeat(ready.d.heartbeat_interval / 2);
    return ready;
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

  /** The first frame (already received or yet to come) matching `predicate`. */
  async waitFor(predicate: (frame: Frame) => boolean, timeout = DEFAULT_TIMEOUT): Promise<Frame> {
    const found = await this.until(() => this.frames.find(predicate), timeout, true);
    if (!found) {
      const why = this.closeInfo ? `socket closed ${this.closeInfo.code} ${this.closeInfo.reason}` : `nothing within ${timeout} ms`;
      throw new Error(`no matching frame (${why}); last frames:\n${this.raw.slice(-10).join('\n')}`);
    }
    return found;
  }

  /** The first dispatch named `t` whose `d` satisfies `match`. */
  event(t: string, match: (d: any) => boolean = () => true, timeout = DEFAULT_TIMEOUT): Promise<Frame> {
    return this.waitFor((f) => f.t === t && match(f.d), timeout);
  }

  async waitClosed(timeout = DEFAULT_TIMEOUT): Promise<Closed> {
    const info = await this.until(() => this.closeInfo ?? undefined, timeout);
    if (!info) throw new Error(`socket still open after ${timeout} ms`);
    return info;
  }

  close(code = 1000): void {
    this.stopHeartbeat();
    this.ws.close(code);
  }

  private wake(): void {
    for (const waiter of this.waiters) waiter();
  }

  /** Re-evaluates `check` on every frame and close until it returns something or time runs out. */
  private until<T>(check: () => T | undefined, timeout: number, giveUpOnClose = false): Promise<T | undefined> {
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

/** Opens a WebSocket to `path` (the v1 gateway by default) and resolves once it is open. */
export async function openGateway(server: TestServer, path = '/gateway'): Promise<GatewayClient> {
  const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}${path}`);
  const client = new GatewayClient(ws);
  await new Promise<void>((resolve, reject) => {
    ws.onopen = () => resolve();
    ws.onerror = () => reject(new Error('WebSocket failed to open'));
  });
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

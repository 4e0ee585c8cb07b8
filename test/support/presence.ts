// Helpers for the presence tests: talk to the built-in bot over the real REST API, follow the /socket,
// and a clock the tests can move.
import { inflateSync } from 'node:zlib';
import type { TestServer } from './test-server.ts';

export type Account = { id: string; token: string };

/** A clock that reads real time plus an offset the test moves forward. */
export function movableClock() {
  let offset = 0;
  return {
    now: () => Date.now() + offset,
    advance: (ms: number): void => {
      offset += ms;
    },
  };
}

export function botId(server: TestServer): string {
  return server.harmony.core.services.systemBot.id;
}

/** Opens (or finds) the DM channel between `user` and the presence bot. */
export async function dmWithBot(server: TestServer, user: Account): Promise<string> {
  const res = await server.api('POST', '/api/v1/users/@me/channels', { token: user.token, body: { recipient_id: botId(server) } });
  if (res.status !== 200) throw new Error(`open DM failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

export type Posted = { id: string; content: string; reply_to: string | null; channel_id: string };

/** Posts `content` as `user` and waits until the bot has finished answering it. Returns the posted message. */
export async function say(server: TestServer, user: Account, channelId: string, content: string): Promise<Posted> {
  const res = await server.api('POST', `/api/v1/channels/${channelId}/messages`, { token: user.token, body: { content } });
  if (res.status !== 200) throw new Error(`send failed: ${res.status} ${JSON.stringify(res.body)}`);
  await server.harmony.core.services.systemBot.idle();
  return res.body;
}

/** Messages the bot wrote in a channel after `afterId`, oldest first (read as `reader`). */
export async function botMessages(server: TestServer, reader: Account, channelId: string, afterId = '0'): Promise<Posted[]> {
  const res = await server.api('GET', `/api/v1/channels/${channelId}/messages?limit=100&after=${afterId}`, { token: reader.token });
  if (res.status !== 200) throw new Error(`history failed: ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body as (Posted & { author: { id: string } })[])
    .filter((m) => m.author.id === botId(server))
    .sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
}

/** Posts a command in a channel and returns the bot's answers to it. */
export async function ask(server: TestServer, user: Account, channelId: string, content: string): Promise<string[]> {
  const posted = await say(server, user, channelId, content);
  return (await botMessages(server, user, channelId, posted.id)).map((m) => m.content);
}

/** Runs a command in the user's DM with the bot and returns the answers. */
export async function command(server: TestServer, user: Account, content: string): Promise<string[]> {
  return ask(server, user, await dmWithBot(server, user), content);
}

/** The API token in a text (a reveal page, the REST answer). */
export function tokenIn(text: string): string {
  const match = /[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}/.exec(text);
  if (!match) throw new Error(`no token in ${JSON.stringify(text)}`);
  return match[0];
}

/** The one-time token link in an answer to .token (or in the DM after a burnt token). */
export function revealLinkIn(text: string): string {
  const match = /https?:\/\/[^\s]+\/presence-token\/[A-Za-z0-9_-]{43}/.exec(text);
  if (!match) throw new Error(`no token link in ${JSON.stringify(text)}`);
  return match[0];
}

/**
 * Presses "Reveal token" on a link (POST) and returns the token the page shows. `origin` replaces the link's
 * origin, for links that name a public URL the test cannot reach.
 */
export async function revealToken(link: string, origin?: string): Promise<string> {
  const url = origin ? origin + new URL(link).pathname : link;
  const res = await fetch(url, { method: 'POST' });
  const html = await res.text();
  if (res.status !== 200) throw new Error(`reveal failed: ${res.status} ${html}`);
  return tokenIn(html);
}

/** Whether a text holds anything shaped like an API token (the secret itself must never be in a message). */
export function hasTokenShape(text: string): boolean {
  return /[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}/.test(text);
}

export type Frame = { op: number; t?: string; d?: any };

/** A /socket client that queues frames (inflating zlib_json ones) and waits for the next matching one. */
export class SocketClient {
  readonly ws: WebSocket;
  readonly frames: Frame[] = [];
  readonly opened: Promise<void>;
  readonly closed: Promise<{ code: number; reason: string }>;
  private waiters: { match: (f: Frame) => boolean; resolve: (f: Frame) => void }[] = [];

  constructor(server: TestServer, query = '') {
    this.ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/socket${query}`);
    this.ws.binaryType = 'arraybuffer';
    this.opened = new Promise((resolve, reject) => {
      this.ws.onopen = () => resolve();
      this.ws.onerror = () => reject(new Error('socket error'));
    });
    this.closed = new Promise((resolve) => {
      this.ws.onclose = (e) => resolve({ code: e.code, reason: e.reason });
    });
    this.ws.onmessage = (e) => {
      const text = typeof e.data === 'string' ? e.data : inflateSync(new Uint8Array(e.data as ArrayBuffer)).toString('utf8');
      const frame = JSON.parse(text) as Frame;
      const waiter = this.waiters.find((w) => w.match(frame));
      if (waiter) {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        waiter.resolve(frame);
      } else {
        this.frames.push(frame);
      }
    };
  }

  /** Sends once the connection is open (frames keep their order). */
  send(payload: unknown): void {
    const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(text);
    else void this.opened.then(() => this.ws.send(text));
  }

  /** The next frame (already queued or still to come) that matches, within `timeoutMs`. */
  next(match: (f: Frame) => boolean = () => true, timeoutMs = 2000): Promise<Frame> {
    const index = this.frames.findIndex(match);
    if (index >= 0) return Promise.resolve(this.frames.splice(index, 1)[0] as Frame);
    return new Promise((resolve, reject) => {
      const waiter = {
        match,
        resolve: (f: Frame) => {
          clearTimeout(timer);
          resolve(f);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`no matching frame within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  close(): void {
    this.ws.close();
  }
}

export const isUpdate = (userId: string) => (f: Frame) => f.op === 0 && f.t === 'PRESENCE_UPDATE' && f.d?.discord_user?.id === userId;

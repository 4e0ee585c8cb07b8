// What the v10 gateway tests share: a guild owned by alice (the instance admin) with bob in it, bots created
// and added through the v1 admin API, real discord.js clients configured with nothing but `rest.api` (tracked
// so afterEach destroys them), and a bare v10 WebSocket client for what discord.js hides (exact frames, close
// codes, compression).
import zlib, { inflateSync } from 'node:zlib';
import { Client, type ClientOptions, type GatewayIntentBits } from 'discord.js';
import type { Config } from '../../../../src/config.ts';
import { type Closed, type Frame, opened, RecordingSocket } from '../../../support/gateway-client.ts';
import { register, startServer, type TestServer } from '../../../support/test-server.ts';

export type Account = { id: string; token: string; username: string };
export type World = {
  server: TestServer;
  alice: Account;
  bob: Account;
  guildId: string;
  generalId: string;
  /** The v1 REST API as `token`; fails the test on an unexpected status. */
  call: (token: string, method: string, path: string, body?: unknown, expected?: number) => Promise<any>;
};

export async function buildWorld(overrides: Partial<Config> = {}): Promise<World> {
  const server = await startServer({ rateLimits: false, ...overrides });
  const call: World['call'] = async (token, method, path, body, expected) => {
    const res = await server.api(method, `/api/v1${path}`, { token, body });
    const ok = expected === undefined ? res.status >= 200 && res.status < 300 : res.status === expected;
    if (!ok) throw new Error(`${method} ${path} -> ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const a = await register(server, 'alice');
  const b = await register(server, 'bob');
  const alice = { id: a.id, token: a.token, username: 'alice' };
  const bob = { id: b.id, token: b.token, username: 'bob' };
  const guild = await call(alice.token, 'POST', '/guilds', { name: 'Compat Guild' });
  const world: World = { server, alice, bob, guildId: guild.id, generalId: guild.channels[0].id, call };
  await join(world, bob);
  return world;
}

/** alice invites `account` to the guild and they accept. */
export async function join(world: World, account: Account): Promise<void> {
  const invite = await world.call(world.alice.token, 'POST', `/channels/${world.generalId}/invites`, {});
  await world.call(account.token, 'POST', `/invites/${invite.code}`);
}

export type Privileged = { presence?: boolean; members?: boolean; message_content?: boolean };
export const ALL_PRIVILEGED: Privileged = { presence: true, members: true, message_content: true };
/** What a typical bot is given: read, send, react, read history. */
export const BOT_PERMISSIONS = ['read_messages', 'send_messages', 'add_reactions', 'read_message_history'];

/** alice creates a bot, allows it `privileged` intents and adds it to the guild with `permissions`. */
export async function createBot(world: World, username: string, privileged: Privileged = ALL_PRIVILEGED, permissions = BOT_PERMISSIONS): Promise<Account> {
  const created = await world.call(world.alice.token, 'POST', '/admin/bots', { username });
  const bot = { id: created.bot.id as string, token: created.token as string, username };
  const intents = { presence: false, members: false, message_content: false, ...privileged };
  await world.call(world.alice.token, 'PATCH', `/admin/bots/${bot.id}`, { privileged_intents: intents });
  if (permissions.length > 0) await world.call(world.alice.token, 'PUT', `/guilds/${world.guildId}/bots/${bot.id}`, { permissions });
  return bot;
}

const clients = new Set<Client>();

/** An unmodified discord.js client: only `rest.api` points at the server. Not logged in yet. */
export function discordClient(world: World, intents: GatewayIntentBits[], options: Partial<ClientOptions> = {}): Client {
  const client = new Client({ intents, rest: { api: `${world.server.url}/api` }, ...options });
  clients.add(client);
  return client;
}

/** Logs a client in and resolves once discord.js says it is ready (all guilds received). */
export async function loginReady(client: Client, token: string): Promise<Client<true>> {
  const ready = new Promise<void>((resolve) => client.once('clientReady', () => resolve()));
  await client.login(token);
  await ready;
  return client as Client<true>;
}

/** For afterEach: destroys every client a test made. */
export async function destroyClients(): Promise<void> {
  await Promise.all([...clients].map((c) => c.destroy()));
  clients.clear();
}

/** The next emission of `event` whose arguments satisfy `match`, within `timeout` ms. */
export function nextEvent<A extends unknown[]>(
  emitter: { on(event: string, fn: (...args: A) => void): unknown; off(event: string, fn: (...args: A) => void): unknown },
  event: string,
  match: (...args: A) => boolean = () => true,
  timeout = 3000,
): Promise<A> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      emitter.off(event, listener);
      reject(new Error(`no ${event} within ${timeout} ms`));
    }, timeout);
    const listener = (...args: A) => {
      if (!match(...args)) return;
      clearTimeout(timer);
      emitter.off(event, listener);
      resolve(args);
    };
    emitter.on(event, listener);
  });
}

// ---- a bare v10 client ----

export type Compression = 'none' | 'zlib-stream' | 'per-frame';

/** Inflates a zlib-stream: one context for the connection, each message ends with 00 00 FF FF. */
function streamInflater(): (chunk: Uint8Array) => string {
  const inflate = zlib.createInflate() as unknown as { _handle: { writeSync: (...a: unknown[]) => void }; _writeState: Uint32Array };
  const out = Buffer.alloc(256 * 1024);
  return (chunk) => {
    const parts: Buffer[] = [];
    let offset = 0;
    let remaining = chunk.byteLength;
    for (;;) {
      inflate._handle.writeSync(zlib.constants.Z_SYNC_FLUSH, chunk, offset, remaining, out, 0, out.length);
      const outLeft = inflate._writeState[0] as number;
      const inLeft = inflate._writeState[1] as number;
      parts.push(Buffer.from(out.subarray(0, out.length - outLeft)));
      offset += remaining - inLeft;
      remaining = inLeft;
      if (outLeft !== 0) break;
    }
    return Buffer.concat(parts).toString('utf8');
  };
}

/** Keeps each message as it arrived (text, or the binary bytes) and the JSON it carries, inflated if compressed. */
function v10Decoder(compression: Compression): (data: string | ArrayBuffer) => { raw: string | Uint8Array; text: string } {
  const inflate =
    compression === 'zlib-stream' ? streamInflater() : compression === 'per-frame' ? (chunk: Uint8Array) => inflateSync(chunk).toString('utf8') : null;
  return (data) => {
    if (typeof data === 'string') return { raw: data, text: data };
    const bytes = new Uint8Array(data);
    return { raw: bytes, text: inflate ? inflate(bytes) : new TextDecoder().decode(bytes) };
  };
}

/** The shared recording client, with the v10 IDENTIFY and the names these tests use for its waits. */
export class V10Client extends RecordingSocket<string | Uint8Array> {
  constructor(ws: WebSocket, compression: Compression) {
    super(ws, v10Decoder(compression));
    ws.binaryType = 'arraybuffer';
  }

  identify(token: string, intents: number, extra: Record<string, unknown> = {}): Promise<Frame> {
    this.send({ op: 2, d: { token, intents, properties: { os: 'linux', browser: 'harmony-test', device: 'harmony-test' }, ...extra } });
    return this.dispatch('READY');
  }

  /** The first dispatch `t` (already received or to come) whose `d` matches. */
  dispatch(t: string, match: (d: Frame['d']) => boolean = () => true, timeout?: number): Promise<Frame> {
    return this.event(t, match, timeout);
  }

  closed(timeout?: number): Promise<Closed> {
    return this.waitClosed(timeout);
  }
}

const openSockets = new Set<V10Client>();

/** Opens /gateway/discord with `query` (default `v=10&encoding=json`) and waits for it to open. */
export async function openV10(server: TestServer, query = 'v=10&encoding=json', compression: Compression = 'none'): Promise<V10Client> {
  const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/gateway/discord${query ? `?${query}` : ''}`);
  const client = new V10Client(ws, compression);
  openSockets.add(client);
  await opened(ws);
  return client;
}

/** Opens, waits for HELLO and identifies; resolves with READY. */
export async function connectV10(server: TestServer, token: string, intents: number, extra: Record<string, unknown> = {}): Promise<V10Client> {
  const client = await openV10(server);
  await client.waitFor((f) => f.op === 10);
  await client.identify(token, intents, extra);
  return client;
}

/** For afterEach: closes every bare socket a test opened. */
export function closeSockets(): void {
  for (const client of openSockets) client.close();
  openSockets.clear();
}

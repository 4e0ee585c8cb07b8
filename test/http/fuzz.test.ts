// Hostile input, seeded so any failure replays: 10 000 malformed REST requests over every operation in the OpenAPI
// document (bodies, paths, query strings and headers gone wrong in every way we could think of) and 10 000 gateway
// frames over the three socket endpoints. The server must answer every one without a 5xx, a stack trace or a crash,
// and still serve a normal request afterwards. Set HARMONY_FUZZ_SEED to replay a run; the figures are printed.
import { afterAll, beforeAll, describe, expect, it, spyOn } from 'bun:test';
import { createBot, createGuild, join, people, send } from '../dialects/harmony/fixtures.ts';
import { SeededRandom } from '../support/seeded-random.ts';
import { startServer, type TestServer } from '../support/test-server.ts';

const SEED = Number(process.env.HARMONY_FUZZ_SEED ?? 20261206);
const REQUESTS = 10_000;
const FRAMES = 10_000;

let server: TestServer;
let operations: { method: string; path: string }[];
let ids: string[];
let tokens: { bearer: string; bot: string };
let accounts: { ownerId: string; botId: string };
let serverErrors: unknown[][];
const consoleError = spyOn(console, 'error');

beforeAll(async () => {
  server = await startServer({ rateLimits: false });
  const [owner, member] = await people(server, 'fuzz_owner', 'fuzz_member');
  const bot = await createBot(server, owner, 'fuzz_bot');
  const guild = await createGuild(server, owner, 'Fuzz');
  await join(server, owner, guild, member);
  const message = await send(server, owner, guild.generalId, 'hello fuzz');
  await server.api('POST', `/api/v1/guilds/${guild.id}/bots`, {
    token: owner.token,
    body: { bot_id: bot.id, permissions: ['send_messages', 'read_messages'] },
  });
  tokens = { bearer: owner.token, bot: bot.token };
  accounts = { ownerId: owner.id, botId: bot.id };
  ids = [owner.id, member.id, bot.id, guild.id, guild.generalId, message.id, '@me'];
  const doc = (await (await fetch(`${server.url}/docs/json`)).json()) as { paths: Record<string, Record<string, unknown>> };
  operations = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => ({ method: method.toUpperCase(), path })));
  consoleError.mockImplementation((...args: unknown[]) => serverErrors.push(args));
  serverErrors = [];
});
afterAll(async () => {
  consoleError.mockRestore();
  await server.stop();
});

const KEYS = [
  'content',
  'name',
  'embeds',
  'components',
  'type',
  'id',
  'permissions',
  'roles',
  'channel_id',
  'message_reference',
  'allowed_mentions',
  'nonce',
  'flags',
  'attachments',
  'username',
  'password',
  'topic',
  'position',
  'parent_id',
  'recipient_id',
  'emoji',
  'color',
  'icon',
  'avatar',
  'global_name',
  'allow',
  'deny',
  'max_age',
  'max_uses',
  'status',
  'activities',
  'afk',
  'since',
  'value',
  'key',
  'bot_id',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'custom_id',
  'url',
  'title',
  'description',
  'fields',
  'options',
  'data',
];
const STRINGS = [
  '',
  ' ',
  '0',
  '-1',
  '1e309',
  'NaN',
  'null',
  'true',
  '99999999999999999999999',
  '1300000000000000000',
  '<script>alert(1)</script>',
  'javascript:alert(1)',
  '../../etc/passwd',
  '%00',
  '\u0000',
  '\ud800',
  '😀'.repeat(50),
  'a'.repeat(5000),
  '@everyone',
  '<@1>',
  'https://x.test/a.png',
];
const NUMBERS = [0, -1, 1, 1.5, 2 ** 31, 2 ** 53 + 1, -(2 ** 63), 1e308, -1e-308, 255, 16_777_215];

function value(r: SeededRandom, depth: number): unknown {
  const kind = r.int(depth > 3 ? 5 : 8);
  switch (kind) {
    case 0:
      return null;
    case 1:
      return r.chance(0.5);
    case 2:
      return r.pick(NUMBERS);
    case 3:
      return r.pick(STRINGS);
    case 4:
      return r.text(r.int(40));
    case 5:
    case 6:
      return Array.from({ length: r.int(r.chance(0.1) ? 40 : 4) }, () => value(r, depth + 1));
    default:
      return object(r, depth + 1);
  }
}

function object(r: SeededRandom, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = r.int(6); i > 0; i--) out[r.chance(0.9) ? r.pick(KEYS) : r.text(8)] = value(r, depth);
  return out;
}

type Body = { contentType: string | null; body: string | Uint8Array<ArrayBuffer> | undefined };

function body(r: SeededRandom): Body {
  const json = (text: string | Uint8Array<ArrayBuffer>) => ({
    contentType: r.pick(['application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON']),
    body: text,
  });
  switch (r.int(12)) {
    case 0:
    case 1:
    case 2:
    case 3:
      return json(JSON.stringify(object(r, 0)));
    case 4: {
      const text = JSON.stringify(object(r, 0));
      return json(text.slice(0, r.int(text.length + 1)) + r.pick(['', ',', '}', ']]', '"', '\\', 'undefined', '/*']));
    }
    case 5:
      return json(r.bytes(r.int(200)));
    case 6: {
      const depth = 33 + r.int(3000);
      return json(`${'['.repeat(depth)}${r.chance(0.5) ? ']'.repeat(depth) : ''}`);
    }
    case 7:
      return json(r.chance(0.02) ? `{"content":"${'x'.repeat(1_100_000)}"}` : `"${r.text(r.int(3000))}"`);
    case 8: {
      const boundary = r.chance(0.7) ? 'b0undary' : '';
      const parts = Array.from(
        { length: r.int(4) },
        () =>
          `--b0undary\r\nContent-Disposition: form-data; name="${r.pick(['payload_json', 'files[0]', 'content', 'a[b][c]', r.text(5)])}"${r.chance(0.5) ? '; filename="x.html"' : ''}\r\n\r\n${r.chance(0.5) ? JSON.stringify(object(r, 0)) : r.text(30)}\r\n`,
      ).join('');
      return { contentType: `multipart/form-data${boundary ? `; boundary=${boundary}` : ''}`, body: `${parts}${r.chance(0.5) ? '--b0undary--\r\n' : ''}` };
    }
    case 9:
      return {
        contentType: r.pick(['application/x-www-form-urlencoded', 'text/plain', 'application/octet-stream', 'application/xml', 'image/png']),
        body: r.text(r.int(100)),
      };
    case 10:
      return { contentType: r.pick(['application/json', null]), body: '' };
    default:
      return { contentType: null, body: undefined };
  }
}

const GARBAGE_IDS = ['0', '-1', '99999999999999999999999', 'abc', '%00', '..%2F..%2Fetc', '%F0%9F%98%80', '1'.repeat(300), '%', 'undefined'];

function path(r: SeededRandom, template: string): string {
  return template.replace(/\{[^}]+\}/g, () => (r.chance(0.6) ? r.pick(ids) : r.pick(GARBAGE_IDS)));
}

function query(r: SeededRandom): string {
  if (r.chance(0.5)) return '';
  const names = ['limit', 'before', 'after', 'around', 'wait', 'with_counts', 'thread_id', 'query', 'v', 'encoding', 'with_response', 'reason', r.text(3)];
  const values = [...STRINGS.slice(0, 12), '%', '%zz', '1&1', 'True', '[]'];
  return `?${Array.from({ length: 1 + r.int(4) }, () => `${encodeURIComponent(r.pick(names).toWellFormed())}=${r.chance(0.8) ? encodeURIComponent(r.pick(values).toWellFormed()) : r.pick(values)}`).join('&')}`;
}

function authorization(r: SeededRandom): string | null {
  // Mostly valid credentials, so most requests get past authentication to the parsing and validation behind it.
  if (r.chance(0.6)) return r.chance(0.5) ? `Bearer ${tokens.bearer}` : `Bot ${tokens.bot}`;
  return r.pick([`Bot ${tokens.bearer}`, `Bearer ${tokens.bot}`, tokens.bot, 'Bot ', `Bearer ${'x'.repeat(5000)}`, `Bot ${tokens.bot.slice(0, -1)}`, null]);
}

async function fire(r: SeededRandom): Promise<{ status: number; text: string; what: string }> {
  const operation = r.pick(operations);
  const method = r.chance(0.9) ? operation.method : r.pick(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD']);
  const target = path(r, operation.path) + query(r);
  const { contentType, body: payload } = ['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'].includes(method) ? body(r) : { contentType: null, body: undefined };
  const headers: Record<string, string> = {};
  const auth = authorization(r);
  if (auth !== null) headers.authorization = auth;
  if (contentType !== null) headers['content-type'] = contentType;
  if (r.chance(0.1)) headers['x-forwarded-for'] = r.pick(['1.2.3.4', 'garbage', '::1, 10.0.0.1', '']);
  const preview = payload === undefined ? '' : typeof payload === 'string' ? payload.slice(0, 300) : `<${payload.length} bytes>`;
  const what = `${method} ${target.slice(0, 200)} (${contentType ?? 'no type'}) ${JSON.stringify(preview)}`;
  const sentWith = headers.authorization;
  const res = await fetch(server.url + target, { method, headers, body: payload, redirect: 'manual' }).catch((e) => {
    throw new Error(`${what}: ${e}`);
  });
  if (res.status === 401) await renewIfRevoked(sentWith);
  return { status: res.status, text: await res.text(), what };
}

/**
 * The fuzzer signs itself out now and then (logout, "sign out other sessions", a bot token reset): when the valid
 * token it sent is refused, it gets a new one, so the rest of the run still reaches past authentication.
 */
async function renewIfRevoked(sentWith: string | undefined): Promise<void> {
  const { services } = server.harmony.core;
  if (sentWith === `Bearer ${tokens.bearer}` && !(await services.users.authenticate(tokens.bearer, 'session'))) {
    tokens.bearer = await server.harmony.core.uow.write(() => services.sessions.open(accounts.ownerId, { device: 'fuzz', address: null }));
  }
  if (sentWith === `Bot ${tokens.bot}` && !(await services.users.authenticate(tokens.bot, 'bot'))) {
    // A deleted bot (the owner is an instance admin) is replaced by a new one.
    const renewed = await services.users
      .regenerateBotToken(accounts.botId)
      .catch(() => services.users.createBot({ username: `fuzz_bot_${Date.now()}`, createdBy: accounts.ownerId }).then(({ bot, token }) => ({ bot, token })));
    accounts.botId = renewed.bot.id;
    tokens.bot = renewed.token;
  }
}

/** Signs of an answer that leaks internals: a stack frame, a source path, an exception name. */
const LEAK = /\bat [\w.<>]+ \(|\/src\/|node_modules|\bTypeError\b|\bRangeError\b|\bSyntaxError\b|Maximum call stack/;

describe('fuzzed REST requests', () => {
  it(`answers ${REQUESTS} malformed requests over every operation without a 5xx or a leak, then serves normally`, async () => {
    const r = new SeededRandom(SEED);
    const statuses = new Map<number, number>();
    const failures: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < REQUESTS) {
        next++;
        const { status, text, what } = await fire(r);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (status >= 500 || LEAK.test(text)) failures.push(`${status} ${what}: ${text.slice(0, 300)}`);
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: 16 }, worker));
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const histogram = [...statuses]
      .sort(([a], [b]) => a - b)
      .map(([s, n]) => `${s}:${n}`)
      .join(' ');
    console.log(
      `fuzz REST: seed ${SEED}, ${REQUESTS} requests over ${operations.length} operations in ${seconds} s, ${failures.length} 5xx or leaks; ${histogram}`,
    );
    expect(failures).toEqual([]);
    expect(serverErrors).toEqual([]);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    await renewIfRevoked(`Bearer ${tokens.bearer}`);
    expect((await server.api('GET', '/api/v1/users/@me', { token: tokens.bearer })).status).toBe(200);
  }, 240_000);
});

/** What the frame fuzzer sends: broken JSON, wrong opcodes, wrong payload types, oversized and binary frames. */
function frame(r: SeededRandom): string | Uint8Array<ArrayBuffer> {
  switch (r.int(8)) {
    case 0:
      return r.text(r.int(200));
    case 1:
      return r.bytes(r.int(300));
    case 2:
      return JSON.stringify({ op: r.int(12), d: value(r, 0), s: r.chance(0.5) ? r.int(100) : null, t: r.chance(0.5) ? r.pick(STRINGS) : null });
    case 3:
      return JSON.stringify({
        op: 2,
        d: {
          token: r.pick([tokens.bot, tokens.bearer, 'x', '']),
          intents: r.pick(NUMBERS),
          properties: value(r, 1),
          shard: value(r, 1),
          presence: value(r, 1),
          compress: value(r, 1),
          large_threshold: value(r, 1),
        },
      });
    case 4:
      return JSON.stringify({ op: r.pick([1, 3, 4, 6, 8, 2, 'x', null, -1]), d: value(r, 0) });
    case 5:
      return `${'['.repeat(40 + r.int(2000))}`;
    case 6:
      return r.chance(0.1) ? 'x'.repeat(70_000) : JSON.stringify(value(r, 0));
    default:
      return JSON.stringify(object(r, 0));
  }
}

/** Close codes a well-behaved server may use on a hostile client: normal, going away, too big, and each protocol's own. */
const ACCEPTABLE_CLOSE = (code: number) => code === 1000 || code === 1001 || code === 1003 || code === 1007 || code === 1009 || (code >= 4000 && code <= 4999);

describe('fuzzed gateway frames', () => {
  it(`survives ${FRAMES} hostile frames over /gateway, /gateway/discord and /socket`, async () => {
    const r = new SeededRandom(SEED + 1);
    const endpoints = [
      '/gateway',
      '/gateway/discord?v=10&encoding=json',
      '/socket',
      '/gateway/discord?v=10&encoding=json&compress=zlib-stream',
      '/gateway/discord?v=7&encoding=etf',
    ];
    const closes = new Map<number, number>();
    const unexpected: string[] = [];
    let sent = 0;
    let sockets = 0;
    const worker = async () => {
      while (sent < FRAMES) {
        const endpoint = r.pick(endpoints);
        const ws = new WebSocket(server.url.replace('http', 'ws') + endpoint);
        sockets++;
        const closed = new Promise<number>((resolve) => {
          ws.onclose = (event) => resolve(event.code);
        });
        const open = await Promise.race([new Promise<boolean>((resolve) => (ws.onopen = () => resolve(true))), closed.then(() => false)]);
        const burst = 1 + r.int(12);
        for (let i = 0; open && i < burst && ws.readyState === WebSocket.OPEN; i++, sent++) ws.send(frame(r));
        if (ws.readyState === WebSocket.OPEN) ws.close(1000);
        const code = await Promise.race([closed, Bun.sleep(5000).then(() => -1)]);
        closes.set(code, (closes.get(code) ?? 0) + 1);
        if (!ACCEPTABLE_CLOSE(code)) unexpected.push(`${endpoint}: closed ${code}`);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    const histogram = [...closes]
      .sort(([a], [b]) => a - b)
      .map(([c, n]) => `${c}:${n}`)
      .join(' ');
    console.log(`fuzz gateway: seed ${SEED + 1}, ${sent} frames over ${sockets} sockets; close codes ${histogram}; ${unexpected.length} unexpected`);
    expect(unexpected).toEqual([]);
    expect(serverErrors).toEqual([]);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  }, 240_000);
});

// The bridge when things are not right: a rejected token, intents not enabled, Discord unreachable at start,
// a bot not (yet) in the configured guild, no guild configured. Each case is one clear log line and a /health
// that says so, and the rest of Harmony keeps answering; unset, the bridge does not exist at all.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../../../src/config.ts';
import { eventually } from '../../support/gateway-client.ts';
import { register, startServer, type TestServer } from '../../support/test-server.ts';

type Account = { id: string; token: string };
type Json = any;

const WITHIN = 10_000;
const log: string[] = [];
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
const originalLog = console.log;
const servers: TestServer[] = [];

let discord: TestServer;
let owner: Account;
let guildId: string;
let otherGuildId: string;

async function call(server: TestServer, token: string, method: string, path: string, body?: unknown): Promise<Json> {
  const res = await server.api(method, `/api/v1${path}`, { token, body });
  if (res.status >= 300) throw new Error(`${method} ${path} -> ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A bot on the "Discord" instance with the given privileged intents, added to `guilds`. */
async function makeBot(name: string, intents: boolean, guilds: string[]): Promise<Account> {
  const created = await call(discord, owner.token, 'POST', '/admin/bots', { username: name });
  await call(discord, owner.token, 'PATCH', `/admin/bots/${created.bot.id}`, {
    privileged_intents: { presence: intents, members: intents, message_content: intents },
  });
  for (const id of guilds) await call(discord, owner.token, 'PUT', `/guilds/${id}/bots/${created.bot.id}`, { permissions: ['read_messages', 'send_messages'] });
  return { id: created.bot.id, token: created.token };
}

async function bridged(overrides: Partial<Config>): Promise<TestServer> {
  const server = await startServer({ rateLimits: false, discordApi: `${discord.url}/api`, ...overrides });
  servers.push(server);
  return server;
}

/** What /health says of the database (test/http/ops.test.ts checks it in full). */
const CHECKS = { database: { status: 'ok', latency_ms: expect.any(Number) } };
const health = async (server: TestServer) => (await server.api('GET', '/health')).body;
const bridgeLines = () => log.filter((l) => l.startsWith('discord bridge'));

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  console.log = (...args: unknown[]) => {
    const line = args.map(String).join(' ');
    if (line.startsWith('discord bridge')) log.push(line);
    else originalLog(...args);
  };
  discord = await startServer({ rateLimits: false });
  owner = await register(discord, 'owner');
  guildId = (await call(discord, owner.token, 'POST', '/guilds', { name: 'Mirrored' })).id;
  otherGuildId = (await call(discord, owner.token, 'POST', '/guilds', { name: 'Elsewhere' })).id;
}, 30_000);

afterEach(async () => {
  for (const server of servers.splice(0)) await server.stop();
  log.length = 0;
});

afterAll(async () => {
  await discord.stop();
  console.log = originalLog;
  process.off('unhandledRejection', onUnhandled);
  expect(unhandled).toEqual([]);
});

describe('without HARMONY_DISCORD_TOKEN', () => {
  it('has no bridge: /health is {status, version, node, checks} only and nothing is logged', async () => {
    const server = await startServer({ rateLimits: false, discordGuildId: guildId, discordApi: `${discord.url}/api` });
    servers.push(server);
    expect(server.harmony.discordBridge).toBeNull();
    expect(await health(server)).toEqual({ status: 'ok', version: expect.any(String), node: expect.any(String), checks: CHECKS });
    expect(bridgeLines()).toEqual([]);
  });
});

describe('a bad token', () => {
  it('logs one clear line, reports failed, and the rest of Harmony keeps running', async () => {
    const server = await bridged({ discordToken: 'not-a-real-token', discordGuildId: guildId });
    await eventually(async () => (await health(server)).bridge?.state === 'failed', WITHIN, 'failed');
    expect(await health(server)).toEqual({
      status: 'degraded',
      version: expect.any(String),
      bridge: { state: 'failed', guild_id: guildId, members: 0 },
      node: expect.any(String),
      checks: CHECKS,
    });
    expect(bridgeLines()).toEqual([
      'discord bridge off: Discord rejected the bot token (HARMONY_DISCORD_TOKEN): reset it in the Developer Portal and set the new one. The rest of Harmony keeps running.',
    ]);
    const someone = await register(server, 'someone');
    expect((await server.api('GET', '/api/v1/users/@me', { token: someone.token })).status).toBe(200);
  });
});

describe('a corrected token, without a restart', () => {
  it('PUT /api/v1/admin/discord-bridge (instance admins only) replaces a rejected token and the bridge comes up', async () => {
    const server = await bridged({ discordToken: 'not-a-real-token', discordGuildId: guildId });
    const admin = await register(server, 'admin');
    const someone = await register(server, 'someone');
    await eventually(async () => (await health(server)).bridge?.state === 'failed', WITHIN, 'failed');
    const bot = await makeBot('corrected', true, [guildId]);

    const refused = await server.api('PUT', '/api/v1/admin/discord-bridge', { token: someone.token, body: { token: bot.token, guild_id: guildId } });
    expect(refused.status).toBe(403);
    expect((await server.api('GET', '/api/v1/admin/discord-bridge', { token: someone.token })).status).toBe(403);
    expect((await server.api('PUT', '/api/v1/admin/discord-bridge', { body: { token: bot.token } })).status).toBe(401);
    expect((await health(server)).bridge.state).toBe('failed');

    const put = await server.api('PUT', '/api/v1/admin/discord-bridge', { token: admin.token, body: { token: bot.token, guild_id: guildId } });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ state: 'connecting', guild_id: guildId, members: expect.any(Number) });
    expect(JSON.stringify(put.body)).not.toContain(bot.token);
    await eventually(async () => (await health(server)).status === 'ok', WITHIN, 'ok');
    expect((await health(server)).bridge).toEqual({ state: 'ready', guild_id: guildId, members: expect.any(Number) });
    expect((await server.api('GET', '/api/v1/admin/discord-bridge', { token: admin.token })).body).toEqual((await health(server)).bridge);
    // The owner of the "Discord" guild is mirrored: the presence API shows them.
    expect((await server.api('GET', `/user/${owner.id}`)).status).toBe(200);
    expect(bridgeLines().some((line) => line.includes(bot.token))).toBe(false);
    expect(bridgeLines()).toContain('discord bridge: bot token replaced by an instance admin; connecting to Discord again');
  });

  it('starts a bridge on an instance that had none configured', async () => {
    const server = await startServer({ rateLimits: false, discordApi: `${discord.url}/api` });
    servers.push(server);
    const admin = await register(server, 'admin');
    expect((await server.api('GET', '/api/v1/admin/discord-bridge', { token: admin.token })).body).toEqual({ state: 'off', guild_id: null, members: 0 });
    const bot = await makeBot('latestart', true, [guildId]);
    const put = await server.api('PUT', '/api/v1/admin/discord-bridge', { token: admin.token, body: { token: bot.token, guild_id: guildId } });
    expect(put.status).toBe(200);
    await eventually(async () => (await health(server)).bridge?.state === 'ready', WITHIN, 'ready');
  });

  it('refuses a body without a token', async () => {
    const server = await startServer({ rateLimits: false, discordApi: `${discord.url}/api` });
    servers.push(server);
    const admin = await register(server, 'admin');
    const res = await server.api('PUT', '/api/v1/admin/discord-bridge', { token: admin.token, body: { guild_id: guildId } });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe(50035);
  });
});

describe('privileged intents not enabled', () => {
  it('says which switches to turn on', async () => {
    const bot = await makeBot('nointents', false, [guildId]);
    const server = await bridged({ discordToken: bot.token, discordGuildId: guildId });
    await eventually(async () => (await health(server)).bridge?.state === 'failed', WITHIN, 'failed');
    expect(bridgeLines()).toEqual([
      'discord bridge off: the Presence, Server Members and Message Content intents are not enabled for this bot: switch them on under Bot > Privileged Gateway Intents in the Developer Portal. The rest of Harmony keeps running.',
    ]);
  });
});

describe('the bot is not in the configured guild', () => {
  it('waits for it, and mirrors the guild once the bot is added', async () => {
    const bot = await makeBot('latecomer', true, [otherGuildId]);
    const server = await bridged({ discordToken: bot.token, discordGuildId: guildId });
    await eventually(async () => (await health(server)).bridge?.state === 'waiting_for_guild', WITHIN, 'waiting');
    expect((await health(server)).status).toBe('degraded');
    expect(bridgeLines()).toEqual([`discord bridge: the bot is not in the server ${guildId}; invite it (see docs/discord-bridge.md)`]);
    await call(discord, owner.token, 'PUT', `/guilds/${guildId}/bots/${bot.id}`, { permissions: ['read_messages', 'send_messages'] });
    await eventually(async () => (await health(server)).status === 'ok', WITHIN, 'ok');
    expect((await server.api('GET', `/user/${owner.id}`)).status).toBe(200);
  });
});

describe('the bot is removed from the guild', () => {
  it('keeps the last known presences, waits, and follows the guild again once re-invited', async () => {
    const keptId = (await call(discord, owner.token, 'POST', '/guilds', { name: 'Kept' })).id;
    const bot = await makeBot('kicked', true, [keptId]);
    const server = await bridged({ discordToken: bot.token, discordGuildId: keptId });
    await eventually(async () => (await health(server)).status === 'ok', WITHIN, 'ok');
    const res = await discord.api('DELETE', `/api/v1/guilds/${keptId}/bots/${bot.id}`, { token: owner.token });
    expect(res.status).toBe(204);
    await eventually(async () => (await health(server)).bridge?.state === 'waiting_for_guild', WITHIN, 'waiting');
    expect(bridgeLines()[1]).toBe(`discord bridge: the bot was removed from "Kept" (${keptId}); the last known presences stay until it is invited again`);
    expect((await server.api('GET', `/user/${owner.id}`)).status).toBe(200);
    await call(discord, owner.token, 'PUT', `/guilds/${keptId}/bots/${bot.id}`, { permissions: ['read_messages'] });
    await eventually(async () => (await health(server)).status === 'ok', WITHIN, 'ok again');
  });
});

describe('no HARMONY_DISCORD_GUILD_ID', () => {
  it('mirrors the one guild the bot is in', async () => {
    const soloId = (await call(discord, owner.token, 'POST', '/guilds', { name: 'Solo' })).id;
    const bot = await makeBot('onlyone', true, [soloId]);
    const server = await bridged({ discordToken: bot.token, discordGuildId: null });
    await eventually(async () => (await health(server)).status === 'ok', WITHIN, 'ok');
    // The owner and the bot.
    expect((await health(server)).bridge).toEqual({ state: 'ready', guild_id: soloId, members: 2 });
    expect(bridgeLines()).toEqual([`discord bridge on: mirroring 2 members of "Solo" (${soloId})`]);
  });

  it('asks for it when the bot is in several', async () => {
    const bot = await makeBot('twoguilds', true, [guildId, otherGuildId]);
    const server = await bridged({ discordToken: bot.token, discordGuildId: null });
    await eventually(async () => (await health(server)).bridge?.state === 'waiting_for_guild', WITHIN, 'waiting');
    expect(bridgeLines()).toEqual([
      `discord bridge: set HARMONY_DISCORD_GUILD_ID to the server to mirror (the bot is in "Mirrored" (${guildId}), "Elsewhere" (${otherGuildId}))`,
    ]);
  });
});

describe('Discord unreachable at start', () => {
  it('keeps trying while Harmony answers, and mirrors once Discord does', async () => {
    // A "Discord" that is set up, then stopped: its port answers nothing until it is started again.
    const dir = mkdtempSync(join(tmpdir(), 'harmony-discord-later-'));
    try {
      let later = await startServer({ rateLimits: false, dataDir: dir });
      const port = Number(new URL(later.url).port);
      const admin = await register(later, 'admin');
      const gid = (await call(later, admin.token, 'POST', '/guilds', { name: 'Later' })).id;
      const created = await call(later, admin.token, 'POST', '/admin/bots', { username: 'patient' });
      await call(later, admin.token, 'PATCH', `/admin/bots/${created.bot.id}`, {
        privileged_intents: { presence: true, members: true, message_content: true },
      });
      await call(later, admin.token, 'PUT', `/guilds/${gid}/bots/${created.bot.id}`, { permissions: ['read_messages'] });
      await later.stop();

      const server = await bridged({ discordToken: created.token, discordGuildId: gid, discordApi: `${later.url}/api` });
      await eventually(() => bridgeLines().length > 0, WITHIN, 'a log line');
      expect(bridgeLines()[0]).toStartWith(`discord bridge: cannot reach Discord at ${later.url}/api (`);
      expect(await health(server)).toEqual({
        status: 'degraded',
        version: expect.any(String),
        bridge: { state: 'connecting', guild_id: gid, members: 0 },
        node: expect.any(String),
        checks: CHECKS,
      });
      expect((await server.api('GET', '/api/v1/users/@me')).status).toBe(401);

      later = await startServer({ rateLimits: false, dataDir: dir, port });
      try {
        await eventually(async () => (await health(server)).status === 'ok', 20_000, 'ok');
        expect((await server.api('GET', `/user/${admin.id}`)).status).toBe(200);
        expect(bridgeLines()).toContain(`discord bridge on: mirroring 2 members of "Later" (${gid})`);
      } finally {
        await later.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 40_000);
});

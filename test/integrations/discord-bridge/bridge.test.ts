// Issue 7 end to end, real discord.js on both sides of the wire: instance A plays Discord (its v10 dialect)
// with a guild, its members and a bot allowed the privileged intents; instance B runs the bridge with that
// bot's token and HARMONY_DISCORD_API pointing at A. People act on A (v1 gateway presence, v1 REST messages);
// B's presence API, /socket and /health are asserted, down to A restarting under B.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from 'discord.js';
import type { DiscordBridge } from '../../../src/integrations/discord-bridge/discord-bridge.ts';
import { connectAs, eventually, type GatewayClient } from '../../support/gateway-client.ts';
import { hasTokenShape, isUpdate, revealLinkIn, revealToken, SocketClient } from '../../support/presence.ts';
import { register, startServer, type TestServer } from '../../support/test-server.ts';

type Account = { id: string; token: string };
type Json = any;

const DISCORD_PERMISSIONS = ['read_messages', 'send_messages', 'read_message_history', 'manage_messages'];
const WITHIN = 5_000;
// B's public URL: the token links in Discord name it; the test opens their path on B itself.
const B_PUBLIC = 'https://presence.example.test';

let dirA: string;
let portA: number;
let a: TestServer;
let b: TestServer;
let alice: Account;
let bob: Account;
let carol: Account;
let dave: Account;
let bot: Account;
let bobSession: GatewayClient;
let guildId: string;
let generalId: string;
const sessions: GatewayClient[] = [];
const bridgeLog: string[] = [];
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
const originalLog = console.log;

/** v1 REST on instance A as `token`; throws on an unexpected status. */
async function onA(token: string, method: string, path: string, body?: unknown, expected?: number): Promise<Json> {
  const res = await a.api(method, `/api/v1${path}`, { token, body });
  const ok = expected === undefined ? res.status >= 200 && res.status < 300 : res.status === expected;
  if (!ok) throw new Error(`${method} ${path} -> ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

async function joinGuild(account: Account): Promise<void> {
  const invite = await onA(alice.token, 'POST', `/channels/${generalId}/invites`, {});
  await onA(account.token, 'POST', `/invites/${invite.code}`);
}

const launcher = () => b.harmony.discordBridge;
const bridge = () => launcher()?.bridge as DiscordBridge;
const health = async () => (await b.api('GET', '/health')).body;
const userOnB = (id: string, token?: string) => b.api('GET', `/user/${id}`, token ? { headers: { authorization: token } } : {});

/** Polls B until `check` holds. */
async function onB(what: string, check: () => Promise<boolean>, timeout = WITHIN): Promise<void> {
  await eventually(check, timeout, what);
}

async function presenceSession(account: Account): Promise<GatewayClient> {
  const session = await connectAs(a, account.token);
  sessions.push(session);
  return session;
}

/** Posts on A as `account` and returns what the bridge bot answered in that channel (after B handled it). */
async function say(account: Account, channelId: string, content: string, answers = 1): Promise<{ posted: Json; replies: Json[] }> {
  const posted = await onA(account.token, 'POST', `/channels/${channelId}/messages`, { content });
  let replies: Json[] = [];
  await eventually(
    async () => {
      await launcher()?.idle();
      const after = await onA(account.token, 'GET', `/channels/${channelId}/messages?after=${posted.id}&limit=50`);
      replies = (after as Json[]).filter((m) => m.author.id === bot.id).sort((x, y) => (BigInt(x.id) < BigInt(y.id) ? -1 : 1));
      return replies.length >= answers;
    },
    WITHIN,
    `${answers} answer(s) to ${content}`,
  );
  return { posted, replies };
}

async function dmChannel(account: Account): Promise<string> {
  return (await onA(account.token, 'POST', '/users/@me/channels', { recipient_id: bot.id })).id;
}

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  console.log = (...args: unknown[]) => {
    const line = args.map(String).join(' ');
    if (line.startsWith('discord bridge')) bridgeLog.push(line);
    else originalLog(...args);
  };
  dirA = mkdtempSync(join(tmpdir(), 'harmony-discord-'));
  a = await startServer({ rateLimits: false, dataDir: dirA });
  portA = Number(new URL(a.url).port);
  alice = await register(a, 'alice');
  bob = await register(a, 'bob');
  carol = await register(a, 'carol');
  dave = await register(a, 'dave');
  const guild = await onA(alice.token, 'POST', '/guilds', { name: 'Presence Club' });
  guildId = guild.id;
  generalId = guild.channels[0].id;
  await joinGuild(bob);
  await joinGuild(carol);
  const created = await onA(alice.token, 'POST', '/admin/bots', { username: 'bridgebot' });
  bot = { id: created.bot.id, token: created.token };
  await onA(alice.token, 'PATCH', `/admin/bots/${bot.id}`, { privileged_intents: { presence: true, members: true, message_content: true } });
  await onA(alice.token, 'PUT', `/guilds/${guildId}/bots/${bot.id}`, { permissions: DISCORD_PERMISSIONS });
  // dave shares no guild with the bot: both take DMs from anyone, so he can still ask it (and be told no).
  await onA(bot.token, 'PATCH', '/users/@me/settings', { allow_dms_from: 'everyone' });
  await onA(dave.token, 'PATCH', '/users/@me/settings', { allow_dms_from: 'everyone' });
  await onA(alice.token, 'PATCH', `/guilds/${guildId}/members/${carol.id}`, { nick: 'Caro' });
  // bob is online on A before B starts: the first load must bring his presence along.
  bobSession = await presenceSession(bob);
  bobSession.send({ op: 3, d: { status: 'idle', activities: [{ name: 'Chess', type: 0 }], afk: true, since: null } });

  b = await startServer({ rateLimits: false, discordToken: bot.token, discordGuildId: guildId, discordApi: `${a.url}/api`, publicUrl: B_PUBLIC });
  await onB('bridge ready', async () => (await health()).bridge?.state === 'ready', 15_000);
}, 40_000);

afterAll(async () => {
  for (const s of sessions) s.close();
  await b?.stop();
  await a?.stop();
  rmSync(dirA, { recursive: true, force: true });
  console.log = originalLog;
  process.off('unhandledRejection', onUnhandled);
});

describe('harmony serve with HARMONY_DISCORD_TOKEN', () => {
  it('logs one line saying the bridge is on, which guild and how many members', () => {
    expect(bridgeLog).toEqual([`discord bridge on: mirroring 4 members of "Presence Club" (${guildId})`]);
  });

  it('reports the bridge on /health', async () => {
    const res = await b.api('GET', '/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      status: 'ok',
      version: expect.any(String),
      bridge: { state: 'ready', guild_id: guildId, members: 4 },
      node: expect.any(String),
      checks: { database: { status: 'ok', latency_ms: expect.any(Number) } },
    });
  });
});

describe('mirroring the guild', () => {
  it('shows every member under their id, with their presence from the first load', async () => {
    const res = await userOnB(bob.id);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      presence: { userId: bob.id, status: 'idle', global_name: null, server_name: null, avatar: null, spotifyActivity: null },
      KV: {},
      github: null,
    });
    const lanyard = await b.api('GET', `/v1/users/${carol.id}`);
    expect(lanyard.status).toBe(200);
    expect(lanyard.body.data).toMatchObject({
      discord_user: { id: carol.id, username: 'carol', global_name: null, display_name: 'carol', avatar: null, bot: false },
      discord_status: 'offline',
      activities: [],
      spotify: null,
      kv: {},
    });
    expect((await userOnB(carol.id)).body.presence.server_name).toBe('Caro');
    expect((await userOnB(bot.id)).status).toBe(200);
  });

  it('answers 404 user_not_monitored for someone outside the guild', async () => {
    const res = await userOnB(dave.id);
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('user_not_monitored');
  });
});

const song = {
  name: 'Spotify',
  type: 2,
  details: 'Never Gonna Give You Up',
  state: 'Rick Astley',
  sync_id: '4cOdK2wGLETKBW3PvgPWqT',
  timestamps: { start: 1732406401102, end: 1732406614102 },
  assets: { large_image: 'spotify:ab67616d0000b27315ebbedaacef61af244262a8', large_text: 'Whenever You Need Somebody' },
  party: { id: 'spotify:1' },
  flags: 48,
};

describe('presence from Discord', () => {
  it('reaches /socket within 100 ms of the Discord event, and /user/:id, /v1/users/:id and the card with it', async () => {
    const socket = new SocketClient(b);
    socket.send({ op: 2, d: { subscribe_to_id: bob.id } });
    await socket.next((f) => f.t === 'INIT_STATE');
    const client = bridge().discordClient as Client;
    let eventAt = 0;
    const stamp = (packet: { t?: string; d?: Json }) => {
      if (packet.t === 'PRESENCE_UPDATE' && packet.d?.user?.id === bob.id && packet.d.status === 'dnd') eventAt = performance.now();
    };
    // Before the bridge's own listener: the clock starts when discord.js hands the event over.
    client.prependListener('raw', stamp);
    const pushed = socket.next((f) => isUpdate(bob.id)(f) && f.d.discord_status === 'dnd', WITHIN);
    bobSession.send({ op: 3, d: { status: 'dnd', activities: [song], afk: false, since: null } });
    const frame = await pushed;
    const pushedAt = performance.now();
    client.off('raw', stamp);
    socket.close();
    expect(eventAt).toBeGreaterThan(0);
    expect(pushedAt - eventAt).toBeLessThan(100);
    expect(frame.d.spotify).toEqual({
      track_id: '4cOdK2wGLETKBW3PvgPWqT',
      timestamps: { start: 1732406401102, end: 1732406614102 },
      album: 'Whenever You Need Somebody',
      album_art_url: 'https://i.scdn.co/image/ab67616d0000b27315ebbedaacef61af244262a8',
      artist: 'Rick Astley',
      song: 'Never Gonna Give You Up',
    });
    expect(frame.d.active_on_discord_desktop).toBe(true);

    const seed = await userOnB(bob.id);
    expect(seed.body.presence.status).toBe('dnd');
    expect(seed.body.presence.spotifyActivity).toMatchObject({ name: 'Spotify', type: 2, song: 'Never Gonna Give You Up', artist: 'Rick Astley', flags: 48 });
    const lanyard = await b.api('GET', `/v1/users/${bob.id}`);
    expect(lanyard.body.data).toMatchObject({ discord_status: 'dnd', listening_to_spotify: true, last_seen: expect.any(Number) });
    const card = await b.api('GET', `/user/${bob.id}/card.svg`);
    expect(card.status).toBe(200);
    expect(card.body).toContain('Listening to Never Gonna Give You');
  });

  it('follows a display name change and a nickname change', async () => {
    await onA(bob.token, 'PATCH', '/users/@me', { global_name: 'Bobby' });
    await onB('global_name', async () => (await userOnB(bob.id)).body.presence.global_name === 'Bobby');
    await onA(bob.token, 'PATCH', `/guilds/${guildId}/members/${bob.id}`, { nick: 'bob the builder' });
    await onB('server_name', async () => (await userOnB(bob.id)).body.presence.server_name === 'bob the builder');
    expect((await b.api('GET', `/v1/users/${bob.id}`)).body.data.discord_user).toMatchObject({ username: 'bob', global_name: 'Bobby', display_name: 'Bobby' });
  });
});

describe('commands in Discord', () => {
  it('answer .add, .get, .kv and .del in the guild channel, stored for the Discord user id', async () => {
    const added = await say(bob, generalId, '.add mood sunny');
    expect(added.replies.map((m) => m.content)).toEqual(['Saved `mood`.']);
    expect(added.replies[0].reply_to).toBe(added.posted.id);
    expect((await userOnB(bob.id)).body.KV).toEqual({ mood: 'sunny' });
    expect((await say(bob, generalId, '.get mood')).replies[0].content).toBe('`mood`: sunny');
    await say(bob, generalId, '.add _secret hush');
    expect((await say(bob, generalId, '.kv')).replies[0].content).toBe('Your keys (2): `mood` — and 1 private, listed in DMs');
    expect((await say(bob, generalId, '.get _secret')).replies[0].content).toBe('`_secret` is private: ask me in a DM.');
    await say(bob, generalId, '.add gone soon');
    expect((await say(bob, generalId, '.del gone')).replies[0].content).toBe('Deleted `gone`.');
    expect((await userOnB(bob.id)).body.KV).toEqual({ mood: 'sunny' });
  });

  it("sends .token by DM only: a link to B's public URL arrives in the DM on A, holds no token, and reveals one that works on B", async () => {
    const { replies } = await say(bob, generalId, '.token');
    expect(replies[0].content).toBe('I sent you a DM with a link to your new API token.');
    const dm = await dmChannel(bob);
    const messages = await onA(bob.token, 'GET', `/channels/${dm}/messages?limit=10`);
    for (const m of messages as Json[]) expect(hasTokenShape(m.content)).toBe(false);
    const link = revealLinkIn(messages.find((m: Json) => m.author.id === bot.id && m.content.includes('token')).content);
    expect(link).toMatch(new RegExp(`^${B_PUBLIC}/presence-token/[A-Za-z0-9_-]{43}$`));
    // A link preview (Discord fetches links it sees) only GETs: the link still works afterwards.
    expect((await fetch(b.url + new URL(link).pathname)).status).toBe(200);
    const token = await revealToken(link, b.url);
    expect((await fetch(b.url + new URL(link).pathname, { method: 'POST' })).status).toBe(410);
    const own = await userOnB(bob.id, token);
    expect(own.status).toBe(200);
    expect(own.body.KV).toEqual({ mood: 'sunny', _secret: 'hush' });
    expect((await b.api('PUT', `/user/${bob.id}/kv/editor`, { raw: 'helix', headers: { authorization: token } })).status).toBe(204);
    expect((await userOnB(bob.id)).body.KV).toEqual({ mood: 'sunny', editor: 'helix' });
  });

  it('answers in DMs too, .token included, and lists private keys there', async () => {
    const dm = await dmChannel(bob);
    expect((await say(bob, dm, '.kv')).replies[0].content).toBe('Your keys (3): `mood`, `_secret`, `editor`');
    const { replies } = await say(bob, dm, '.token');
    expect(replies[0].reply_to).toBeNull();
    expect(hasTokenShape(replies[0].content)).toBe(false);
    const token = await revealToken(revealLinkIn(replies[0].content), b.url);
    expect((await userOnB(bob.id, token)).body.KV._secret).toBe('hush');
    const help = (await say(bob, dm, '.help')).replies[0].content as string;
    expect(help.split('\n')[0]).toBe('Presence commands:');
    expect(help).toContain('.token — get a one-time link to a new API token, by DM (the old token stops working)');
  });

  it('burns a token pasted in the channel: the message goes, the token stops working, a link to a new one comes by DM', async () => {
    const dm = await dmChannel(bob);
    const token = await revealToken(revealLinkIn((await say(bob, dm, '.token')).replies[0].content), b.url);
    const { posted, replies } = await say(bob, generalId, `my token is ${token} oops`);
    expect(replies.map((m) => m.content)).toEqual([
      'That message contained an API token, so I deleted it and revoked the token. A link to a new one was sent by DM.',
    ]);
    expect((await a.api('GET', `/api/v1/channels/${generalId}/messages/${posted.id}`, { token: bob.token })).status).toBe(404);
    expect((await userOnB(bob.id, token)).status).toBe(401);
    const latest = (await onA(bob.token, 'GET', `/channels/${dm}/messages?limit=1`))[0];
    expect(latest.content).toStartWith('Your presence API token was posted in a channel');
    expect(hasTokenShape(latest.content)).toBe(false);
    expect((await userOnB(bob.id, await revealToken(revealLinkIn(latest.content), b.url))).status).toBe(200);
  });

  it('tells someone outside the guild that only members are kept', async () => {
    const dm = await dmChannel(dave);
    expect((await say(dave, dm, '.add a b')).replies[0].content).toBe('I only keep presence data for members of the server I mirror. Join it, then ask again.');
    expect((await userOnB(dave.id)).status).toBe(404);
  });

  it('ignores bots', async () => {
    const created = await onA(alice.token, 'POST', '/admin/bots', { username: 'otherbot' });
    await onA(alice.token, 'PUT', `/guilds/${guildId}/bots/${created.bot.id}`, { permissions: ['read_messages', 'send_messages'] });
    const posted = await a.api('POST', `/api/v10/channels/${generalId}/messages`, { token: created.token, scheme: 'Bot', body: { content: '.kv' } });
    expect(posted.status).toBe(200);
    // bob's command after it is answered; by then the bot's would have been taken in too.
    await say(bob, generalId, '.get mood');
    await launcher()?.idle();
    const after = await onA(bob.token, 'GET', `/channels/${generalId}/messages?after=${posted.body.id}&limit=50`);
    expect(after.filter((m: Json) => m.author.id === bot.id && m.reply_to === posted.body.id)).toEqual([]);
  });
});

describe('members joining and leaving', () => {
  it('shows a member who joins, hides one who leaves (404 user_not_monitored), and brings their K/V back on return', async () => {
    await joinGuild(dave);
    await onB('dave shown', async () => (await userOnB(dave.id)).status === 200);
    await say(dave, generalId, '.add city Berlin');
    await onA(dave.token, 'DELETE', `/users/@me/guilds/${guildId}`);
    await onB('dave gone', async () => (await userOnB(dave.id)).status === 404);
    const gone = await userOnB(dave.id);
    expect(gone.body).toMatchObject({ code: 'user_not_monitored' });
    const lanyard = await b.api('GET', `/v1/users/${dave.id}`);
    expect(lanyard.status).toBe(404);
    expect(lanyard.body.error.code).toBe('user_not_monitored');
    // alice, bob, carol and the two bots.
    expect((await health()).bridge.members).toBe(5);
    await joinGuild(dave);
    await onB('dave back', async () => (await userOnB(dave.id)).status === 200);
    expect((await userOnB(dave.id)).body.KV).toEqual({ city: 'Berlin' });
  });
});

describe('when Discord goes away', () => {
  it('serves the last known state while A is down, reports degraded, and recovers when A restarts', async () => {
    await onB('bob dnd', async () => (await userOnB(bob.id)).body.presence.status === 'dnd');
    await a.stop();
    await onB('degraded', async () => (await health()).status === 'degraded');
    expect((await health()).bridge).toMatchObject({ state: 'reconnecting', guild_id: guildId });
    const meanwhile = await userOnB(bob.id);
    expect(meanwhile.status).toBe(200);
    expect(meanwhile.body.presence).toMatchObject({ status: 'dnd', global_name: 'Bobby', server_name: 'bob the builder' });
    expect(meanwhile.body.presence.spotifyActivity.song).toBe('Never Gonna Give You Up');

    a = await startServer({ rateLimits: false, dataDir: dirA, port: portA });
    await onB('ok again', async () => (await health()).status === 'ok', 30_000);
    // The new A has no session for bob: Discord now says offline, and B follows it live again.
    await onB('bob offline', async () => (await userOnB(bob.id)).body.presence.status === 'offline');
    const session = await presenceSession(bob);
    session.send({ op: 3, d: { status: 'online', activities: [], afk: false, since: null } });
    await onB('bob online', async () => (await userOnB(bob.id)).body.presence.status === 'online');
    expect(bridgeLog.some((l) => l.startsWith('discord bridge: lost the connection to Discord'))).toBe(true);
    expect(bridgeLog.some((l) => l.startsWith('discord bridge: back in touch with Discord'))).toBe(true);
  }, 60_000);

  it('never left an unhandled rejection behind', () => {
    expect(unhandled).toEqual([]);
  });
});

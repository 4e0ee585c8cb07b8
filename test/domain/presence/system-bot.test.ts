// The built-in presence bot, end to end: people talk to it over the real REST API (DMs and guild channels),
// and what it does shows up on the public faces and the /socket at once.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import {
  type Account,
  ask,
  botId,
  botMessages,
  command,
  dmWithBot,
  hasTokenShape,
  isUpdate,
  revealLinkIn,
  revealToken,
  SocketClient,
  say,
} from '../../support/presence.ts';
import { register, startServer, type TestServer } from '../../support/test-server.ts';

// A recorded `GET https://api.github.com/users/octocat`, served by a stand-in for GitHub.
const fixture = await Bun.file(new URL('../../fixtures/github-user.json', import.meta.url)).json();
const github = Bun.serve({
  port: 0,
  fetch(request) {
    const user = new URL(request.url).pathname.replace(/^\/users\//, '');
    if (user === 'octocat') return Response.json(fixture);
    return Response.json({ message: 'Not Found', documentation_url: 'https://docs.github.com/rest' }, { status: 404 });
  },
});

let server: TestServer;
let owner: Account; // the instance admin, owner of the guild
let alice: Account;
let guildId: string;
let channelId: string; // #general, where the bot is a member
let botlessChannelId: string; // #general of a guild without the bot

beforeAll(async () => {
  // Command tests post faster than the chat limits allow; the limits have their own tests.
  server = await startServer({ rateLimits: false, githubApi: `http://127.0.0.1:${github.port}` });
  owner = await register(server, 'owner');
  alice = await register(server, 'alice');
  const guild = await server.api('POST', '/api/v1/guilds', { token: owner.token, body: { name: 'Presence Club' } });
  guildId = guild.body.id;
  channelId = guild.body.channels[0].id;
  const added = await server.api('PUT', `/api/v1/guilds/${guildId}/bots/${botId(server)}`, {
    token: owner.token,
    body: { permissions: ['read_messages', 'send_messages'] },
  });
  expect(added.status).toBe(200);
  const invite = await server.api('POST', `/api/v1/channels/${channelId}/invites`, { token: owner.token, body: {} });
  expect((await server.api('POST', `/api/v1/invites/${invite.body.code}`, { token: alice.token })).status).toBe(200);
  const other = await server.api('POST', '/api/v1/guilds', { token: owner.token, body: { name: 'No Bots Here' } });
  botlessChannelId = other.body.channels[0].id;
});

afterAll(async () => {
  await server.stop();
  await github.stop(true);
});

/** A fresh person for tests that need a clean K/V and token. */
async function person(name: string): Promise<Account> {
  return register(server, name);
}

describe('the built-in presence bot', () => {
  it('exists from the first start as a system bot named by config.systemBotName', async () => {
    const res = await server.api('GET', `/api/v1/users/${botId(server)}`, { token: alice.token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: botId(server), username: 'Harmy', global_name: null, avatar: null, bot: true });
  });

  it('can be reached by DM from someone who shares no guild with it', async () => {
    const loner = await person('loner');
    const answers = await command(server, loner, '.help');
    expect(answers).toHaveLength(1);
    expect(answers[0]).toStartWith('Presence commands:\n.add <key> <value>');
    for (const name of ['.get <key>', '.del <key>', '.kv', '.token', '.github <username> | off', '.presence on|off', '.help']) {
      expect(answers[0]).toContain(name);
    }
  });

  it('ignores messages that only look like commands', async () => {
    expect(await command(server, alice, '...')).toEqual([]);
    expect(await command(server, alice, '.constructor')).toEqual([]);
    expect(await command(server, alice, '.nosuchcommand x')).toEqual([]);
  });
});

describe('chat command -> REST -> socket', () => {
  it('.add in a DM opts in, shows on GET /user/:id and reaches a /socket subscriber within 100 ms', async () => {
    const carol = await person('carol');
    expect((await server.api('GET', `/user/${carol.id}`)).body.code).toBe('user_not_monitored');

    const socket = new SocketClient(server);
    socket.send({ op: 2, d: { subscribe_to_id: carol.id } });
    expect(await socket.next((f) => f.t === 'INIT_STATE')).toEqual({ op: 0, t: 'INIT_STATE', d: {} });

    const dm = await dmWithBot(server, carol);
    const started = performance.now();
    const posting = await server.api('POST', `/api/v1/channels/${dm}/messages`, { token: carol.token, body: { content: '.add mood  sunny and warm' } });
    const pushed = await socket.next((f) => isUpdate(carol.id)(f) && f.d.kv.mood !== undefined, 1000);
    const elapsed = performance.now() - started;
    expect(elapsed).toBeLessThan(100);
    expect(pushed.d.kv).toEqual({ mood: 'sunny and warm' });
    await posting;
    await server.harmony.core.services.systemBot.idle();

    const res = await server.api('GET', `/user/${carol.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      presence: { userId: carol.id, status: 'offline', global_name: null, server_name: null, avatar: null, spotifyActivity: null },
      KV: { mood: 'sunny and warm' },
      github: null,
    });
    expect((await botMessages(server, carol, dm)).map((m) => m.content)).toEqual(['Saved `mood`.']);
    socket.close();
  });

  it('.set is an alias of .add; .get, .kv and .del read and remove keys', async () => {
    const dave = await person('dave');
    expect(await command(server, dave, '.set city Zürich')).toEqual(['Saved `city`.']);
    expect(await command(server, dave, '.add lang TypeScript')).toEqual(['Saved `lang`.']);
    expect(await command(server, dave, '.add city Bern')).toEqual(['Saved `city`.']);
    expect(await command(server, dave, '.get city')).toEqual(['`city`: Bern']);
    expect(await command(server, dave, '.kv')).toEqual(['Your keys (2): `city`, `lang`']);
    expect(await command(server, dave, '.del lang')).toEqual(['Deleted `lang`.']);
    expect(await command(server, dave, '.del lang')).toEqual(['You have no key `lang`.']);
    expect(await command(server, dave, '.get lang')).toEqual(['You have no key `lang`.']);
    expect((await server.api('GET', `/user/${dave.id}`)).body.KV).toEqual({ city: 'Bern' });
  });

  it('answers bad input with usage or the broken rule, and stores nothing', async () => {
    const erin = await person('erin');
    expect(await command(server, erin, '.add')).toEqual(['Usage: .add <key> <value>']);
    expect(await command(server, erin, '.add lonely')).toEqual(['Usage: .add <key> <value>']);
    expect(await command(server, erin, '.add bad-key value')).toEqual(['Not saved (invalid_key): key must be 1-255 characters of a-z, A-Z, 0-9 and _.']);
    expect(await command(server, erin, `.add k ${'x'.repeat(3990)}`)).toEqual(['Saved `k`.']);
    expect(await command(server, erin, '.get')).toEqual(['Usage: .get <key>']);
    expect(await command(server, erin, '.del two words')).toEqual(['Usage: .del <key>']);
    expect(await command(server, erin, '.presence maybe')).toEqual(['Usage: .presence on|off']);
    expect(await command(server, erin, '.github not_valid!')).toEqual(['That is not a valid GitHub username.']);
    expect(Object.keys(server.harmony.core.services.presenceDirectory.kv(erin.id))).toEqual(['k']);
  });

  it('answers in a guild channel it is a member of, as a reply, and keeps private keys private there', async () => {
    const posted = await say(server, alice, channelId, '.add _secret hidden value');
    const [answer] = await botMessages(server, alice, channelId, posted.id);
    expect(answer?.content).toBe('Saved `_secret`.');
    expect(answer?.reply_to).toBe(posted.id);
    expect(await ask(server, alice, channelId, '.add color blue')).toEqual(['Saved `color`.']);
    expect(await ask(server, alice, channelId, '.get _secret')).toEqual(['`_secret` is private: ask me in a DM.']);
    expect(await ask(server, alice, channelId, '.kv')).toEqual(['Your keys (2): `color` — and 1 private, listed in DMs']);
    expect(await command(server, alice, '.get _secret')).toEqual(['`_secret`: hidden value']);
    expect(await command(server, alice, '.kv')).toEqual(['Your keys (2): `_secret`, `color`']);
    expect((await server.api('GET', `/user/${alice.id}`)).body.KV).toEqual({ color: 'blue' });
  });

  it('stays silent in guild channels it is not a member of', async () => {
    expect(await ask(server, owner, botlessChannelId, '.add here nope')).toEqual([]);
    expect(server.harmony.core.services.presenceDirectory.kv(owner.id)).toEqual({});
  });

  it('ignores commands from bots', async () => {
    const created = await server.api('POST', '/api/v1/admin/bots', { token: owner.token, body: { username: 'chatty_bot' } });
    expect(created.status).toBe(201);
    const bot = { id: created.body.bot.id, token: created.body.token };
    const dm = await server.api('POST', '/api/v1/users/@me/channels', { token: bot.token, scheme: 'Bot', body: { recipient_id: botId(server) } });
    expect(dm.status).toBe(200);
    const sent = await server.api('POST', `/api/v1/channels/${dm.body.id}/messages`, { token: bot.token, scheme: 'Bot', body: { content: '.add x y' } });
    expect(sent.status).toBe(200);
    await server.harmony.core.services.systemBot.idle();
    const history = await server.api('GET', `/api/v1/channels/${dm.body.id}/messages`, { token: bot.token, scheme: 'Bot' });
    expect(history.body.map((m: { content: string }) => m.content)).toEqual(['.add x y']);
    expect(server.harmony.core.services.presenceDirectory.kv(bot.id)).toEqual({});
    expect((await server.api('GET', `/user/${bot.id}`)).status).toBe(404);
  });
});

describe('API tokens by chat', () => {
  it('.token in a guild channel sends a link to the token only by DM and says so in the channel', async () => {
    const frank = await person('frank');
    const invite = await server.api('POST', `/api/v1/channels/${channelId}/invites`, { token: owner.token, body: {} });
    await server.api('POST', `/api/v1/invites/${invite.body.code}`, { token: frank.token });

    const inChannel = await ask(server, frank, channelId, '.token');
    expect(inChannel).toEqual(['I sent you a DM with a link to your new API token.']);
    const dm = await dmWithBot(server, frank);
    const dms = (await botMessages(server, frank, dm)).map((m) => m.content);
    expect(dms).toHaveLength(1);
    expect(dms[0]).toStartWith('Your previous API token no longer works. Open this link to see your new API token');
    expect(hasTokenShape(dms[0] as string)).toBe(false);
    const token = await revealToken(revealLinkIn(dms[0] as string));

    await say(server, frank, dm, '.add _private only with the token');
    expect((await server.api('GET', `/user/${frank.id}`, { headers: { authorization: token } })).body.KV).toEqual({ _private: 'only with the token' });
    expect((await server.api('GET', `/user/${frank.id}`)).body.KV).toEqual({});
  });

  it('a new .token invalidates the previous one at once', async () => {
    const gina = await person('gina');
    const first = await revealToken(revealLinkIn((await command(server, gina, '.token'))[0] as string));
    const put = (token: string) => server.api('PUT', `/user/${gina.id}/kv/k`, { raw: 'v', headers: { authorization: token } });
    expect((await put(first)).status).toBe(204);
    const link = revealLinkIn((await command(server, gina, '.token'))[0] as string);
    const refused = await put(first);
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('invalid_api_key');
    const second = await revealToken(link);
    expect(second).not.toBe(first);
    expect((await put(second)).status).toBe(204);
  });

  it('a token pasted in a guild channel is revoked, the message deleted, and a link to a new token sent by DM', async () => {
    const hank = await person('hank');
    const invite = await server.api('POST', `/api/v1/channels/${channelId}/invites`, { token: owner.token, body: {} });
    await server.api('POST', `/api/v1/invites/${invite.body.code}`, { token: hank.token });
    const leaked = await revealToken(revealLinkIn((await command(server, hank, '.token'))[0] as string));

    const posted = await say(server, hank, channelId, `my key is ${leaked} lol`);
    const gone = await server.api('GET', `/api/v1/channels/${channelId}/messages/${posted.id}`, { token: owner.token });
    expect(gone.status).toBe(404);
    const [notice] = await botMessages(server, hank, channelId, posted.id);
    expect(notice?.content).toBe('That message contained an API token, so I deleted it and revoked the token. A link to a new one was sent by DM.');
    expect(notice?.content).not.toContain(leaked);

    const dms = await botMessages(server, hank, await dmWithBot(server, hank));
    const last = dms.at(-1)?.content ?? '';
    expect(last).toStartWith('Your presence API token was posted in a channel, so it no longer works. Open this link');
    expect(hasTokenShape(last)).toBe(false);
    const fresh = await revealToken(revealLinkIn(last));
    expect(fresh).not.toBe(leaked);
    expect((await server.api('PUT', `/user/${hank.id}/kv/a`, { raw: 'b', headers: { authorization: leaked } })).status).toBe(401);
    expect((await server.api('PUT', `/user/${hank.id}/kv/a`, { raw: 'b', headers: { authorization: fresh } })).status).toBe(204);
  });

  it('a token pasted in a DM with the bot is left alone', async () => {
    const ivy = await person('ivy');
    const token = await revealToken(revealLinkIn((await command(server, ivy, '.token'))[0] as string));
    expect(await command(server, ivy, token)).toEqual([]);
    expect((await server.api('GET', `/user/${ivy.id}/kv`, { headers: { authorization: token } })).status).toBe(200);
  });
});

describe('.presence and server_name', () => {
  it('.presence off hides the user (404 everywhere) and keeps their keys; .presence on shows them again', async () => {
    const jack = await person('jack');
    await command(server, jack, '.add keep me');
    expect(await command(server, jack, '.presence off')).toEqual(['Your presence is no longer shared. Your keys are kept; turn it back on any time.']);
    expect(await command(server, jack, '.presence')).toEqual(['Your presence is not shared. Turn it on with .presence on.']);
    expect((await server.api('GET', `/user/${jack.id}`)).body).toEqual({
      code: 'user_not_monitored',
      message: 'User is not being monitored: they have not opted in to the presence API',
    });
    expect((await server.api('GET', `/v1/users/${jack.id}`)).status).toBe(404);
    expect((await server.api('GET', `/user/${jack.id}/card.svg`)).status).toBe(404);
    expect(await command(server, jack, '.presence on')).toEqual([`Your presence is public: /user/${jack.id}`]);
    expect((await server.api('GET', `/user/${jack.id}`)).body.KV).toEqual({ keep: 'me' });
  });

  it('server_name is the nickname in the guild where the user turned presence on, and follows changes', async () => {
    expect(await ask(server, owner, channelId, '.presence on')).toEqual([`Your presence is public: /user/${owner.id}`]);
    const read = async () => (await server.api('GET', `/user/${owner.id}`)).body.presence.server_name;
    expect(await read()).toBeNull();
    const nick = await server.api('PATCH', `/api/v1/guilds/${guildId}/members/${owner.id}`, { token: owner.token, body: { nick: 'The Boss' } });
    expect(nick.status).toBe(200);
    expect(await read()).toBe('The Boss');
    await server.api('PATCH', '/api/v1/users/@me', { token: owner.token, body: { global_name: 'Owner Person' } });
    const body = (await server.api('GET', `/user/${owner.id}`)).body;
    expect(body.presence.global_name).toBe('Owner Person');
    expect(body.presence.server_name).toBe('The Boss');
  });
});

describe('.github', () => {
  it('links the profile GitHub returns, in the seed shape, and shows it on GET /user/:id', async () => {
    const kim = await person('kim');
    expect(await command(server, kim, '.github octocat')).toEqual(['Linked GitHub user octocat.']);
    expect((await server.api('GET', `/user/${kim.id}`)).body.github).toEqual({
      id: 583231,
      username: 'octocat',
      avatar_url: 'https://avatars.githubusercontent.com/u/583231?v=4',
      url: 'https://github.com/octocat',
      company: '@github',
      blog: 'https://github.blog',
      bio: null,
      public_repos: 8,
    });
    expect(await command(server, kim, '.github')).toEqual(['Linked to GitHub user octocat.']);
    expect(await command(server, kim, '.github off')).toEqual(['GitHub unlinked.']);
    expect((await server.api('GET', `/user/${kim.id}`)).body.github).toBeNull();
    expect(await command(server, kim, '.github off')).toEqual(['No GitHub account was linked.']);
  });

  it('answers "no such GitHub user" for a 404 and keeps the previous link', async () => {
    const lee = await person('lee');
    await command(server, lee, '.github octocat');
    expect(await command(server, lee, '.github ghost-user-404')).toEqual(['No such GitHub user.']);
    expect((await server.api('GET', `/user/${lee.id}`)).body.github.username).toBe('octocat');
  });
});

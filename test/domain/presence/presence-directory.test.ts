// The presence directory behind the public faces: what survives a restart, that reads never touch SQLite,
// how hub events keep it current, and the GitHub background refresh (last good copy, GitHub's rate limits).
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../../src/app.ts';
import { defaultConfig } from '../../../src/config.ts';
import { openDatabase } from '../../../src/db/database.ts';
import { attachGateways } from '../../../src/gateways.ts';
import { eventually } from '../../support/gateway-client.ts';
import { type Account, isUpdate, movableClock, SocketClient } from '../../support/presence.ts';
import { register, startServer, type TestServer } from '../../support/test-server.ts';

// A GitHub stand-in whose answer each test sets.
const fixture = await Bun.file(new URL('../../fixtures/github-user.json', import.meta.url)).json();
let githubAnswer: () => Response = () => Response.json(fixture);
let githubHits = 0;
const github = Bun.serve({
  port: 0,
  fetch() {
    githubHits += 1;
    return githubAnswer();
  },
});
const githubApi = `http://127.0.0.1:${github.port}`;

afterAll(() => github.stop(true));

async function optIn(s: TestServer, name: string) {
  const account = await register(s, name);
  const res = await s.api('POST', '/api/v1/users/@me/presence/token', { token: account.token });
  return { ...account, apiToken: res.body.token as string };
}

describe('after a restart', () => {
  it('keeps opt-in, K/V order, the token digest, the GitHub profile, last_seen and the same bot user', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'harmony-presence-'));
    const file = join(dir, 'harmony.db');
    const boot = async () => {
      const harmony = await createApp({
        db: openDatabase(file),
        config: defaultConfig({ dataDir: dir, rateLimits: false, githubApi }),
        clock: { now: () => Date.now() },
      });
      attachGateways(harmony);
      const { url } = harmony.listen({ port: 0, hostname: '127.0.0.1' });
      return { harmony, url };
    };
    try {
      const first = await boot();
      const post = (path: string, init: RequestInit) =>
        fetch(first.url + path, init).then(async (r) => ({ status: r.status, body: r.status === 204 ? null : await r.json() }));
      const json = { 'content-type': 'application/json' };
      const alice = await post('/api/v1/auth/register', {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ username: 'alice', password: 'correct horse battery' }),
      });
      const session = { authorization: `Bearer ${alice.body.token}` };
      const userId = alice.body.user.id as string;
      const { token } = (await post('/api/v1/users/@me/presence/token', { method: 'POST', headers: session })).body;
      await post(`/user/${userId}/kv`, {
        method: 'PATCH',
        headers: { ...json, authorization: token },
        body: JSON.stringify({ zeta: '1', alpha: '2', _p: '3' }),
      });
      await post('/api/v1/users/@me/presence/github', { method: 'PUT', headers: { ...json, ...session }, body: JSON.stringify({ username: 'octocat' }) });
      const presence = first.harmony.core.services.presence;
      presence.setExternal(userId, 'test', 'desktop', { status: 'online', activities: [], afk: false, since: null });
      presence.setExternal(userId, 'test', 'desktop', null);
      const lastSeen = presence.get(userId).lastSeen;
      expect(lastSeen).toBeGreaterThan(0);
      const botId = first.harmony.core.services.systemBot.id;
      await first.harmony.stop();

      const second = await boot();
      try {
        expect(second.harmony.core.services.systemBot.id).toBe(botId);
        const read = await fetch(`${second.url}/user/${userId}`, { headers: { authorization: token } }).then((r) => r.json());
        expect(Object.keys(read.KV)).toEqual(['zeta', 'alpha', '_p']);
        expect(read.github.username).toBe('octocat');
        const lanyard = await fetch(`${second.url}/v1/users/${userId}`).then((r) => r.json());
        expect(lanyard.data.last_seen).toBe(lastSeen);
        expect(lanyard.data.discord_status).toBe('offline');
      } finally {
        await second.harmony.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('reads', () => {
  let server: TestServer;
  let alice: Account & { apiToken: string };

  beforeAll(async () => {
    server = await startServer({ rateLimits: false });
    alice = await optIn(server, 'alice');
    await server.api('PUT', `/user/${alice.id}/kv/a`, { raw: 'b', headers: { authorization: alice.apiToken } });
  });
  afterAll(() => server.stop());

  it('never touch the database: GET /user/:id, its K/V and card, /v1/users and the socket are served from memory', async () => {
    const { statements, stop } = server.recordStatements();
    try {
      const socket = new SocketClient(server);
      socket.send({ op: 2, d: { subscribe_to_id: alice.id } });
      await socket.next((f) => f.t === 'INIT_STATE');
      for (const [path, headers] of [
        [`/user/${alice.id}`, {}],
        [`/user/${alice.id}`, {}],
        [`/user/${alice.id}`, { authorization: alice.apiToken }],
        [`/user/${alice.id}/kv`, { authorization: alice.apiToken }],
        [`/user/${alice.id}/card.svg`, {}],
        [`/v1/users/${alice.id}`, {}],
        ['/v1/users/@me', { authorization: alice.apiToken }],
      ] as const) {
        expect((await server.api('GET', path, { headers })).status).toBe(200);
      }
      expect(statements).toEqual([]);
      // A live presence change reaches the socket from memory too; only last_seen is written down.
      server.harmony.core.services.presence.setExternal(alice.id, 't', 'web', { status: 'dnd', activities: [], afk: false, since: null });
      await socket.next(isUpdate(alice.id));
      socket.close();
      // Readers see the change before last_seen reaches the database.
      await eventually(() => statements.length > 0, 5_000, 'the last_seen write');
      expect(statements).toEqual(['UPDATE presence_users SET last_seen = ? WHERE user_id = ?']);
    } finally {
      stop();
    }
  });
});

describe('hub events', () => {
  let server: TestServer;
  let owner: Account;

  beforeAll(async () => {
    server = await startServer({ rateLimits: false });
    owner = await register(server, 'owner');
  });
  afterAll(() => server.stop());

  it('server_name follows the nickname in the sharing guild, and clears when the user leaves it', async () => {
    const member = await register(server, 'member');
    const guild = await server.api('POST', '/api/v1/guilds', { token: owner.token, body: { name: 'Guild One' } });
    const invite = await server.api('POST', `/api/v1/channels/${guild.body.channels[0].id}/invites`, { token: owner.token, body: {} });
    await server.api('POST', `/api/v1/invites/${invite.body.code}`, { token: member.token });
    await server.api('PATCH', `/api/v1/guilds/${guild.body.id}/members/${member.id}`, { token: member.token, body: { nick: 'Nick One' } });
    await server.harmony.core.services.presenceDirectory.setShared(member.id, true, guild.body.id, true);
    const serverName = async () => (await server.api('GET', `/user/${member.id}`)).body.presence.server_name;
    expect(await serverName()).toBe('Nick One');
    await server.api('PATCH', `/api/v1/guilds/${guild.body.id}/members/${member.id}`, { token: member.token, body: { nick: 'Nick Two' } });
    expect(await serverName()).toBe('Nick Two');
    expect((await server.api('DELETE', `/api/v1/users/@me/guilds/${guild.body.id}`, { token: member.token })).status).toBe(204);
    expect(await serverName()).toBeNull();
  });

  it('a disabled account disappears from the presence API and comes back when enabled', async () => {
    const target = await optIn(server, 'target');
    expect((await server.api('GET', `/user/${target.id}`)).status).toBe(200);
    const off = await server.api('PATCH', `/api/v1/admin/users/${target.id}`, { token: owner.token, body: { disabled: true } });
    expect(off.status).toBe(200);
    expect((await server.api('GET', `/user/${target.id}`)).status).toBe(404);
    await server.api('PATCH', `/api/v1/admin/users/${target.id}`, { token: owner.token, body: { disabled: false } });
    // Enabling emits no event of its own: the account's next profile change (or a restart) brings it back.
    const login = await server.api('POST', '/api/v1/auth/login', { body: { username: 'target', password: 'correct horse battery' } });
    await server.api('PATCH', '/api/v1/users/@me', { token: login.body.token, body: { global_name: 'Back' } });
    const back = await server.api('GET', `/user/${target.id}`);
    expect(back.status).toBe(200);
    expect(back.body.presence.global_name).toBe('Back');
  });
});

describe('GitHub background refresh', () => {
  const clock = movableClock();
  let server: TestServer;
  let alice: Account & { apiToken: string };
  const HOUR = 3600 * 1000;
  const refresh = () => server.harmony.core.services.presenceDirectory.refreshGithub();
  const repos = async () => (await server.api('GET', `/user/${alice.id}`)).body.github?.public_repos;

  beforeAll(async () => {
    server = await startServer({ rateLimits: false, githubApi }, clock);
    alice = await optIn(server, 'alice');
    githubAnswer = () => Response.json(fixture);
    const linked = await server.api('PUT', '/api/v1/users/@me/presence/github', { token: alice.token, body: { username: 'octocat' } });
    expect(linked.status).toBe(200);
  });
  afterAll(() => server.stop());

  it('re-fetches a profile once it is older than the interval and pushes the change', async () => {
    githubAnswer = () => Response.json({ ...fixture, public_repos: 9 });
    const before = githubHits;
    await refresh();
    expect(githubHits).toBe(before); // not due yet
    expect(await repos()).toBe(8);

    const socket = new SocketClient(server);
    socket.send({ op: 2, d: { subscribe_to_id: alice.id } });
    await socket.next((f) => f.t === 'INIT_STATE');
    clock.advance(HOUR + 1000);
    await refresh();
    expect(githubHits).toBe(before + 1);
    expect(await repos()).toBe(9);
    // Lanyard has no github field; the push still tells subscribers something changed.
    expect((await socket.next(isUpdate(alice.id))).d.discord_user.id).toBe(alice.id);
    socket.close();
  });

  it('keeps the last good copy when GitHub fails or the user is gone', async () => {
    for (const answer of [
      () => Response.json({ message: 'Server Error' }, { status: 502 }),
      () => new Response('<html>maintenance</html>'),
      () => Response.json({ message: 'Not Found' }, { status: 404 }),
    ]) {
      githubAnswer = answer;
      clock.advance(HOUR + 1000);
      const before = githubHits;
      await refresh();
      expect(githubHits).toBe(before + 1);
      expect(await repos()).toBe(9);
    }
  });

  it('stops calling GitHub until its rate-limit reset, then resumes', async () => {
    const reset = Math.ceil((clock.now() + 3 * HOUR) / 1000);
    githubAnswer = () =>
      Response.json({ message: 'API rate limit exceeded' }, { status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) } });
    clock.advance(HOUR + 1000);
    let before = githubHits;
    await refresh();
    expect(githubHits).toBe(before + 1);
    expect(await repos()).toBe(9);

    githubAnswer = () => Response.json({ ...fixture, public_repos: 10 });
    clock.advance(HOUR);
    before = githubHits;
    await refresh();
    expect(githubHits).toBe(before); // GitHub said to wait: no request at all
    expect(await repos()).toBe(9);

    clock.advance(2 * HOUR);
    await refresh();
    expect(githubHits).toBe(before + 1);
    expect(await repos()).toBe(10);
  });
});

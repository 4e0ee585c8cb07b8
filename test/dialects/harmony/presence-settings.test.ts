// /api/v1/users/@me/presence: what the web app uses for the "share my presence" switch, the API token,
// the K/V editor and the GitHub link, with a session token and the harmony dialect's errors.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { botId } from '../../support/presence.ts';
import { register, startServer, type TestServer } from '../../support/test-server.ts';

const fixture = await Bun.file(new URL('../../fixtures/github-user.json', import.meta.url)).json();
const github = Bun.serve({
  port: 0,
  fetch(request) {
    const user = new URL(request.url).pathname.replace(/^\/users\//, '');
    return user === 'octocat' ? Response.json(fixture) : Response.json({ message: 'Not Found' }, { status: 404 });
  },
});

let server: TestServer;

beforeAll(async () => {
  server = await startServer({ rateLimits: false, githubApi: `http://127.0.0.1:${github.port}` });
});

afterAll(async () => {
  await server.stop();
  github.stop(true);
});

describe('GET /api/v1/users/@me/presence', () => {
  it('starts not shared, without a token or GitHub link, and names the bot to DM', async () => {
    const alice = await register(server, 'alice');
    const res = await server.api('GET', '/api/v1/users/@me/presence', { token: alice.token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ shared: false, has_token: false, github: null, guild_id: null, url: `/user/${alice.id}`, bot_id: botId(server) });
  });

  it('needs a session: 401 without one, 403 for a bot token', async () => {
    expect((await server.api('GET', '/api/v1/users/@me/presence')).status).toBe(401);
    const made = await server.harmony.core.services.users.createBot({ username: 'presence_probe', createdBy: null });
    const res = await server.api('GET', '/api/v1/users/@me/presence', { token: made.token, scheme: 'Bot' });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ code: 50001, message: 'Bots cannot use this endpoint' });
  });
});

describe('PUT /api/v1/users/@me/presence', () => {
  it('switches sharing on and off; off keeps K/V and token', async () => {
    const bob = await register(server, 'bob');
    const on = await server.api('PUT', '/api/v1/users/@me/presence', { token: bob.token, body: { shared: true } });
    expect(on.status).toBe(200);
    expect(on.body.shared).toBe(true);
    expect((await server.api('GET', `/user/${bob.id}`)).status).toBe(200);
    await server.api('PUT', '/api/v1/users/@me/presence/kv/kept', { token: bob.token, body: { value: 'yes' } });
    const off = await server.api('PUT', '/api/v1/users/@me/presence', { token: bob.token, body: { shared: false } });
    expect(off.body.shared).toBe(false);
    expect((await server.api('GET', `/user/${bob.id}`)).status).toBe(404);
    await server.api('PUT', '/api/v1/users/@me/presence', { token: bob.token, body: { shared: true } });
    expect((await server.api('GET', `/user/${bob.id}`)).body.KV).toEqual({ kept: 'yes' });
  });

  it('rejects a body without a boolean shared with 400', async () => {
    const carol = await register(server, 'carol');
    for (const body of [{}, { shared: 'yes' }, { shared: true, extra: 1 }]) {
      const res = await server.api('PUT', '/api/v1/users/@me/presence', { token: carol.token, body });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe(50035);
    }
  });
});

describe('POST and DELETE /api/v1/users/@me/presence/token', () => {
  it('shows a new token once, opts in, and invalidates the previous token', async () => {
    const dave = await register(server, 'dave');
    const first = await server.api('POST', '/api/v1/users/@me/presence/token', { token: dave.token });
    expect(first.status).toBe(201);
    expect(Object.keys(first.body)).toEqual(['token']);
    expect(first.body.token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    const status = (await server.api('GET', '/api/v1/users/@me/presence', { token: dave.token })).body;
    expect(status.shared).toBe(true);
    expect(status.has_token).toBe(true);
    expect(JSON.stringify(status)).not.toContain(first.body.token);

    const second = await server.api('POST', '/api/v1/users/@me/presence/token', { token: dave.token });
    const write = (token: string) => server.api('PUT', `/user/${dave.id}/kv/k`, { raw: 'v', headers: { authorization: token } });
    expect((await write(first.body.token)).status).toBe(401);
    expect((await write(second.body.token)).status).toBe(204);

    expect((await server.api('DELETE', '/api/v1/users/@me/presence/token', { token: dave.token })).status).toBe(204);
    expect((await write(second.body.token)).status).toBe(401);
    expect((await server.api('GET', '/api/v1/users/@me/presence', { token: dave.token })).body.has_token).toBe(false);
    expect((await server.api('DELETE', '/api/v1/users/@me/presence/token', { token: dave.token })).status).toBe(204);
  });
});

describe('K/V by session: /api/v1/users/@me/presence/kv', () => {
  it('sets, merges, lists (private keys included) and deletes, returning the whole K/V each time', async () => {
    const erin = await register(server, 'erin');
    const put = await server.api('PUT', '/api/v1/users/@me/presence/kv/_note', { token: erin.token, body: { value: 'mine' } });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ _note: 'mine' });
    const patch = await server.api('PATCH', '/api/v1/users/@me/presence/kv', { token: erin.token, body: { a: '1', b: '2' } });
    expect(patch.body).toEqual({ _note: 'mine', a: '1', b: '2' });
    expect((await server.api('DELETE', '/api/v1/users/@me/presence/kv/a', { token: erin.token })).body).toEqual({ _note: 'mine', b: '2' });
    expect((await server.api('GET', '/api/v1/users/@me/presence/kv', { token: erin.token })).body).toEqual({ _note: 'mine', b: '2' });
    // Editing keys does not switch sharing on: the web app has its own switch.
    expect((await server.api('GET', '/api/v1/users/@me/presence', { token: erin.token })).body.shared).toBe(false);
  });

  it('rejects broken rules with 400 50035, the field error named after the rule', async () => {
    const fay = await register(server, 'fay');
    const key = await server.api('PUT', '/api/v1/users/@me/presence/kv/bad-key', { token: fay.token, body: { value: 'x' } });
    expect(key.status).toBe(400);
    expect(key.body).toEqual({
      code: 50035,
      message: 'Invalid Form Body',
      errors: { key: { _errors: [{ code: 'KV_INVALID_KEY', message: 'key must be 1-255 characters of a-z, A-Z, 0-9 and _' }] } },
    });
    const long = await server.api('PUT', '/api/v1/users/@me/presence/kv/k', { token: fay.token, body: { value: 'x'.repeat(30_001) } });
    expect(long.body.errors.value._errors[0].code).toBe('KV_VALUE_TOO_LONG');
    const patch = await server.api('PATCH', '/api/v1/users/@me/presence/kv', { token: fay.token, body: { ok: 'fine', no: 1 } });
    expect(patch.status).toBe(400);
    expect(patch.body.errors._body._errors[0]).toEqual({ code: 'KV_INVALID_VALUE', message: 'value of "no" must be a string' });
    expect((await server.api('GET', '/api/v1/users/@me/presence/kv', { token: fay.token })).body).toEqual({});
    expect((await server.api('PUT', '/api/v1/users/@me/presence/kv/k', { token: fay.token, body: { value: 5 } })).status).toBe(400);
  });
});

describe('GitHub by session: /api/v1/users/@me/presence/github', () => {
  it('links the profile GitHub returns and unlinks it', async () => {
    const gus = await register(server, 'gus');
    const linked = await server.api('PUT', '/api/v1/users/@me/presence/github', { token: gus.token, body: { username: 'octocat' } });
    expect(linked.status).toBe(200);
    expect(linked.body.github).toEqual({
      id: 583231,
      username: 'octocat',
      avatar_url: 'https://avatars.githubusercontent.com/u/583231?v=4',
      url: 'https://github.com/octocat',
      company: '@github',
      blog: 'https://github.blog',
      bio: null,
      public_repos: 8,
    });
    const unlinked = await server.api('DELETE', '/api/v1/users/@me/presence/github', { token: gus.token });
    expect(unlinked.body.github).toBeNull();
  });

  it('answers 400 for an invalid or unknown GitHub username', async () => {
    const hal = await register(server, 'hal');
    const invalid = await server.api('PUT', '/api/v1/users/@me/presence/github', { token: hal.token, body: { username: '-bad-' } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors.username._errors[0].code).toBe('GITHUB_USERNAME_INVALID');
    const unknown = await server.api('PUT', '/api/v1/users/@me/presence/github', { token: hal.token, body: { username: 'nobody-here' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors.username._errors[0]).toEqual({ code: 'GITHUB_USER_NOT_FOUND', message: 'No such GitHub user' });
  });
});

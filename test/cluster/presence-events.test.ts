// Presence writes travel as events (issue 13, item 2): two real nodes sharing Redis (and, as the stand-in for
// PostgreSQL in two-nodes.test.ts, one SQLite folder). What one node stores of a user's presence (sharing, K/V, the
// API token, the GitHub link) and a session's live presence on one node show on the other's public faces, which
// answer from memory: the other node learns of them from the bus only.
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { type ChildServer, call } from '../support/child-server.ts';
import { openGateway } from '../support/gateway-client.ts';
import { type SharedNodes, sharedNodes } from '../support/shared-nodes.ts';

let nodes: SharedNodes;
let github: ReturnType<typeof Bun.serve>;
let a: ChildServer;
let b: ChildServer;
let token = '';
let userId = '';

beforeAll(async () => {
  // GitHub's users API, as far as a link needs it.
  github = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    fetch: (request) => {
      const login = new URL(request.url).pathname.split('/').pop() ?? '';
      return Response.json({ id: 42, login, avatar_url: `https://avatars.example/${login}`, html_url: `https://github.com/${login}`, public_repos: 7 });
    },
  });
  nodes = await sharedNodes('harmony-presence-events-', ['--github-api', `http://127.0.0.1:${github.port}`]);
  a = await nodes.start();
  b = await nodes.start();
  const owner = await call(a.url, 'POST', '/api/v1/auth/register', undefined, { username: 'sharer', password: 'correct horse battery' });
  expect(owner.status).toBe(201);
  token = owner.body.token as string;
  userId = owner.body.user.id as string;
}, 60_000);

afterAll(async () => {
  await nodes?.stop();
  github?.stop(true);
});

/** GET /user/:id on `url`, polled until `check` holds (the other node applies the event a moment later). */
async function seen(url: string, check: (body: any) => boolean, what: string): Promise<any> {
  const deadline = Date.now() + 10_000;
  let last: { status: number; body: any } = { status: 0, body: null };
  while (Date.now() < deadline) {
    last = await call(url, 'GET', `/user/${userId}`);
    if (last.status === 200 && check(last.body)) return last.body;
    await Bun.sleep(50);
  }
  throw new Error(`${what}: last answer ${last.status} ${JSON.stringify(last.body)}`);
}

test('sharing and K/V written on one node show on the other; a key deleted there goes on the first', async () => {
  expect((await call(b.url, 'GET', `/user/${userId}`)).status).toBe(404);
  expect((await call(a.url, 'PUT', '/api/v1/users/@me/presence', token, { shared: true })).status).toBe(200);
  expect((await call(a.url, 'PUT', '/api/v1/users/@me/presence/kv/mood', token, { value: 'sunny' })).status).toBe(200);
  // The writer reads its own write at once.
  expect((await call(a.url, 'GET', `/user/${userId}`)).body.KV).toEqual({ mood: 'sunny' });
  await seen(b.url, (body) => body.KV.mood === 'sunny', 'K/V set on A, read on B');

  expect((await call(b.url, 'DELETE', '/api/v1/users/@me/presence/kv/mood', token)).status).toBe(200);
  expect((await call(b.url, 'GET', `/user/${userId}`)).body.KV).toEqual({});
  await seen(a.url, (body) => !('mood' in body.KV), 'K/V deleted on B, read on A');
}, 30_000);

test('an API token issued on one node works on the other, and stops working there once revoked', async () => {
  const issued = await call(a.url, 'POST', '/api/v1/users/@me/presence/token', token);
  expect(issued.status).toBe(201);
  const apiToken = issued.body.token as string;
  const put = async (url: string) =>
    (
      await fetch(`${url}/user/${userId}/kv/weather`, {
        method: 'PUT',
        headers: { authorization: apiToken, 'content-type': 'text/plain' },
        body: 'rain',
      })
    ).status;
  let status = 0;
  for (const deadline = Date.now() + 10_000; Date.now() < deadline && status !== 204; await Bun.sleep(50)) status = await put(b.url);
  expect(status).toBe(204);
  await seen(a.url, (body) => body.KV.weather === 'rain', 'K/V set with the token on B, read on A');

  expect((await call(a.url, 'DELETE', '/api/v1/users/@me/presence/token', token)).status).toBeLessThan(300);
  for (const deadline = Date.now() + 10_000; Date.now() < deadline && status === 204; await Bun.sleep(50)) status = await put(b.url);
  expect(status).toBe(401);
}, 30_000);

test('a GitHub link made on one node shows on the other; unlinked there, it goes on the first', async () => {
  expect((await call(a.url, 'PUT', '/api/v1/users/@me/presence/github', token, { username: 'octo' })).status).toBe(200);
  const body = await seen(b.url, (body) => body.github?.username === 'octo', 'GitHub linked on A, read on B');
  expect(body.github).toEqual({
    id: 42,
    username: 'octo',
    avatar_url: 'https://avatars.example/octo',
    url: 'https://github.com/octo',
    company: null,
    blog: null,
    bio: null,
    public_repos: 7,
  });
  expect((await call(b.url, 'DELETE', '/api/v1/users/@me/presence/github', token)).status).toBeLessThan(300);
  await seen(a.url, (body) => body.github === null, 'GitHub unlinked on B, read on A');
}, 30_000);

test('a session’s presence on one node shows on the other node’s public face, and goes offline there when it closes', async () => {
  const session = await openGateway(a.url);
  await session.identify(token);
  await seen(b.url, (body) => body.presence.status === 'online', 'online on A, read on B');
  session.send({ op: 3, d: { status: 'dnd', activities: [] } });
  await seen(b.url, (body) => body.presence.status === 'dnd', 'dnd on A, read on B');
  session.close();
  await seen(b.url, (body) => body.presence.status === 'offline', 'closed on A, read on B');
}, 30_000);

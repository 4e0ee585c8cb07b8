// Public presence reads answered from ready bytes: a strong ETag stable across reads, 304 on If-None-Match
// (bodyless, every header kept), a new ETag and body after each change of presence, K/V or GitHub link (also
// as seen through the Lanyard socket), no store call per read, and a cache that only holds people who opted in.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { type ReadyAnswer, ReadyAnswers, readyAnswer } from '../../../src/dialects/presence/ready-answers.ts';
import { type Account, isUpdate, SocketClient } from '../../support/presence.ts';
import { watchRepositoryCalls } from '../../support/repository-calls.ts';
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
let alice: Account & { apiToken: string };
let nobody: Account;
const ETAG = /^"[A-Za-z0-9_-]{27}"$/;

async function optIn(name: string) {
  const account = await register(server, name);
  const res = await server.api('POST', '/api/v1/users/@me/presence/token', { token: account.token });
  expect(res.status).toBe(201);
  return { ...account, apiToken: res.body.token as string };
}

// Rate limits on (with room for every read here), so the 304 is seen to keep the X-RateLimit-* headers.
beforeAll(async () => {
  server = await startServer({ presenceRateLimit: 100_000, presenceRateBurst: 100_000, githubApi: `http://127.0.0.1:${github.port}` });
  alice = await optIn('alice');
  nobody = await register(server, 'nobody');
});

afterAll(async () => {
  await server.stop();
  github.stop(true);
});

const faces = () => [
  { path: `/user/${alice.id}`, type: 'application/json', cache: 'no-cache' },
  { path: `/v1/users/${alice.id}`, type: 'application/json', cache: 'no-cache' },
  { path: `/user/${alice.id}/card.svg`, type: 'image/svg+xml; charset=utf-8', cache: 'public, max-age=5' },
  { path: `/user/${alice.id}/card.svg?theme=light`, type: 'image/svg+xml; charset=utf-8', cache: 'public, max-age=5' },
];

async function read(path: string, headers: Record<string, string> = {}) {
  const res = await fetch(server.url + path, { headers });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** Reads every face once: path → {etag, text}. */
async function readAll() {
  const out = new Map<string, { etag: string; text: string }>();
  for (const { path } of faces()) {
    const res = await read(path);
    expect(res.status).toBe(200);
    out.set(path, { etag: res.headers.get('etag') ?? '', text: res.text });
  }
  return out;
}

function expectAllChanged(before: Map<string, { etag: string; text: string }>, after: Map<string, { etag: string; text: string }>, paths: string[]) {
  for (const path of paths) {
    expect(after.get(path)?.etag).not.toBe(before.get(path)?.etag);
    expect(after.get(path)?.text).not.toBe(before.get(path)?.text);
  }
}

describe('ETag and If-None-Match on the public presence reads', () => {
  it('sends a strong ETag, the same one (and the same bytes) on every read while nothing changes', async () => {
    for (const { path, type, cache } of faces()) {
      const first = await read(path);
      const second = await read(path);
      expect(first.status).toBe(200);
      expect(first.headers.get('etag')).toMatch(ETAG);
      expect(second.headers.get('etag')).toBe(first.headers.get('etag'));
      expect(second.text).toBe(first.text);
      expect(first.headers.get('content-type')).toBe(type);
      expect(first.headers.get('cache-control')).toBe(cache);
      expect(first.headers.get('access-control-allow-origin')).toBe('*');
      expect(first.headers.get('x-ratelimit-limit')).not.toBeNull();
    }
  });

  it('answers a matching If-None-Match with a bodyless 304 that keeps the ETag, Cache-Control, CORS and rate-limit headers', async () => {
    for (const { path, cache } of faces()) {
      const { headers } = await read(path);
      const etag = headers.get('etag') as string;
      for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
        const res = await read(path, { 'if-none-match': ifNoneMatch });
        expect(res.status).toBe(304);
        expect(res.text).toBe('');
        expect(res.headers.get('etag')).toBe(etag);
        expect(res.headers.get('cache-control')).toBe(cache);
        expect(res.headers.get('access-control-allow-origin')).toBe('*');
        expect(res.headers.get('access-control-expose-headers')).toContain('X-RateLimit-Remaining');
        expect(res.headers.get('x-ratelimit-remaining')).not.toBeNull();
      }
      const stale = await read(path, { 'if-none-match': '"not-this-one"' });
      expect(stale.status).toBe(200);
      expect(stale.headers.get('etag')).toBe(etag);
      expect(stale.text.length).toBeGreaterThan(0);
    }
  });

  it("gives the owner's own read (private keys) its own ETag and 304, never the public answer", async () => {
    await server.api('PUT', `/user/${alice.id}/kv/_secret`, { raw: 'x', headers: { authorization: alice.apiToken } });
    for (const path of [`/user/${alice.id}`, `/v1/users/${alice.id}`]) {
      const open = await read(path);
      const own = await read(path, { authorization: alice.apiToken });
      expect(own.status).toBe(200);
      expect(own.text).toContain('_secret');
      expect(open.text).not.toContain('_secret');
      expect(own.headers.get('etag')).toMatch(ETAG);
      expect(own.headers.get('etag')).not.toBe(open.headers.get('etag'));
      const again = await read(path, { authorization: alice.apiToken, 'if-none-match': own.headers.get('etag') as string });
      expect(again.status).toBe(304);
      // The public ETag does not validate the private answer.
      expect((await read(path, { authorization: alice.apiToken, 'if-none-match': open.headers.get('etag') as string })).status).toBe(200);
    }
    await server.api('DELETE', `/user/${alice.id}/kv/_secret`, { headers: { authorization: alice.apiToken } });
  });

  it('keeps 404 for people who do not share, without an ETag', async () => {
    for (const path of [`/user/${nobody.id}`, `/v1/users/${nobody.id}`, `/user/${nobody.id}/card.svg`, '/user/1']) {
      const res = await read(path, { 'if-none-match': '*' });
      expect(res.status).toBe(404);
      expect(res.headers.get('etag')).toBeNull();
      expect(JSON.stringify(JSON.parse(res.text))).toContain('user_not_monitored');
    }
  });
});

describe('behind a proxy that forwards the public path prefix (the Elysia route, not the native one)', () => {
  it('answers /harmony/user/:id with the same bytes, ETag and 304', async () => {
    const proxied = await startServer({ rateLimits: false, publicUrl: 'https://chat.example.com/harmony' });
    try {
      const carol = await register(proxied, 'carol');
      expect((await proxied.api('POST', '/api/v1/users/@me/presence/token', { token: carol.token })).status).toBe(201);
      const direct = await fetch(`${proxied.url}/user/${carol.id}`);
      const viaPrefix = await fetch(`${proxied.url}/harmony/user/${carol.id}`);
      expect(viaPrefix.status).toBe(200);
      expect(await viaPrefix.text()).toBe(await direct.text());
      const etag = viaPrefix.headers.get('etag') as string;
      expect(etag).toBe(direct.headers.get('etag') as string);
      expect(viaPrefix.headers.get('cache-control')).toBe('no-cache');
      expect(viaPrefix.headers.get('content-type')).toBe('application/json');
      const again = await fetch(`${proxied.url}/harmony/user/${carol.id}`, { headers: { 'if-none-match': etag } });
      expect(again.status).toBe(304);
      expect(await again.text()).toBe('');
      expect(again.headers.get('etag')).toBe(etag);
      expect(again.headers.get('access-control-allow-origin')).toBe('*');
    } finally {
      await proxied.stop();
    }
  });
});

describe('a change makes a new answer', () => {
  it('a presence change: new ETag and body on every face, and the old ETag gets a 200', async () => {
    const before = await readAll();
    server.harmony.core.services.presence.setExternal(alice.id, 'test', 'desktop', { status: 'dnd', activities: [], afk: false, since: null });
    const after = await readAll();
    expectAllChanged(before, after, [...before.keys()]);
    const path = `/user/${alice.id}`;
    const res = await read(path, { 'if-none-match': before.get(path)?.etag as string });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text).presence.status).toBe('dnd');
  });

  it('a K/V write: new ETag and body on both JSON faces', async () => {
    const before = await readAll();
    expect((await server.api('PUT', `/user/${alice.id}/kv/site`, { raw: 'alice.dev', headers: { authorization: alice.apiToken } })).status).toBe(204);
    const after = await readAll();
    expectAllChanged(before, after, [`/user/${alice.id}`, `/v1/users/${alice.id}`]);
    expect(JSON.parse(after.get(`/user/${alice.id}`)?.text as string).KV).toEqual({ site: 'alice.dev' });
  });

  it('a GitHub link and unlink: new ETag and body each time', async () => {
    const before = await readAll();
    const linked = await server.api('PUT', '/api/v1/users/@me/presence/github', { token: alice.token, body: { username: 'octocat' } });
    expect(linked.status).toBe(200);
    const after = await readAll();
    expectAllChanged(before, after, [`/user/${alice.id}`]);
    expect(JSON.parse(after.get(`/user/${alice.id}`)?.text as string).github.username).toBe('octocat');
    expect((await server.api('DELETE', '/api/v1/users/@me/presence/github', { token: alice.token })).status).toBe(200);
    const unlinked = await readAll();
    expectAllChanged(after, unlinked, [`/user/${alice.id}`]);
    expect(JSON.parse(unlinked.get(`/user/${alice.id}`)?.text as string).github).toBeNull();
  });

  it('through the Lanyard socket: the REST answer after a PRESENCE_UPDATE is that update, under a new ETag', async () => {
    const socket = new SocketClient(server, '');
    try {
      socket.send({ op: 2, d: { subscribe_to_id: alice.id } });
      await socket.next((f) => f.op === 0 && f.t === 'INIT_STATE');
      const before = await read(`/v1/users/${alice.id}`);
      await server.api('PUT', `/v1/users/${alice.id}/kv/mood`, { raw: 'sunny', headers: { authorization: alice.apiToken } });
      const update = await socket.next(isUpdate(alice.id));
      expect(update.d.kv.mood).toBe('sunny');
      const after = await read(`/v1/users/${alice.id}`);
      expect(after.headers.get('etag')).not.toBe(before.headers.get('etag'));
      expect(JSON.parse(after.text)).toEqual({ success: true, data: update.d });
      expect((await read(`/v1/users/${alice.id}`, { 'if-none-match': before.headers.get('etag') as string })).status).toBe(200);
    } finally {
      socket.close();
    }
  });
});

describe('no store call per read', () => {
  it('serves every face, 200 and 304, without calling any store once the answers are ready', async () => {
    // Some avatar bytes, so the card's build reads the images store and the file store.
    const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
    const avatar = await server.api('PATCH', '/api/v1/users/@me', { token: alice.token, body: { avatar: `data:image/png;base64,${png}` } });
    expect(avatar.status).toBe(200);
    const warm = await readAll();
    expect(warm.get(`/user/${alice.id}/card.svg`)?.text).toContain('data:image/png;base64,');

    // Every method of every store counts its calls from here on.
    let calls = 0;
    const stopWatching = watchRepositoryCalls(server, () => {
      calls += 1;
    });
    try {
      for (let i = 0; i < 25; i++) {
        for (const { path } of faces()) {
          const res = await read(path);
          expect(res.status).toBe(200);
          expect(res.text).toBe(warm.get(path)?.text as string);
          expect((await read(path, { 'if-none-match': warm.get(path)?.etag as string })).status).toBe(304);
        }
      }
      expect(calls).toBe(0);
      // The counter sees store calls: a K/V write goes through the presence store.
      await server.api('PUT', `/user/${alice.id}/kv/counted`, { raw: 'yes', headers: { authorization: alice.apiToken } });
      expect(calls).toBeGreaterThan(0);
    } finally {
      stopWatching();
    }
  });
});

describe('ReadyAnswers (the cache itself)', () => {
  function source() {
    const versions = new Map<string, number>();
    const listeners = new Set<(id: string) => void>();
    return {
      versions,
      change(id: string) {
        versions.set(id, (versions.get(id) ?? 0) + 1);
        for (const l of listeners) l(id);
      },
      version: (id: string) => versions.get(id) ?? 0,
      onChange(listener: (id: string) => void) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    };
  }

  it('builds once per (user, face) and version, rebuilds after a change, keeps nothing for unknown users', () => {
    const s = source();
    const cache = new ReadyAnswers<ReadyAnswer>(s);
    let builds = 0;
    const build = (text: string | null) => () => {
      builds += 1;
      return text === null ? null : readyAnswer(text);
    };
    const first = cache.get('1', 'seed', build('a'));
    for (let i = 0; i < 100; i++) expect(cache.get('1', 'seed', build('a'))).toBe(first);
    expect(builds).toBe(1);
    cache.get('1', 'lanyard', build('b'));
    expect(builds).toBe(2);
    s.change('1');
    const second = cache.get('1', 'seed', build('c'));
    expect(builds).toBe(3);
    expect(second?.etag).not.toBe(first?.etag);
    // Only the version moved (no announcement): the version check alone drops the old answer.
    s.versions.set('1', 99);
    expect(cache.get('1', 'seed', build('d'))).not.toBe(second);
    expect(builds).toBe(4);
    for (let i = 0; i < 1000; i++) expect(cache.get(String(1000 + i), 'seed', build(null))).toBeNull();
    expect(cache.size).toBe(1);
    cache.stop();
    expect(cache.size).toBe(0);
  });

  it('gives equal bytes equal ETags and different bytes different ones', () => {
    expect(readyAnswer('{"a":1}').etag).toBe(readyAnswer(new TextEncoder().encode('{"a":1}')).etag);
    expect(readyAnswer('{"a":1}').etag).not.toBe(readyAnswer('{"a":2}').etag);
  });
});

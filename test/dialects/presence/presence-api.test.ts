// The seed's presence face, black box: GET /user/:id and the K/V REST with the user's API token.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { ActivityType } from 'discord-api-types/v10';
import type { PresenceUpdate } from '../../../src/domain/presence/activity.ts';
import { type Account, movableClock } from '../../support/presence.ts';
import { register, startServer, type TestServer } from '../../support/test-server.ts';

let server: TestServer;
let alice: Account & { apiToken: string };
let bob: Account & { apiToken: string };
let nobody: Account;

/** Opts a person in through the web app's route, which also makes their API token. */
async function optIn(s: TestServer, name: string) {
  const account = await register(s, name);
  const res = await s.api('POST', '/api/v1/users/@me/presence/token', { token: account.token });
  expect(res.status).toBe(201);
  return { ...account, apiToken: res.body.token as string };
}

function setPresence(s: TestServer, userId: string, update: PresenceUpdate) {
  s.harmony.core.services.presence.setExternal(userId, 'test', 'desktop', update);
}

const NOT_MONITORED = { code: 'user_not_monitored', message: 'User is not being monitored: they have not opted in to the presence API' };

beforeAll(async () => {
  server = await startServer({ rateLimits: false });
  alice = await optIn(server, 'alice');
  bob = await optIn(server, 'bob');
  nobody = await register(server, 'nobody');
});

afterAll(() => server.stop());

describe('GET /user/:id', () => {
  it("returns exactly the seed's shape, with open CORS and Cache-Control: no-cache", async () => {
    const res = await server.api('GET', `/user/${alice.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      presence: { userId: alice.id, status: 'offline', global_name: null, server_name: null, avatar: null, spotifyActivity: null },
      KV: {},
      github: null,
    });
    expect(res.headers.get('content-type')).toStartWith('application/json');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('shows the live status and the Spotify song as spotifyActivity, and follows every change', async () => {
    setPresence(server, alice.id, {
      status: 'dnd',
      afk: false,
      since: null,
      activities: [
        {
          name: 'Spotify',
          type: ActivityType.Listening,
          created_at: 1700000000000,
          details: 'Blue in Green',
          state: 'Miles Davis',
          sync_id: '0aWMVrwxPNYkKmFthzmpRi',
          timestamps: { start: 1700000000000, end: 1700000337000 },
          assets: { large_image: 'spotify:ab67616d0000b273', large_text: 'Kind of Blue' },
          party: { id: 'spotify:1' },
        },
      ],
    });
    const res = await server.api('GET', `/user/${alice.id}`);
    expect(res.body.presence).toEqual({
      userId: alice.id,
      status: 'dnd',
      global_name: null,
      server_name: null,
      avatar: null,
      spotifyActivity: {
        name: 'Spotify',
        type: 2,
        song: 'Blue in Green',
        artist: 'Miles Davis',
        applicationId: null,
        timestamps: { start: 1700000000000, end: 1700000337000 },
        party: { id: 'spotify:1' },
        syncId: '0aWMVrwxPNYkKmFthzmpRi',
        assets: { largeText: 'Kind of Blue', largeImage: 'ab67616d0000b273' },
        flags: 0,
        createdTimestamp: 1700000000000,
      },
    });
    setPresence(server, alice.id, { status: 'invisible', activities: [], afk: false, since: null });
    expect((await server.api('GET', `/user/${alice.id}`)).body.presence.status).toBe('offline');
    setPresence(server, alice.id, { status: 'idle', activities: [], afk: true, since: null });
    expect((await server.api('GET', `/user/${alice.id}`)).body.presence.status).toBe('idle');
    server.harmony.core.services.presence.setExternal(alice.id, 'test', 'desktop', null);
    expect((await server.api('GET', `/user/${alice.id}`)).body.presence.status).toBe('offline');
  });

  it('answers 404 user_not_monitored for someone who never opted in, and for an unknown id', async () => {
    for (const id of [nobody.id, '123456789012345678']) {
      const res = await server.api('GET', `/user/${id}`);
      expect(res.status).toBe(404);
      expect(res.body).toEqual(NOT_MONITORED);
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
    }
  });

  it("shows private (_) keys only with that user's own API token, raw or Bearer", async () => {
    await server.api('PATCH', `/user/${bob.id}/kv`, { body: { shown: 'yes', _hidden: 'psst' }, headers: { authorization: bob.apiToken } });
    expect((await server.api('GET', `/user/${bob.id}`)).body.KV).toEqual({ shown: 'yes' });
    expect((await server.api('GET', `/user/${bob.id}`, { headers: { authorization: bob.apiToken } })).body.KV).toEqual({ shown: 'yes', _hidden: 'psst' });
    expect((await server.api('GET', `/user/${bob.id}`, { token: bob.apiToken })).body.KV).toEqual({ shown: 'yes', _hidden: 'psst' });
    // Another user's valid token reads the public view; it never unlocks someone else's private keys.
    expect((await server.api('GET', `/user/${bob.id}`, { headers: { authorization: alice.apiToken } })).body.KV).toEqual({ shown: 'yes' });
  });

  it('rejects an unknown token with 401 instead of silently ignoring it', async () => {
    const res = await server.api('GET', `/user/${bob.id}`, { headers: { authorization: 'not-a-real-token-at-all' } });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ code: 'invalid_api_key', message: 'The API token is missing, malformed or revoked' });
  });

  it('rejects an id that is not a snowflake with 400', async () => {
    for (const id of ['abc', '-1', '1'.repeat(21), '@me']) {
      const res = await server.api('GET', `/user/${encodeURIComponent(id)}`);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('invalid_request');
      expect(res.body.message).toStartWith('id: ');
    }
  });

  it('answers a CORS preflight with 204 and the allowed methods and headers', async () => {
    const res = await server.api('OPTIONS', `/user/${alice.id}/kv/x`, {
      headers: { origin: 'https://example.com', 'access-control-request-method': 'PUT', 'access-control-request-headers': 'authorization' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-methods')).toBe('GET, PUT, PATCH, DELETE, OPTIONS');
    expect(res.headers.get('access-control-allow-headers')).toBe('Authorization, Content-Type');
  });

  it('answers unknown routes under /user with 404 not_found in its own shape', async () => {
    const res = await server.api('GET', `/user/${alice.id}/nothing`);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ code: 'not_found', message: 'Route does not exist' });
    expect((await server.api('POST', `/user/${alice.id}`)).status).toBe(404);
  });
});

describe('GET /user/:id/kv', () => {
  it("lists public keys for everyone and private keys too with the owner's token", async () => {
    const carol = await optIn(server, 'carol');
    await server.api('PATCH', `/user/${carol.id}/kv`, { body: { a: '1', _b: '2' }, headers: { authorization: carol.apiToken } });
    const open = await server.api('GET', `/user/${carol.id}/kv`);
    expect(open.status).toBe(200);
    expect(open.body).toEqual({ a: '1' });
    expect(open.headers.get('cache-control')).toBe('no-store');
    expect((await server.api('GET', `/user/${carol.id}/kv`, { headers: { authorization: carol.apiToken } })).body).toEqual({ a: '1', _b: '2' });
    expect((await server.api('GET', `/user/${nobody.id}/kv`)).body).toEqual(NOT_MONITORED);
  });
});

describe('PUT /user/:id/kv/:key', () => {
  it('stores a raw text body as it is, whitespace and newlines included', async () => {
    const res = await server.api('PUT', `/user/${alice.id}/kv/note`, { raw: '  two\nlines ', headers: { authorization: alice.apiToken } });
    expect(res.status).toBe(204);
    expect(res.body).toBeNull();
    expect((await server.api('GET', `/user/${alice.id}/kv`)).body.note).toBe('  two\nlines ');
  });

  it('stores the value of a JSON {value} body sent as application/json', async () => {
    const res = await server.api('PUT', `/user/${alice.id}/kv/json_key`, { body: { value: '{"not":"parsed"}' }, headers: { authorization: alice.apiToken } });
    expect(res.status).toBe(204);
    expect((await server.api('GET', `/user/${alice.id}/kv`)).body.json_key).toBe('{"not":"parsed"}');
  });

  it('counts characters, not UTF-16 units: 30 000 emoji fit, 30 001 do not', async () => {
    const put = (value: string) =>
      server.api('PUT', `/user/${alice.id}/kv/emoji`, { raw: value, headers: { authorization: alice.apiToken, 'content-type': 'text/plain; charset=utf-8' } });
    expect((await put('😀'.repeat(30_000))).status).toBe(204);
    const res = await put('😀'.repeat(30_001));
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ code: 'value_too_long', message: 'value of "emoji" must be at most 30000 characters (value_too_long)' });
  });

  it('rejects bad input with 400 naming the rule', async () => {
    const auth = { authorization: alice.apiToken };
    const cases: [string, Parameters<TestServer['api']>[2], string][] = [
      ['bad-key', { raw: 'v', headers: auth }, 'invalid_key'],
      ['k'.repeat(256), { raw: 'v', headers: auth }, 'invalid_key'],
      ['ok', { body: { value: 5 }, headers: auth }, 'invalid_value'],
      ['ok', { body: { other: 'x' }, headers: auth }, 'invalid_value'],
      ['ok', { body: ['x'], headers: auth }, 'invalid_value'],
      ['ok', { raw: '{"value":', headers: { ...auth, 'content-type': 'application/json' } }, 'invalid_json'],
      ['ok', { raw: 'x'.repeat(30_001), headers: auth }, 'value_too_long'],
    ];
    for (const [key, options, code] of cases) {
      const res = await server.api('PUT', `/user/${alice.id}/kv/${encodeURIComponent(key)}`, options);
      expect({ key: key.slice(0, 10), status: res.status, code: res.body.code }).toEqual({ key: key.slice(0, 10), status: 400, code });
    }
    expect(Object.keys((await server.api('GET', `/user/${alice.id}/kv`, { headers: auth })).body)).not.toContain('ok');
  });

  it('refuses the 513th key with too_many_keys, but lets existing keys change at the limit', async () => {
    const dan = await optIn(server, 'dan');
    const many = Object.fromEntries(Array.from({ length: 512 }, (_, i) => [`k${i}`, String(i)]));
    expect((await server.api('PATCH', `/user/${dan.id}/kv`, { body: many, headers: { authorization: dan.apiToken } })).status).toBe(204);
    const over = await server.api('PUT', `/user/${dan.id}/kv/one_more`, { raw: 'x', headers: { authorization: dan.apiToken } });
    expect(over.status).toBe(400);
    expect(over.body.code).toBe('too_many_keys');
    expect((await server.api('PUT', `/user/${dan.id}/kv/k0`, { raw: 'changed', headers: { authorization: dan.apiToken } })).status).toBe(204);
  });

  it("answers 401 without a token or with a wrong one, 403 for another user's id, 404 once the owner stopped sharing", async () => {
    const none = await server.api('PUT', `/user/${alice.id}/kv/x`, { raw: 'v' });
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ code: 'invalid_api_key', message: 'This endpoint needs your API token: Authorization: <token>' });
    expect((await server.api('PUT', `/user/${alice.id}/kv/x`, { raw: 'v', headers: { authorization: 'Bearer wrongwrongwrongwrong' } })).status).toBe(401);
    const other = await server.api('PUT', `/user/${alice.id}/kv/x`, { raw: 'v', headers: { authorization: bob.apiToken } });
    expect(other.status).toBe(403);
    expect(other.body).toEqual({ code: 'forbidden', message: "This API token cannot change another user's K/V" });

    const erin = await optIn(server, 'erin');
    await server.api('PUT', '/api/v1/users/@me/presence', { token: erin.token, body: { shared: false } });
    const hidden = await server.api('PUT', `/user/${erin.id}/kv/x`, { raw: 'v', headers: { authorization: erin.apiToken } });
    expect(hidden.status).toBe(404);
    expect(hidden.body).toEqual(NOT_MONITORED);
  });
});

describe('PATCH /user/:id/kv', () => {
  it('merges a flat object, keeping keys it does not name', async () => {
    const fay = await optIn(server, 'fay');
    const auth = { authorization: fay.apiToken };
    await server.api('PUT', `/user/${fay.id}/kv/keep`, { raw: 'kept', headers: auth });
    const res = await server.api('PATCH', `/user/${fay.id}/kv`, { body: { a: '1', keep: 'changed', b: '2' }, headers: auth });
    expect(res.status).toBe(204);
    expect((await server.api('GET', `/user/${fay.id}/kv`)).body).toEqual({ keep: 'changed', a: '1', b: '2' });
  });

  it('is all-or-nothing: one broken rule refuses the whole patch', async () => {
    const gus = await optIn(server, 'gus');
    const auth = { authorization: gus.apiToken };
    const res = await server.api('PATCH', `/user/${gus.id}/kv`, { body: { good: 'yes', bad: 42 }, headers: auth });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ code: 'invalid_value', message: 'value of "bad" must be a string (invalid_value)' });
    expect((await server.api('GET', `/user/${gus.id}/kv`)).body).toEqual({});
  });

  it('rejects a body that is not a JSON object', async () => {
    const auth = { authorization: alice.apiToken };
    const notObject = await server.api('PATCH', `/user/${alice.id}/kv`, { body: ['a'], headers: auth });
    expect(notObject.status).toBe(400);
    expect(notObject.body.code).toBe('invalid_patch');
    const notJson = await server.api('PATCH', `/user/${alice.id}/kv`, { raw: 'a=1', headers: auth });
    expect(notJson.status).toBe(400);
    expect(notJson.body).toEqual({ code: 'invalid_json', message: 'The request body is not valid JSON' });
    expect((await server.api('PATCH', `/user/${alice.id}/kv`, { body: { a: '1' } })).status).toBe(401);
    expect((await server.api('PATCH', `/user/${alice.id}/kv`, { body: { a: '1' }, headers: { authorization: bob.apiToken } })).status).toBe(403);
  });
});

describe('DELETE /user/:id/kv/:key', () => {
  it('deletes a key with 204, and answers 204 again for a key that is gone', async () => {
    const auth = { authorization: alice.apiToken };
    await server.api('PUT', `/user/${alice.id}/kv/temp`, { raw: 'x', headers: auth });
    expect((await server.api('DELETE', `/user/${alice.id}/kv/temp`, { headers: auth })).status).toBe(204);
    expect((await server.api('GET', `/user/${alice.id}/kv`)).body.temp).toBeUndefined();
    expect((await server.api('DELETE', `/user/${alice.id}/kv/temp`, { headers: auth })).status).toBe(204);
  });

  it("rejects a bad key, a missing or wrong token and another user's id", async () => {
    const auth = { authorization: alice.apiToken };
    const bad = await server.api('DELETE', `/user/${alice.id}/kv/no%20spaces`, { headers: auth });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('invalid_key');
    expect((await server.api('DELETE', `/user/${alice.id}/kv/x`)).status).toBe(401);
    expect((await server.api('DELETE', `/user/${alice.id}/kv/x`, { headers: { authorization: bob.apiToken } })).status).toBe(403);
  });
});

describe('rate limits on the presence faces', () => {
  it('allows 3 requests a second per address, then 429 with the bot API headers', async () => {
    const clock = movableClock();
    const limited = await startServer({ presenceRateBurst: 3, presenceRateLimit: 5 }, clock);
    try {
      const user = await optIn(limited, 'zed');
      const statuses: number[] = [];
      let last: Awaited<ReturnType<TestServer['api']>> | null = null;
      for (let i = 0; i < 4; i++) {
        last = await limited.api('GET', `/user/${user.id}`);
        statuses.push(last.status);
      }
      expect(statuses).toEqual([200, 200, 200, 429]);
      expect(last?.body).toEqual({ code: 'rate_limited', message: 'You are being rate limited.', retry_after: expect.any(Number) });
      expect(last?.headers.get('x-ratelimit-limit')).toBe('3');
      expect(last?.headers.get('x-ratelimit-remaining')).toBe('0');
      expect(Number(last?.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(Number(last?.headers.get('retry-after'))).toBeLessThanOrEqual(1);
      expect(last?.headers.get('x-ratelimit-bucket')).toMatch(/^[0-9a-f]{8}$/);
      expect(last?.headers.get('access-control-allow-origin')).toBe('*');

      // A second later the burst allows more, until the per-minute budget (5 here) runs out.
      clock.advance(1001);
      const ok = await limited.api('GET', `/user/${user.id}/card.svg`);
      expect(ok.status).toBe(200);
      expect(ok.headers.get('x-ratelimit-limit')).toBe('5');
      expect(ok.headers.get('x-ratelimit-remaining')).toBe('1');
      expect(Number(ok.headers.get('x-ratelimit-reset-after'))).toBeGreaterThan(55);
      expect((await limited.api('GET', `/v1/users/${user.id}`)).status).toBe(200);
      const out = await limited.api('GET', `/v1/users/${user.id}`);
      expect(out.status).toBe(429);
      expect(out.body).toEqual({ success: false, error: { code: 'rate_limited', message: 'You are being rate limited.' }, retry_after: expect.any(Number) });
      expect(out.headers.get('x-ratelimit-limit')).toBe('5');
    } finally {
      await limited.stop();
    }
  });
});

describe('OpenAPI', () => {
  it('documents every presence route with a tag and a summary', async () => {
    const spec = (await server.api('GET', '/docs/json')).body;
    const routes: [string, string][] = [
      ['/user/{id}', 'get'],
      ['/user/{id}/card.svg', 'get'],
      ['/user/{id}/kv', 'get'],
      ['/user/{id}/kv', 'patch'],
      ['/user/{id}/kv/{key}', 'put'],
      ['/user/{id}/kv/{key}', 'delete'],
      ['/v1/users/@me', 'get'],
      ['/v1/users/{id}', 'get'],
      ['/v1/users/{id}/kv', 'patch'],
      ['/v1/users/{id}/kv/{key}', 'put'],
      ['/v1/users/{id}/kv/{key}', 'delete'],
      ['/api/v1/users/@me/presence', 'get'],
      ['/api/v1/users/@me/presence', 'put'],
      ['/api/v1/users/@me/presence/token', 'post'],
      ['/api/v1/users/@me/presence/token', 'delete'],
      ['/api/v1/users/@me/presence/kv', 'get'],
      ['/api/v1/users/@me/presence/kv', 'patch'],
      ['/api/v1/users/@me/presence/kv/{key}', 'put'],
      ['/api/v1/users/@me/presence/kv/{key}', 'delete'],
      ['/api/v1/users/@me/presence/github', 'put'],
      ['/api/v1/users/@me/presence/github', 'delete'],
    ];
    for (const [path, method] of routes) {
      const operation = spec.paths[path]?.[method];
      expect({ path, method, tags: operation?.tags?.length > 0, summary: typeof operation?.summary }).toEqual({ path, method, tags: true, summary: 'string' });
    }
    expect(spec.components.securitySchemes.presenceToken).toEqual({
      type: 'apiKey',
      in: 'header',
      name: 'Authorization',
      description: 'A presence API token (from the .token command): raw, or Bearer <token>',
    });
  });
});

// The Lanyard-compatible REST face, black box: /v1/users/:id, /v1/users/@me and the K/V routes, with
// Lanyard's {success, data} and {success: false, error} envelopes.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { ActivityType } from 'discord-api-types/v10';
import { dataUri, png } from '../../support/images.ts';
import type { Account } from '../../support/presence.ts';
import { register, startServer, type TestServer } from '../../support/test-server.ts';

let server: TestServer;
let alice: Account & { apiToken: string };
let bob: Account & { apiToken: string };

async function optIn(name: string) {
  const account = await register(server, name);
  const res = await server.api('POST', '/api/v1/users/@me/presence/token', { token: account.token });
  return { ...account, apiToken: res.body.token as string };
}

const NOT_MONITORED = {
  success: false,
  error: { code: 'user_not_monitored', message: 'User is not being monitored: they have not opted in to the presence API' },
};

beforeAll(async () => {
  server = await startServer({ rateLimits: false });
  alice = await optIn('alice');
  bob = await optIn('bob');
});

afterAll(() => server.stop());

describe('GET /v1/users/:id', () => {
  it("answers Lanyard's presence object in a success envelope", async () => {
    await server.api('PATCH', '/api/v1/users/@me', { token: alice.token, body: { global_name: 'Alice A.', avatar: dataUri(png(2, 2), 'image/png') } });
    const avatar = (await server.harmony.core.uow.repos.users.byId(alice.id))?.avatar;
    expect(avatar).toMatch(/^[0-9a-f]{32}$/);
    await server.api('PATCH', `/v1/users/${alice.id}/kv`, { body: { site: 'alice.dev', _private: 'x' }, headers: { authorization: alice.apiToken } });
    const spotify = {
      name: 'Spotify',
      type: ActivityType.Listening,
      created_at: 1700000000000,
      details: 'So What',
      state: 'Miles Davis',
      sync_id: 'track123',
      timestamps: { start: 1700000000000, end: 1700000545000 },
      assets: { large_image: 'spotify:ab67616d0000b273', large_text: 'Kind of Blue' },
    };
    server.harmony.core.services.presence.setExternal(alice.id, 'test', 'mobile', { status: 'online', activities: [spotify], afk: false, since: null });

    const res = await server.api('GET', `/v1/users/${alice.id}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.body).toEqual({
      success: true,
      data: {
        discord_user: {
          id: alice.id,
          username: 'alice',
          global_name: 'Alice A.',
          display_name: 'Alice A.',
          // Lanyard's avatar is the image hash, as Discord's: clients build the CDN URL from it.
          avatar,
          discriminator: '0',
          public_flags: 0,
          bot: false,
        },
        discord_status: 'online',
        activities: [spotify],
        spotify: {
          track_id: 'track123',
          timestamps: { start: 1700000000000, end: 1700000545000 },
          album: 'Kind of Blue',
          album_art_url: 'https://i.scdn.co/image/ab67616d0000b273',
          artist: 'Miles Davis',
          song: 'So What',
        },
        listening_to_spotify: true,
        kv: { site: 'alice.dev' },
        active_on_discord_web: false,
        active_on_discord_desktop: false,
        active_on_discord_mobile: true,
        last_seen: expect.any(Number),
      },
    });
    server.harmony.core.services.presence.setExternal(alice.id, 'test', 'mobile', null);
    const after = (await server.api('GET', `/v1/users/${alice.id}`)).body.data;
    expect(after.discord_status).toBe('offline');
    expect(after.spotify).toBeNull();
    expect(after.active_on_discord_mobile).toBe(false);
    expect(after.last_seen).toBeGreaterThan(0);
  });

  it("includes private keys only with the user's own API key", async () => {
    expect((await server.api('GET', `/v1/users/${alice.id}`, { headers: { authorization: alice.apiToken } })).body.data.kv).toEqual({
      site: 'alice.dev',
      _private: 'x',
    });
    expect((await server.api('GET', `/v1/users/${alice.id}`, { headers: { authorization: bob.apiToken } })).body.data.kv).toEqual({ site: 'alice.dev' });
  });

  it('answers 404 user_not_monitored in the error envelope', async () => {
    const quiet = await register(server, 'quiet');
    const res = await server.api('GET', `/v1/users/${quiet.id}`);
    expect(res.status).toBe(404);
    expect(res.body).toEqual(NOT_MONITORED);
  });

  it('rejects a bad id with 400 and an unknown key with 401', async () => {
    const bad = await server.api('GET', '/v1/users/abc');
    expect(bad.status).toBe(400);
    expect(bad.body.success).toBe(false);
    expect(bad.body.error.code).toBe('invalid_request');
    const key = await server.api('GET', `/v1/users/${alice.id}`, { headers: { authorization: 'definitely-not-a-key' } });
    expect(key.status).toBe(401);
    expect(key.body).toEqual({ success: false, error: { code: 'no_permission', message: 'The API token is missing, malformed or revoked' } });
  });

  it('answers unknown /v1 routes with 404 not_found', async () => {
    const res = await server.api('GET', '/v1/nothing/here');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ success: false, error: { code: 'not_found', message: 'Route does not exist' } });
  });
});

describe('GET /v1/users/@me', () => {
  it("returns the API key owner's presence with private keys", async () => {
    const res = await server.api('GET', '/v1/users/@me', { headers: { authorization: alice.apiToken } });
    expect(res.status).toBe(200);
    expect(res.body.data.discord_user.id).toBe(alice.id);
    expect(res.body.data.kv).toEqual({ site: 'alice.dev', _private: 'x' });
  });

  it('answers 401 no_permission without a key or with a revoked one', async () => {
    const none = await server.api('GET', '/v1/users/@me');
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ success: false, error: { code: 'no_permission', message: 'You do not have permission to access this resource' } });
    const carol = await optIn('carol');
    await server.api('DELETE', '/api/v1/users/@me/presence/token', { token: carol.token });
    expect((await server.api('GET', '/v1/users/@me', { headers: { authorization: carol.apiToken } })).status).toBe(401);
  });
});

describe('PUT /v1/users/:id/kv/:key', () => {
  it('stores the raw body, whatever its content type, and answers 204', async () => {
    const put = await server.api('PUT', `/v1/users/${alice.id}/kv/raw`, {
      raw: '{"value":"kept as text"}',
      headers: { authorization: alice.apiToken, 'content-type': 'application/json' },
    });
    expect(put.status).toBe(204);
    expect((await server.api('PUT', `/v1/users/@me/kv/plain`, { raw: 'hello', headers: { authorization: alice.apiToken } })).status).toBe(204);
    const kv = (await server.api('GET', `/v1/users/${alice.id}`)).body.data.kv;
    expect(kv.raw).toBe('{"value":"kept as text"}');
    expect(kv.plain).toBe('hello');
  });

  it('answers 400 kv_validation_failed naming the rule, 401 and 403 no_permission', async () => {
    const bad = await server.api('PUT', `/v1/users/${alice.id}/kv/bad-key`, { raw: 'x', headers: { authorization: alice.apiToken } });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({
      success: false,
      error: { code: 'kv_validation_failed', message: 'key must be 1-255 characters of a-z, A-Z, 0-9 and _ (invalid_key)' },
    });
    const long = await server.api('PUT', `/v1/users/${alice.id}/kv/k`, { raw: 'x'.repeat(30_001), headers: { authorization: alice.apiToken } });
    expect(long.body.error.message).toContain('(value_too_long)');
    const none = await server.api('PUT', `/v1/users/${alice.id}/kv/k`, { raw: 'x' });
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('no_permission');
    const other = await server.api('PUT', `/v1/users/${alice.id}/kv/k`, { raw: 'x', headers: { authorization: bob.apiToken } });
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe('no_permission');
  });
});

describe('PATCH /v1/users/:id/kv', () => {
  it('merges with 204, all-or-nothing', async () => {
    const auth = { authorization: bob.apiToken };
    expect((await server.api('PATCH', `/v1/users/${bob.id}/kv`, { body: { a: '1', b: '2' }, headers: auth })).status).toBe(204);
    const refused = await server.api('PATCH', `/v1/users/@me/kv`, { body: { c: '3', d: true }, headers: auth });
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({ success: false, error: { code: 'kv_validation_failed', message: 'value of "d" must be a string (invalid_value)' } });
    expect((await server.api('GET', `/v1/users/${bob.id}`)).body.data.kv).toEqual({ a: '1', b: '2' });
  });

  it('answers invalid_kv_value for a body that is not an object, as Lanyard does', async () => {
    for (const raw of ['not json', '[1,2]', '"text"']) {
      const res = await server.api('PATCH', `/v1/users/${bob.id}/kv`, { raw, headers: { authorization: bob.apiToken } });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_kv_value');
    }
  });
});

describe('DELETE /v1/users/:id/kv/:key', () => {
  it('deletes with 204 and refuses other users with 403', async () => {
    expect((await server.api('DELETE', `/v1/users/${bob.id}/kv/a`, { headers: { authorization: alice.apiToken } })).status).toBe(403);
    expect((await server.api('DELETE', `/v1/users/${bob.id}/kv/a`, { headers: { authorization: bob.apiToken } })).status).toBe(204);
    expect((await server.api('DELETE', `/v1/users/@me/kv/b`, { headers: { authorization: bob.apiToken } })).status).toBe(204);
    expect((await server.api('GET', `/v1/users/${bob.id}`)).body.data.kv).toEqual({});
    const bad = await server.api('DELETE', `/v1/users/${bob.id}/kv/a.b`, { headers: { authorization: bob.apiToken } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('kv_validation_failed');
  });
});

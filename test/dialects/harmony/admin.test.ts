// Instance administration: people (admin rights, disabling) and settings (registration open or closed).
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { startServer, type TestServer } from '../../support/test-server.ts';
import { type Account, as, CODE, createBot, expectError, expectInvalidField, ISO_TIME, people } from './fixtures.ts';

let server: TestServer;
let admin: Account;
let alice: Account;
let bob: Account;

beforeAll(async () => {
  server = await startServer({ rateLimits: false });
  [admin, alice, bob] = await people(server, 'admin', 'alice', 'bob');
}, 30_000);
afterAll(() => server.stop());

describe('GET /api/v1/admin/users', () => {
  it('lists people (not bots) with their admin and disabled flags', async () => {
    await createBot(server, admin, 'notaperson');
    const res = await server.api('GET', '/api/v1/admin/users', as(admin));
    expect(res.status).toBe(200);
    expect(res.body.map((u: { username: string }) => u.username)).toEqual(['admin', 'alice', 'bob']);
    expect(res.body[0]).toEqual({
      id: admin.id,
      username: 'admin',
      global_name: null,
      avatar: null,
      bot: false,
      admin: true,
      disabled: false,
      system: false,
      description: null,
      created_at: expect.stringMatching(ISO_TIME),
    });
  });

  it('filters with query, and pages with limit and after', async () => {
    expect((await server.api('GET', '/api/v1/admin/users?query=ALI', as(admin))).body.map((u: { id: string }) => u.id)).toEqual([alice.id]);
    const page = await server.api('GET', `/api/v1/admin/users?limit=1&after=${admin.id}`, as(admin));
    expect(page.body.map((u: { id: string }) => u.id)).toHaveLength(1);
    expect(page.body[0].id).not.toBe(admin.id);
  });

  it('refuses a person who is not an admin with 403 and code 50001', async () => {
    expectError(await server.api('GET', '/api/v1/admin/users', as(alice)), 403, CODE.missingAccess);
  });
});

describe('PATCH /api/v1/admin/users/:userId', () => {
  it('makes someone an admin, who can then use admin routes, and takes it back', async () => {
    const res = await server.api('PATCH', `/api/v1/admin/users/${alice.id}`, as(admin, { admin: true }));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: alice.id, admin: true, disabled: false });
    expect((await server.api('GET', '/api/v1/admin/users', as(alice))).status).toBe(200);
    await server.api('PATCH', `/api/v1/admin/users/${alice.id}`, as(admin, { admin: false }));
    expectError(await server.api('GET', '/api/v1/admin/users', as(alice)), 403, CODE.missingAccess);
  });

  it('disables an account: its sessions end for good and it cannot log in; re-enabling allows login again', async () => {
    const oldToken = bob.token;
    const res = await server.api('PATCH', `/api/v1/admin/users/${bob.id}`, as(admin, { disabled: true }));
    expect(res.body).toMatchObject({ id: bob.id, disabled: true });
    expectError(await server.api('GET', '/api/v1/users/@me', as(bob)), 401, CODE.general);
    const login = () => server.api('POST', '/api/v1/auth/login', { body: { username: 'bob', password: 'correct horse battery' } });
    expectError(await login(), 401, CODE.general);
    await server.api('PATCH', `/api/v1/admin/users/${bob.id}`, as(admin, { disabled: false }));
    const again = await login();
    expect(again.status).toBe(200);
    bob = { ...bob, token: again.body.token };
    expectError(await server.api('GET', '/api/v1/users/@me', { token: oldToken }), 401, CODE.general);
  }, 30_000);

  it('disables a bot: its token stops working until it is enabled again', async () => {
    const bot = await createBot(server, admin, 'pausedbot');
    await server.api('PATCH', `/api/v1/admin/users/${bot.id}`, as(admin, { disabled: true }));
    expectError(await server.api('GET', '/api/v1/users/@me', as(bot)), 401, CODE.general);
    await server.api('PATCH', `/api/v1/admin/users/${bot.id}`, as(admin, { disabled: false }));
    expect((await server.api('GET', '/api/v1/users/@me', as(bot))).status).toBe(200);
  });

  it('refuses to make a bot an admin with 400', async () => {
    const bot = await createBot(server, admin, 'adminbot');
    expectError(await server.api('PATCH', `/api/v1/admin/users/${bot.id}`, as(admin, { admin: true })), 400, CODE.general);
  });

  it('refuses to let an admin demote or disable themselves with 400', async () => {
    expectError(await server.api('PATCH', `/api/v1/admin/users/${admin.id}`, as(admin, { admin: false })), 400, CODE.general);
    expectError(await server.api('PATCH', `/api/v1/admin/users/${admin.id}`, as(admin, { disabled: true })), 400, CODE.general);
  });

  it('answers 404 with code 10013 for an unknown user and 400 for unknown fields', async () => {
    expectError(await server.api('PATCH', '/api/v1/admin/users/1234567890123456789', as(admin, { admin: true })), 404, CODE.unknownUser);
    expectInvalidField(await server.api('PATCH', `/api/v1/admin/users/${alice.id}`, as(admin, { username: 'x' })), 'username');
  });

  it('refuses a non-admin with 403 and code 50001', async () => {
    expectError(await server.api('PATCH', `/api/v1/admin/users/${alice.id}`, as(bob, { admin: true })), 403, CODE.missingAccess);
  });
});

describe('GET and PATCH /api/v1/admin/settings', () => {
  it('closes and reopens registration', async () => {
    expect((await server.api('GET', '/api/v1/admin/settings', as(admin))).body).toEqual({ registration: 'open' });
    const closed = await server.api('PATCH', '/api/v1/admin/settings', as(admin, { registration: 'closed' }));
    expect(closed.body).toEqual({ registration: 'closed' });
    const refused = await server.api('POST', '/api/v1/auth/register', { body: { username: 'latecomer', password: 'correct horse battery' } });
    expectError(refused, 403, CODE.general);
    await server.api('PATCH', '/api/v1/admin/settings', as(admin, { registration: 'open' }));
    expect((await server.api('POST', '/api/v1/auth/register', { body: { username: 'latecomer', password: 'correct horse battery' } })).status).toBe(201);
  });

  it('rejects an unknown value with 400 and refuses a non-admin with 403', async () => {
    expectInvalidField(await server.api('PATCH', '/api/v1/admin/settings', as(admin, { registration: 'invite-only' })), 'registration');
    expectError(await server.api('GET', '/api/v1/admin/settings', as(alice)), 403, CODE.missingAccess);
    expectError(await server.api('PATCH', '/api/v1/admin/settings', as(alice, { registration: 'closed' })), 403, CODE.missingAccess);
  });
});

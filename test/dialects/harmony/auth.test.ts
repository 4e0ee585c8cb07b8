// Accounts: register, log in, log out (issue #2 item 5).
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { startServer, type TestServer } from '../../support/test-server.ts';
import { type Account, CODE, createBot, expectError, expectInvalidField, ISO_TIME, people, SNOWFLAKE } from './fixtures.ts';

let server: TestServer;
let admin: Account;

beforeAll(async () => {
  server = await startServer({ rateLimits: false });
  [admin] = await people(server, 'founder');
}, 30_000);
afterAll(() => server.stop());

const registerRaw = (body: unknown) => server.api('POST', '/api/v1/auth/register', { body });
const login = (username: string, password: string) => server.api('POST', '/api/v1/auth/login', { body: { username, password } });
const PASSWORD = 'correct horse battery';

describe('POST /api/v1/auth/register', () => {
  it('creates an account with 201 and answers {user, token}', async () => {
    const res = await registerRaw({ username: 'newcomer', password: PASSWORD });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      user: {
        id: expect.stringMatching(SNOWFLAKE),
        username: 'newcomer',
        global_name: null,
        avatar: null,
        bot: false,
        admin: false,
        created_at: expect.stringMatching(ISO_TIME),
      },
      token: expect.any(String),
    });
    expect(res.body.token.length).toBeGreaterThanOrEqual(43);
  });

  it('makes the first account of a fresh instance its admin, and the second not', async () => {
    const fresh = await startServer({ rateLimits: false });
    try {
      const first = await fresh.api('POST', '/api/v1/auth/register', { body: { username: 'first', password: PASSWORD } });
      const second = await fresh.api('POST', '/api/v1/auth/register', { body: { username: 'second', password: PASSWORD } });
      expect([first.body.user.admin, second.body.user.admin]).toEqual([true, false]);
    } finally {
      await fresh.stop();
    }
  }, 30_000);

  it('returns a token that works as Authorization: Bearer', async () => {
    const res = await registerRaw({ username: 'tokenuser', password: PASSWORD });
    const me = await server.api('GET', '/api/v1/users/@me', { token: res.body.token });
    expect(me.status).toBe(200);
    expect(me.body).toEqual(res.body.user);
  });

  it.each(['ab', 'a'.repeat(32), 'under_score', 'dot.ted', 'MiXeD123'])('accepts the username %p', async (username) => {
    const res = await registerRaw({ username, password: PASSWORD });
    expect(res.status).toBe(201);
    expect(res.body.user.username).toBe(username);
  });

  it.each([
    ['x', 'one character'],
    ['y'.repeat(33), '33 characters'],
    ['with space', 'a space'],
    ['dash-ed', 'a dash'],
    ['émile', 'a non-ASCII letter'],
    ['at@sign', 'an @'],
  ])('rejects the username %p (%s) with 400 and USERNAME_INVALID', async (username) => {
    expectInvalidField(await registerRaw({ username, password: PASSWORD }), 'username', 'USERNAME_INVALID');
  });

  it('rejects an empty username with 400 and code 50035', async () => {
    expectInvalidField(await registerRaw({ username: '', password: PASSWORD }), 'username');
  });

  it('rejects a username taken in another case with 400 and USERNAME_ALREADY_TAKEN', async () => {
    expect((await registerRaw({ username: 'CaseTaken', password: PASSWORD })).status).toBe(201);
    expectInvalidField(await registerRaw({ username: 'casetaken', password: PASSWORD }), 'username', 'USERNAME_ALREADY_TAKEN');
    expectInvalidField(await registerRaw({ username: 'CASETAKEN', password: PASSWORD }), 'username', 'USERNAME_ALREADY_TAKEN');
  });

  it("rejects a bot's username with 400 and USERNAME_ALREADY_TAKEN", async () => {
    await createBot(server, admin, 'SomeBot');
    expectInvalidField(await registerRaw({ username: 'somebot', password: PASSWORD }), 'username', 'USERNAME_ALREADY_TAKEN');
  });

  it('rejects a password of 7 characters with 400 and PASSWORD_TOO_SHORT, and accepts 8', async () => {
    expectInvalidField(await registerRaw({ username: 'shortpw', password: '1234567' }), 'password', 'PASSWORD_TOO_SHORT');
    expect((await registerRaw({ username: 'shortpw', password: '12345678' })).status).toBe(201);
  });

  it('rejects a missing password, a wrong type and an unknown field with 400 and code 50035', async () => {
    expectInvalidField(await registerRaw({ username: 'nopassword' }), 'password');
    expectInvalidField(await registerRaw({ username: 12345, password: PASSWORD }), 'username');
    expectInvalidField(await registerRaw({ username: 'extra', password: PASSWORD, admin: true }), 'admin');
  });

  it('refuses with 403 when registration is closed (HARMONY_REGISTRATION=closed)', async () => {
    const closed = await startServer({ rateLimits: false, registration: 'closed' });
    try {
      const res = await closed.api('POST', '/api/v1/auth/register', { body: { username: 'hopeful', password: PASSWORD } });
      expectError(res, 403, CODE.general, 'Registration is closed on this instance');
    } finally {
      await closed.stop();
    }
  }, 30_000);
});

describe('POST /api/v1/auth/login', () => {
  let person: Account;
  beforeAll(async () => {
    [person] = await people(server, 'loginuser');
  }, 30_000);

  it('answers 200 with {user, token}; the new token works alongside the first', async () => {
    const res = await login('loginuser', 'correct horse battery');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      user: { id: person.id, username: 'loginuser', global_name: null, avatar: null, bot: false, admin: false, created_at: expect.stringMatching(ISO_TIME) },
      token: expect.any(String),
    });
    expect(res.body.token).not.toBe(person.token);
    for (const token of [res.body.token, person.token]) {
      expect((await server.api('GET', '/api/v1/users/@me', { token })).body.id).toBe(person.id);
    }
  });

  it('matches the username case-insensitively', async () => {
    const res = await login('LOGINUSER', 'correct horse battery');
    expect(res.status).toBe(200);
    expect(res.body.user.id).toBe(person.id);
  });

  it('answers a wrong password and an unknown username with the same 401', async () => {
    const wrong = await login('loginuser', 'not the password');
    const nobody = await login('nobody_here', 'not the password');
    expectError(wrong, 401, CODE.general, 'Invalid username or password');
    expect(nobody.body).toEqual(wrong.body);
    expect(nobody.status).toBe(401);
  });

  it("answers 401 for a bot's username (bots have no password)", async () => {
    await createBot(server, admin, 'loginbot');
    expectError(await login('loginbot', 'correct horse battery'), 401, CODE.general);
  });

  it('answers 401 for a disabled account', async () => {
    const [disabled] = await people(server, 'disabledlogin');
    expect((await server.api('PATCH', `/api/v1/admin/users/${disabled?.id}`, { token: admin.token, body: { disabled: true } })).status).toBe(200);
    expectError(await login('disabledlogin', 'correct horse battery'), 401, CODE.general);
  });

  it('rejects a body without a password with 400 and code 50035', async () => {
    expectInvalidField(await server.api('POST', '/api/v1/auth/login', { body: { username: 'loginuser' } }), 'password');
  });
});

describe('POST /api/v1/auth/logout', () => {
  it('answers 204 and revokes that token at once, leaving other sessions alone', async () => {
    const [person] = await people(server, 'logoutuser');
    const other = await login('logoutuser', 'correct horse battery');
    const res = await server.api('POST', '/api/v1/auth/logout', { token: person?.token });
    expect(res.status).toBe(204);
    expectError(await server.api('GET', '/api/v1/users/@me', { token: person?.token }), 401, CODE.general);
    expect((await server.api('GET', '/api/v1/users/@me', { token: other.body.token })).status).toBe(200);
  });

  it('answers 401 without a token', async () => {
    expectError(await server.api('POST', '/api/v1/auth/logout'), 401, CODE.general, '401: Unauthorized');
  });

  it('refuses a bot token with 403 (bots regenerate their token instead)', async () => {
    const bot = await createBot(server, admin, 'logoutbot');
    expectError(await server.api('POST', '/api/v1/auth/logout', { token: bot.token, scheme: 'Bot' }), 403, CODE.missingAccess);
  });
});

// Credentials that behave like a bank's: each token kind only under its own scheme, sessions a person can see and end,
// sessions that expire, a password change that signs everything else out, and deleting one's own account.
import { describe, expect, it } from 'bun:test';
import { connectAs } from '../../support/gateway-client.ts';
import { createBot, createGuild, expectError, expectInvalidField, join, PASSWORD, people, send, serverForFile } from './fixtures.ts';

let now = Date.parse('2026-03-01T12:00:00Z');
const clock = { now: () => now };
const DAY = 24 * 3600 * 1000;
const server = await serverForFile(clock);
// The first person on an instance is its admin; the tests' other people are not.
const [admin] = await people(server, 'the_admin');

const login = async (username: string, userAgent: string, password = PASSWORD) => {
  const res = await server.api('POST', '/api/v1/auth/login', { body: { username, password }, headers: { 'user-agent': userAgent } });
  expect(res.status).toBe(200);
  return res.body.token as string;
};
const me = (token: string, scheme = 'Bearer') => server.api('GET', '/api/v1/users/@me', { token, scheme });
const sessionsOf = async (token: string) => {
  const res = await server.api('GET', '/api/v1/users/@me/sessions', { token });
  expect(res.status).toBe(200);
  return res.body as { id: string; current: boolean; device: string | null; address: string | null; created_at: string; last_used_at: string }[];
};

const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';
const SAFARI = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';

describe('Authorization schemes', () => {
  it('takes a session token only as Bearer and a bot token only as Bot, on both dialects; a bare token on neither', async () => {
    const bot = await createBot(server, admin, 'scheme_bot');
    expect((await me(admin.token, 'Bearer')).status).toBe(200);
    expect((await me(bot.token, 'Bot')).status).toBe(200);
    for (const [token, scheme] of [
      [admin.token, 'Bot'],
      [bot.token, 'Bearer'],
      [admin.token, 'Basic'],
    ] as const) {
      expectError(await me(token, scheme), 401, 0);
      expect((await server.api('GET', '/api/v10/users/@me', { token, scheme })).status).toBe(401);
    }
    for (const token of [admin.token, bot.token]) {
      const bare = await fetch(`${server.url}/api/v1/users/@me`, { headers: { authorization: token } });
      expect(bare.status).toBe(401);
    }
  });
});

describe('GET /users/@me/sessions', () => {
  it('lists each login with its device, address and times, marks the current one, and never shows a token', async () => {
    const [alice] = await people(server, 'list_alice');
    now += 1000;
    const firefox = await login('list_alice', FIREFOX);
    const loggedIn = now;
    now += 1000;
    const phone = await login('list_alice', SAFARI);
    // Last use is recorded at most once a minute: two minutes on, asking counts as a use of the Firefox session.
    now += 120_000;
    const list = await sessionsOf(firefox);
    expect(list).toHaveLength(3);
    expect(list[0]).toEqual({
      id: expect.stringMatching(/^\d+$/),
      current: true,
      device: 'Firefox on Linux',
      address: '127.0.0.1',
      created_at: new Date(loggedIn).toISOString(),
      last_used_at: new Date(now).toISOString(),
    });
    expect(list.map((s) => [s.device, s.current])).toEqual([
      ['Firefox on Linux', true],
      ['Safari on iOS', false],
      [null, false],
    ]);
    const text = JSON.stringify(list);
    for (const token of [alice.token, firefox, phone]) {
      expect(text).not.toContain(token);
      expect(text).not.toContain(token.split('.')[1] ?? token);
    }
  });

  it('is for people only: a bot is refused with 403', async () => {
    const bot = await createBot(server, admin, 'list_bot');
    expectError(await server.api('GET', '/api/v1/users/@me/sessions', { token: bot.token }), 403, 50001);
  });
});

describe('DELETE /users/@me/sessions/:id', () => {
  it('signs one session out: its token is refused and its gateway connection closes with 4004 at once, the others go on', async () => {
    await people(server, 'revoke_bob');
    const laptop = await login('revoke_bob', FIREFOX);
    const phone = await login('revoke_bob', SAFARI);
    const phoneSocket = await connectAs(server, phone);
    const laptopSocket = await connectAs(server, laptop);
    const target = (await sessionsOf(laptop)).find((s) => s.device === 'Safari on iOS');
    const res = await server.api('DELETE', `/api/v1/users/@me/sessions/${target?.id}`, { token: laptop });
    expect(res.status).toBe(204);
    expect((await phoneSocket.waitClosed()).code).toBe(4004);
    expectError(await me(phone), 401, 0);
    expect((await me(laptop)).status).toBe(200);
    expect(laptopSocket.closeInfo).toBeNull();
    expect((await sessionsOf(laptop)).map((s) => s.device)).not.toContain('Safari on iOS');
    laptopSocket.close();
  });

  it("answers 404 with code 10020 for an unknown session or someone else's", async () => {
    const [carol, dave] = await people(server, 'revoke_carol', 'revoke_dave');
    const daves = await sessionsOf(dave.token);
    expectError(await server.api('DELETE', `/api/v1/users/@me/sessions/${daves[0]?.id}`, { token: carol.token }), 404, 10020);
    expectError(await server.api('DELETE', '/api/v1/users/@me/sessions/123456789', { token: carol.token }), 404, 10020);
    expect((await me(dave.token)).status).toBe(200);
  });
});

describe('DELETE /users/@me/sessions', () => {
  it('signs out every other session and keeps this one', async () => {
    const [erin] = await people(server, 'all_erin');
    const other = await login('all_erin', SAFARI);
    const socket = await connectAs(server, other);
    expect((await server.api('DELETE', '/api/v1/users/@me/sessions', { token: erin.token })).status).toBe(204);
    expect((await socket.waitClosed()).code).toBe(4004);
    expectError(await me(other), 401, 0);
    expect((await sessionsOf(erin.token)).map((s) => s.current)).toEqual([true]);
  });
});

describe('session expiry', () => {
  it('ends a session left unused for 30 days', async () => {
    await people(server, 'idle_fay');
    const token = await login('idle_fay', FIREFOX);
    now += 29 * DAY;
    expect((await me(token)).status).toBe(200);
    now += 30 * DAY + 1000;
    expectError(await me(token), 401, 0);
  });

  it('closes the gateway connections of expired sessions when the sweep runs', async () => {
    await people(server, 'idle_flo');
    const token = await login('idle_flo', FIREFOX);
    const socket = await connectAs(server, token);
    // The jump and the sweep in one turn of the event loop, before the heartbeat watch sees the clock move.
    now += 30 * DAY + 1000;
    expect(await server.harmony.core.services.sessions.sweep()).toBeGreaterThanOrEqual(1);
    expect((await socket.waitClosed()).code).toBe(4004);
    expectError(await me(token), 401, 0);
  });

  it('ends a session 365 days after its login however much it is used', async () => {
    await people(server, 'life_gus');
    const token = await login('life_gus', FIREFOX);
    for (let day = 0; day < 364; day += 7) {
      now += 7 * DAY;
      if (day + 7 > 365) break;
      expect((await me(token)).status).toBe(200);
    }
    now += 2 * DAY;
    expectError(await me(token), 401, 0);
  });
});

describe('PUT /users/@me/password', () => {
  it('changes the password after the current one, and signs every other session out', async () => {
    const [hal] = await people(server, 'pw_hal');
    const other = await login('pw_hal', SAFARI);
    const socket = await connectAs(server, other);
    const res = await server.api('PUT', '/api/v1/users/@me/password', {
      token: hal.token,
      body: { password: PASSWORD, new_password: 'a much better passphrase' },
    });
    expect(res.status).toBe(204);
    expect((await socket.waitClosed()).code).toBe(4004);
    expectError(await me(other), 401, 0);
    expect((await me(hal.token)).status).toBe(200);
    const old = await server.api('POST', '/api/v1/auth/login', { body: { username: 'pw_hal', password: PASSWORD } });
    expect(old.status).toBe(401);
    await login('pw_hal', FIREFOX, 'a much better passphrase');
  });

  it('refuses a wrong current password and a too-short new one with 50035, changing nothing', async () => {
    const [ivy] = await people(server, 'pw_ivy');
    const wrong = await server.api('PUT', '/api/v1/users/@me/password', {
      token: ivy.token,
      body: { password: 'not it at all', new_password: 'a much better passphrase' },
    });
    expectInvalidField(wrong, 'password', 'PASSWORD_DOES_NOT_MATCH');
    const short = await server.api('PUT', '/api/v1/users/@me/password', { token: ivy.token, body: { password: PASSWORD, new_password: 'short' } });
    expectInvalidField(short, 'new_password', 'PASSWORD_TOO_SHORT');
    await login('pw_ivy', FIREFOX);
  });
});

describe('DELETE /users/@me', () => {
  it('deletes the account: sessions end, the name is freed, memberships go, old messages show "Deleted User"', async () => {
    const [owner, jo] = await people(server, 'del_owner', 'del_jo');
    const guild = await createGuild(server, owner);
    await join(server, owner, guild, jo);
    const message = await send(server, jo, guild.generalId, 'hello before I go');
    const socket = await connectAs(server, jo.token);
    const refused = await server.api('DELETE', '/api/v1/users/@me', { token: jo.token, body: { password: 'not it at all' } });
    expectInvalidField(refused, 'password', 'PASSWORD_DOES_NOT_MATCH');
    expect((await server.api('DELETE', '/api/v1/users/@me', { token: jo.token, body: { password: PASSWORD } })).status).toBe(204);
    expect((await socket.waitClosed()).code).toBe(4004);
    expectError(await me(jo.token), 401, 0);
    const members = await server.api('GET', `/api/v1/guilds/${guild.id}/members`, { token: owner.token });
    expect(members.body.map((m: any) => m.user.id)).not.toContain(jo.id);
    const history = await server.api('GET', `/api/v1/channels/${guild.generalId}/messages`, { token: owner.token });
    expect(history.body.find((m: any) => m.id === message.id).author.username).toBe('Deleted User');
    const again = await server.api('POST', '/api/v1/auth/register', { body: { username: 'del_jo', password: PASSWORD } });
    expect(again.status).toBe(201);
    expect(again.body.user.id).not.toBe(jo.id);
  });

  it('refuses while the person owns a server, and for the instance’s only admin', async () => {
    const [kim] = await people(server, 'del_kim');
    await createGuild(server, kim, 'Kim’s place');
    const owning = await server.api('DELETE', '/api/v1/users/@me', { token: kim.token, body: { password: PASSWORD } });
    expectError(owning, 400, 0, /Transfer or delete the servers you own first \(Kim’s place\)/);
    expect((await me(kim.token)).status).toBe(200);
    // The earlier tests moved the clock past the admin's first session's lifetime: a fresh login.
    const adminToken = await login(admin.username, FIREFOX);
    const lastAdmin = await server.api('DELETE', '/api/v1/users/@me', { token: adminToken, body: { password: PASSWORD } });
    expectError(lastAdmin, 400, 0, /only admin cannot delete their account/);
    expect((await me(adminToken)).status).toBe(200);
  });
});

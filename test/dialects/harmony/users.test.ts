// The caller's account and other users (issue #2 item 5): /users/@me for people and bots, profiles, guild list.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { dataUri, gif, png } from '../../support/images.ts';
import { startServer, type TestServer } from '../../support/test-server.ts';
import { type Account, as, CODE, createBot, createGuild, expectError, expectInvalidField, ISO_TIME, join, people } from './fixtures.ts';

let server: TestServer;
let admin: Account;
let alice: Account;
let bob: Account;
let bot: Account;

beforeAll(async () => {
  server = await startServer({ rateLimits: false });
  [admin, alice, bob] = await people(server, 'admin', 'alice', 'bob');
  bot = await createBot(server, admin as Account, 'helperbot');
}, 30_000);
afterAll(() => server.stop());

describe('GET /api/v1/users/@me', () => {
  it('answers a person (Authorization: Bearer) with their own account', async () => {
    const res = await server.api('GET', '/api/v1/users/@me', as(alice));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: alice.id,
      username: 'alice',
      global_name: null,
      avatar: null,
      bot: false,
      admin: false,
      created_at: expect.stringMatching(ISO_TIME),
    });
  });

  it('answers a bot (Authorization: Bot) with the bot', async () => {
    const res = await server.api('GET', '/api/v1/users/@me', as(bot));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: bot.id,
      username: 'helperbot',
      global_name: null,
      avatar: null,
      bot: true,
      admin: false,
      created_at: expect.stringMatching(ISO_TIME),
    });
  });

  it('says admin: true for the instance admin', async () => {
    expect((await server.api('GET', '/api/v1/users/@me', as(admin))).body.admin).toBe(true);
  });

  it.each([
    ['no Authorization header', {}],
    ['an unknown token', { token: 'MTIz.bm90LWEtcmVhbC10b2tlbi1hdC1hbGwtbm90LW9uZQ' }],
    ['a too short token', { token: 'short' }],
    ['a scheme without a token', { headers: { authorization: 'Bearer' } }],
    ['a token with spaces', { headers: { authorization: 'Bearer two words' } }],
  ])('answers 401 for %s', async (_, options) => {
    expectError(await server.api('GET', '/api/v1/users/@me', options), 401, CODE.general, '401: Unauthorized');
  });
});

describe('PATCH /api/v1/users/@me', () => {
  it('sets and clears the display name and the uploaded avatar (a data URI in, its served path out)', async () => {
    const set = await server.api('PATCH', '/api/v1/users/@me', as(bob, { global_name: 'Bobby', avatar: dataUri(png(), 'image/png') }));
    expect(set.status).toBe(200);
    expect(set.body).toEqual({
      id: bob.id,
      username: 'bob',
      global_name: 'Bobby',
      avatar: expect.stringMatching(new RegExp(`^/avatars/${bob.id}/[0-9a-f]{32}\\.png$`)),
      bot: false,
      admin: false,
      created_at: expect.stringMatching(ISO_TIME),
    });
    expect((await server.api('GET', `/api/v1/users/${bob.id}`, as(alice))).body.global_name).toBe('Bobby');
    const cleared = await server.api('PATCH', '/api/v1/users/@me', as(bob, { global_name: null, avatar: null }));
    expect([cleared.body.global_name, cleared.body.avatar]).toEqual([null, null]);
  });

  it('leaves fields that are not sent unchanged', async () => {
    await server.api('PATCH', '/api/v1/users/@me', as(alice, { global_name: 'Alice A.' }));
    const res = await server.api('PATCH', '/api/v1/users/@me', as(alice, { avatar: dataUri(gif(), 'image/gif') }));
    expect([res.body.global_name, res.body.avatar]).toEqual(['Alice A.', expect.stringMatching(/^\/avatars\/\d+\/[0-9a-f]{32}\.png$/)]);
  });

  it('lets a bot change its own profile', async () => {
    const res = await server.api('PATCH', '/api/v1/users/@me', as(bot, { global_name: 'Helper' }));
    expect(res.status).toBe(200);
    expect(res.body.global_name).toBe('Helper');
    expect(res.body.bot).toBe(true);
  });

  it.each([
    ['global_name', ''],
    ['global_name', '   '],
    ['global_name', 'n'.repeat(33)],
    ['avatar', 'javascript:alert(1)'],
    ['avatar', 'not a url'],
    ['avatar', 'https://example.com/a.png'],
    ['avatar', 'data:text/html;base64,PHNjcmlwdD4='],
  ])('rejects %s = %p with 400 and code 50035', async (field, value) => {
    expectInvalidField(await server.api('PATCH', '/api/v1/users/@me', as(alice, { [field]: value })), field);
  });

  it('rejects an unknown field and a wrong type with 400 and code 50035', async () => {
    expectInvalidField(await server.api('PATCH', '/api/v1/users/@me', as(alice, { admin: true })), 'admin');
    expectInvalidField(await server.api('PATCH', '/api/v1/users/@me', as(alice, { global_name: 42 })), 'global_name');
  });
});

describe('GET /api/v1/users/:id', () => {
  it('answers the public profile of a person, without admin or creation details', async () => {
    const res = await server.api('GET', `/api/v1/users/${admin.id}`, as(bob));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: admin.id, username: 'admin', global_name: null, avatar: null, bot: false });
  });

  it('answers a bot to a bot', async () => {
    const res = await server.api('GET', `/api/v1/users/${bot.id}`, as(bot));
    expect(res.body).toEqual({ id: bot.id, username: 'helperbot', global_name: 'Helper', avatar: null, bot: true });
  });

  it('answers 404 with code 10013 for an unknown id', async () => {
    expectError(await server.api('GET', '/api/v1/users/1234567890123456789', as(alice)), 404, CODE.unknownUser, 'Unknown User');
  });

  it('rejects an id that is not a snowflake with 400 and code 50035', async () => {
    expectInvalidField(await server.api('GET', '/api/v1/users/alice', as(alice)), 'userId');
  });
});

describe('GET /api/v1/users/@me/guilds', () => {
  it('lists the guilds the caller is a member of, and nothing else', async () => {
    const mine = await createGuild(server, alice, 'Alice Place');
    const theirs = await createGuild(server, admin, 'Admin Place');
    await join(server, admin, theirs, alice);
    await createGuild(server, admin, 'Private Place');
    const res = await server.api('GET', '/api/v1/users/@me/guilds', as(alice));
    expect(res.status).toBe(200);
    expect(res.body).toEqual([
      {
        id: mine.id,
        name: 'Alice Place',
        owner_id: alice.id,
        icon: null,
        description: null,
        created_at: expect.stringMatching(ISO_TIME),
        system_channel_id: mine.generalId,
        system_channel_flags: 0,
      },
      {
        id: theirs.id,
        name: 'Admin Place',
        owner_id: admin.id,
        icon: null,
        description: null,
        created_at: expect.stringMatching(ISO_TIME),
        system_channel_id: theirs.generalId,
        system_channel_flags: 0,
      },
    ]);
  });

  it('answers an empty list for someone in no guild', async () => {
    const res = await server.api('GET', '/api/v1/users/@me/guilds', as(bot));
    expect(res).toMatchObject({ status: 200, body: [] });
  });
});

describe('DELETE /api/v1/users/@me/guilds/:guildId', () => {
  it('leaves the guild with 204; the guild is then out of reach with 403', async () => {
    const guild = await createGuild(server, admin, 'Leave Me');
    await join(server, admin, guild, bob);
    expect((await server.api('DELETE', `/api/v1/users/@me/guilds/${guild.id}`, as(bob))).status).toBe(204);
    expectError(await server.api('GET', `/api/v1/guilds/${guild.id}`, as(bob)), 403, CODE.missingAccess);
    const members = await server.api('GET', `/api/v1/guilds/${guild.id}/members`, as(admin));
    expect(members.body.map((m: { user: { id: string } }) => m.user.id)).toEqual([admin.id]);
  });

  it('refuses the owner with 400 and code 50055', async () => {
    const guild = await createGuild(server, bob, 'Owned');
    expectError(await server.api('DELETE', `/api/v1/users/@me/guilds/${guild.id}`, as(bob)), 400, CODE.invalidGuild);
  });

  it('answers 403 for a guild the caller is not in and 404 for an unknown guild', async () => {
    const guild = await createGuild(server, admin, 'Not Yours');
    expectError(await server.api('DELETE', `/api/v1/users/@me/guilds/${guild.id}`, as(bob)), 403, CODE.missingAccess);
    expectError(await server.api('DELETE', '/api/v1/users/@me/guilds/1234567890123456789', as(bob)), 404, CODE.unknownGuild);
  });

  it("keeps the leaver's permission overwrites in their other guilds", async () => {
    const left = await createGuild(server, admin, 'Left Behind');
    const stayed = await createGuild(server, admin, 'Stayed In');
    await join(server, admin, left, bob);
    await join(server, admin, stayed, bob);
    const overwrite = await server.api('PUT', `/api/v1/channels/${stayed.generalId}/permissions/${bob.id}`, as(admin, { type: 1, deny: ['send_messages'] }));
    expect(overwrite.status).toBe(204);
    expect((await server.api('DELETE', `/api/v1/users/@me/guilds/${left.id}`, as(bob))).status).toBe(204);
    const channel = await server.api('GET', `/api/v1/channels/${stayed.generalId}`, as(bob));
    expect(channel.body.permission_overwrites).toEqual([{ id: bob.id, type: 1, allow: '0', deny: '2048' }]);
    expectError(await server.api('POST', `/api/v1/channels/${stayed.generalId}/messages`, as(bob, { content: 'still muted?' })), 403, CODE.missingPermissions);
  });
});

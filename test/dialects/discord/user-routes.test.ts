// /users and /applications/@me: the bot's own account, other users, DMs and the guild list.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { PermissionFlagsBits as P } from 'discord-api-types/v10';
import { DEFAULT_EVERYONE_PERMISSIONS } from '../../../src/domain/permissions.ts';
import { startServer, type TestServer } from '../../support/test-server.ts';
import { type Bot, botIn, createBot, createGuild, expectDiscordError, type Guild, join, type Person, people, SNOWFLAKE, v10 } from './fixtures.ts';

let server: TestServer;
let admin: Person;
let bob: Person;
let guild: Guild;
let bot: Bot;

beforeAll(async () => {
  server = await startServer({ rateLimits: false });
  [admin, bob] = (await people(server, 'admin', 'bob')) as [Person, Person];
  guild = await createGuild(server, admin);
  await join(server, admin, guild, bob);
  bot = await botIn(server, admin, guild, 'userbot', ['send_messages', 'read_messages', 'read_message_history']);
});
afterAll(() => server.stop());

describe('GET /users/@me', () => {
  it("answers the bot's own user with what Discord shows its owner", async () => {
    expect(await bot.rest.get('/users/@me')).toEqual({
      id: bot.id,
      username: 'userbot',
      discriminator: '0',
      global_name: null,
      avatar: null,
      bot: true,
      public_flags: 0,
      mfa_enabled: false,
      verified: true,
      flags: 0,
      locale: 'en-US',
      email: null,
    });
  });
});

describe('PATCH /users/@me', () => {
  it('renames the bot (ClientUser.edit) and answers the updated user', async () => {
    const renamer = await createBot(server, admin, 'renamer');
    const updated = (await renamer.rest.patch('/users/@me', { body: { username: 'renamed_bot' } })) as { username: string; id: string };
    expect([updated.id, updated.username]).toEqual([renamer.id, 'renamed_bot']);
    expect(((await renamer.rest.get('/users/@me')) as { username: string }).username).toBe('renamed_bot');
  });

  it('refuses a username someone else has with 50035 USERNAME_ALREADY_TAKEN', async () => {
    const error = await expectDiscordError(bot.rest.patch('/users/@me', { body: { username: 'bob' } }), 400, 50035);
    expect(error.rawError).toEqual({
      message: 'Invalid Form Body',
      code: 50035,
      errors: { username: { _errors: [{ code: 'USERNAME_ALREADY_TAKEN', message: 'Username is already taken' }] } },
    });
  });

  it('refuses a data-URI avatar that is no whole image (a bare PNG signature) with 50035 IMAGE_INVALID on avatar', async () => {
    const error = await expectDiscordError(bot.rest.patch('/users/@me', { body: { avatar: 'data:image/png;base64,iVBORw0KGgo=' } }), 400, 50035);
    expect((error.rawError as { errors: object }).errors).toEqual({ avatar: { _errors: [{ code: 'IMAGE_INVALID', message: 'Invalid image data' }] } });
  });

  it('refuses a username of the wrong type with 50035 naming the field', async () => {
    const res = await v10(server, bot, 'PATCH', '/users/@me', { username: 42 });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe(50035);
    expect(Object.keys(res.body.errors)).toEqual(['username']);
  });
});

describe('GET /users/:id', () => {
  it('answers another user in Discord shape', async () => {
    expect(await bot.rest.get(`/users/${bob.id}`)).toEqual({
      id: bob.id,
      username: 'bob',
      discriminator: '0',
      global_name: null,
      avatar: null,
      bot: false,
      public_flags: 0,
    });
  });

  it('answers 404 with code 10013 for an unknown id', async () => {
    await expectDiscordError(bot.rest.get('/users/1000000000000000001'), 404, 10013, 'Unknown User');
  });
});

describe('POST /users/@me/channels', () => {
  it('opens a DM and answers {id, type 1, recipients [the other user], last_message_id, flags 0}', async () => {
    const dm = (await bot.rest.post('/users/@me/channels', { body: { recipient_id: bob.id } })) as Record<string, unknown>;
    expect(dm).toEqual({
      id: expect.stringMatching(SNOWFLAKE),
      type: 1,
      name: null,
      recipients: [{ id: bob.id, username: 'bob', discriminator: '0', global_name: null, avatar: null, bot: false, public_flags: 0 }],
      last_message_id: null,
      flags: 0,
    });
    const again = (await bot.rest.post('/users/@me/channels', { body: { recipient_id: bob.id } })) as { id: string };
    expect(again.id).toBe(dm.id as string);
  });

  it('lets the bot send in the DM it opened (user.send)', async () => {
    const dm = (await bot.rest.post('/users/@me/channels', { body: { recipient_id: bob.id } })) as { id: string };
    const sent = (await bot.rest.post(`/channels/${dm.id}/messages`, { body: { content: 'hi bob', tts: false, enforce_nonce: false } })) as Record<
      string,
      unknown
    >;
    expect(sent.channel_id).toBe(dm.id);
    expect('guild_id' in sent).toBe(false);
    expect('member' in sent).toBe(false);
    const seen = await server.api('GET', `/api/v1/channels/${dm.id}/messages`, { token: bob.token });
    expect(seen.body.map((m: { content: string }) => m.content)).toEqual(['hi bob']);
  });

  it('answers the DM channel from GET /channels/:id as it answered its creation', async () => {
    const dm = (await bot.rest.post('/users/@me/channels', { body: { recipient_id: bob.id } })) as { id: string };
    const fetched = (await bot.rest.get(`/channels/${dm.id}`)) as Record<string, unknown>;
    expect({ ...fetched, last_message_id: null }).toEqual({ ...dm, last_message_id: null });
    expect(fetched.type).toBe(1);
  });

  it('answers 10013 for an unknown recipient', async () => {
    await expectDiscordError(bot.rest.post('/users/@me/channels', { body: { recipient_id: '1000000000000000002' } }), 404, 10013);
  });
});

describe('GET /users/@me/guilds', () => {
  it("lists the bot's guilds with owner flag and its guild-level permissions (@everyone's plus its role's)", async () => {
    const list = (await bot.rest.get('/users/@me/guilds')) as unknown[];
    const permissions = (DEFAULT_EVERYONE_PERMISSIONS | P.ViewChannel | P.SendMessages | P.ReadMessageHistory).toString();
    expect(list).toEqual([{ id: guild.id, name: 'Compat Guild', icon: null, banner: null, owner: false, permissions, features: [] }]);
  });

  it('adds approximate counts with with_counts=true', async () => {
    const list = (await bot.rest.get('/users/@me/guilds', { query: new URLSearchParams({ with_counts: 'true' }) })) as {
      approximate_member_count: number;
      approximate_presence_count: number;
    }[];
    expect(list.map((g) => [g.approximate_member_count, g.approximate_presence_count])).toEqual([[3, 0]]);
  });

  it('pages by id with before, after and limit', async () => {
    const second = await createGuild(server, admin, 'Second Guild');
    const third = await createGuild(server, admin, 'Third Guild');
    const ids = [second.id, third.id];
    const res = await server.api('GET', '/api/v10/users/@me/guilds?limit=1', { token: admin.token });
    expect(res.body.map((g: { id: string }) => g.id)).toEqual([guild.id]);
    const after = await server.api('GET', `/api/v10/users/@me/guilds?after=${guild.id}`, { token: admin.token });
    expect(after.body.map((g: { id: string }) => g.id)).toEqual(ids);
    const before = await server.api('GET', `/api/v10/users/@me/guilds?before=${third.id}&limit=1`, { token: admin.token });
    expect(before.body.map((g: { id: string; owner: boolean }) => [g.id, g.owner])).toEqual([[second.id, true]]);
  });
});

describe('DELETE /users/@me/guilds/:id', () => {
  it('makes the bot leave the guild with 204 (guild.leave)', async () => {
    const leaver = await botIn(server, admin, guild, 'leaver', ['send_messages']);
    const res = await v10(server, leaver, 'DELETE', `/users/@me/guilds/${guild.id}`);
    expect({ status: res.status, body: res.body }).toEqual({ status: 204, body: null });
    expect(await leaver.rest.get('/users/@me/guilds')).toEqual([]);
  });
});

const applicationOf = (bot: Bot, owner: { id: string; username: string; bot: boolean }) => ({
  id: bot.id,
  name: bot.username,
  icon: null,
  description: '',
  bot_public: false,
  bot_require_code_grant: false,
  bot: { id: bot.id, username: bot.username, discriminator: '0', global_name: null, avatar: null, bot: true, public_flags: 0 },
  owner: { id: owner.id, username: owner.username, discriminator: '0', global_name: null, avatar: null, bot: owner.bot, public_flags: 0 },
  rpc_origins: [],
  summary: '',
  verify_key: '',
  team: null,
  flags: 0,
  flags_new: '0',
});

describe('GET /oauth2/applications/@me', () => {
  it('answers the same application object as /applications/@me (discord.py asks this one at login)', async () => {
    const res = await v10(server, bot, 'GET', '/oauth2/applications/@me');
    expect({ status: res.status, type: res.headers.get('content-type') }).toEqual({ status: 200, type: 'application/json' });
    expect(res.body).toEqual(applicationOf(bot, { ...admin, bot: false }));
    expect((await server.api('GET', '/api/v9/oauth2/applications/@me', { token: bot.token, scheme: 'Bot' })).body).toEqual(res.body);
  });

  it('makes a bot created without an owning account (the CLI) its own owner', async () => {
    const made = await server.harmony.core.services.users.createBot({ username: 'clibot', createdBy: null });
    const res = await server.api('GET', '/api/v10/oauth2/applications/@me', { token: made.token, scheme: 'Bot' });
    expect(res.status).toBe(200);
    expect(res.body.owner).toEqual({ id: made.bot.id, username: 'clibot', discriminator: '0', global_name: null, avatar: null, bot: true, public_flags: 0 });
  });

  it('answers 401 without a token and 10002 Unknown Application to a person', async () => {
    expect((await server.api('GET', '/api/v10/oauth2/applications/@me')).status).toBe(401);
    const res = await server.api('GET', '/api/v10/oauth2/applications/@me', { token: admin.token });
    expect({ status: res.status, body: res.body }).toEqual({ status: 404, body: { message: 'Unknown Application', code: 10002 } });
  });
});

describe('GET /applications/@me', () => {
  it("answers the bot's application: its id, name, bot user, owner and intent flags", async () => {
    const app = (await bot.rest.get('/applications/@me')) as Record<string, unknown>;
    expect(app).toEqual(applicationOf(bot, { ...admin, bot: false }));
  });

  it('shows privileged intents an admin allowed as Gateway* application flags', async () => {
    const res = await server.api('PATCH', `/api/v1/admin/bots/${bot.id}`, {
      token: admin.token,
      body: { privileged_intents: { presence: true, message_content: true } },
    });
    expect(res.status).toBe(200);
    const app = (await bot.rest.get('/applications/@me')) as { flags: number };
    expect(app.flags).toBe((1 << 12) | (1 << 18));
  });
});

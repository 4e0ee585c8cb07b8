// Bots (issue #2 item 8): admins create them (token shown once), regenerate and delete them; guild managers add
// them with permission names or a bitfield string, which become the bot's managed role; guild managers search them.
import { describe, expect, it } from 'bun:test';
import { PermissionFlagsBits as P } from 'discord-api-types/v10';
import {
  type Account,
  addBot,
  as,
  CODE,
  createBot,
  createGuild,
  expectError,
  expectInvalidField,
  grantRole,
  ISO_TIME,
  join,
  people,
  SNOWFLAKE,
  send,
  serverForFile,
} from './fixtures.ts';

const server = await serverForFile();
const [admin, owner, member, roleManager] = await people(server, 'admin', 'owner', 'member', 'rolemanager');
const guild = await createGuild(server, owner, 'Bots');
await join(server, owner, guild, member, roleManager);
await grantRole(server, owner, guild, ['manage_roles', 'send_messages', 'read_messages'], roleManager);

const me = (bot: Account) => server.api('GET', '/api/v1/users/@me', as(bot));

describe('POST /api/v1/admin/bots', () => {
  it('creates a bot with 201 and shows its token once', async () => {
    const res = await server.api('POST', '/api/v1/admin/bots', as(admin, { username: 'PingBot', description: 'Answers !ping' }));
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      bot: {
        id: expect.stringMatching(SNOWFLAKE),
        username: 'PingBot',
        global_name: null,
        avatar: null,
        bot: true,
        description: 'Answers !ping',
        system: false,
        created_by: admin.id,
        privileged_intents: { presence: false, members: false, message_content: false },
        created_at: expect.stringMatching(ISO_TIME),
      },
      token: expect.any(String),
    });
    expect(res.body.token.length).toBeGreaterThanOrEqual(43);
    const self = await server.api('GET', '/api/v1/users/@me', { token: res.body.token, scheme: 'Bot' });
    expect(self.body).toMatchObject({ id: res.body.bot.id, username: 'PingBot', bot: true, admin: false });
  });

  it('refuses a person who is not an instance admin, and a bot, with 403 and code 50001', async () => {
    expectError(await server.api('POST', '/api/v1/admin/bots', as(owner, { username: 'sneaky' })), 403, CODE.missingAccess);
    const bot = await createBot(server, admin, 'adminwannabe');
    expectError(await server.api('POST', '/api/v1/admin/bots', as(bot, { username: 'sneaky' })), 403, CODE.missingAccess);
  });

  it('applies the username rules, unique across people and bots', async () => {
    expectInvalidField(await server.api('POST', '/api/v1/admin/bots', as(admin, { username: 'bad name' })), 'username', 'USERNAME_INVALID');
    expectInvalidField(await server.api('POST', '/api/v1/admin/bots', as(admin, { username: 'OWNER' })), 'username', 'USERNAME_ALREADY_TAKEN');
    expectInvalidField(await server.api('POST', '/api/v1/admin/bots', as(admin, { username: 'pingbot' })), 'username', 'USERNAME_ALREADY_TAKEN');
  });

  it('rejects a description over 400 characters and unknown fields with 400 and code 50035', async () => {
    expectInvalidField(await server.api('POST', '/api/v1/admin/bots', as(admin, { username: 'wordy', description: 'd'.repeat(401) })), 'description');
    expectInvalidField(await server.api('POST', '/api/v1/admin/bots', as(admin, { username: 'tokenwish', token: 'mine' })), 'token');
  });
});

describe('GET /api/v1/admin/bots', () => {
  it('lists bots without their tokens', async () => {
    const bot = await createBot(server, admin, 'ListedBot');
    const res = await server.api('GET', '/api/v1/admin/bots', as(admin));
    expect(res.status).toBe(200);
    const listed = res.body.find((b: { id: string }) => b.id === bot.id);
    expect(Object.keys(listed).sort()).toEqual([
      'avatar',
      'bot',
      'created_at',
      'created_by',
      'description',
      'global_name',
      'id',
      'privileged_intents',
      'system',
      'username',
    ]);
    expect(JSON.stringify(res.body)).not.toContain(bot.token);
    expect(JSON.stringify(res.body)).not.toContain(bot.token.split('.')[1]);
    expect(res.body.every((b: { bot: boolean }) => b.bot)).toBe(true);
  });

  it('filters by ?query=', async () => {
    const res = await server.api('GET', '/api/v1/admin/bots?query=listed', as(admin));
    expect(res.body.map((b: { username: string }) => b.username)).toEqual(['ListedBot']);
  });

  it('refuses a non-admin with 403 and code 50001', async () => {
    expectError(await server.api('GET', '/api/v1/admin/bots', as(owner)), 403, CODE.missingAccess);
  });
});

describe('POST /api/v1/admin/bots/:botId/token', () => {
  it('answers a new token; the old one stops working at once', async () => {
    const bot = await createBot(server, admin, 'RotateBot');
    expect((await me(bot)).status).toBe(200);
    const res = await server.api('POST', `/api/v1/admin/bots/${bot.id}/token`, as(admin));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ bot: expect.objectContaining({ id: bot.id, username: 'RotateBot', bot: true }), token: expect.any(String) });
    expect(res.body.token).not.toBe(bot.token);
    expectError(await me(bot), 401, CODE.general);
    expect((await me({ ...bot, token: res.body.token })).status).toBe(200);
  });

  it('answers 404 with code 10013 for a person or an unknown id, and 403 for a non-admin', async () => {
    expectError(await server.api('POST', `/api/v1/admin/bots/${member.id}/token`, as(admin)), 404, CODE.unknownUser);
    expectError(await server.api('POST', '/api/v1/admin/bots/1234567890123456789/token', as(admin)), 404, CODE.unknownUser);
    const bot = await createBot(server, admin, 'KeptBot');
    expectError(await server.api('POST', `/api/v1/admin/bots/${bot.id}/token`, as(owner)), 403, CODE.missingAccess);
    expect((await me(bot)).status).toBe(200);
  });
});

describe('PATCH /api/v1/admin/bots/:botId', () => {
  it('allows and refuses privileged intents', async () => {
    const bot = await createBot(server, admin, 'IntentBot');
    const res = await server.api('PATCH', `/api/v1/admin/bots/${bot.id}`, as(admin, { privileged_intents: { message_content: true, members: true } }));
    expect(res.status).toBe(200);
    expect(res.body.privileged_intents).toEqual({ presence: false, members: true, message_content: true });
    const off = await server.api('PATCH', `/api/v1/admin/bots/${bot.id}`, as(admin, { privileged_intents: { members: false } }));
    expect(off.body.privileged_intents).toEqual({ presence: false, members: false, message_content: true });
  });
});

describe('PATCH /api/v1/admin/users/:userId (disabled) for a bot', () => {
  it('refuses a disabled bot at once, even right after it was used, and takes it back when enabled again', async () => {
    const bot = await createBot(server, admin, 'PausedBot');
    expect((await me(bot)).status).toBe(200);
    expect((await server.api('PATCH', `/api/v1/admin/users/${bot.id}`, as(admin, { disabled: true }))).status).toBe(200);
    expectError(await me(bot), 401, CODE.general);
    expect((await server.api('PATCH', `/api/v1/admin/users/${bot.id}`, as(admin, { disabled: false }))).status).toBe(200);
    expect((await me(bot)).status).toBe(200);
  });
});

describe('DELETE /api/v1/admin/bots/:botId', () => {
  it('deletes an unused bot with 204: its token stops working and it is unknown', async () => {
    const bot = await createBot(server, admin, 'DoomedBot');
    await addBot(server, owner, guild, bot, ['send_messages']);
    // Used just before (the server keeps a bot's token resolved for a few seconds), refused just after.
    expect((await me(bot)).status).toBe(200);
    expect((await server.api('DELETE', `/api/v1/admin/bots/${bot.id}`, as(admin))).status).toBe(204);
    expectError(await me(bot), 401, CODE.general);
    expectError(await server.api('GET', `/api/v1/users/${bot.id}`, as(owner)), 404, CODE.unknownUser);
    expect((await server.api('GET', '/api/v1/admin/bots', as(admin))).body.map((b: { id: string }) => b.id)).not.toContain(bot.id);
    expect((await server.api('GET', `/api/v1/guilds/${guild.id}/bots`, as(owner))).body.map((b: { bot: { id: string } }) => b.bot.id)).not.toContain(bot.id);
    expectError(await server.api('DELETE', `/api/v1/admin/bots/${bot.id}`, as(admin)), 404, CODE.unknownUser);
  });

  it('deletes a bot that has spoken: its messages stay, authored by "Deleted User", and its name is free again', async () => {
    const bot = await createBot(server, admin, 'TalkativeBot');
    await addBot(server, owner, guild, bot, ['send_messages', 'read_messages']);
    const message = await send(server, bot, guild.generalId, 'I was here');
    expect((await server.api('DELETE', `/api/v1/admin/bots/${bot.id}`, as(admin))).status).toBe(204);
    expectError(await me(bot), 401, CODE.general);
    const stored = await server.api('GET', `/api/v1/channels/${guild.generalId}/messages/${message.id}`, as(owner));
    expect(stored.status).toBe(200);
    expect(stored.body.content).toBe('I was here');
    expect(stored.body.author).toEqual({ id: bot.id, username: 'Deleted User', global_name: null, avatar: null, bot: true });
    expect((await server.api('GET', `/api/v1/guilds/${guild.id}/members/${bot.id}`, as(owner))).status).toBe(404);
    expect((await server.api('POST', '/api/v1/admin/bots', as(admin, { username: 'TalkativeBot' }))).status).toBe(201);
  });

  it('deletes a bot that owns a guild together with that guild', async () => {
    const bot = await createBot(server, admin, 'FounderBot');
    const created = await server.api('POST', '/api/v1/guilds', as(bot, { name: 'Bot Land' }));
    expect(created.status).toBe(201);
    expect((await server.api('DELETE', `/api/v1/admin/bots/${bot.id}`, as(admin))).status).toBe(204);
    expectError(await server.api('GET', `/api/v1/guilds/${created.body.id}`, as(admin)), 404, CODE.unknownGuild);
  });

  it('answers 404 with code 10013 for a person', async () => {
    expectError(await server.api('DELETE', `/api/v1/admin/bots/${member.id}`, as(admin)), 404, CODE.unknownUser);
    expect((await server.api('GET', '/api/v1/users/@me', as(member))).status).toBe(200);
  });
});

describe('PUT /api/v1/guilds/:guildId/bots/:botId', () => {
  it('adds a bot with permission names: it joins with a managed role holding exactly those', async () => {
    const bot = await createBot(server, admin, 'NamedPermsBot');
    const res = await server.api(
      'PUT',
      `/api/v1/guilds/${guild.id}/bots/${bot.id}`,
      as(owner, { permissions: ['send_messages', 'read_messages', 'manage_messages'] }),
    );
    expect(res.status).toBe(200);
    const bits = P.SendMessages | P.ViewChannel | P.ManageMessages;
    expect(res.body).toEqual({
      bot: { id: bot.id, username: 'NamedPermsBot', global_name: null, avatar: null, bot: true },
      role_id: expect.stringMatching(SNOWFLAKE),
      permissions: bits.toString(),
      permission_names: ['read_messages', 'send_messages', 'manage_messages', 'view_channels'],
      joined_at: expect.stringMatching(ISO_TIME),
    });
    const roles = (await server.api('GET', `/api/v1/guilds/${guild.id}/roles`, as(member))).body;
    const managed = roles.find((r: { id: string }) => r.id === res.body.role_id);
    expect(managed).toMatchObject({ name: 'NamedPermsBot', permissions: bits.toString(), managed: true, bot_id: bot.id });
    expect(managed.position).toBe(Math.max(...roles.map((r: { position: number }) => r.position)));
    const asMember = await server.api('GET', `/api/v1/guilds/${guild.id}/members/${bot.id}`, as(member));
    expect(asMember.body).toMatchObject({ user: { id: bot.id, bot: true }, roles: [res.body.role_id] });
  });

  it("takes a bitfield string, and changes an added bot's permissions in place", async () => {
    const bot = await createBot(server, admin, 'BitsBot');
    const first = await addBot(server, owner, guild, bot, P.SendMessages.toString());
    const second = await addBot(server, owner, guild, bot, (P.SendMessages | P.KickMembers).toString());
    expect(second.role_id).toBe(first.role_id);
    expect(second.permissions).toBe((P.SendMessages | P.KickMembers).toString());
    const roles = (await server.api('GET', `/api/v1/guilds/${guild.id}/roles`, as(owner))).body;
    expect(roles.filter((r: { bot_id: string | null }) => r.bot_id === bot.id)).toHaveLength(1);
    const members = (await server.api('GET', `/api/v1/guilds/${guild.id}/members?limit=1000`, as(owner))).body;
    expect(members.filter((m: { user: { id: string } }) => m.user.id === bot.id)).toHaveLength(1);
  });

  it("gives the bot exactly its managed role's permissions, on top of @everyone, and changes apply at once", async () => {
    const bot = await createBot(server, admin, 'ModBot');
    await addBot(server, owner, guild, bot, ['read_messages', 'send_messages']);
    const message = await send(server, member, guild.generalId, 'moderate me');
    expectError(await server.api('DELETE', `/api/v1/messages/${message.id}`, as(bot)), 403, CODE.missingPermissions);
    expectError(await server.api('POST', `/api/v1/guilds/${guild.id}/channels`, as(bot, { name: 'bot-made' })), 403, CODE.missingPermissions);
    await addBot(server, owner, guild, bot, ['read_messages', 'send_messages', 'manage_messages', 'manage_channels']);
    expect((await server.api('DELETE', `/api/v1/messages/${message.id}`, as(bot))).status).toBe(204);
    expect((await server.api('POST', `/api/v1/guilds/${guild.id}/channels`, as(bot, { name: 'bot-made' }))).status).toBe(201);
  });

  it('lets a member with manage_roles add a bot with permissions they hold, and not more (403)', async () => {
    const bot = await createBot(server, admin, 'DelegatedBot');
    expect((await server.api('PUT', `/api/v1/guilds/${guild.id}/bots/${bot.id}`, as(roleManager, { permissions: ['send_messages'] }))).status).toBe(200);
    expectError(
      await server.api('PUT', `/api/v1/guilds/${guild.id}/bots/${bot.id}`, as(roleManager, { permissions: ['ban_members'] })),
      403,
      CODE.missingPermissions,
    );
  });

  it('refuses a member without manage_guild or manage_roles with 403 and code 50013', async () => {
    const bot = await createBot(server, admin, 'UnwantedBot');
    expectError(await server.api('PUT', `/api/v1/guilds/${guild.id}/bots/${bot.id}`, as(member, { permissions: [] })), 403, CODE.missingPermissions);
  });

  it('refuses a bot caller with 403 (only people add bots)', async () => {
    const [caller, target] = [await createBot(server, admin, 'CallerBot'), await createBot(server, admin, 'TargetBot')];
    await addBot(server, owner, guild, caller, ['manage_guild']);
    expectError(await server.api('PUT', `/api/v1/guilds/${guild.id}/bots/${target.id}`, as(caller, { permissions: [] })), 403, CODE.missingAccess);
  });

  it('answers 404 with code 10013 for a person or an unknown id', async () => {
    expectError(await server.api('PUT', `/api/v1/guilds/${guild.id}/bots/${member.id}`, as(owner, { permissions: [] })), 404, CODE.unknownUser);
    expectError(await server.api('PUT', `/api/v1/guilds/${guild.id}/bots/1234567890123456789`, as(owner, { permissions: [] })), 404, CODE.unknownUser);
  });

  it('refuses a banned bot with 403, adding no role', async () => {
    const bot = await createBot(server, admin, 'BannedBot');
    await server.api('PUT', `/api/v1/guilds/${guild.id}/bans/${bot.id}`, as(owner));
    expectError(await server.api('PUT', `/api/v1/guilds/${guild.id}/bots/${bot.id}`, as(owner, { permissions: [] })), 403, CODE.missingAccess);
    const roles = (await server.api('GET', `/api/v1/guilds/${guild.id}/roles`, as(owner))).body;
    expect(roles.some((r: { bot_id: string | null }) => r.bot_id === bot.id)).toBe(false);
  });

  it('rejects unknown permission names and a missing permissions field with 400 and code 50035', async () => {
    const bot = await createBot(server, admin, 'TypoBot');
    expectInvalidField(
      await server.api('PUT', `/api/v1/guilds/${guild.id}/bots/${bot.id}`, as(owner, { permissions: ['send_mesages'] })),
      'permissions',
      'PERMISSIONS_INVALID',
    );
    expectInvalidField(await server.api('PUT', `/api/v1/guilds/${guild.id}/bots/${bot.id}`, as(owner, {})), 'permissions');
  });
});

describe('GET and DELETE /api/v1/guilds/:guildId/bots/:botId', () => {
  it('lists the bots of a guild with their permissions, and removes one with 204 (role and membership go)', async () => {
    const bot = await createBot(server, admin, 'RemovableBot');
    const added = await addBot(server, owner, guild, bot, ['send_messages']);
    const listed = await server.api('GET', `/api/v1/guilds/${guild.id}/bots`, as(member));
    expect(listed.status).toBe(200);
    expect(listed.body).toContainEqual(added);
    expect((await server.api('DELETE', `/api/v1/guilds/${guild.id}/bots/${bot.id}`, as(owner))).status).toBe(204);
    expectError(await server.api('GET', `/api/v1/guilds/${guild.id}`, as(bot)), 403, CODE.missingAccess);
    const roles = (await server.api('GET', `/api/v1/guilds/${guild.id}/roles`, as(owner))).body;
    expect(roles.map((r: { id: string }) => r.id)).not.toContain(added.role_id);
    expectError(await server.api('DELETE', `/api/v1/guilds/${guild.id}/bots/${bot.id}`, as(owner)), 404, CODE.unknownMember);
  });

  it.each([
    ['kicked', (bot: Account) => server.api('DELETE', `/api/v1/guilds/${guild.id}/members/${bot.id}`, as(owner))],
    ['banned', (bot: Account) => server.api('PUT', `/api/v1/guilds/${guild.id}/bans/${bot.id}`, as(owner))],
    ['leaving', (bot: Account) => server.api('DELETE', `/api/v1/users/@me/guilds/${guild.id}`, as(bot))],
  ])('removes the managed role of a bot %s, and gives a fresh one when it is added again', async (how, remove) => {
    const bot = await createBot(server, admin, `Gone${how}Bot`);
    const added = await addBot(server, owner, guild, bot, ['send_messages']);
    expect((await remove(bot)).status).toBe(204);
    const roleIds = async () => (await server.api('GET', `/api/v1/guilds/${guild.id}/roles`, as(owner))).body.map((r: { id: string }) => r.id);
    expect(await roleIds()).not.toContain(added.role_id);
    await server.api('DELETE', `/api/v1/guilds/${guild.id}/bans/${bot.id}`, as(owner));
    const again = await addBot(server, owner, guild, bot, ['send_messages']);
    expect(await roleIds()).toContain(again.role_id);
  });

  it('refuses removal by a member without manage_guild or manage_roles with 403', async () => {
    const bot = await createBot(server, admin, 'StayingBot');
    await addBot(server, owner, guild, bot, []);
    expectError(await server.api('DELETE', `/api/v1/guilds/${guild.id}/bots/${bot.id}`, as(member)), 403, CODE.missingPermissions);
  });
});

describe('GET /api/v1/bots?query=', () => {
  it('finds bots by part of their name, case-insensitively, without tokens', async () => {
    const bot = await createBot(server, admin, 'WeatherBot');
    const res = await server.api('GET', '/api/v1/bots?query=weath', as(owner));
    expect(res.status).toBe(200);
    expect(res.body).toEqual([expect.objectContaining({ id: bot.id, username: 'WeatherBot', bot: true })]);
    expect(JSON.stringify(res.body)).not.toContain(bot.token);
  });

  it('leaves out disabled bots and honours limit', async () => {
    const bot = await createBot(server, admin, 'DisabledSearchBot');
    await server.api('PATCH', `/api/v1/admin/users/${bot.id}`, as(admin, { disabled: true }));
    expect((await server.api('GET', '/api/v1/bots?query=disabledsearch', as(owner))).body).toEqual([]);
    expect((await server.api('GET', '/api/v1/bots?limit=1', as(owner))).body).toHaveLength(1);
  });

  it('treats % and _ in the query literally', async () => {
    expect((await server.api('GET', '/api/v1/bots?query=%25', as(owner))).body).toEqual([]);
  });

  it('refuses a bot caller with 403', async () => {
    const bot = await createBot(server, admin, 'SearcherBot');
    expectError(await server.api('GET', '/api/v1/bots', as(bot)), 403, CODE.missingAccess);
  });
});

// /channels/:id through the discord dialect: the channel shape, edits (with overwrite replacement),
// deletion, permission overwrites, invites, typing and pins.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { PermissionFlagsBits as P } from 'discord-api-types/v10';
import { startServer, type TestServer } from '../../support/test-server.ts';
import { type Bot, botIn, createGuild, expectDiscordError, type Guild, ISO_TIME, join, type Person, people, post, SNOWFLAKE, v10 } from './fixtures.ts';

let server: TestServer;
let admin: Person;
let bob: Person;
let guild: Guild;
let bot: Bot;
let manager: Bot & { roleId: string };

const TALK = ['read_messages', 'send_messages', 'read_message_history'];
type Json = Record<string, any>;

beforeAll(async () => {
  server = await startServer({ rateLimits: false });
  [admin, bob] = (await people(server, 'admin', 'bob')) as [Person, Person];
  guild = await createGuild(server, admin);
  await join(server, admin, guild, bob);
  bot = await botIn(server, admin, guild, 'chanbot', TALK);
  manager = await botIn(server, admin, guild, 'chanmanager', [...TALK, 'manage_channels', 'manage_roles', 'manage_messages', 'create_instant_invite']);
});
afterAll(() => server.stop());

const newChannel = async (name: string) => (await manager.rest.post(`/guilds/${guild.id}/channels`, { body: { name } })) as Json;

describe('GET /channels/:id', () => {
  it('answers a guild text channel in Discord shape, guild_id included', async () => {
    // bob's arrival through an invite was announced there ("bob joined the server"): its last message.
    const [announced] = (await manager.rest.get(`/channels/${guild.generalId}/messages`)) as Json[];
    expect(announced).toMatchObject({ type: 7, author: { id: bob.id } });
    expect(await bot.rest.get(`/channels/${guild.generalId}`)).toEqual({
      id: guild.generalId,
      type: 0,
      guild_id: guild.id,
      name: 'general',
      position: 0,
      permission_overwrites: [],
      parent_id: null,
      nsfw: false,
      topic: null,
      last_message_id: announced?.id,
      rate_limit_per_user: 0,
      flags: 0,
    });
  });

  it('tracks last_message_id', async () => {
    const sent = await post(server, bob, guild.generalId, 'latest');
    expect(((await bot.rest.get(`/channels/${guild.generalId}`)) as Json).last_message_id).toBe(sent.id);
  });

  it('answers 10003 for an unknown channel and 50001 for one the bot cannot see', async () => {
    await expectDiscordError(bot.rest.get('/channels/1000000000000000006'), 404, 10003, 'Unknown Channel');
    const secret = await newChannel('secret');
    await manager.rest.put(`/channels/${secret.id}/permissions/${guild.id}`, { body: { type: 0, deny: P.ViewChannel.toString() } });
    await expectDiscordError(bot.rest.get(`/channels/${secret.id}`), 403, 50001, 'Missing Access');
  });
});

describe('PATCH /channels/:id', () => {
  it('renames and re-topics a channel (channel.edit) and answers it', async () => {
    const channel = await newChannel('before');
    const edited = (await manager.rest.patch(`/channels/${channel.id}`, {
      body: { name: 'after', topic: 'a topic', nsfw: false, rate_limit_per_user: 0 },
      reason: 'tidy',
    })) as Json;
    expect({ name: edited.name, topic: edited.topic, id: edited.id }).toEqual({ name: 'after', topic: 'a topic', id: channel.id });
  });

  it('replaces the overwrite list with permission_overwrites (permissionOverwrites.set)', async () => {
    const channel = await newChannel('overwrites');
    await manager.rest.put(`/channels/${channel.id}/permissions/${bob.id}`, { body: { type: 1, allow: '0', deny: P.SendMessages.toString() } });
    const edited = (await manager.rest.patch(`/channels/${channel.id}`, {
      body: { permission_overwrites: [{ id: guild.id, type: 0, allow: '0', deny: P.AddReactions.toString() }] },
    })) as Json;
    expect(edited.permission_overwrites).toEqual([{ id: guild.id, type: 0, allow: '0', deny: P.AddReactions.toString() }]);
  });

  it('refuses a channel type other than text with 50035 on type', async () => {
    const error = await expectDiscordError(manager.rest.patch(`/channels/${guild.generalId}`, { body: { type: 2 } }), 400, 50035);
    expect(Object.keys((error.rawError as Json).errors)).toEqual(['type']);
  });

  it('answers 50013 without MANAGE_CHANNELS', async () => {
    await expectDiscordError(bot.rest.patch(`/channels/${guild.generalId}`, { body: { name: 'mine' } }), 403, 50013);
  });

  it('refuses a name over 100 characters with 50035 on name', async () => {
    const res = await v10(server, manager, 'PATCH', `/channels/${guild.generalId}`, { name: 'x'.repeat(101) });
    expect({ status: res.status, code: res.body.code, fields: Object.keys(res.body.errors) }).toEqual({ status: 400, code: 50035, fields: ['name'] });
  });
});

describe('DELETE /channels/:id', () => {
  it('deletes a channel and answers it (channel.delete)', async () => {
    const channel = await newChannel('doomed');
    const deleted = (await manager.rest.delete(`/channels/${channel.id}`)) as Json;
    expect(deleted).toEqual(channel);
    await expectDiscordError(manager.rest.get(`/channels/${channel.id}`), 404, 10003);
  });
});

describe('PUT/DELETE /channels/:id/permissions/:overwriteId', () => {
  it('sets a member overwrite from bitfield strings with 204, and removes it', async () => {
    const channel = await newChannel('perms');
    const res = await v10(server, manager, 'PUT', `/channels/${channel.id}/permissions/${bob.id}`, {
      type: 1,
      allow: P.AddReactions.toString(),
      deny: P.SendMessages.toString(),
    });
    expect({ status: res.status, body: res.body }).toEqual({ status: 204, body: null });
    expect(((await manager.rest.get(`/channels/${channel.id}`)) as Json).permission_overwrites).toEqual([
      { id: bob.id, type: 1, allow: P.AddReactions.toString(), deny: P.SendMessages.toString() },
    ]);
    await manager.rest.delete(`/channels/${channel.id}/permissions/${bob.id}`);
    expect(((await manager.rest.get(`/channels/${channel.id}`)) as Json).permission_overwrites).toEqual([]);
  });

  it('refuses bits that are no permission with 50035, and an unknown role with 10011', async () => {
    await expectDiscordError(
      manager.rest.put(`/channels/${guild.generalId}/permissions/${bob.id}`, { body: { type: 1, allow: (1n << 62n).toString() } }),
      400,
      50035,
    );
    await expectDiscordError(manager.rest.put(`/channels/${guild.generalId}/permissions/1000000000000000007`, { body: { type: 0, allow: '0' } }), 404, 10011);
  });

  it('answers 50013 without MANAGE_ROLES', async () => {
    await expectDiscordError(bot.rest.put(`/channels/${guild.generalId}/permissions/${bob.id}`, { body: { type: 1, deny: '2048' } }), 403, 50013);
  });
});

describe('GET/POST /channels/:id/invites', () => {
  it('creates an invite with Discord defaults (one day) and lists it with its metadata', async () => {
    const invite = (await manager.rest.post(`/channels/${guild.generalId}/invites`, { body: {} })) as Json;
    expect(invite).toEqual({
      code: expect.stringMatching(/^[A-Za-z0-9]{10}$/),
      type: 0,
      guild: {
        id: guild.id,
        name: 'Compat Guild',
        icon: null,
        splash: null,
        banner: null,
        description: null,
        features: [],
        verification_level: 0,
        vanity_url_code: null,
        nsfw_level: 0,
        premium_subscription_count: 0,
      },
      channel: { id: guild.generalId, name: 'general', type: 0 },
      inviter: { id: manager.id, username: 'chanmanager', discriminator: '0', global_name: null, avatar: null, bot: true, public_flags: 0 },
      expires_at: expect.stringMatching(ISO_TIME),
      uses: 0,
      max_uses: 0,
      max_age: 86400,
      temporary: false,
      created_at: expect.stringMatching(ISO_TIME),
    });
    const never = (await manager.rest.post(`/channels/${guild.generalId}/invites`, { body: { max_age: 0, max_uses: 5, unique: true } })) as Json;
    expect({ expires_at: never.expires_at, max_age: never.max_age, max_uses: never.max_uses }).toEqual({ expires_at: null, max_age: 0, max_uses: 5 });
    const listed = (await manager.rest.get(`/channels/${guild.generalId}/invites`)) as Json[];
    // The invite bob joined with (made through v1) is listed too.
    expect(listed.map((i) => i.code)).toEqual(expect.arrayContaining([invite.code, never.code]));
    expect(listed.find((i) => i.code === never.code)).toEqual(never);
  });

  it('refuses max_age over a week with 50035 on max_age', async () => {
    const res = await v10(server, manager, 'POST', `/channels/${guild.generalId}/invites`, { max_age: 604801 });
    expect({ status: res.status, fields: Object.keys(res.body.errors) }).toEqual({ status: 400, fields: ['max_age'] });
  });

  it('answers 50013 listing invites without MANAGE_CHANNELS', async () => {
    await expectDiscordError(bot.rest.get(`/channels/${guild.generalId}/invites`), 403, 50013);
  });
});

describe('POST /channels/:id/typing', () => {
  it('answers 204 (channel.sendTyping)', async () => {
    const res = await v10(server, bot, 'POST', `/channels/${guild.generalId}/typing`);
    expect({ status: res.status, body: res.body }).toEqual({ status: 204, body: null });
  });
});

describe('pins', () => {
  it('pins and unpins with the legacy routes and lists pinned messages', async () => {
    const message = await post(server, bob, guild.generalId, 'pin me');
    const res = await v10(server, manager, 'PUT', `/channels/${guild.generalId}/pins/${message.id}`);
    expect(res.status).toBe(204);
    const pinned = (await bot.rest.get(`/channels/${guild.generalId}/pins`)) as Json[];
    expect(pinned.map((m) => [m.id, m.pinned])).toEqual([[message.id, true]]);
    await manager.rest.delete(`/channels/${guild.generalId}/pins/${message.id}`);
    expect(await bot.rest.get(`/channels/${guild.generalId}/pins`)).toEqual([]);
  });

  it('pins with /messages/pins and lists {items: [{pinned_at, message}], has_more} (messages.fetchPins)', async () => {
    const first = await post(server, bob, guild.generalId, 'first pin');
    const second = await post(server, bob, guild.generalId, 'second pin');
    for (const m of [first, second]) await manager.rest.put(`/channels/${guild.generalId}/messages/pins/${m.id}`);
    const page = (await bot.rest.get(`/channels/${guild.generalId}/messages/pins`, { query: new URLSearchParams({ limit: '1' }) })) as Json;
    expect(page).toEqual({
      items: [{ pinned_at: expect.stringMatching(ISO_TIME), message: expect.objectContaining({ id: second.id, pinned: true }) }],
      has_more: true,
    });
    const all = (await bot.rest.get(`/channels/${guild.generalId}/messages/pins`)) as Json;
    expect(all.items.map((i: Json) => i.message.id)).toEqual([second.id, first.id]);
    await manager.rest.delete(`/channels/${guild.generalId}/messages/pins/${second.id}`);
    const after = (await bot.rest.get(`/channels/${guild.generalId}/messages/pins`)) as Json;
    expect({ ids: after.items.map((i: Json) => i.message.id), more: after.has_more }).toEqual({ ids: [first.id], more: false });
  });

  it('answers 50013 pinning without MANAGE_MESSAGES and 10008 for an unknown message', async () => {
    const message = await post(server, bob, guild.generalId, 'not yours to pin');
    await expectDiscordError(bot.rest.put(`/channels/${guild.generalId}/messages/pins/${message.id}`), 403, 50013);
    await expectDiscordError(manager.rest.put(`/channels/${guild.generalId}/messages/pins/1000000000000000008`), 404, 10008);
  });
});

describe('ids', () => {
  it('are 19-digit snowflakes, so @discordjs/rest buckets by major parameter', () => {
    expect(guild.generalId).toMatch(SNOWFLAKE);
    expect(guild.generalId).toHaveLength(19);
  });
});

// /guilds/:id through the discord dialect: the APIGuild shape discord.js patches, edits, channels, roles.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { PermissionFlagsBits as P } from 'discord-api-types/v10';
import { DEFAULT_EVERYONE_PERMISSIONS } from '../../../src/domain/permissions.ts';
import { startServer, type TestServer } from '../../support/test-server.ts';
import { type Bot, botIn, createGuild, expectDiscordError, type Guild, join, type Person, people, SNOWFLAKE, v10 } from './fixtures.ts';

let server: TestServer;
let admin: Person;
let bob: Person;
let guild: Guild;
let bot: Bot & { roleId: string };
let manager: Bot & { roleId: string };

const TALK = ['read_messages', 'send_messages', 'read_message_history'];
const MANAGE = [...TALK, 'manage_guild', 'manage_channels', 'manage_roles'];
type Json = Record<string, any>;

const roleShape = (id: string, name: string, position: number, permissions: bigint, botId?: string) => ({
  id,
  name,
  color: 0,
  colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
  hoist: false,
  icon: null,
  unicode_emoji: null,
  position,
  permissions: permissions.toString(),
  managed: botId !== undefined,
  mentionable: false,
  ...(botId !== undefined ? { tags: { bot_id: botId } } : {}),
  flags: 0,
});

beforeAll(async () => {
  server = await startServer({ rateLimits: false });
  [admin, bob] = (await people(server, 'admin', 'bob')) as [Person, Person];
  guild = await createGuild(server, admin);
  await join(server, admin, guild, bob);
  bot = await botIn(server, admin, guild, 'guildbot', TALK);
  manager = await botIn(server, admin, guild, 'guildmanager', MANAGE);
});
afterAll(() => server.stop());

describe('GET /guilds/:id', () => {
  it('answers every field APIGuild requires, with @everyone (id = guild id) among the roles', async () => {
    expect(await bot.rest.get(`/guilds/${guild.id}`)).toEqual({
      id: guild.id,
      name: 'Compat Guild',
      icon: null,
      splash: null,
      discovery_splash: null,
      banner: null,
      description: null,
      owner_id: admin.id,
      afk_channel_id: null,
      afk_timeout: 300,
      widget_enabled: false,
      widget_channel_id: null,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      roles: [
        roleShape(guild.id, '@everyone', 0, DEFAULT_EVERYONE_PERMISSIONS),
        roleShape(bot.roleId, 'guildbot', 1, P.ViewChannel | P.SendMessages | P.ReadMessageHistory, bot.id),
        roleShape(
          manager.roleId,
          'guildmanager',
          2,
          P.ViewChannel | P.SendMessages | P.ReadMessageHistory | P.ManageGuild | P.ManageChannels | P.ManageRoles,
          manager.id,
        ),
      ],
      emojis: [],
      stickers: [],
      features: [],
      mfa_level: 0,
      application_id: null,
      system_channel_id: guild.generalId,
      system_channel_flags: 0,
      rules_channel_id: null,
      public_updates_channel_id: null,
      safety_alerts_channel_id: null,
      vanity_url_code: null,
      premium_tier: 0,
      premium_subscription_count: 0,
      premium_progress_bar_enabled: false,
      preferred_locale: 'en-US',
      nsfw_level: 0,
      hub_type: null,
      incidents_data: null,
      max_members: 500000,
      max_presences: null,
    });
  });

  it('adds approximate_member_count and approximate_presence_count with with_counts=true (guild.fetch)', async () => {
    const fetched = (await bot.rest.get(`/guilds/${guild.id}`, { query: new URLSearchParams({ with_counts: 'true' }) })) as Json;
    expect([fetched.approximate_member_count, fetched.approximate_presence_count]).toEqual([4, 0]);
  });

  it('answers 10004 Unknown Guild and 50001 for a guild the bot is not in', async () => {
    await expectDiscordError(bot.rest.get('/guilds/1000000000000000009'), 404, 10004, 'Unknown Guild');
    const other = await createGuild(server, admin, 'Not Yours');
    await expectDiscordError(bot.rest.get(`/guilds/${other.id}`), 403, 50001);
  });

  it('is the same under /api/v9', async () => {
    const res = await server.api('GET', `/api/v9/guilds/${guild.id}`, { token: bot.token, scheme: 'Bot' });
    expect(res.body).toEqual(await bot.rest.get(`/guilds/${guild.id}`));
  });
});

describe('PATCH /guilds/:id', () => {
  it('renames and describes the guild (guild.edit), ignoring settings Harmony does not have', async () => {
    const edited = (await manager.rest.patch(`/guilds/${guild.id}`, {
      body: { name: 'Renamed Guild', description: 'about', verification_level: 1, afk_timeout: 60 },
    })) as Json;
    expect({ name: edited.name, description: edited.description, verification_level: edited.verification_level }).toEqual({
      name: 'Renamed Guild',
      description: 'about',
      verification_level: 0,
    });
    await manager.rest.patch(`/guilds/${guild.id}`, { body: { name: 'Compat Guild', description: null } });
  });

  it('refuses an icon that is not image data (a broken data URI, javascript:, file:, a URL) with 50035 IMAGE_INVALID on icon', async () => {
    for (const icon of ['data:image/png;base64,AAAA', 'javascript:alert(document.cookie)', 'file:///etc/passwd', 'https://example.com/i.png']) {
      const error = await expectDiscordError(manager.rest.patch(`/guilds/${guild.id}`, { body: { icon } }), 400, 50035);
      expect((error.rawError as Json).errors).toEqual({ icon: { _errors: [{ code: 'IMAGE_INVALID', message: 'Invalid image data' }] } });
    }
  });

  it('answers 50013 without MANAGE_GUILD', async () => {
    await expectDiscordError(bot.rest.patch(`/guilds/${guild.id}`, { body: { name: 'Mine Now' } }), 403, 50013);
  });
});

describe('GET/POST /guilds/:id/channels', () => {
  it('lists the channels the bot can see (guild.channels.fetch)', async () => {
    const list = (await bot.rest.get(`/guilds/${guild.id}/channels`)) as Json[];
    expect(list.map((c) => [c.id, c.name, c.type, c.guild_id])).toEqual([[guild.generalId, 'general', 0, guild.id]]);
  });

  it('creates a text channel with overwrites and answers 201 with the channel (guild.channels.create)', async () => {
    const res = await v10(server, manager, 'POST', `/guilds/${guild.id}/channels`, {
      name: 'New Channel',
      type: 0,
      topic: 'fresh',
      permission_overwrites: [{ id: guild.id, type: 0, allow: '0', deny: P.SendMessages.toString() }],
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(SNOWFLAKE),
      type: 0,
      guild_id: guild.id,
      name: 'new-channel',
      position: 1,
      permission_overwrites: [{ id: guild.id, type: 0, allow: '0', deny: P.SendMessages.toString() }],
      parent_id: null,
      nsfw: false,
      topic: 'fresh',
      last_message_id: null,
      rate_limit_per_user: 0,
      flags: 0,
    });
  });

  it('refuses voice and category channels with 50035 on type', async () => {
    for (const type of [2, 4]) {
      const error = await expectDiscordError(manager.rest.post(`/guilds/${guild.id}/channels`, { body: { name: 'nope', type } }), 400, 50035);
      expect(Object.keys((error.rawError as Json).errors)).toEqual(['type']);
    }
  });

  it('refuses a missing name with 50035 on name, and answers 50013 without MANAGE_CHANNELS', async () => {
    const res = await v10(server, manager, 'POST', `/guilds/${guild.id}/channels`, { type: 0 });
    expect({ status: res.status, code: res.body.code, fields: Object.keys(res.body.errors) }).toEqual({ status: 400, code: 50035, fields: ['name'] });
    await expectDiscordError(bot.rest.post(`/guilds/${guild.id}/channels`, { body: { name: 'x' } }), 403, 50013);
  });

  it('moves channels with PATCH /guilds/:id/channels (204)', async () => {
    const created = (await manager.rest.post(`/guilds/${guild.id}/channels`, { body: { name: 'mover' } })) as Json;
    const res = await v10(server, manager, 'PATCH', `/guilds/${guild.id}/channels`, [{ id: created.id, position: 7 }]);
    expect(res.status).toBe(204);
    expect(((await manager.rest.get(`/channels/${created.id}`)) as Json).position).toBe(7);
  });
});

describe('roles', () => {
  it('lists roles lowest first (guild.roles.fetch)', async () => {
    const roles = (await bot.rest.get(`/guilds/${guild.id}/roles`)) as Json[];
    expect(roles.map((r) => r.id)).toEqual([guild.id, bot.roleId, manager.roleId]);
  });

  it('creates a role from Discord fields and answers it (guild.roles.create)', async () => {
    const created = (await manager.rest.post(`/guilds/${guild.id}/roles`, {
      body: { name: 'helpers', permissions: P.SendMessages.toString(), color: 0x3498db, hoist: true, mentionable: true, icon: null },
    })) as Json;
    expect(created).toEqual({
      ...roleShape(created.id, 'helpers', 1, P.SendMessages),
      color: 0x3498db,
      colors: { primary_color: 0x3498db, secondary_color: null, tertiary_color: null },
      hoist: true,
      mentionable: true,
    });
    expect(await bot.rest.get(`/guilds/${guild.id}/roles/${created.id}`)).toEqual(created);
  });

  it('edits and deletes a role (role.edit, role.delete)', async () => {
    const created = (await manager.rest.post(`/guilds/${guild.id}/roles`, { body: { name: 'temp' } })) as Json;
    const edited = (await manager.rest.patch(`/guilds/${guild.id}/roles/${created.id}`, { body: { name: 'renamed', colors: { primary_color: 5 } } })) as Json;
    expect([edited.name, edited.color]).toEqual(['renamed', 5]);
    const res = await v10(server, manager, 'DELETE', `/guilds/${guild.id}/roles/${created.id}`);
    expect(res.status).toBe(204);
    await expectDiscordError(bot.rest.get(`/guilds/${guild.id}/roles/${created.id}`), 404, 10011, 'Unknown Role');
  });

  it('moves roles with PATCH /guilds/:id/roles and answers the list', async () => {
    const a = (await manager.rest.post(`/guilds/${guild.id}/roles`, { body: { name: 'a' } })) as Json;
    const list = (await manager.rest.patch(`/guilds/${guild.id}/roles`, { body: [{ id: a.id, position: 2 }] })) as Json[];
    expect(list.find((r) => r.id === a.id)?.position).toBe(2);
  });

  it('refuses permissions the bot does not hold with 50013, and anything without MANAGE_ROLES', async () => {
    await expectDiscordError(manager.rest.post(`/guilds/${guild.id}/roles`, { body: { permissions: P.Administrator.toString() } }), 403, 50013);
    await expectDiscordError(bot.rest.post(`/guilds/${guild.id}/roles`, { body: { name: 'x' } }), 403, 50013);
  });

  it('refuses a permissions value that is not a bitfield string with 50035 on permissions', async () => {
    const res = await v10(server, manager, 'POST', `/guilds/${guild.id}/roles`, { permissions: 'all' });
    expect({ status: res.status, code: res.body.code, fields: Object.keys(res.body.errors) }).toEqual({ status: 400, code: 50035, fields: ['permissions'] });
  });
});

describe('GET /guilds/:id/invites', () => {
  it('lists invites with MANAGE_GUILD and answers 50013 without', async () => {
    const invites = (await manager.rest.get(`/guilds/${guild.id}/invites`)) as Json[];
    expect(invites.length).toBeGreaterThan(0);
    expect(invites.every((i) => i.guild.id === guild.id && typeof i.uses === 'number')).toBe(true);
    await expectDiscordError(bot.rest.get(`/guilds/${guild.id}/invites`), 403, 50013);
  });
});

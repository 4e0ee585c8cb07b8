// Members and bans through the discord dialect: fetch, nicknames, roles, kick, ban (reason from the
// X-Audit-Log-Reason header, as discord.js sends it).
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { startServer, type TestServer } from '../../support/test-server.ts';
import { type Bot, botIn, createGuild, expectDiscordError, type Guild, ISO_TIME, join, type Person, people, v10 } from './fixtures.ts';

let server: TestServer;
let admin: Person;
let bob: Person;
let carol: Person;
let guild: Guild;
let bot: Bot & { roleId: string };
let mod: Bot & { roleId: string };

type Json = Record<string, any>;
const TALK = ['read_messages', 'send_messages', 'read_message_history'];
const MOD = [...TALK, 'change_nickname', 'manage_nicknames', 'manage_roles', 'kick_members', 'ban_members'];
const byId = (a: string, b: string) => (BigInt(a) < BigInt(b) ? -1 : 1);

beforeAll(async () => {
  server = await startServer({ rateLimits: false });
  [admin, bob, carol] = (await people(server, 'admin', 'bob', 'carol')) as [Person, Person, Person];
  guild = await createGuild(server, admin);
  await join(server, admin, guild, bob, carol);
  bot = await botIn(server, admin, guild, 'memberbot', TALK);
  mod = await botIn(server, admin, guild, 'modbot', MOD);
});
afterAll(() => server.stop());

const memberOf = (id: string, username: string, isBot: boolean, roles: string[], nick: string | null = null) => ({
  user: { id, username, discriminator: '0', global_name: null, avatar: null, bot: isBot, public_flags: 0 },
  nick,
  avatar: null,
  banner: null,
  roles,
  joined_at: expect.stringMatching(ISO_TIME),
  premium_since: null,
  deaf: false,
  mute: false,
  flags: 0,
  pending: false,
  communication_disabled_until: null,
});

describe('GET /guilds/:id/members/:userId', () => {
  it('answers a member with its user (guild.members.fetch(id))', async () => {
    expect(await bot.rest.get(`/guilds/${guild.id}/members/${bob.id}`)).toEqual(memberOf(bob.id, 'bob', false, []));
    expect(await bot.rest.get(`/guilds/${guild.id}/members/${bot.id}`)).toEqual(memberOf(bot.id, 'memberbot', true, [bot.roleId]));
  });

  it('answers 10007 Unknown Member for someone not in the guild', async () => {
    const [outsider] = await people(server, 'outsider');
    await expectDiscordError(bot.rest.get(`/guilds/${guild.id}/members/${outsider!.id}`), 404, 10007, 'Unknown Member');
  });
});

describe('GET /guilds/:id/members', () => {
  it('answers one member by default, then pages by user id with limit and after', async () => {
    const everyone = [admin.id, bob.id, carol.id, bot.id, mod.id].sort(byId);
    const first = (await bot.rest.get(`/guilds/${guild.id}/members`)) as Json[];
    expect(first.map((m) => m.user.id)).toEqual(everyone.slice(0, 1));
    const rest = (await bot.rest.get(`/guilds/${guild.id}/members`, { query: new URLSearchParams({ limit: '1000', after: everyone[0] as string }) })) as Json[];
    expect(rest.map((m) => m.user.id)).toEqual(everyone.slice(1));
  });

  it('refuses limit 1001 with 50035 NUMBER_TYPE_MAX on limit', async () => {
    const res = await v10(server, bot, 'GET', `/guilds/${guild.id}/members?limit=1001`);
    expect(res.body).toEqual({
      message: 'Invalid Form Body',
      code: 50035,
      errors: { limit: { _errors: [{ code: 'NUMBER_TYPE_MAX', message: 'int value should be less than or equal to 1000.' }] } },
    });
  });
});

describe('PATCH /guilds/:id/members/@me', () => {
  it('sets and clears the bot its own nickname (member.setNickname on itself)', async () => {
    const named = (await mod.rest.patch(`/guilds/${guild.id}/members/@me`, { body: { nick: 'Moddy' } })) as Json;
    expect(named).toEqual(memberOf(mod.id, 'modbot', true, [mod.roleId], 'Moddy'));
    const cleared = (await mod.rest.patch(`/guilds/${guild.id}/members/@me`, { body: { nick: '' } })) as Json;
    expect(cleared.nick).toBeNull();
  });
});

describe('PATCH /guilds/:id/members/:userId', () => {
  it("changes someone's nickname with MANAGE_NICKNAMES and answers the member", async () => {
    const member = (await mod.rest.patch(`/guilds/${guild.id}/members/${bob.id}`, { body: { nick: 'Bobby' }, reason: 'fun' })) as Json;
    expect(member).toEqual(memberOf(bob.id, 'bob', false, [], 'Bobby'));
    await expectDiscordError(bot.rest.patch(`/guilds/${guild.id}/members/${bob.id}`, { body: { nick: 'nope' } }), 403, 50013);
  });

  it('sets the role list (member.roles.set), ignoring @everyone in it', async () => {
    const role = (await server.api('POST', `/api/v1/guilds/${guild.id}/roles`, { token: admin.token, body: { name: 'readers' } })).body;
    const member = (await mod.rest.patch(`/guilds/${guild.id}/members/${carol.id}`, { body: { roles: [role.id, guild.id] } })) as Json;
    expect(member.roles).toEqual([role.id]);
    const emptied = (await mod.rest.patch(`/guilds/${guild.id}/members/${carol.id}`, { body: { roles: [] } })) as Json;
    expect(emptied.roles).toEqual([]);
  });

  it('refuses timeouts and voice moves clearly with 50035 naming the fields', async () => {
    const error = await expectDiscordError(
      mod.rest.patch(`/guilds/${guild.id}/members/${bob.id}`, {
        body: { communication_disabled_until: new Date(Date.now() + 60000).toISOString(), mute: true },
      }),
      400,
      50035,
    );
    expect(Object.keys((error.rawError as Json).errors).sort()).toEqual(['communication_disabled_until', 'mute']);
  });

  it('accepts communication_disabled_until: null (removing a timeout) as a no-op', async () => {
    const member = (await mod.rest.patch(`/guilds/${guild.id}/members/${bob.id}`, { body: { communication_disabled_until: null } })) as Json;
    expect(member.user.id).toBe(bob.id);
  });
});

describe('PUT/DELETE /guilds/:id/members/:userId/roles/:roleId', () => {
  it('adds and removes a role with 204 (member.roles.add/remove)', async () => {
    const role = (await server.api('POST', `/api/v1/guilds/${guild.id}/roles`, { token: admin.token, body: { name: 'tagged' } })).body;
    const added = await v10(server, mod, 'PUT', `/guilds/${guild.id}/members/${bob.id}/roles/${role.id}`, undefined, {
      'x-audit-log-reason': encodeURIComponent('because'),
    });
    expect({ status: added.status, body: added.body }).toEqual({ status: 204, body: null });
    expect(((await bot.rest.get(`/guilds/${guild.id}/members/${bob.id}`)) as Json).roles).toEqual([role.id]);
    await mod.rest.delete(`/guilds/${guild.id}/members/${bob.id}/roles/${role.id}`);
    expect(((await bot.rest.get(`/guilds/${guild.id}/members/${bob.id}`)) as Json).roles).toEqual([]);
  });

  it('answers 10011 for an unknown role and 50013 without MANAGE_ROLES', async () => {
    await expectDiscordError(mod.rest.put(`/guilds/${guild.id}/members/${bob.id}/roles/1000000000000000010`), 404, 10011);
    await expectDiscordError(bot.rest.put(`/guilds/${guild.id}/members/${bob.id}/roles/${mod.roleId}`), 403, 50013);
  });
});

describe('DELETE /guilds/:id/members/:userId', () => {
  it('kicks a member with 204 (member.kick), and the owner cannot be kicked', async () => {
    const [dave] = await people(server, 'dave');
    await join(server, admin, guild, dave!);
    const res = await v10(server, mod, 'DELETE', `/guilds/${guild.id}/members/${dave!.id}`, undefined, { 'x-audit-log-reason': 'rude' });
    expect(res.status).toBe(204);
    await expectDiscordError(bot.rest.get(`/guilds/${guild.id}/members/${dave!.id}`), 404, 10007);
    await expectDiscordError(mod.rest.delete(`/guilds/${guild.id}/members/${admin.id}`), 403, 50013);
    await expectDiscordError(bot.rest.delete(`/guilds/${guild.id}/members/${bob.id}`), 403, 50013);
  });
});

describe('bans', () => {
  it('bans with the X-Audit-Log-Reason as the ban reason (guild.bans.create), lists, fetches and lifts it', async () => {
    const [erin] = await people(server, 'erin');
    await join(server, admin, guild, erin!);
    await mod.rest.put(`/guilds/${guild.id}/bans/${erin!.id}`, { body: { delete_message_seconds: 0 }, reason: 'spam & more' });
    await expectDiscordError(bot.rest.get(`/guilds/${guild.id}/members/${erin!.id}`), 404, 10007);
    const erinUser = { id: erin!.id, username: 'erin', discriminator: '0', global_name: null, avatar: null, bot: false, public_flags: 0 };
    expect(await mod.rest.get(`/guilds/${guild.id}/bans`)).toEqual([{ user: erinUser, reason: 'spam & more' }]);
    expect(await mod.rest.get(`/guilds/${guild.id}/bans/${erin!.id}`)).toEqual({ user: erinUser, reason: 'spam & more' });
    const lifted = await v10(server, mod, 'DELETE', `/guilds/${guild.id}/bans/${erin!.id}`);
    expect(lifted.status).toBe(204);
    await expectDiscordError(mod.rest.get(`/guilds/${guild.id}/bans/${erin!.id}`), 404, 10026, 'Unknown Ban');
  });

  it('pages bans with limit, before and after', async () => {
    const banned = await people(server, 'ban1', 'ban2', 'ban3');
    for (const p of banned) await mod.rest.put(`/guilds/${guild.id}/bans/${p.id}`);
    const ids = banned.map((p) => p.id).sort(byId);
    const page = (await mod.rest.get(`/guilds/${guild.id}/bans`, { query: new URLSearchParams({ limit: '1', after: ids[0] as string }) })) as Json[];
    expect(page.map((b) => b.user.id)).toEqual(ids.slice(1, 2));
    const before = (await mod.rest.get(`/guilds/${guild.id}/bans`, { query: new URLSearchParams({ before: ids[2] as string }) })) as Json[];
    expect(before.map((b) => b.user.id)).toEqual(ids.slice(0, 2));
  });

  it('answers 50013 without BAN_MEMBERS and 10013 for an unknown user', async () => {
    await expectDiscordError(bot.rest.get(`/guilds/${guild.id}/bans`), 403, 50013);
    await expectDiscordError(mod.rest.put(`/guilds/${guild.id}/bans/1000000000000000011`), 404, 10013);
  });
});

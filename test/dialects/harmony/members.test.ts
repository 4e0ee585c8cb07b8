// Members (issue #2 item 6): list with limit/after, get, nicknames and role lists, member roles, kick, ban/unban.
import { beforeAll, describe, expect, it } from 'bun:test';
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
  serverForFile,
} from './fixtures.ts';

const server = await serverForFile();
const [owner, mod, alice, bob, carol, outsider] = await people(server, 'owner', 'mod', 'alice', 'bob', 'carol', 'outsider');
const guild = await createGuild(server, owner, 'Members');
await join(server, owner, guild, mod, alice, bob, carol);
const modRole = await grantRole(server, owner, guild, ['kick_members', 'ban_members', 'manage_roles', 'manage_nicknames'], mod);

const byId = (a: string, b: string) => (BigInt(a) < BigInt(b) ? -1 : 1);
const ids = (body: { user: { id: string } }[]) => body.map((m) => m.user.id);
const rejoin = (who: Account) => join(server, owner, guild, who);

describe('GET /api/v1/guilds/:guildId/members', () => {
  it('lists members ordered by user id, with their user, nick, roles and join time', async () => {
    const res = await server.api('GET', `/api/v1/guilds/${guild.id}/members`, as(alice));
    expect(res.status).toBe(200);
    expect(ids(res.body)).toEqual([owner, mod, alice, bob, carol].map((a) => a.id).sort(byId));
    const modEntry = res.body.find((m: { user: { id: string } }) => m.user.id === mod.id);
    expect(modEntry).toEqual({
      guild_id: guild.id,
      user: { id: mod.id, username: 'mod', global_name: null, avatar: null, bot: false },
      nick: null,
      roles: [modRole],
      joined_at: expect.stringMatching(ISO_TIME),
    });
  });

  it('pages with limit and after=<last user id>', async () => {
    const all = ids((await server.api('GET', `/api/v1/guilds/${guild.id}/members`, as(alice))).body);
    const first = await server.api('GET', `/api/v1/guilds/${guild.id}/members?limit=2`, as(alice));
    expect(ids(first.body)).toEqual(all.slice(0, 2));
    const second = await server.api('GET', `/api/v1/guilds/${guild.id}/members?limit=2&after=${all[1]}`, as(alice));
    expect(ids(second.body)).toEqual(all.slice(2, 4));
    const last = await server.api('GET', `/api/v1/guilds/${guild.id}/members?limit=1000&after=${all[4]}`, as(alice));
    expect(last.body).toEqual([]);
  });

  it('accepts limit=1 and limit=1000, and rejects 0, 1001 and non-numbers with 400 and code 50035', async () => {
    for (const limit of ['1', '1000']) expect((await server.api('GET', `/api/v1/guilds/${guild.id}/members?limit=${limit}`, as(alice))).status).toBe(200);
    for (const limit of ['0', '1001', 'ten', '-5', '2.5']) {
      const res = await server.api('GET', `/api/v1/guilds/${guild.id}/members?limit=${limit}`, as(alice));
      expect({ limit, status: res.status, code: res.body.code }).toEqual({ limit, status: 400, code: CODE.invalidForm });
    }
    expectInvalidField(await server.api('GET', `/api/v1/guilds/${guild.id}/members?after=nobody`, as(alice)), 'after');
  });

  it('refuses a non-member with 403 and code 50001', async () => {
    expectError(await server.api('GET', `/api/v1/guilds/${guild.id}/members`, as(outsider)), 403, CODE.missingAccess);
  });
});

describe('GET /api/v1/guilds/:guildId/members/:userId', () => {
  it('answers one member', async () => {
    const res = await server.api('GET', `/api/v1/guilds/${guild.id}/members/${owner.id}`, as(bob));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ guild_id: guild.id, user: { id: owner.id, username: 'owner' }, nick: null, roles: [] });
  });

  it('answers 404 with code 10007 for someone who is not a member', async () => {
    expectError(await server.api('GET', `/api/v1/guilds/${guild.id}/members/${outsider.id}`, as(bob)), 404, CODE.unknownMember, 'Unknown Member');
  });
});

describe('PATCH /api/v1/guilds/:guildId/members/:userId', () => {
  it('lets a member set and clear their own nickname (change_nickname, granted to @everyone)', async () => {
    const set = await server.api('PATCH', `/api/v1/guilds/${guild.id}/members/${alice.id}`, as(alice, { nick: '  Ally  ' }));
    expect(set.status).toBe(200);
    expect(set.body.nick).toBe('Ally');
    const cleared = await server.api('PATCH', `/api/v1/guilds/${guild.id}/members/${alice.id}`, as(alice, { nick: null }));
    expect(cleared.body.nick).toBeNull();
  });

  it("needs manage_nicknames for someone else's nickname", async () => {
    expectError(await server.api('PATCH', `/api/v1/guilds/${guild.id}/members/${bob.id}`, as(alice, { nick: 'Bobbo' })), 403, CODE.missingPermissions);
    const res = await server.api('PATCH', `/api/v1/guilds/${guild.id}/members/${bob.id}`, as(mod, { nick: 'Bobbo' }));
    expect(res.status).toBe(200);
    expect(res.body.nick).toBe('Bobbo');
  });

  it("refuses anyone changing the owner's nickname with 403", async () => {
    expectError(await server.api('PATCH', `/api/v1/guilds/${guild.id}/members/${owner.id}`, as(mod, { nick: 'Boss' })), 403, CODE.missingPermissions);
  });

  it('replaces the role list with manage_roles', async () => {
    const helper = (await server.api('POST', `/api/v1/guilds/${guild.id}/roles`, as(owner, { name: 'helper' }))).body.id;
    const res = await server.api('PATCH', `/api/v1/guilds/${guild.id}/members/${carol.id}`, as(mod, { roles: [helper] }));
    expect(res.status).toBe(200);
    expect(res.body.roles).toEqual([helper]);
    const emptied = await server.api('PATCH', `/api/v1/guilds/${guild.id}/members/${carol.id}`, as(mod, { roles: [] }));
    expect(emptied.body.roles).toEqual([]);
    expectError(await server.api('PATCH', `/api/v1/guilds/${guild.id}/members/${carol.id}`, as(alice, { roles: [helper] })), 403, CODE.missingPermissions);
  });

  it('rejects a nickname over 32 characters and unknown fields with 400 and code 50035', async () => {
    expectInvalidField(await server.api('PATCH', `/api/v1/guilds/${guild.id}/members/${alice.id}`, as(alice, { nick: 'n'.repeat(33) })), 'nick');
    expectInvalidField(await server.api('PATCH', `/api/v1/guilds/${guild.id}/members/${alice.id}`, as(alice, { deaf: true })), 'deaf');
  });
});

describe('PUT and DELETE /api/v1/guilds/:guildId/members/:userId/roles/:roleId', () => {
  let role: string;
  beforeAll(async () => {
    role = (await server.api('POST', `/api/v1/guilds/${guild.id}/roles`, as(owner, { name: 'tagged' }))).body.id;
  });
  const roleUrl = (userId: string, roleId: string) => `/api/v1/guilds/${guild.id}/members/${userId}/roles/${roleId}`;
  const rolesOf = async (who: Account) => (await server.api('GET', `/api/v1/guilds/${guild.id}/members/${who.id}`, as(owner))).body.roles;

  it('gives a role with 204, idempotently, and takes it with 204, idempotently', async () => {
    for (let i = 0; i < 2; i++) expect((await server.api('PUT', roleUrl(bob.id, role), as(mod))).status).toBe(204);
    expect(await rolesOf(bob)).toEqual([role]);
    for (let i = 0; i < 2; i++) expect((await server.api('DELETE', roleUrl(bob.id, role), as(mod))).status).toBe(204);
    expect(await rolesOf(bob)).toEqual([]);
  });

  it('refuses without manage_roles with 403 and code 50013', async () => {
    expectError(await server.api('PUT', roleUrl(bob.id, role), as(alice)), 403, CODE.missingPermissions);
  });

  it("refuses a role at or above the actor's highest role with 403", async () => {
    expectError(await server.api('PUT', roleUrl(bob.id, modRole), as(mod)), 403, CODE.missingPermissions);
  });

  it("refuses @everyone and a bot's managed role with 400 and code 50028", async () => {
    expectError(await server.api('PUT', roleUrl(bob.id, guild.everyoneRoleId), as(owner)), 400, CODE.invalidRole);
    const bot = await createBot(server, owner, 'rolebot');
    const added = await addBot(server, owner, guild, bot, ['send_messages']);
    expectError(await server.api('PUT', roleUrl(bob.id, added.role_id), as(owner)), 400, CODE.invalidRole);
  });

  it('answers 404 for an unknown role (10011) and a non-member (10007)', async () => {
    expectError(await server.api('PUT', roleUrl(bob.id, '1234567890123456789'), as(owner)), 404, CODE.unknownRole);
    expectError(await server.api('PUT', roleUrl(outsider.id, role), as(owner)), 404, CODE.unknownMember);
  });
});

describe('DELETE /api/v1/guilds/:guildId/members/:userId (kick)', () => {
  it('kicks with 204; the kicked user loses access and may rejoin by invite', async () => {
    expect((await server.api('DELETE', `/api/v1/guilds/${guild.id}/members/${carol.id}`, as(mod))).status).toBe(204);
    expectError(await server.api('GET', `/api/v1/guilds/${guild.id}`, as(carol)), 403, CODE.missingAccess);
    expectError(await server.api('GET', `/api/v1/guilds/${guild.id}/members/${carol.id}`, as(owner)), 404, CODE.unknownMember);
    await rejoin(carol);
    expect((await server.api('GET', `/api/v1/guilds/${guild.id}`, as(carol))).status).toBe(200);
  });

  it("leaves the guild when the id is the caller's own", async () => {
    expect((await server.api('DELETE', `/api/v1/guilds/${guild.id}/members/${bob.id}`, as(bob))).status).toBe(204);
    expectError(await server.api('GET', `/api/v1/guilds/${guild.id}`, as(bob)), 403, CODE.missingAccess);
    await rejoin(bob);
  });

  it('refuses without kick_members with 403 and code 50013', async () => {
    expectError(await server.api('DELETE', `/api/v1/guilds/${guild.id}/members/${bob.id}`, as(alice)), 403, CODE.missingPermissions);
  });

  it('refuses to kick the owner, or a member with an equal role, with 403', async () => {
    expectError(await server.api('DELETE', `/api/v1/guilds/${guild.id}/members/${owner.id}`, as(mod)), 403, CODE.missingPermissions);
    await server.api('PUT', `/api/v1/guilds/${guild.id}/members/${alice.id}/roles/${modRole}`, as(owner));
    expectError(await server.api('DELETE', `/api/v1/guilds/${guild.id}/members/${alice.id}`, as(mod)), 403, CODE.missingPermissions);
    await server.api('DELETE', `/api/v1/guilds/${guild.id}/members/${alice.id}/roles/${modRole}`, as(owner));
  });

  it('answers 404 with code 10007 for a non-member', async () => {
    expectError(await server.api('DELETE', `/api/v1/guilds/${guild.id}/members/${outsider.id}`, as(mod)), 404, CODE.unknownMember);
  });
});

describe('bans', () => {
  it('PUT bans a member with 204: removed, listed with the reason, and cannot rejoin', async () => {
    expect((await server.api('PUT', `/api/v1/guilds/${guild.id}/bans/${carol.id}`, as(mod, { reason: 'spam' }))).status).toBe(204);
    expectError(await server.api('GET', `/api/v1/guilds/${guild.id}`, as(carol)), 403, CODE.missingAccess);
    const bans = await server.api('GET', `/api/v1/guilds/${guild.id}/bans`, as(mod));
    expect(bans.status).toBe(200);
    expect(bans.body).toEqual([{ user: { id: carol.id, username: 'carol', global_name: null, avatar: null, bot: false }, reason: 'spam' }]);
    const invite = await server.api('POST', `/api/v1/channels/${guild.generalId}/invites`, as(owner, {}));
    expectError(await server.api('POST', `/api/v1/invites/${invite.body.code}`, as(carol)), 403, CODE.missingAccess);
  });

  it('DELETE lifts the ban with 204; the user may rejoin; a second DELETE answers 404 with code 10026', async () => {
    expect((await server.api('DELETE', `/api/v1/guilds/${guild.id}/bans/${carol.id}`, as(mod))).status).toBe(204);
    expectError(await server.api('DELETE', `/api/v1/guilds/${guild.id}/bans/${carol.id}`, as(mod)), 404, CODE.unknownBan);
    await rejoin(carol);
    expect((await server.api('GET', `/api/v1/guilds/${guild.id}/bans`, as(mod))).body).toEqual([]);
  });

  it('bans someone who is not a member (without a body), pre-emptively', async () => {
    expect((await server.api('PUT', `/api/v1/guilds/${guild.id}/bans/${outsider.id}`, as(owner))).status).toBe(204);
    expect((await server.api('GET', `/api/v1/guilds/${guild.id}/bans`, as(owner))).body).toEqual([
      { user: { id: outsider.id, username: 'outsider', global_name: null, avatar: null, bot: false }, reason: null },
    ]);
    expect((await server.api('DELETE', `/api/v1/guilds/${guild.id}/bans/${outsider.id}`, as(owner))).status).toBe(204);
  });

  it('refuses without ban_members with 403 and code 50013, for banning, unbanning and listing', async () => {
    expectError(await server.api('PUT', `/api/v1/guilds/${guild.id}/bans/${bob.id}`, as(alice)), 403, CODE.missingPermissions);
    expectError(await server.api('DELETE', `/api/v1/guilds/${guild.id}/bans/${bob.id}`, as(alice)), 403, CODE.missingPermissions);
    expectError(await server.api('GET', `/api/v1/guilds/${guild.id}/bans`, as(alice)), 403, CODE.missingPermissions);
  });

  it('refuses to ban the owner with 403', async () => {
    expectError(await server.api('PUT', `/api/v1/guilds/${guild.id}/bans/${owner.id}`, as(mod)), 403, CODE.missingPermissions);
  });

  it('answers 404 with code 10013 for an unknown user', async () => {
    expectError(await server.api('PUT', `/api/v1/guilds/${guild.id}/bans/1234567890123456789`, as(owner)), 404, CODE.unknownUser);
  });

  it('rejects a reason over 512 characters with 400 and code 50035', async () => {
    expectInvalidField(await server.api('PUT', `/api/v1/guilds/${guild.id}/bans/${bob.id}`, as(owner, { reason: 'r'.repeat(513) })), 'reason');
    expect((await server.api('GET', `/api/v1/guilds/${guild.id}/members/${bob.id}`, as(owner))).status).toBe(200);
  });
});

// Roles (issue #2 item 6): CRUD with permissions as seed names or bitfield strings, and Discord's role hierarchy.
import { describe, expect, it } from 'bun:test';
import { PermissionFlagsBits as P } from 'discord-api-types/v10';
import { addBot, as, CODE, createBot, createGuild, expectError, expectInvalidField, grantRole, join, people, SNOWFLAKE, serverForFile } from './fixtures.ts';

const server = await serverForFile();
const [owner, manager, member, outsider] = await people(server, 'owner', 'manager', 'member', 'outsider');
const guild = await createGuild(server, owner, 'Roles');
await join(server, owner, guild, manager, member);
const managerRole = await grantRole(server, owner, guild, ['manage_roles', 'manage_channels', 'kick_members'], manager);

const rolesUrl = () => `/api/v1/guilds/${guild.id}/roles`;
const listRoles = async () => (await server.api('GET', rolesUrl(), as(member))).body as { id: string; name: string; position: number }[];

describe('GET /api/v1/guilds/:guildId/roles', () => {
  it('lists the roles lowest first, @everyone (id = guild id) at position 0', async () => {
    const res = await server.api('GET', rolesUrl(), as(member));
    expect(res.status).toBe(200);
    expect(res.body.map((r: { id: string; position: number }) => [r.id, r.position])).toEqual([
      [guild.id, 0],
      [managerRole, 1],
    ]);
  });

  it('refuses a non-member with 403 and code 50001', async () => {
    expectError(await server.api('GET', rolesUrl(), as(outsider)), 403, CODE.missingAccess);
  });
});

describe('POST /api/v1/guilds/:guildId/roles', () => {
  it('creates a role with 201 from permission names, just above @everyone; existing roles move up', async () => {
    const res = await server.api(
      'POST',
      rolesUrl(),
      as(owner, { name: 'Helpers', permissions: ['manage_messages', 'read_messages'], color: 0x3498db, hoist: true, mentionable: true }),
    );
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(SNOWFLAKE),
      guild_id: guild.id,
      name: 'Helpers',
      permissions: (P.ManageMessages | P.ViewChannel).toString(),
      permission_names: ['read_messages', 'manage_messages', 'view_channels'],
      position: 1,
      color: 0x3498db,
      hoist: true,
      mentionable: true,
      managed: false,
      bot_id: null,
    });
    expect((await listRoles()).map((r) => [r.id, r.position])).toEqual([
      [guild.id, 0],
      [res.body.id, 1],
      [managerRole, 2],
    ]);
  });

  it('takes a bitfield string and defaults everything else', async () => {
    const res = await server.api('POST', rolesUrl(), as(owner, { permissions: (P.KickMembers | P.BanMembers).toString() }));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: 'new role',
      permissions: (P.KickMembers | P.BanMembers).toString(),
      permission_names: ['kick_members', 'ban_members'],
      color: 0,
      hoist: false,
      mentionable: false,
    });
    const bare = await server.api('POST', rolesUrl(), as(owner, {}));
    expect(bare.body).toMatchObject({ name: 'new role', permissions: '0', permission_names: [] });
  });

  it('lets a member with manage_roles create roles with permissions they hold', async () => {
    const res = await server.api('POST', rolesUrl(), as(manager, { name: 'sub', permissions: ['kick_members'] }));
    expect(res.status).toBe(201);
  });

  it('refuses to grant permissions the actor lacks with 403 and code 50013', async () => {
    expectError(await server.api('POST', rolesUrl(), as(manager, { name: 'escalate', permissions: ['administrator'] })), 403, CODE.missingPermissions);
    expectError(await server.api('POST', rolesUrl(), as(manager, { name: 'escalate', permissions: ['ban_members'] })), 403, CODE.missingPermissions);
  });

  it('refuses a member without manage_roles with 403 and code 50013, and a non-member with 50001', async () => {
    expectError(await server.api('POST', rolesUrl(), as(member, { name: 'mine' })), 403, CODE.missingPermissions);
    expectError(await server.api('POST', rolesUrl(), as(outsider, { name: 'mine' })), 403, CODE.missingAccess);
  });

  it.each([
    ['an unknown permission name', { permissions: ['read_minds'] }, 'permissions', 'PERMISSIONS_INVALID'],
    ['a bitfield with bits Discord does not define', { permissions: (1n << 62n).toString() }, 'permissions', 'PERMISSIONS_INVALID'],
    ['a bitfield as a number', { permissions: 8 }, 'permissions', undefined],
    ['a bitfield of 21 digits', { permissions: '123456789012345678901' }, 'permissions', undefined],
    ['a color above 0xffffff', { color: 0x1000000 }, 'color', undefined],
    ['a negative color', { color: -1 }, 'color', undefined],
    ['a blank name', { name: '   ' }, 'name', undefined],
    ['a name over 100 characters', { name: 'r'.repeat(101) }, 'name', undefined],
    ['an unknown field', { name: 'x', icon: 'y' }, 'icon', undefined],
  ])('rejects %s with 400 and code 50035', async (_, body, field, fieldCode) => {
    expectInvalidField(await server.api('POST', rolesUrl(), as(owner, body)), field, fieldCode);
  });
});

describe('PATCH /api/v1/guilds/:guildId/roles/:roleId', () => {
  it('changes name, permissions, color, hoist and mentionable', async () => {
    const role = (await server.api('POST', rolesUrl(), as(owner, { name: 'before' }))).body;
    const res = await server.api(
      'PATCH',
      `${rolesUrl()}/${role.id}`,
      as(owner, { name: 'after', permissions: ['send_messages'], color: 1, hoist: true, mentionable: true }),
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      ...role,
      name: 'after',
      permissions: P.SendMessages.toString(),
      permission_names: ['send_messages'],
      color: 1,
      hoist: true,
      mentionable: true,
    });
  });

  it("applies a role's new permissions at once", async () => {
    const role = await grantRole(server, owner, guild, [], member);
    const create = () => server.api('POST', `/api/v1/guilds/${guild.id}/channels`, as(member, { name: 'by-member' }));
    expectError(await create(), 403, CODE.missingPermissions);
    await server.api('PATCH', `${rolesUrl()}/${role}`, as(owner, { permissions: ['manage_channels'] }));
    expect((await create()).status).toBe(201);
    await server.api('PATCH', `${rolesUrl()}/${role}`, as(owner, { permissions: [] }));
    expectError(await create(), 403, CODE.missingPermissions);
  });

  it("changes @everyone's permissions but refuses to rename or move it with 400 and code 50028", async () => {
    const res = await server.api(
      'PATCH',
      `${rolesUrl()}/${guild.id}`,
      as(owner, { permissions: ['read_messages', 'send_messages', 'read_message_history', 'change_nickname', 'create_instant_invite'] }),
    );
    expect(res.status).toBe(200);
    expect(res.body.name).toBe('@everyone');
    expectError(await server.api('PATCH', `${rolesUrl()}/${guild.id}`, as(owner, { name: 'everybody' })), 400, CODE.invalidRole);
    expectError(await server.api('PATCH', `${rolesUrl()}/${guild.id}`, as(owner, { position: 3 })), 400, CODE.invalidRole);
  });

  it("refuses to edit a role at or above the actor's highest role, or to move one there, with 403", async () => {
    expectError(await server.api('PATCH', `${rolesUrl()}/${managerRole}`, as(manager, { name: 'promoted' })), 403, CODE.missingPermissions);
    const low = (await server.api('POST', rolesUrl(), as(manager, { name: 'low' }))).body;
    const rank = (await listRoles()).find((r) => r.id === managerRole)?.position as number;
    expectError(await server.api('PATCH', `${rolesUrl()}/${low.id}`, as(manager, { position: rank })), 403, CODE.missingPermissions);
  });

  it('refuses a member without manage_roles with 403 and code 50013', async () => {
    expectError(await server.api('PATCH', `${rolesUrl()}/${guild.id}`, as(member, { permissions: ['administrator'] })), 403, CODE.missingPermissions);
  });

  it('answers 404 with code 10011 for an unknown role', async () => {
    expectError(await server.api('PATCH', `${rolesUrl()}/1234567890123456789`, as(owner, { name: 'x' })), 404, CODE.unknownRole, 'Unknown Role');
  });
});

describe('DELETE /api/v1/guilds/:guildId/roles/:roleId', () => {
  it('deletes a role with 204 and takes it from its members', async () => {
    const role = await grantRole(server, owner, guild, ['add_reactions'], member);
    expect((await server.api('DELETE', `${rolesUrl()}/${role}`, as(owner))).status).toBe(204);
    expect((await listRoles()).map((r) => r.id)).not.toContain(role);
    expect((await server.api('GET', `/api/v1/guilds/${guild.id}/members/${member.id}`, as(owner))).body.roles).not.toContain(role);
  });

  it('removes the permission overwrites that named the role', async () => {
    const role = (await server.api('POST', rolesUrl(), as(owner, { name: 'muted' }))).body.id;
    await server.api('PUT', `/api/v1/channels/${guild.generalId}/permissions/${role}`, as(owner, { type: 0, deny: ['send_messages'] }));
    const overwrites = async () =>
      (await server.api('GET', `/api/v1/channels/${guild.generalId}`, as(owner))).body.permission_overwrites.map((o: { id: string }) => o.id);
    expect(await overwrites()).toContain(role);
    expect((await server.api('DELETE', `${rolesUrl()}/${role}`, as(owner))).status).toBe(204);
    expect(await overwrites()).not.toContain(role);
  });

  it("refuses @everyone and a bot's managed role with 400 and code 50028", async () => {
    expectError(await server.api('DELETE', `${rolesUrl()}/${guild.id}`, as(owner)), 400, CODE.invalidRole);
    const bot = await createBot(server, owner, 'managedbot');
    const added = await addBot(server, owner, guild, bot, ['send_messages']);
    expectError(await server.api('DELETE', `${rolesUrl()}/${added.role_id}`, as(owner)), 400, CODE.invalidRole);
  });

  it("refuses a role at or above the actor's highest role with 403, and a member without manage_roles with 50013", async () => {
    expectError(await server.api('DELETE', `${rolesUrl()}/${managerRole}`, as(manager)), 403, CODE.missingPermissions);
    const role = (await server.api('POST', rolesUrl(), as(owner, { name: 'victim' }))).body.id;
    expectError(await server.api('DELETE', `${rolesUrl()}/${role}`, as(member)), 403, CODE.missingPermissions);
  });

  it('answers 404 with code 10011 for an unknown role', async () => {
    expectError(await server.api('DELETE', `${rolesUrl()}/1234567890123456789`, as(owner)), 404, CODE.unknownRole);
  });
});

// Channels (issue #2 item 6): create/list/get/patch/delete text channels, and permission overwrites.
import { beforeAll, describe, expect, it } from 'bun:test';
import { PermissionFlagsBits as P } from 'discord-api-types/v10';
import { type Account, as, CODE, createGuild, expectError, expectInvalidField, grantRole, join, people, SNOWFLAKE, send, serverForFile } from './fixtures.ts';

const server = await serverForFile();
const [owner, member, manager, outsider] = await people(server, 'owner', 'member', 'manager', 'outsider');
const guild = await createGuild(server, owner, 'Channels');
await join(server, owner, guild, member, manager);
await grantRole(server, owner, guild, ['manage_channels', 'manage_roles'], manager);

const createChannel = (caller: Account, body: unknown) => server.api('POST', `/api/v1/guilds/${guild.id}/channels`, as(caller, body));

describe('POST /api/v1/guilds/:guildId/channels', () => {
  it('creates a text channel with 201; the name is lower-cased and dashed, the position appended', async () => {
    const res = await createChannel(owner, { name: 'Off Topic', topic: 'anything goes' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(SNOWFLAKE),
      guild_id: guild.id,
      name: 'off-topic',
      type: 0,
      position: 1,
      topic: 'anything goes',
      last_message_id: null,
      permission_overwrites: [],
    });
  });

  it('takes type 0 and an explicit position', async () => {
    const res = await createChannel(owner, { name: 'pinned-first', type: 0, position: 0 });
    expect(res.status).toBe(201);
    expect([res.body.type, res.body.position]).toEqual([0, 0]);
  });

  it('creates the channel with permission overwrites (names or bitfield strings)', async () => {
    const res = await createChannel(owner, {
      name: 'restricted',
      permission_overwrites: [
        { id: guild.everyoneRoleId, type: 0, deny: ['send_messages'] },
        { id: member.id, type: 1, allow: (P.SendMessages | P.AddReactions).toString() },
      ],
    });
    expect(res.status).toBe(201);
    expect(res.body.permission_overwrites).toEqual(
      expect.arrayContaining([
        { id: guild.everyoneRoleId, type: 0, allow: '0', deny: P.SendMessages.toString() },
        { id: member.id, type: 1, allow: (P.SendMessages | P.AddReactions).toString(), deny: '0' },
      ]),
    );
    expect(res.body.permission_overwrites).toHaveLength(2);
  });

  it('lets a member with manage_channels create one', async () => {
    expect((await createChannel(manager, { name: 'by-manager' })).status).toBe(201);
  });

  it('refuses a member without manage_channels with 403 and code 50013, and a non-member with 50001', async () => {
    expectError(await createChannel(member, { name: 'nope' }), 403, CODE.missingPermissions);
    expectError(await createChannel(outsider, { name: 'nope' }), 403, CODE.missingAccess);
  });

  it.each([
    ['a voice channel type', { name: 'voice', type: 2 }, 'type'],
    ['an empty name', { name: '  ' }, 'name'],
    ['a name over 100 characters', { name: 'c'.repeat(101) }, 'name'],
    ['a topic over 1024 characters', { name: 'long-topic', topic: 't'.repeat(1025) }, 'topic'],
    ['a negative position', { name: 'neg', position: -1 }, 'position'],
    ['an overwrite of an unknown type', { name: 'bad-ow', permission_overwrites: [{ id: guild?.id ?? '1', type: 2 }] }, 'permission_overwrites.0.type'],
    ['an unknown field', { name: 'x', nsfw: true }, 'nsfw'],
  ])('rejects %s with 400 and code 50035', async (_, body, field) => {
    expectInvalidField(await createChannel(owner, body), field);
  });

  it('answers 404 with code 10011 for an overwrite naming an unknown role', async () => {
    expectError(
      await createChannel(owner, { name: 'ghost-role', permission_overwrites: [{ id: '1234567890123456789', type: 0, deny: ['send_messages'] }] }),
      404,
      CODE.unknownRole,
    );
  });

  it('answers 404 with code 10007 for a member overwrite naming a non-member', async () => {
    expectError(
      await createChannel(owner, { name: 'ghost-member', permission_overwrites: [{ id: outsider.id, type: 1, deny: ['send_messages'] }] }),
      404,
      CODE.unknownMember,
    );
  });
});

describe('GET /api/v1/guilds/:guildId/channels', () => {
  it('lists the visible channels ordered by position', async () => {
    const res = await server.api('GET', `/api/v1/guilds/${guild.id}/channels`, as(member));
    expect(res.status).toBe(200);
    const positions = res.body.map((c: { position: number }) => c.position);
    expect(positions).toEqual([...positions].sort((a: number, b: number) => a - b));
    expect(res.body.every((c: { guild_id: string; type: number }) => c.guild_id === guild.id && c.type === 0)).toBe(true);
  });

  it('hides a channel whose overwrites deny view_channels, except from those they allow', async () => {
    const secret = await createChannel(owner, { name: 'secret', permission_overwrites: [{ id: guild.everyoneRoleId, type: 0, deny: ['view_channels'] }] });
    const names = async (caller: Account) =>
      (await server.api('GET', `/api/v1/guilds/${guild.id}/channels`, as(caller))).body.map((c: { name: string }) => c.name);
    expect(await names(member)).not.toContain('secret');
    expect(await names(owner)).toContain('secret');
    await server.api('PUT', `/api/v1/channels/${secret.body.id}/permissions/${member.id}`, as(owner, { type: 1, allow: ['view_channels'] }));
    expect(await names(member)).toContain('secret');
  });

  it('refuses a non-member with 403 and code 50001', async () => {
    expectError(await server.api('GET', `/api/v1/guilds/${guild.id}/channels`, as(outsider)), 403, CODE.missingAccess);
  });
});

describe('GET /api/v1/channels/:channelId', () => {
  it('answers a channel the caller can see', async () => {
    const res = await server.api('GET', `/api/v1/channels/${guild.generalId}`, as(member));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: guild.generalId, guild_id: guild.id, name: 'general', type: 0 });
  });

  it('answers 403 with code 50001 for a hidden channel and for a non-member', async () => {
    const hidden = await createChannel(owner, { name: 'hidden', permission_overwrites: [{ id: guild.everyoneRoleId, type: 0, deny: ['view_channels'] }] });
    expectError(await server.api('GET', `/api/v1/channels/${hidden.body.id}`, as(member)), 403, CODE.missingAccess);
    expectError(await server.api('GET', `/api/v1/channels/${guild.generalId}`, as(outsider)), 403, CODE.missingAccess);
  });

  it('answers 404 with code 10003 for an unknown channel', async () => {
    expectError(await server.api('GET', '/api/v1/channels/1234567890123456789', as(owner)), 404, CODE.unknownChannel, 'Unknown Channel');
  });
});

describe('PATCH /api/v1/channels/:channelId', () => {
  it('renames, re-topics and moves a channel', async () => {
    const channel = await createChannel(owner, { name: 'editable' });
    const res = await server.api('PATCH', `/api/v1/channels/${channel.body.id}`, as(manager, { name: 'Edited Name', topic: 'new topic', position: 7 }));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...channel.body, name: 'edited-name', topic: 'new topic', position: 7 });
    const cleared = await server.api('PATCH', `/api/v1/channels/${channel.body.id}`, as(owner, { topic: null }));
    expect(cleared.body.topic).toBeNull();
    expect(cleared.body.name).toBe('edited-name');
  });

  it('refuses a member without manage_channels with 403 and code 50013', async () => {
    expectError(await server.api('PATCH', `/api/v1/channels/${guild.generalId}`, as(member, { name: 'mine' })), 403, CODE.missingPermissions);
  });

  it('lets a member whose channel overwrite allows manage_channels edit that channel only', async () => {
    const channel = await createChannel(owner, { name: 'delegated', permission_overwrites: [{ id: member.id, type: 1, allow: ['manage_channels'] }] });
    expect((await server.api('PATCH', `/api/v1/channels/${channel.body.id}`, as(member, { topic: 'mine' }))).status).toBe(200);
    expectError(await server.api('PATCH', `/api/v1/channels/${guild.generalId}`, as(member, { topic: 'mine' })), 403, CODE.missingPermissions);
  });

  it('rejects invalid fields with 400 and code 50035', async () => {
    expectInvalidField(await server.api('PATCH', `/api/v1/channels/${guild.generalId}`, as(owner, { name: '' })), 'name');
    expectInvalidField(await server.api('PATCH', `/api/v1/channels/${guild.generalId}`, as(owner, { position: 'top' })), 'position');
    expectInvalidField(await server.api('PATCH', `/api/v1/channels/${guild.generalId}`, as(owner, { type: 2 })), 'type');
  });
});

describe('DELETE /api/v1/channels/:channelId', () => {
  it('answers the deleted channel; it and its messages are then unknown', async () => {
    const channel = await createChannel(owner, { name: 'short-lived' });
    const message = await send(server, member, channel.body.id, 'soon gone');
    const res = await server.api('DELETE', `/api/v1/channels/${channel.body.id}`, as(manager));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...channel.body, last_message_id: message.id });
    expectError(await server.api('GET', `/api/v1/channels/${channel.body.id}`, as(owner)), 404, CODE.unknownChannel);
    expectError(await server.api('PATCH', `/api/v1/messages/${message.id}`, as(member, { content: 'edit' })), 404, CODE.unknownMessage);
  });

  it('refuses a member without manage_channels with 403 and code 50013', async () => {
    expectError(await server.api('DELETE', `/api/v1/channels/${guild.generalId}`, as(member)), 403, CODE.missingPermissions);
  });
});

describe('PUT /api/v1/channels/:channelId/permissions/:targetId', () => {
  let channel: string;
  beforeAll(async () => {
    channel = (await createChannel(owner, { name: 'overwrites' })).body.id;
  });
  const put = (caller: Account, targetId: string, body: unknown) => server.api('PUT', `/api/v1/channels/${channel}/permissions/${targetId}`, as(caller, body));
  const canSend = async (caller: Account) => (await server.api('POST', `/api/v1/channels/${channel}/messages`, as(caller, { content: 'test' }))).status;

  it('a role overwrite (type 0) on @everyone denies sending; a member overwrite (type 1) allows it back', async () => {
    expect(await canSend(member)).toBe(200);
    expect((await put(owner, guild.everyoneRoleId, { type: 0, deny: ['send_messages'] })).status).toBe(204);
    expect(await canSend(member)).toBe(403);
    expect((await put(owner, member.id, { type: 1, allow: ['send_messages'] })).status).toBe(204);
    expect(await canSend(member)).toBe(200);
    const overwrites = (await server.api('GET', `/api/v1/channels/${channel}`, as(owner))).body.permission_overwrites;
    expect(overwrites).toHaveLength(2);
    expect(overwrites).toContainEqual({ id: guild.everyoneRoleId, type: 0, allow: '0', deny: P.SendMessages.toString() });
    expect(overwrites).toContainEqual({ id: member.id, type: 1, allow: P.SendMessages.toString(), deny: '0' });
  });

  it('replaces an existing overwrite rather than adding a second', async () => {
    expect((await put(owner, member.id, { type: 1, allow: P.AddReactions.toString() })).status).toBe(204);
    const overwrites = (await server.api('GET', `/api/v1/channels/${channel}`, as(owner))).body.permission_overwrites;
    expect(overwrites.filter((o: { id: string }) => o.id === member.id)).toEqual([{ id: member.id, type: 1, allow: P.AddReactions.toString(), deny: '0' }]);
  });

  it('DELETE removes an overwrite with 204, and again with 204', async () => {
    for (let i = 0; i < 2; i++) {
      expect((await server.api('DELETE', `/api/v1/channels/${channel}/permissions/${guild.everyoneRoleId}`, as(owner))).status).toBe(204);
    }
    expect(await canSend(member)).toBe(200);
    expect(await canSend(manager)).toBe(200);
  });

  it('lets a member with manage_roles set overwrites for permissions they hold', async () => {
    expect((await put(manager, guild.everyoneRoleId, { type: 0, deny: ['manage_channels'] })).status).toBe(204);
  });

  it('refuses to allow or deny a permission the actor lacks with 403 and code 50013', async () => {
    expectError(await put(manager, member.id, { type: 1, allow: ['ban_members'] }), 403, CODE.missingPermissions);
    expectError(await put(manager, member.id, { type: 1, deny: ['kick_members'] }), 403, CODE.missingPermissions);
  });

  it('refuses a member without manage_roles with 403 and code 50013', async () => {
    expectError(await put(member, member.id, { type: 1, allow: ['send_messages'] }), 403, CODE.missingPermissions);
  });

  it('answers 404 for an unknown role (10011) and for a non-member (10007)', async () => {
    expectError(await put(owner, '1234567890123456789', { type: 0, deny: ['send_messages'] }), 404, CODE.unknownRole);
    expectError(await put(owner, outsider.id, { type: 1, deny: ['send_messages'] }), 404, CODE.unknownMember);
  });

  it('rejects an unknown permission name, a bitfield with unknown bits and a bad type with 400 and code 50035', async () => {
    expectInvalidField(await put(owner, member.id, { type: 1, allow: ['fly'] }), 'allow', 'PERMISSIONS_INVALID');
    expectInvalidField(await put(owner, member.id, { type: 1, deny: (1n << 60n).toString() }), 'deny', 'PERMISSIONS_INVALID');
    expectInvalidField(await put(owner, member.id, { type: 2 }), 'type');
    expectInvalidField(await put(owner, member.id, { allow: ['send_messages'] }), 'type');
    expectInvalidField(await put(owner, member.id, { type: 1, allow: 2048 }), 'allow');
  });
});

// Guilds (issue #2 item 6): create (owner, @everyone, #general), get, patch, delete.
import { beforeAll, describe, expect, it } from 'bun:test';
import { PermissionFlagsBits as P } from 'discord-api-types/v10';
import { dataUri, png } from '../../support/images.ts';
import {
  type Account,
  as,
  CODE,
  createBot,
  createGuild,
  expectError,
  expectInvalidField,
  type GuildFixture,
  grantRole,
  ISO_TIME,
  join,
  people,
  SNOWFLAKE,
  send,
  serverForFile,
} from './fixtures.ts';

const server = await serverForFile();
const [owner, member, outsider] = await people(server, 'owner', 'member', 'outsider');

const EVERYONE_BITS =
  P.ViewChannel |
  P.SendMessages |
  P.ReadMessageHistory |
  P.AddReactions |
  P.EmbedLinks |
  P.AttachFiles |
  P.UseExternalEmojis |
  P.CreateInstantInvite |
  P.ChangeNickname |
  P.Connect |
  P.Speak |
  P.UseVAD |
  P.CreatePublicThreads |
  P.CreatePrivateThreads |
  P.SendMessagesInThreads |
  P.UseApplicationCommands;
const EVERYONE_NAMES = [
  'add_reactions',
  'attach_files',
  'change_nickname',
  'connect_voice',
  'create_instant_invite',
  'create_private_threads',
  'create_public_threads',
  'embed_links',
  'read_message_history',
  'read_messages',
  'send_messages',
  'send_messages_in_threads',
  'speak',
  'use_application_commands',
  'use_external_emojis',
  'view_channels',
];

describe('POST /api/v1/guilds', () => {
  it('creates the guild with 201: the caller owns it, with an @everyone role and #general', async () => {
    const res = await server.api('POST', '/api/v1/guilds', as(owner, { name: 'My Guild', description: 'A place' }));
    expect(res.status).toBe(201);
    const id = res.body.id;
    expect(res.body).toEqual({
      id: expect.stringMatching(SNOWFLAKE),
      name: 'My Guild',
      owner_id: owner.id,
      icon: null,
      description: 'A place',
      created_at: expect.stringMatching(ISO_TIME),
      // A new guild announces arrivals in its #general.
      system_channel_id: res.body.channels[0]?.id,
      system_channel_flags: 0,
      member_count: 1,
      roles: [
        {
          id,
          guild_id: id,
          name: '@everyone',
          permissions: EVERYONE_BITS.toString(),
          permission_names: expect.any(Array),
          position: 0,
          color: 0,
          hoist: false,
          mentionable: false,
          managed: false,
          bot_id: null,
        },
      ],
      channels: [
        {
          id: expect.stringMatching(SNOWFLAKE),
          guild_id: id,
          name: 'general',
          type: 0,
          position: 0,
          topic: null,
          last_message_id: null,
          permission_overwrites: [],
        },
      ],
    });
    expect([...res.body.roles[0].permission_names].sort()).toEqual(EVERYONE_NAMES);
  });

  it('makes #general usable at once', async () => {
    const guild = await createGuild(server, owner);
    expect((await send(server, owner, guild.generalId, 'first!')).content).toBe('first!');
  });

  it('trims the name', async () => {
    const res = await server.api('POST', '/api/v1/guilds', as(owner, { name: '  Padded  ' }));
    expect(res.body.name).toBe('Padded');
  });

  it.each([
    ['a one-character name', { name: 'x' }],
    ['a blank name', { name: '   ' }],
    ['a name over 100 characters', { name: 'n'.repeat(101) }],
    ['no name', {}],
    ['a numeric name', { name: 12 }],
    ['an unknown field', { name: 'Fine', owner_id: '1' }],
  ])('rejects %s with 400 and code 50035', async (_, body) => {
    const res = await server.api('POST', '/api/v1/guilds', as(owner, body));
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 400, code: CODE.invalidForm });
  });

  it('answers 401 without a token', async () => {
    expectError(await server.api('POST', '/api/v1/guilds', { body: { name: 'Nope' } }), 401, CODE.general);
  });
});

describe('GET /api/v1/guilds/:guildId', () => {
  let guild: GuildFixture;
  beforeAll(async () => {
    guild = await createGuild(server, owner, 'Readable');
    await join(server, owner, guild, member);
  });

  it('answers a member with the guild, its roles, channels and member count', async () => {
    const res = await server.api('GET', `/api/v1/guilds/${guild.id}`, as(member));
    expect(res.status).toBe(200);
    // The member's arrival was announced in #general ("joined the server"), its last message now.
    const [general] = guild.body.channels;
    expect(res.body).toEqual({ ...guild.body, member_count: 2, channels: [{ ...general, last_message_id: expect.stringMatching(SNOWFLAKE) }] });
  });

  it('lists only the channels the caller can see', async () => {
    const hidden = await server.api(
      'POST',
      `/api/v1/guilds/${guild.id}/channels`,
      as(owner, { name: 'staff', permission_overwrites: [{ id: guild.id, type: 0, deny: ['view_channels'] }] }),
    );
    expect(hidden.status).toBe(201);
    const seenByMember = await server.api('GET', `/api/v1/guilds/${guild.id}`, as(member));
    const seenByOwner = await server.api('GET', `/api/v1/guilds/${guild.id}`, as(owner));
    expect(seenByMember.body.channels.map((c: { name: string }) => c.name)).toEqual(['general']);
    expect(seenByOwner.body.channels.map((c: { name: string }) => c.name)).toEqual(['general', 'staff']);
  });

  it('answers 403 with code 50001 for a non-member and 404 with code 10004 for an unknown guild', async () => {
    expectError(await server.api('GET', `/api/v1/guilds/${guild.id}`, as(outsider)), 403, CODE.missingAccess);
    expectError(await server.api('GET', '/api/v1/guilds/1234567890123456789', as(owner)), 404, CODE.unknownGuild, 'Unknown Guild');
  });
});

describe('PATCH /api/v1/guilds/:guildId', () => {
  let guild: GuildFixture;
  let manager: Account;
  beforeAll(async () => {
    guild = await createGuild(server, owner, 'Patchable');
    [manager] = await people(server, 'guildmanager');
    await join(server, owner, guild, member, manager as Account);
    await grantRole(server, owner, guild, ['manage_guild'], manager as Account);
  }, 30_000);

  it('lets the owner rename and describe the guild, answering the updated guild', async () => {
    const res = await server.api(
      'PATCH',
      `/api/v1/guilds/${guild.id}`,
      as(owner, { name: 'Renamed', description: 'New words', icon: dataUri(png(), 'image/png') }),
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: guild.id,
      name: 'Renamed',
      description: 'New words',
      icon: expect.stringMatching(new RegExp(`^/icons/${guild.id}/[0-9a-f]{32}\\.png$`)),
      owner_id: owner.id,
    });
    expect((await server.api('GET', `/api/v1/guilds/${guild.id}`, as(member))).body.name).toBe('Renamed');
  });

  it('lets a member with manage_guild change it, and clears fields set to null', async () => {
    const res = await server.api('PATCH', `/api/v1/guilds/${guild.id}`, as(manager, { description: null, icon: null }));
    expect(res.status).toBe(200);
    expect([res.body.description, res.body.icon, res.body.name]).toEqual([null, null, 'Renamed']);
  });

  it('refuses a member without manage_guild with 403 and code 50013', async () => {
    expectError(await server.api('PATCH', `/api/v1/guilds/${guild.id}`, as(member, { name: 'Mine now' })), 403, CODE.missingPermissions);
  });

  it('refuses a non-member with 403 and code 50001', async () => {
    expectError(await server.api('PATCH', `/api/v1/guilds/${guild.id}`, as(outsider, { name: 'Mine now' })), 403, CODE.missingAccess);
  });

  it('refuses an icon that is not image data (javascript:, a URL, HTML, file:) with 400 and code 50035 IMAGE_INVALID on icon, as v10 does', async () => {
    const before = (await server.api('GET', `/api/v1/guilds/${guild.id}`, as(owner))).body.icon;
    for (const icon of [
      'javascript:alert(document.cookie)',
      'JavaScript:alert(1)',
      'data:image/png;base64,AAAA',
      'data:text/html,<b>x</b>',
      'file:///etc/passwd',
      'not a url',
      'https://example.com/i.png',
    ]) {
      expectInvalidField(await server.api('PATCH', `/api/v1/guilds/${guild.id}`, as(owner, { icon })), 'icon', 'IMAGE_INVALID');
    }
    expect((await server.api('GET', `/api/v1/guilds/${guild.id}`, as(owner))).body.icon).toBe(before);
  });

  it('rejects an invalid name and unknown fields with 400 and code 50035', async () => {
    expectInvalidField(await server.api('PATCH', `/api/v1/guilds/${guild.id}`, as(owner, { name: 'x' })), 'name');
    expectInvalidField(await server.api('PATCH', `/api/v1/guilds/${guild.id}`, as(owner, { owner_id: member.id })), 'owner_id');
  });
});

describe('DELETE /api/v1/guilds/:guildId', () => {
  it('lets the owner delete the guild with 204; its guild, channels, messages and invites are gone', async () => {
    const guild = await createGuild(server, owner, 'Doomed');
    await join(server, owner, guild, member);
    const message = await send(server, member, guild.generalId, 'bye');
    const invite = await server.api('POST', `/api/v1/channels/${guild.generalId}/invites`, as(owner, {}));
    const res = await server.api('DELETE', `/api/v1/guilds/${guild.id}`, as(owner));
    expect(res.status).toBe(204);
    expect(res.body).toBeNull();
    expectError(await server.api('GET', `/api/v1/guilds/${guild.id}`, as(owner)), 404, CODE.unknownGuild);
    expectError(await server.api('GET', `/api/v1/channels/${guild.generalId}`, as(member)), 404, CODE.unknownChannel);
    expectError(await server.api('GET', `/api/v1/channels/${guild.generalId}/messages/${message.id}`, as(member)), 404, CODE.unknownChannel);
    expectError(await server.api('GET', `/api/v1/invites/${invite.body.code}`, as(member)), 404, CODE.unknownInvite);
    expect((await server.api('GET', '/api/v1/users/@me/guilds', as(member))).body.map((g: { id: string }) => g.id)).not.toContain(guild.id);
  });

  it('refuses even an administrator who is not the owner with 403 and code 50013', async () => {
    const guild = await createGuild(server, owner, 'Kept');
    await join(server, owner, guild, member);
    await grantRole(server, owner, guild, ['administrator'], member);
    expectError(await server.api('DELETE', `/api/v1/guilds/${guild.id}`, as(member)), 403, CODE.missingPermissions);
    expect((await server.api('GET', `/api/v1/guilds/${guild.id}`, as(owner))).status).toBe(200);
  });

  it('deletes a guild that bots and their managed roles are in', async () => {
    const [admin] = await people(server, 'botmaker');
    const guild = await createGuild(server, admin as Account, 'With Bot');
    const bot = await createBot(server, owner, 'guildbot');
    expect((await server.api('PUT', `/api/v1/guilds/${guild.id}/bots/${bot.id}`, as(admin as Account, { permissions: ['send_messages'] }))).status).toBe(200);
    await send(server, bot, guild.generalId, 'beep');
    expect((await server.api('DELETE', `/api/v1/guilds/${guild.id}`, as(admin as Account))).status).toBe(204);
    expect((await server.api('GET', '/api/v1/users/@me/guilds', as(bot))).body).toEqual([]);
  });
});

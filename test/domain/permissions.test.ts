// Discord's permission algorithm (owner, ADMINISTRATOR, @everyone, roles, overwrites, implicit rules) and the seed's
// permission names, tested on the pure functions.
import { describe, expect, it } from 'bun:test';
import { PermissionFlagsBits as P } from 'discord-api-types/v10';
import {
  ALL_PERMISSIONS,
  basePermissions,
  channelPermissions,
  DEFAULT_EVERYONE_PERMISSIONS,
  type GuildPermissionInput,
  has,
  type Overwrite,
  PERMISSION_GROUPS,
  PERMISSION_NAMES,
  parsePermissions,
  permissionNames,
} from '../../src/domain/permissions.ts';

const GUILD = '100';
const OWNER = '1';
const USER = '2';
const MODS = '300';
const HELPERS = '301';
const OTHER_ROLE = '302';

/** A member (USER) of GUILD with @everyone at `everyone` and the given roles. */
function input(options: { everyone?: bigint; roles?: Record<string, bigint>; memberRoles?: string[]; userId?: string } = {}): GuildPermissionInput {
  const rolePermissions = new Map<string, bigint>([[GUILD, options.everyone ?? 0n], ...Object.entries(options.roles ?? {})]);
  return { guildId: GUILD, ownerId: OWNER, userId: options.userId ?? USER, rolePermissions, memberRoleIds: options.memberRoles ?? [] };
}
const role = (id: string, allow: bigint, deny = 0n): Overwrite => ({ id, type: 0, allow, deny });
const member = (id: string, allow: bigint, deny = 0n): Overwrite => ({ id, type: 1, allow, deny });

const VIEW_SEND = P.ViewChannel | P.SendMessages;

describe('the seed permission names', () => {
  it("maps every name of the seed's table to Discord's flag", () => {
    expect(PERMISSION_NAMES).toMatchObject({
      read_messages: P.ViewChannel,
      view_channels: P.ViewChannel,
      send_messages: P.SendMessages,
      manage_messages: P.ManageMessages,
      embed_links: P.EmbedLinks,
      attach_files: P.AttachFiles,
      read_message_history: P.ReadMessageHistory,
      mention_everyone: P.MentionEveryone,
      use_external_emojis: P.UseExternalEmojis,
      add_reactions: P.AddReactions,
      manage_channels: P.ManageChannels,
      manage_webhooks: P.ManageWebhooks,
      create_instant_invite: P.CreateInstantInvite,
      connect_voice: P.Connect,
      speak: P.Speak,
      mute_members: P.MuteMembers,
      deafen_members: P.DeafenMembers,
      move_members: P.MoveMembers,
      change_nickname: P.ChangeNickname,
      manage_nicknames: P.ManageNicknames,
      manage_roles: P.ManageRoles,
      kick_members: P.KickMembers,
      ban_members: P.BanMembers,
    });
  });

  it("groups the names as the seed's table does", () => {
    expect(Object.keys(PERMISSION_GROUPS)).toEqual(['Messages', 'Channels', 'Voice', 'Server']);
  });

  it('gives @everyone of a new guild talk, read, react and invite, but no moderation and no @everyone pings', () => {
    for (const flag of [P.ViewChannel, P.SendMessages, P.ReadMessageHistory, P.AddReactions, P.CreateInstantInvite])
      expect(has(DEFAULT_EVERYONE_PERMISSIONS, flag)).toBe(true);
    for (const flag of [P.MentionEveryone, P.ManageMessages, P.KickMembers, P.BanMembers, P.ManageRoles, P.ManageChannels, P.ManageGuild, P.Administrator]) {
      expect(has(DEFAULT_EVERYONE_PERMISSIONS, flag)).toBe(false);
    }
  });
});

describe('parsePermissions', () => {
  it('ORs a list of names, aliases included', () => {
    expect(parsePermissions(['send_messages', 'read_messages', 'view_channels'])).toBe(P.SendMessages | P.ViewChannel);
  });

  it('takes an empty list as no permissions', () => {
    expect(parsePermissions([])).toBe(0n);
  });

  it('takes a decimal bitfield string, up to every flag Discord defines', () => {
    expect(parsePermissions((P.Administrator | P.SendMessages).toString())).toBe(P.Administrator | P.SendMessages);
    expect(parsePermissions(ALL_PERMISSIONS.toString())).toBe(ALL_PERMISSIONS);
    expect(parsePermissions('0')).toBe(0n);
  });

  it.each([
    [['send_messages', 'fly'], 'an unknown name'],
    [['SEND_MESSAGES'], 'a name in the wrong case'],
    [(1n << 63n).toString(), 'a bit Discord does not define'],
    ['-8', 'a negative number'],
    ['8.0', 'a decimal'],
    ['0x8', 'hex'],
    ['123456789012345678901', '21 digits'],
    ['', 'the empty string'],
  ])('refuses %p (%s) with null', (raw) => {
    expect(parsePermissions(raw as string | string[])).toBeNull();
  });
});

describe('permissionNames', () => {
  it('names every flag set, with aliases, in table order', () => {
    expect(permissionNames(P.ViewChannel | P.KickMembers)).toEqual(['read_messages', 'view_channels', 'kick_members']);
  });

  it('names nothing for 0 and leaves out flags without a seed name', () => {
    expect(permissionNames(0n)).toEqual([]);
    expect(permissionNames(P.UseVAD | P.Stream)).toEqual([]);
  });

  it('round-trips through parsePermissions', () => {
    const bits = P.SendMessages | P.ManageRoles | P.Speak;
    expect(parsePermissions(permissionNames(bits))).toBe(bits);
  });
});

describe('basePermissions (guild level)', () => {
  it('gives the owner everything, even with no roles and an empty @everyone', () => {
    expect(basePermissions(input({ userId: OWNER }))).toBe(ALL_PERMISSIONS);
  });

  it('starts from @everyone (the role whose id is the guild id)', () => {
    expect(basePermissions(input({ everyone: VIEW_SEND }))).toBe(VIEW_SEND);
  });

  it("adds the permissions of the member's roles, and only those", () => {
    const bits = basePermissions(input({ everyone: P.ViewChannel, roles: { [MODS]: P.KickMembers, [OTHER_ROLE]: P.BanMembers }, memberRoles: [MODS] }));
    expect(bits).toBe(P.ViewChannel | P.KickMembers);
  });

  it('ignores role ids the guild does not have', () => {
    expect(basePermissions(input({ everyone: P.ViewChannel, memberRoles: ['999'] }))).toBe(P.ViewChannel);
  });

  it('gives everything to a member with ADMINISTRATOR from any role or from @everyone', () => {
    expect(basePermissions(input({ roles: { [MODS]: P.Administrator }, memberRoles: [MODS] }))).toBe(ALL_PERMISSIONS);
    expect(basePermissions(input({ everyone: P.Administrator }))).toBe(ALL_PERMISSIONS);
  });
});

describe('channelPermissions (Discord order: base, @everyone overwrite, role overwrites, member overwrite)', () => {
  const base = input({ everyone: VIEW_SEND | P.AddReactions, roles: { [MODS]: P.ManageMessages, [HELPERS]: 0n }, memberRoles: [MODS, HELPERS] });

  it('is the base permissions without overwrites', () => {
    expect(channelPermissions(base, [])).toBe(VIEW_SEND | P.AddReactions | P.ManageMessages);
  });

  it('applies the @everyone overwrite: deny then allow', () => {
    const bits = channelPermissions(base, [role(GUILD, P.EmbedLinks, P.AddReactions)]);
    expect(bits).toBe(VIEW_SEND | P.ManageMessages | P.EmbedLinks);
  });

  it("applies the member's role overwrites together, an allow in one beating a deny in another", () => {
    const bits = channelPermissions(base, [role(MODS, 0n, P.SendMessages), role(HELPERS, P.SendMessages, 0n)]);
    expect(has(bits, P.SendMessages)).toBe(true);
  });

  it('lets a role overwrite deny what the @everyone overwrite allows', () => {
    const bits = channelPermissions(base, [role(GUILD, P.AttachFiles), role(MODS, 0n, P.AttachFiles)]);
    expect(has(bits, P.AttachFiles)).toBe(false);
  });

  it('ignores overwrites of roles the member does not have', () => {
    expect(channelPermissions(base, [role(OTHER_ROLE, P.BanMembers, P.SendMessages)])).toBe(channelPermissions(base, []));
  });

  it('applies the member overwrite last, over role overwrites', () => {
    const denied = channelPermissions(base, [role(MODS, P.SendMessages), member(USER, 0n, P.SendMessages)]);
    expect(has(denied, P.SendMessages)).toBe(false);
    const allowed = channelPermissions(base, [role(GUILD, 0n, P.SendMessages), member(USER, P.SendMessages)]);
    expect(has(allowed, P.SendMessages)).toBe(true);
  });

  it("ignores another member's overwrite, and an overwrite typed as a role for the member's id", () => {
    expect(channelPermissions(base, [member('77', 0n, P.SendMessages)])).toBe(channelPermissions(base, []));
    expect(channelPermissions(base, [role(USER, 0n, P.SendMessages)])).toBe(channelPermissions(base, []));
  });

  it('can grant view_channels to one member in a channel hidden from @everyone', () => {
    const hidden = [role(GUILD, 0n, P.ViewChannel)];
    expect(channelPermissions(base, hidden)).toBe(0n);
    expect(has(channelPermissions(base, [...hidden, member(USER, P.ViewChannel)]), P.ViewChannel)).toBe(true);
  });

  it('gives the owner everything whatever the overwrites deny', () => {
    expect(channelPermissions(input({ userId: OWNER }), [role(GUILD, 0n, ALL_PERMISSIONS), member(OWNER, 0n, ALL_PERMISSIONS)])).toBe(ALL_PERMISSIONS);
  });

  it('gives an ADMINISTRATOR everything whatever the overwrites deny', () => {
    const admin = input({ roles: { [MODS]: P.Administrator }, memberRoles: [MODS] });
    expect(channelPermissions(admin, [role(GUILD, 0n, ALL_PERMISSIONS), member(USER, 0n, ALL_PERMISSIONS)])).toBe(ALL_PERMISSIONS);
  });

  it('does not let a channel overwrite grant ADMINISTRATOR', () => {
    const bits = channelPermissions(input({ everyone: VIEW_SEND }), [member(USER, P.Administrator)]);
    expect(bits).toBe(VIEW_SEND | P.Administrator);
    expect(has(bits, P.BanMembers)).toBe(false);
  });

  describe('implicit rules', () => {
    it('grants nothing in a channel the member cannot view', () => {
      const rich = input({ everyone: ALL_PERMISSIONS & ~P.Administrator });
      expect(channelPermissions(rich, [role(GUILD, 0n, P.ViewChannel)])).toBe(0n);
    });

    it('voids mention_everyone, TTS, attach_files and embed_links without send_messages, and keeps the rest', () => {
      const everyone =
        P.ViewChannel | P.SendMessages | P.MentionEveryone | P.SendTTSMessages | P.AttachFiles | P.EmbedLinks | P.AddReactions | P.ReadMessageHistory;
      const bits = channelPermissions(input({ everyone }), [role(GUILD, 0n, P.SendMessages)]);
      expect(bits).toBe(P.ViewChannel | P.AddReactions | P.ReadMessageHistory);
    });
  });
});

describe('has', () => {
  it('is true only when every flag asked for is set', () => {
    expect(has(P.SendMessages | P.ViewChannel, P.SendMessages)).toBe(true);
    expect(has(P.SendMessages, P.SendMessages | P.ViewChannel)).toBe(false);
    expect(has(0n, 0n)).toBe(true);
  });
});

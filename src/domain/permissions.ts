// Discord's permission bitfield and its documented algorithm (owner, ADMINISTRATOR, @everyone,
// roles, then channel overwrites), plus the seed's permission names.
import { PermissionFlagsBits as P } from 'discord-api-types/v10';
import type { Overwrite } from './model/channel.ts';

export type { Overwrite } from './model/channel.ts';

export const ALL_PERMISSIONS = Object.values(P).reduce((all, bit) => all | bit, 0n);

/** The seed's names, grouped as its permission table is; several names share one Discord flag. */
export const PERMISSION_GROUPS = {
  Messages: {
    read_messages: P.ViewChannel,
    send_messages: P.SendMessages,
    manage_messages: P.ManageMessages,
    embed_links: P.EmbedLinks,
    attach_files: P.AttachFiles,
    read_message_history: P.ReadMessageHistory,
    mention_everyone: P.MentionEveryone,
    use_external_emojis: P.UseExternalEmojis,
    add_reactions: P.AddReactions,
    create_public_threads: P.CreatePublicThreads,
    create_private_threads: P.CreatePrivateThreads,
    send_messages_in_threads: P.SendMessagesInThreads,
    manage_threads: P.ManageThreads,
    use_application_commands: P.UseApplicationCommands,
  },
  Channels: {
    view_channels: P.ViewChannel,
    manage_channels: P.ManageChannels,
    manage_webhooks: P.ManageWebhooks,
    create_instant_invite: P.CreateInstantInvite,
  },
  Voice: {
    connect_voice: P.Connect,
    speak: P.Speak,
    mute_members: P.MuteMembers,
    deafen_members: P.DeafenMembers,
    move_members: P.MoveMembers,
  },
  Server: {
    change_nickname: P.ChangeNickname,
    manage_nicknames: P.ManageNicknames,
    manage_roles: P.ManageRoles,
    kick_members: P.KickMembers,
    ban_members: P.BanMembers,
    manage_guild: P.ManageGuild,
    manage_guild_expressions: P.ManageGuildExpressions,
    view_audit_log: P.ViewAuditLog,
    administrator: P.Administrator,
  },
} as const;

export const PERMISSION_NAMES: Record<string, bigint> = Object.assign({}, ...Object.values(PERMISSION_GROUPS));

/** What a new guild's @everyone may do: talk (in threads too), read, react, invite, run commands — no moderation, no @everyone pings. */
export const DEFAULT_EVERYONE_PERMISSIONS =
  P.ViewChannel |
  P.SendMessages |
  P.CreatePublicThreads |
  P.CreatePrivateThreads |
  P.SendMessagesInThreads |
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
  P.UseApplicationCommands;

/** Turns a list of seed names or a decimal bitfield string into a bitfield; null if anything is unknown. */
export function parsePermissions(input: string | readonly string[]): bigint | null {
  if (typeof input === 'string') {
    if (!/^\d{1,20}$/.test(input)) return null;
    const value = BigInt(input);
    return (value & ~ALL_PERMISSIONS) === 0n ? value : null;
  }
  let bits = 0n;
  for (const name of input) {
    const bit = PERMISSION_NAMES[name];
    if (bit === undefined) return null;
    bits |= bit;
  }
  return bits;
}

/** PERMISSION_NAMES as pairs, listed once: a v1 READY names the permissions of every role of every guild. */
const NAMED_PERMISSIONS = Object.entries(PERMISSION_NAMES);

/** The seed's names whose flags are all set in `bits` (aliases included). */
export function permissionNames(bits: bigint): string[] {
  const names: string[] = [];
  for (const [name, bit] of NAMED_PERMISSIONS) if ((bits & bit) === bit) names.push(name);
  return names;
}

export type GuildPermissionInput = {
  guildId: string;
  ownerId: string;
  userId: string;
  /** Permissions of every role in the guild, by role id (the @everyone role's id is the guild id). */
  rolePermissions: ReadonlyMap<string, bigint>;
  memberRoleIds: readonly string[];
};

export function basePermissions(input: GuildPermissionInput): bigint {
  if (input.userId === input.ownerId) return ALL_PERMISSIONS;
  let bits = input.rolePermissions.get(input.guildId) ?? 0n;
  for (const roleId of input.memberRoleIds) bits |= input.rolePermissions.get(roleId) ?? 0n;
  return bits & P.Administrator ? ALL_PERMISSIONS : bits;
}

export function channelPermissions(input: GuildPermissionInput, overwrites: readonly Overwrite[]): bigint {
  const base = basePermissions(input);
  if (base & P.Administrator) return ALL_PERMISSIONS;
  let bits = base;
  const byId = new Map(overwrites.map((o) => [o.id, o]));
  const everyone = byId.get(input.guildId);
  if (everyone) bits = (bits & ~everyone.deny) | everyone.allow;
  let allow = 0n;
  let deny = 0n;
  for (const roleId of input.memberRoleIds) {
    const o = byId.get(roleId);
    if (o && o.type === 0) {
      allow |= o.allow;
      deny |= o.deny;
    }
  }
  bits = (bits & ~deny) | allow;
  const member = byId.get(input.userId);
  if (member && member.type === 1) bits = (bits & ~member.deny) | member.allow;
  // Implicit rules: a channel you cannot see grants nothing; without SEND_MESSAGES, the
  // permissions that only qualify sending are void.
  if (!(bits & P.ViewChannel)) return 0n;
  if (!(bits & P.SendMessages)) bits &= ~(P.MentionEveryone | P.SendTTSMessages | P.AttachFiles | P.EmbedLinks);
  return bits;
}

/**
 * A thread has no overwrites of its own: what a member may do in it is what they may do in its parent, except
 * that a private thread is invisible (0) to those who neither joined it nor hold MANAGE_THREADS.
 */
export function threadPermissions(parentBits: bigint, thread: { private: boolean; joined: boolean }): bigint {
  if (!(parentBits & P.ViewChannel)) return 0n;
  if (thread.private && !thread.joined && !(parentBits & P.ManageThreads)) return 0n;
  return parentBits;
}

/** The permission that lets a message be posted here: SEND_MESSAGES_IN_THREADS in a thread, SEND_MESSAGES elsewhere. */
export const sendPermission = (channel: { thread: unknown }): bigint => (channel.thread ? P.SendMessagesInThreads : P.SendMessages);

export function has(bits: bigint, flag: bigint): boolean {
  return (bits & flag) === flag;
}

export { P as Permission };

// Channels in Discord's shape: guild text channels (always with guild_id, which discord.js needs to tell
// them from DMs in CHANNEL_* events), threads, and DM channels (recipients are the other person, as on Discord).
import {
  type APIDMChannel,
  type APIOverwrite,
  type APITextChannel,
  type APIThreadChannel,
  type APIThreadMember,
  type ChannelFlags,
  ChannelType,
  OverwriteType,
  type ThreadAutoArchiveDuration,
  type ThreadChannelType,
  type ThreadMemberFlags,
} from 'discord-api-types/v10';
import type { Channel, ThreadMember } from '../../../domain/channels.ts';
import type { Overwrite } from '../../../domain/permissions.ts';
import type { User } from '../../../domain/users.ts';
import { user } from './user.ts';

// Discord's flag enums list single bits, so TypeScript takes no bare 0 for "none".
const NO_FLAGS = 0 as ChannelFlags;

export function overwrite(o: Overwrite): APIOverwrite {
  return { id: o.id, type: o.type === 1 ? OverwriteType.Member : OverwriteType.Role, allow: o.allow.toString(), deny: o.deny.toString() };
}

export function guildChannel(c: Channel & { guildId: string }): APITextChannel {
  return {
    id: c.id,
    type: ChannelType.GuildText,
    guild_id: c.guildId,
    name: c.name ?? '',
    position: c.position,
    permission_overwrites: c.overwrites.map(overwrite),
    parent_id: null,
    nsfw: false,
    topic: c.topic,
    last_message_id: c.lastMessageId,
    rate_limit_per_user: 0,
    flags: NO_FLAGS,
  };
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * A thread (types 11/12): Discord's thread fields and thread_metadata (`invitable` on private threads only).
 * `member`: the viewer's own thread membership, where Discord includes it (GUILD_CREATE, thread lists).
 */
export function threadChannel(c: Channel, member?: ThreadMember | null): APIThreadChannel {
  const t = c.thread;
  if (!t || c.guildId === null) throw new Error(`channel ${c.id} is not a thread`);
  const type = c.type as ThreadChannelType;
  return {
    id: c.id,
    type,
    guild_id: c.guildId,
    name: c.name ?? '',
    parent_id: t.parentId,
    owner_id: t.ownerId,
    last_message_id: c.lastMessageId,
    rate_limit_per_user: t.rateLimitPerUser,
    message_count: t.messageCount,
    // Discord caps the count it shows at 50.
    member_count: Math.min(t.memberCount, 50),
    total_message_sent: t.totalMessageSent,
    thread_metadata: {
      archived: t.archived,
      auto_archive_duration: t.autoArchiveMinutes as ThreadAutoArchiveDuration,
      archive_timestamp: iso(t.archiveChangedAt),
      locked: t.locked,
      ...(type === ChannelType.PrivateThread ? { invitable: t.invitable } : {}),
      create_timestamp: iso(c.createdAt),
    },
    flags: NO_FLAGS,
    ...(member ? { member: threadMember(member) } : {}),
  };
}

export function threadMember(m: ThreadMember): APIThreadMember {
  return { id: m.threadId, user_id: m.userId, join_timestamp: iso(m.joinedAt), flags: 0 as ThreadMemberFlags };
}

/** `recipients`: the participants other than the viewer (resolve them with recipientIds). */
export function dmChannel(c: Channel, recipients: readonly User[]): APIDMChannel {
  return { id: c.id, type: ChannelType.DM, name: null, recipients: recipients.map(user), last_message_id: c.lastMessageId, flags: NO_FLAGS };
}

/**
 * Any channel. `recipientsOf` resolves a DM's participants (ids other than `viewerId`); unused for guild channels.
 * Deleted accounts are left out rather than invented.
 */
export function channel(c: Channel, viewerId: string, recipientsOf: (ids: string[]) => User[]): APITextChannel | APIDMChannel | APIThreadChannel {
  if (c.thread) return threadChannel(c);
  if (c.guildId !== null) return guildChannel({ ...c, guildId: c.guildId });
  const others = c.recipientIds.filter((id) => id !== viewerId);
  return dmChannel(c, recipientsOf(others.length > 0 ? others : c.recipientIds));
}

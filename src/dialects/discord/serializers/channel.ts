// Channels in Discord's shape: guild text channels (always with guild_id, which discord.js needs to tell
// them from DMs in CHANNEL_* events) and DM channels (recipients are the other person, as on Discord).
import { type APIDMChannel, type APIOverwrite, type APITextChannel, type ChannelFlags, ChannelType, OverwriteType } from 'discord-api-types/v10';
import type { Channel } from '../../../domain/channels.ts';
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

/** `recipients`: the participants other than the viewer (resolve them with recipientIds). */
export function dmChannel(c: Channel, recipients: readonly User[]): APIDMChannel {
  return { id: c.id, type: ChannelType.DM, name: null, recipients: recipients.map(user), last_message_id: c.lastMessageId, flags: NO_FLAGS };
}

/**
 * Any channel. `recipientsOf` resolves a DM's participants (ids other than `viewerId`); unused for guild channels.
 * Deleted accounts are left out rather than invented.
 */
export function channel(c: Channel, viewerId: string, recipientsOf: (ids: string[]) => User[]): APITextChannel | APIDMChannel {
  if (c.guildId !== null) return guildChannel({ ...c, guildId: c.guildId });
  const others = c.recipientIds.filter((id) => id !== viewerId);
  return dmChannel(c, recipientsOf(others.length > 0 ? others : c.recipientIds));
}

// Invites in Discord's shape: the public preview anyone signed in sees, and the invite with its metadata
// (uses, max_age, ...) that Discord sends to people who manage them.
import {
  type APIExtendedInvite,
  type APIInvite,
  type APIInviteGuild,
  ChannelType,
  GuildNSFWLevel,
  GuildVerificationLevel,
  InviteType,
} from 'discord-api-types/v10';
import type { Channel } from '../../../domain/channels.ts';
import type { Guild } from '../../../domain/guilds.ts';
import type { Invite, InvitePreview } from '../../../domain/invites.ts';
import type { User } from '../../../domain/users.ts';
import type { GuildCounts } from './guild.ts';
import { user } from './user.ts';

const iso = (ms: number) => new Date(ms).toISOString();

export type InviteContext = { guild: Guild; channel: Channel | null; inviter: User | null; counts?: GuildCounts };

function inviteGuild(g: Guild): APIInviteGuild {
  return {
    id: g.id,
    name: g.name,
    icon: g.icon,
    splash: null,
    banner: null,
    description: g.description,
    features: [],
    verification_level: GuildVerificationLevel.None,
    vanity_url_code: null,
    nsfw_level: GuildNSFWLevel.Default,
    premium_subscription_count: 0,
  };
}

/** What `GET /invites/{code}` answers: the invite object, without the metadata (see `InvitePreview`). */
export function invitePreview(p: Omit<InvitePreview, 'memberCount'>, ctx: { inviter: User | null; counts?: GuildCounts }): APIInvite {
  return {
    code: p.code,
    type: InviteType.Guild,
    guild: inviteGuild(p.guild),
    // Always an object: discord.js reads `channel.id` whenever the key is present. A channel the viewer
    // could not see keeps its id and type but has no name.
    channel: { id: p.channel.id, name: p.channel.name, type: ChannelType.GuildText },
    ...(ctx.inviter ? { inviter: user(ctx.inviter) } : {}),
    ...(ctx.counts ? { approximate_member_count: ctx.counts.members, approximate_presence_count: ctx.counts.presences } : {}),
    expires_at: p.expiresAt === null ? null : iso(p.expiresAt),
  };
}

/** The invite object with metadata, for those who manage invites (the list and create routes). */
export function invite(i: Invite, ctx: InviteContext): APIExtendedInvite {
  const channel = { id: i.channelId, name: ctx.channel?.name ?? null };
  return {
    ...invitePreview({ code: i.code, guild: ctx.guild, channel, inviterId: i.inviterId, expiresAt: i.expiresAt }, ctx),
    uses: i.uses,
    max_uses: i.maxUses,
    max_age: i.expiresAt === null ? 0 : Math.round((i.expiresAt - i.createdAt) / 1000),
    temporary: false,
    created_at: iso(i.createdAt),
  };
}

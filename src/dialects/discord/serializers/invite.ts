// Invites in Discord's shape, with the metadata (uses, max_age, ...) Discord sends to people who manage them.
import { type APIExtendedInvite, type APIInviteGuild, ChannelType, GuildNSFWLevel, GuildVerificationLevel, InviteType } from 'discord-api-types/v10';
import type { Channel } from '../../../domain/channels.ts';
import type { Guild } from '../../../domain/guilds.ts';
import type { Invite } from '../../../domain/invites.ts';
import type { User } from '../../../domain/users.ts';
import type { GuildCounts } from './guild.ts';
import { user } from './user.ts';

const iso = (ms: number) => new Date(ms).toISOString();

export type InviteContext = { guild: Guild; channel: Channel | null; inviter: User | null; counts?: GuildCounts };

function inviteGuild(g: Guild): APIInviteGuild {
  return {
    id: g.id,
    name: g.name,
    icon: null,
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

export function invite(i: Invite, ctx: InviteContext): APIExtendedInvite {
  return {
    code: i.code,
    type: InviteType.Guild,
    guild: inviteGuild(ctx.guild),
    channel: ctx.channel ? { id: ctx.channel.id, name: ctx.channel.name ?? '', type: ChannelType.GuildText } : null,
    ...(ctx.inviter ? { inviter: user(ctx.inviter) } : {}),
    ...(ctx.counts ? { approximate_member_count: ctx.counts.members, approximate_presence_count: ctx.counts.presences } : {}),
    expires_at: i.expiresAt === null ? null : iso(i.expiresAt),
    uses: i.uses,
    max_uses: i.maxUses,
    max_age: i.expiresAt === null ? 0 : Math.round((i.expiresAt - i.createdAt) / 1000),
    temporary: false,
    created_at: iso(i.createdAt),
  };
}

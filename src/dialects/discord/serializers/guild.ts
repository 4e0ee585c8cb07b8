// Guilds in Discord's shape. Harmony guilds have no boosts, verification, AFK channel or stickers, so
// those fields carry Discord's values for "none" (empty lists, level 0, null ids) and discord.js getters work.
import {
  type APIGuild,
  GuildDefaultMessageNotifications,
  GuildExplicitContentFilter,
  GuildMFALevel,
  GuildNSFWLevel,
  GuildPremiumTier,
  type GuildSystemChannelFlags,
  GuildVerificationLevel,
  Locale,
  type RESTAPIPartialCurrentUserGuild,
} from 'discord-api-types/v10';
import type { CustomEmoji } from '../../../domain/custom-emoji.ts';
import type { Guild } from '../../../domain/guilds.ts';
import type { Role } from '../../../domain/roles.ts';
import { customEmoji } from './emoji.ts';
import { role } from './role.ts';

/** Approximate counts, sent when asked for (`?with_counts=true`). */
export type GuildCounts = { members: number; presences: number };

/** `roles` must include @everyone (id = guild id): discord.js resolves guild.roles.everyone through it. */
export function guild(g: Guild, roles: readonly Role[], emojis: readonly CustomEmoji[], counts?: GuildCounts): APIGuild {
  return {
    id: g.id,
    name: g.name,
    icon: g.icon,
    splash: null,
    discovery_splash: null,
    banner: null,
    description: g.description,
    owner_id: g.ownerId,
    afk_channel_id: null,
    afk_timeout: 300,
    widget_enabled: false,
    widget_channel_id: null,
    verification_level: GuildVerificationLevel.None,
    default_message_notifications: GuildDefaultMessageNotifications.AllMessages,
    explicit_content_filter: GuildExplicitContentFilter.Disabled,
    roles: roles.map(role),
    emojis: emojis.map((e) => customEmoji(e)),
    stickers: [],
    features: [],
    mfa_level: GuildMFALevel.None,
    application_id: null,
    system_channel_id: g.systemChannelId ?? null,
    system_channel_flags: (g.systemChannelFlags ?? 0) as GuildSystemChannelFlags,
    rules_channel_id: null,
    public_updates_channel_id: null,
    safety_alerts_channel_id: null,
    vanity_url_code: null,
    premium_tier: GuildPremiumTier.None,
    premium_subscription_count: 0,
    premium_progress_bar_enabled: false,
    preferred_locale: Locale.EnglishUS,
    nsfw_level: GuildNSFWLevel.Default,
    hub_type: null,
    incidents_data: null,
    max_members: 500000,
    max_presences: null,
    ...(counts ? { approximate_member_count: counts.members, approximate_presence_count: counts.presences } : {}),
  };
}

/** An entry of GET /users/@me/guilds: the caller's view (owner flag and their guild-level permissions). */
export function currentUserGuild(g: Guild, userId: string, permissions: bigint, counts?: GuildCounts): RESTAPIPartialCurrentUserGuild {
  return {
    id: g.id,
    name: g.name,
    icon: g.icon,
    banner: null,
    owner: g.ownerId === userId,
    permissions: permissions.toString(),
    features: [],
    ...(counts ? { approximate_member_count: counts.members, approximate_presence_count: counts.presences } : {}),
  };
}

// READY and GUILD_CREATE as Discord sends them to a bot: READY lists guilds as unavailable stubs, then one
// GUILD_CREATE per guild brings the whole guild. Which members come with it follows Discord's rule: with
// GUILD_PRESENCES, everyone in a guild up to `large_threshold` members (in a larger one, those online, with a
// role or a nickname); without it, only the session's own member. discord.js needs `unavailable: false`, the
// @everyone role and the bot's own member (guild.members.me) in it.
import type { ApplicationFlags, GatewayGuildCreateDispatchData, GatewayPresenceUpdate, GatewayReadyDispatchData } from 'discord-api-types/v10';
import type { Core } from '../../../core.ts';
import type { Member } from '../../../domain/members.ts';
import type { GuildNotificationSettings, ReadState } from '../../../domain/read-states.ts';
import type { Caller } from '../../../domain/users.ts';
import type { GuildContents, GuildSnapshot } from '../../../gateway/dispatch.ts';
import { guildContents, allMembers as membersOf } from '../../../gateway/guild-contents.ts';
import type { InitialView } from '../../../gateway/visibility.ts';
import { applicationFlags } from '../serializers/application.ts';
import { guildChannel, threadChannel } from '../serializers/channel.ts';
import { guild } from '../serializers/guild.ts';
import { member } from '../serializers/member.ts';
import { presence } from '../serializers/presence.ts';
import { currentUser } from '../serializers/user.ts';

/** Discord's default and its bounds for IDENTIFY's `large_threshold`. */
export const LARGE_THRESHOLD = { default: 50, min: 50, max: 250 } as const;

const iso = (ms: number) => new Date(ms).toISOString();

/** Every member of a guild, in id order (paged through the store). */
export async function allMembers(core: Core, guildId: string): Promise<Member[]> {
  return await membersOf(core.uow.repos.guilds, guildId);
}

export type GuildCreateOptions = { presences: boolean; largeThreshold: number };

/** The full guild as `snapshot.userId` sees it (only the channels they may view), read now (IDENTIFY). */
export async function guildCreate(core: Core, snapshot: GuildSnapshot, options: GuildCreateOptions): Promise<GatewayGuildCreateDispatchData> {
  return guildCreatePayload(snapshot, await guildContents(core.uow.repos, snapshot, options.presences), options);
}

/**
 * GUILD_CREATE from what was read for it (`contents`: every member when `options.presences`, else at least the
 * viewer's own): reads nothing. Live presences are the snapshot's.
 */
export function guildCreatePayload(snapshot: GuildSnapshot, contents: GuildContents, options: GuildCreateOptions): GatewayGuildCreateDispatchData {
  const { guild: g, userId } = snapshot;
  const large = snapshot.memberCount > options.largeThreshold;
  const own = contents.members.find((m) => m.userId === userId) ?? null;
  let members: Member[];
  const presences: GatewayPresenceUpdate[] = [];
  if (!options.presences) members = own ? [own] : [];
  else {
    // Only a session with GUILD_PRESENCES looks at who is online: walking every member's presence is most of an
    // IDENTIFY's work in a guild of thousands.
    const live = new Map(snapshot.presences.map((p) => [p.userId, p]));
    members = contents.members;
    if (large) members = members.filter((m) => m.userId === userId || m.nick !== null || m.roleIds.some((r) => r !== g.id) || live.has(m.userId));
    for (const m of members) {
      const p = live.get(m.userId);
      if (p) presences.push(presence(p, g.id));
    }
  }
  return {
    ...guild(g, snapshot.roles, contents.emojis),
    joined_at: iso(own?.joinedAt ?? g.createdAt),
    large,
    unavailable: false,
    member_count: snapshot.memberCount,
    voice_states: [],
    members: members.flatMap((m) => {
      const u = contents.users.get(m.userId);
      return u ? [member(m, u)] : [];
    }),
    channels: snapshot.channels.flatMap((c) => (c.guildId === null ? [] : [guildChannel({ ...c, guildId: c.guildId })])),
    // Active threads the user can see, with their own membership where they joined (Discord's GUILD_CREATE).
    threads: snapshot.threads.map((t) => threadChannel(t, contents.threadMembers.get(`${t.id}:${userId}`) ?? null)),
    presences,
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

/**
 * READY's `d`. `application` is required by discord.js (new ClientApplication reads its id); a bot is its own
 * application on Harmony, and a person's session gets one of their own id so the library does not crash.
 */
export function ready(
  caller: Caller,
  sessionId: string,
  resumeUrl: string,
  view: InitialView,
  version: number,
  own?: { readStates: ReadState[]; settings: GuildNotificationSettings[] },
): GatewayReadyDispatchData {
  const flags = caller.kind === 'bot' ? applicationFlags(caller.user) : (0 as ApplicationFlags);
  // A person's session also learns where they stopped reading and how each guild notifies them, as Discord's does.
  const personal =
    caller.kind === 'bot' || !own
      ? {}
      : {
          read_state: {
            entries: own.readStates.map((r) => ({ id: r.channelId, last_message_id: r.lastReadMessageId, mention_count: r.mentionCount })),
            partial: false,
            version: 0,
          },
          user_guild_settings: { entries: own.settings.map(userGuildSettings), partial: false, version: 0 },
        };
  return {
    ...personal,
    v: version,
    user: currentUser(caller.user),
    guilds: view.snapshots.map((s) => ({ id: s.guild.id, unavailable: true })),
    session_id: sessionId,
    resume_gateway_url: resumeUrl,
    shard: [0, 1],
    application: { id: caller.user.id, flags, flags_new: String(flags) },
  };
}

/** A person's notification settings in one guild, as Discord's user gateway sends them (3: inherit). */
export function userGuildSettings(s: GuildNotificationSettings) {
  return {
    guild_id: s.guildId,
    message_notifications: s.level ?? 3,
    muted: s.muted,
    channel_overrides: s.channels.map((c) => ({ channel_id: c.channelId, message_notifications: c.level ?? 3, muted: c.muted })),
  };
}

// READY and GUILD_CREATE as Discord sends them to a bot: READY lists guilds as unavailable stubs, then one
// GUILD_CREATE per guild brings the whole guild. Which members come with it follows Discord's rule: with
// GUILD_PRESENCES, everyone in a guild up to `large_threshold` members (in a larger one, those online, with a
// role or a nickname); without it, only the session's own member. discord.js needs `unavailable: false`, the
// @everyone role and the bot's own member (guild.members.me) in it.
import type { ApplicationFlags, GatewayGuildCreateDispatchData, GatewayPresenceUpdate, GatewayReadyDispatchData } from 'discord-api-types/v10';
import type { Core } from '../../../core.ts';
import type { Member } from '../../../domain/members.ts';
import type { ThreadMember } from '../../../domain/model/channel.ts';
import type { GuildNotificationSettings, ReadState } from '../../../domain/read-states.ts';
import type { Caller } from '../../../domain/users.ts';
import type { GuildSnapshot } from '../../../gateway/dispatch.ts';
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
const MEMBER_PAGE = 1000;

/** Every member of a guild, in id order (paged through the store). */
export async function allMembers(core: Core, guildId: string): Promise<Member[]> {
  const out: Member[] = [];
  let after = '0';
  for (;;) {
    const page = await core.uow.repos.guilds.members(guildId, MEMBER_PAGE, after);
    out.push(...page);
    if (page.length < MEMBER_PAGE) return out;
    after = (page[page.length - 1] as Member).userId;
  }
}

export type GuildCreateOptions = { presences: boolean; largeThreshold: number };

/** The full guild as `snapshot.userId` sees it (only the channels they may view). */
export async function guildCreate(core: Core, snapshot: GuildSnapshot, options: GuildCreateOptions): Promise<GatewayGuildCreateDispatchData> {
  const { repos } = core.uow;
  const { guild: g, userId } = snapshot;
  const large = snapshot.memberCount > options.largeThreshold;
  const own = await repos.guilds.member(g.id, userId);
  let members: Member[];
  if (!options.presences) members = own ? [own] : [];
  else {
    const status = (id: string) => core.services.presence.get(id).status;
    members = await allMembers(core, g.id);
    if (large) members = members.filter((m) => m.userId === userId || m.nick !== null || m.roleIds.some((r) => r !== g.id) || status(m.userId) !== 'offline');
  }
  const users = await repos.users.byIds(members.map((m) => m.userId));
  const emojis = await repos.emojis.list(g.id);
  const threadMembers = new Map<string, ThreadMember | null>();
  for (const t of snapshot.threads) threadMembers.set(t.id, await repos.threads.member(t.id, userId));
  const presences: GatewayPresenceUpdate[] = [];
  if (options.presences) {
    for (const m of members) {
      const p = core.services.presence.get(m.userId);
      if (p.status !== 'offline') presences.push(presence(p, g.id));
    }
  }
  return {
    ...guild(g, snapshot.roles, emojis),
    joined_at: iso(own?.joinedAt ?? g.createdAt),
    large,
    unavailable: false,
    member_count: snapshot.memberCount,
    voice_states: [],
    members: members.flatMap((m) => {
      const u = users.get(m.userId);
      return u ? [member(m, u)] : [];
    }),
    channels: snapshot.channels.flatMap((c) => (c.guildId === null ? [] : [guildChannel({ ...c, guildId: c.guildId })])),
    // Active threads the user can see, with their own membership where they joined (Discord's GUILD_CREATE).
    threads: snapshot.threads.map((t) => threadChannel(t, threadMembers.get(t.id) ?? null)),
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

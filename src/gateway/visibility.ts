// What users may see right now, computed in bulk: a role change in a guild of a thousand connected members
// recomputes every member's channels at once. Same algorithm as AccessService.permissionsIn (Discord's,
// from domain/permissions.ts), with the guild's roles and channels loaded once instead of per check;
// test/gateway/visibility.test.ts holds the two to the same answers.
import { ChannelType } from 'discord-api-types/v10';
import type { Channel } from '../domain/channels.ts';
import type { Member } from '../domain/members.ts';
import { channelPermissions, has, Permission, threadPermissions } from '../domain/permissions.ts';
import type { ChannelsRepo, GuildsRepo, ThreadsRepo } from '../domain/ports/index.ts';
import type { Presence } from '../domain/presence/presence-service.ts';
import type { GuildSnapshot } from './dispatch.ts';
import type { GuildReadyCache, GuildReadyPart } from './guild-ready-cache.ts';

/** For each user: the ids of the channels (threads included, archived ones too) they may view, or null when they are not a member. */
/** `members`: the memberships read to work the views out (IDENTIFY hands the viewer's on to GUILD_CREATE). */
export type GuildViews = { channels: readonly Channel[]; views: Map<string, Set<string> | null>; members: Map<string, Member> };

/** Everything a new session may see: its guilds (with snapshots for READY) and its DM channels. */
export type InitialView = { guilds: Map<string, Set<string>>; snapshots: GuildSnapshot[]; dms: Channel[] };

/** Where snapshots read live presence from (the in-memory PresenceService); none: every member counts as offline. */
export type PresenceSource = { online(userId: string): Presence | null };

export class Visibility {
  constructor(
    private readonly guilds: GuildsRepo,
    private readonly channels: ChannelsRepo,
    private readonly threads: ThreadsRepo,
    private readonly presence: PresenceSource | null = null,
    /** What IDENTIFY reads per guild, kept between connects (none: read from the store every time). */
    private readonly ready: GuildReadyCache | null = null,
  ) {}

  /**
   * Which of `guildId`'s channels each user may view now (VIEW_CHANNEL after roles and overwrites). `only`
   * restricts the answer to those channels (one created or updated); users not in the guild map to null.
   */
  async guildViews(guildId: string, userIds: Iterable<string>, only?: readonly Channel[], part?: GuildReadyPart): Promise<GuildViews> {
    const views = new Map<string, Set<string> | null>();
    const members = new Map<string, Member>();
    const guild = part ? part.guild : await this.guilds.guild(guildId);
    if (!guild) {
      for (const userId of userIds) views.set(userId, null);
      return { channels: only ?? [], views, members };
    }
    const channels = only ?? part?.channels ?? [...(await this.channels.ofGuild(guildId)), ...(await this.channels.threadsOfGuild(guildId))];
    // A thread's permissions are its parent's (access.ts): parents are looked up once, from the list when there.
    const parents = new Map(channels.filter((c) => !c.thread).map((c) => [c.id, c]));
    // Parents not in the list (a thread passed alone in `only`) are read once, before the per-user loop.
    for (const channel of channels) {
      const parentId = channel.thread?.parentId;
      if (!parentId || parents.has(parentId)) continue;
      const parent = await this.channels.byId(parentId);
      if (parent) parents.set(parentId, parent);
    }
    const anyPrivate = channels.some((c) => c.type === ChannelType.PrivateThread);
    const rolePermissions = new Map((part ? part.roles : await this.guilds.roles(guildId)).map((r) => [r.id, r.permissions]));
    for (const userId of userIds) {
      const member = await this.guilds.member(guildId, userId);
      if (!member) {
        views.set(userId, null);
        continue;
      }
      members.set(userId, member);
      const input = { guildId, ownerId: guild.ownerId, userId, rolePermissions, memberRoleIds: member.roleIds };
      const joined = anyPrivate ? new Set((await this.threads.membershipsIn(guildId, userId)).map((m) => m.threadId)) : new Set<string>();
      const visible = new Set<string>();
      for (const channel of channels) {
        if (channel.guildId !== guildId) continue;
        let bits: bigint;
        if (channel.thread) {
          const parent = parents.get(channel.thread.parentId) ?? null;
          bits = parent
            ? threadPermissions(channelPermissions(input, parent.overwrites), {
                private: channel.type === ChannelType.PrivateThread,
                joined: joined.has(channel.id),
              })
            : 0n;
        } else bits = channelPermissions(input, channel.overwrites);
        if (has(bits, Permission.ViewChannel)) visible.add(channel.id);
      }
      views.set(userId, visible);
    }
    return { channels, views, members };
  }

  /** The guild as `userId` sees it, or null when the guild is gone or they are not in it. */
  async snapshot(guildId: string, userId: string): Promise<GuildSnapshot | null> {
    return (await this.snapshotAndView(guildId, userId))?.snapshot ?? null;
  }

  /** The snapshot, and every channel and thread id the user may view (archived threads, which the snapshot leaves out, included). */
  private async snapshotAndView(guildId: string, userId: string): Promise<{ snapshot: GuildSnapshot; visible: Set<string> } | null> {
    // IDENTIFY's path: the guild's part comes from memory when it is held (the store otherwise).
    const part = this.ready ? await this.ready.part(guildId) : await this.readPart(guildId);
    if (!part) return null;
    const { channels, views, members } = await this.guildViews(guildId, [userId], undefined, part);
    const visible = views.get(userId);
    if (!visible) return null;
    const { memberIds } = part;
    const presencesOf = (ids: Iterable<string>) => this.presencesOf(ids);
    const snapshot: GuildSnapshot = {
      guild: part.guild,
      roles: [...part.roles],
      channels: channels.filter((c) => !c.thread && visible.has(c.id)),
      threads: channels.filter((c) => c.thread && !c.thread.archived && visible.has(c.id)),
      memberCount: memberIds.size,
      member: members.get(userId),
      // Read when a dialect asks (Harmony's READY does, Discord's GUILD_CREATE reads its members' own): a large
      // guild's members are not walked for a session that never looks.
      get presences() {
        const value = presencesOf(memberIds);
        Object.defineProperty(this, 'presences', { value, enumerable: true, writable: true });
        return value;
      },
      userId,
    };
    return { snapshot, visible };
  }

  /** The guild's part read from the store (no cache). */
  private async readPart(guildId: string): Promise<GuildReadyPart | null> {
    const guild = await this.guilds.guild(guildId);
    if (!guild) return null;
    const channels = [...(await this.channels.ofGuild(guildId)), ...(await this.channels.threadsOfGuild(guildId))];
    return { guild, roles: await this.guilds.roles(guildId), channels, memberIds: new Set(await this.guilds.memberIds(guildId)) };
  }

  /** The live presences of those of `userIds` who are not offline, in the given order. */
  private presencesOf(userIds: Iterable<string>): Presence[] {
    const source = this.presence;
    if (!source) return [];
    const out: Presence[] = [];
    for (const userId of userIds) {
      const presence = source.online(userId);
      if (presence) out.push(presence);
    }
    return out;
  }

  async initial(userId: string): Promise<InitialView> {
    const guilds = new Map<string, Set<string>>();
    const snapshots: GuildSnapshot[] = [];
    for (const guild of await this.guilds.guildsOf(userId)) {
      const seen = await this.snapshotAndView(guild.id, userId);
      if (!seen) continue;
      snapshots.push(seen.snapshot);
      guilds.set(guild.id, seen.visible);
    }
    return { guilds, snapshots, dms: await this.channels.dmsOf(userId) };
  }
}

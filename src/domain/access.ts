// Answers "may this user do X here?" with Discord's algorithm, from what is stored now (in a thread: its parent's
// permissions and the thread's own rules, see threadPermissions).
// Every route and every gateway audience goes through it, so the guild-wide part (the guild row and
// its roles' permissions) and the memberships asked about are kept in memory and dropped whenever an event says
// the guild, a role or the membership changed (memberships also after a few seconds, as a bound).
import { ChannelType } from 'discord-api-types/v10';
import type { EventHub } from '../events/event-hub.ts';
import { missingAccess, missingPermissions, unknown } from '../http/api-error.ts';
import type { Channel } from './channels.ts';
import type { Clock } from './clock.ts';
import { ExpiringCache } from './expiring-cache.ts';
import type { Guild } from './guilds.ts';
import { Hierarchy } from './hierarchy.ts';
import type { Member } from './members.ts';
import { basePermissions, channelPermissions, type GuildPermissionInput, has, Permission, threadPermissions } from './permissions.ts';
import type { ChannelsRepo, GuildsRepo, ThreadsRepo } from './ports/index.ts';
import { newerId } from './snowflake.ts';

export type GuildAccess = { guild: Guild; member: Member; permissions: bigint };

/** What every permission check in a guild needs and what rarely changes: the owner and the roles. */
type GuildFacts = { guild: Guild; rolePermissions: ReadonlyMap<string, bigint> };

/** How long a membership read stays in memory at most: the bound for a change no event reported. */
const MEMBER_TTL_MS = 5_000;
/** Memberships held at most; past it the table starts over rather than grow. */
const MAX_MEMBERS = 50_000;
/** The same bounds for guild channels. */
const CHANNEL_TTL_MS = 5_000;
const MAX_CHANNELS = 50_000;

export class AccessService {
  private readonly facts = new Map<string, GuildFacts>();
  /** Memberships by memberKey(guild, user): every request in a guild checks one, and most are the same few. */
  private readonly members: ExpiringCache<string, Member>;
  /** Guild channels (not threads, whose counters move with every post) by id. */
  private readonly channels: ExpiringCache<string, Channel>;

  constructor(
    private readonly guilds: GuildsRepo,
    private readonly channelsRepo: ChannelsRepo,
    private readonly threads: ThreadsRepo,
    hub: EventHub,
    clock: Clock,
  ) {
    this.members = new ExpiringCache(clock, MEMBER_TTL_MS, MAX_MEMBERS);
    this.channels = new ExpiringCache(clock, CHANNEL_TTL_MS, MAX_CHANNELS);
    // Every write to a guild row, a role or a membership emits one of these after its commit (see domain-events.ts),
    // on every node (events from the others reach this hub too).
    hub.subscribe((event) => {
      if (event.type === 'message.create') this.noteMessage(event.message.channelId, event.message.id);
      else if (event.type === 'message.delete' || event.type === 'message.delete_bulk') this.forgetChannel(event.channelId);
      else if (event.type === 'channel.create' || event.type === 'channel.update' || event.type === 'channel.delete') this.forgetChannel(event.channel.id);
      else if (event.type === 'guild.update') this.facts.delete(event.guild.id);
      else if (event.type === 'guild.delete' || event.type === 'role.delete') {
        this.facts.delete(event.guildId);
        // A deleted role leaves every member who held it, and its overwrites every channel.
        this.forgetMembers(event.guildId);
        this.forgetChannelsOf(event.guildId);
      } else if (event.type === 'role.create' || event.type === 'role.update') this.facts.delete(event.role.guildId);
      else if (event.type === 'member.join' || event.type === 'member.update') this.forgetMember(event.member.guildId, event.member.userId);
      else if (event.type === 'member.leave') {
        this.forgetMember(event.guildId, event.userId);
        // Their overwrites go with them.
        this.forgetChannelsOf(event.guildId);
      }
    });
  }

  /** The caller's membership and guild-level permissions; 404 for no such guild, 403 for non-members. */
  async guild(guildId: string, userId: string): Promise<GuildAccess> {
    const facts = await this.factsOf(guildId);
    if (!facts) throw unknown.guild();
    const member = await this.memberOf(guildId, userId);
    if (!member) throw missingAccess();
    return { guild: facts.guild, member, permissions: basePermissions(await this.input(facts.guild, member)) };
  }

  async requireGuildPermission(guildId: string, userId: string, flag: bigint): Promise<GuildAccess> {
    const access = await this.guild(guildId, userId);
    if (!has(access.permissions, flag)) throw missingPermissions();
    return access;
  }

  /** A channel the caller can see (VIEW_CHANNEL, or DM participant), with their permissions in it. */
  async channel(channelId: string, userId: string): Promise<{ channel: Channel; permissions: bigint; access: GuildAccess | null }> {
    const channel = await this.channelOf(channelId);
    if (!channel) throw unknown.channel();
    if (channel.guildId === null) {
      if (!channel.recipientIds.includes(userId)) throw missingAccess();
      return { channel, permissions: DM_PERMISSIONS, access: null };
    }
    const access = await this.guild(channel.guildId, userId);
    const permissions = await this.inChannel(access, channel);
    if (!has(permissions, Permission.ViewChannel)) throw missingAccess();
    return { channel, permissions, access };
  }

  async requireChannelPermission(channelId: string, userId: string, flag: bigint) {
    const result = await this.channel(channelId, userId);
    if (!has(result.permissions, flag)) throw missingPermissions();
    return result;
  }

  async inChannel(access: GuildAccess, channel: Channel): Promise<bigint> {
    return await this.computeIn(await this.input(access.guild, access.member), channel);
  }

  /** Permissions of `userId` in `channel` now, or 0 when they may not see it at all (no throw). */
  async permissionsIn(channel: Channel, userId: string): Promise<bigint> {
    if (channel.guildId === null) return channel.recipientIds.includes(userId) ? DM_PERMISSIONS : 0n;
    const facts = await this.factsOf(channel.guildId);
    const member = facts && (await this.memberOf(channel.guildId, userId));
    if (!facts || !member) return 0n;
    return this.computeIn(await this.input(facts.guild, member), channel);
  }

  /** The role hierarchy as `actor` sees it now: what they may manage and grant (see hierarchy.ts). */
  async hierarchy(actor: GuildAccess): Promise<Hierarchy> {
    return new Hierarchy(actor, await this.guilds.roles(actor.guild.id));
  }

  /**
   * Whether `userId` may see `channel`: as the member they are, or, not being one, as they would on joining
   * (with no roles, so @everyone decides). What an invite preview may name is bounded by this.
   */
  async couldSee(channel: Channel, userId: string): Promise<boolean> {
    if (channel.guildId === null) return channel.recipientIds.includes(userId);
    const facts = await this.factsOf(channel.guildId);
    if (!facts) return false;
    const roleIds = (await this.memberOf(channel.guildId, userId))?.roleIds ?? [];
    const input = { guildId: facts.guild.id, ownerId: facts.guild.ownerId, userId, rolePermissions: facts.rolePermissions, memberRoleIds: roleIds };
    return has(await this.computeIn(input, channel), Permission.ViewChannel);
  }

  /** Discord's algorithm on the channel, or for a thread on its parent, then the thread's own rules. */
  private async computeIn(input: GuildPermissionInput, channel: Channel): Promise<bigint> {
    if (!channel.thread) return channelPermissions(input, channel.overwrites);
    const parent = await this.channelsRepo.byId(channel.thread.parentId);
    if (!parent) return 0n;
    const joined = (await this.threads.member(channel.id, input.userId)) !== null;
    return threadPermissions(channelPermissions(input, parent.overwrites), { private: channel.type === ChannelType.PrivateThread, joined });
  }

  /** The membership as stored, from memory while no event changed it (a non-member is asked for each time). */
  private memberOf(guildId: string, userId: string): Promise<Member | null> {
    return this.members.load(memberKey(guildId, userId), () => this.guilds.member(guildId, userId));
  }

  /**
   * A channel as stored, a guild channel from memory while no event changed it (its newest message id kept by the
   * message events); DMs and threads are read each time.
   */
  private channelOf(channelId: string): Promise<Channel | null> {
    return this.channels.load(
      channelId,
      () => this.channelsRepo.byId(channelId),
      (channel) => channel.guildId !== null && !channel.thread,
    );
  }

  private noteMessage(channelId: string, messageId: string): void {
    this.channels.update(channelId, (channel) => ({ ...channel, lastMessageId: newerId(channel.lastMessageId, messageId) }));
  }

  private forgetChannel(channelId: string): void {
    this.channels.forget(channelId);
  }

  private forgetChannelsOf(guildId: string): void {
    this.channels.forgetWhere((channel) => channel.guildId === guildId);
  }

  private forgetMember(guildId: string, userId: string): void {
    this.members.forget(memberKey(guildId, userId));
  }

  private forgetMembers(guildId: string): void {
    this.members.forgetWhere((member) => member.guildId === guildId);
  }

  private async factsOf(guildId: string): Promise<GuildFacts | null> {
    let facts = this.facts.get(guildId);
    if (!facts) {
      const guild = await this.guilds.guild(guildId);
      if (!guild) return null;
      facts = { guild, rolePermissions: new Map((await this.guilds.roles(guildId)).map((r) => [r.id, r.permissions])) };
      this.facts.set(guildId, facts);
    }
    return facts;
  }

  private async input(guild: Guild, member: Member) {
    const rolePermissions = (await this.factsOf(guild.id))?.rolePermissions ?? new Map<string, bigint>();
    return { guildId: guild.id, ownerId: guild.ownerId, userId: member.userId, rolePermissions, memberRoleIds: member.roleIds };
  }
}

const memberKey = (guildId: string, userId: string) => `${guildId}:${userId}`;

/** Both people in a DM can read, write and react; nobody moderates. */
const DM_PERMISSIONS =
  Permission.ViewChannel |
  Permission.SendMessages |
  Permission.ReadMessageHistory |
  Permission.AddReactions |
  Permission.EmbedLinks |
  Permission.AttachFiles |
  Permission.UseExternalEmojis;

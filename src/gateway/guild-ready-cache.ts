// What every IDENTIFY reads about each of the user's guilds, kept in memory between connects: the guild, its roles,
// its channels and threads, and who its members are. Without it a READY re-read all of this per guild, the member
// ids included (1,000 ids per guild, 50 guilds per user: 50,000 rows per IDENTIFY). What is per user (their member,
// their thread memberships) is still read per IDENTIFY.
//
// Kept current by the committed domain events, which reach the hub in commit order on this node and, in a cluster,
// from every other node through the same bus: a join or leave patches the member set; any other change to the guild
// (itself, a role, a channel or thread, its emojis) drops the guild's entry, read again by the next IDENTIFY that
// needs it. A read that an event for the same guild overtakes is used by its own IDENTIFY (it is as fresh as a
// database read at that moment: the gateway's barrier delivers the event after READY) but never kept.
//
// Bounded: the least recently read guilds are let go once the parts held name more than `maxMemberIds` members in
// all (or hold more than `maxGuilds` guilds); the next IDENTIFY that needs one reads it again.
import type { Channel } from '../domain/channels.ts';
import type { Guild } from '../domain/guilds.ts';
import type { ChannelsRepo, GuildsRepo } from '../domain/ports/index.ts';
import type { Role } from '../domain/roles.ts';
import { newerId } from '../domain/snowflake.ts';
import type { DomainEvent } from '../events/domain-events.ts';
import type { EventHub } from '../events/event-hub.ts';

/** One guild as every member's READY starts from. `channels` holds its channels, then its threads (archived ones too). */
export type GuildReadyPart = {
  readonly guild: Guild;
  readonly roles: readonly Role[];
  readonly channels: readonly Channel[];
  /** Ids of its members; patched in place as members join and leave. */
  readonly memberIds: ReadonlySet<string>;
};

type Part = GuildReadyPart & { memberIds: Set<string>; channels: Channel[] };
/** A held part, with where each channel is in its list (to patch a channel's last message id). */
type Entry = { part: Part; index: Map<string, number> };
/**
 * A read in flight: messages posted meanwhile are applied to it once it is in (the read may predate them); `stale`
 * once an event it cannot be patched for came first (it is then used by its own IDENTIFYs but not kept).
 */
type Reading = { promise: Promise<GuildReadyPart | null>; lastMessages: Map<string, string>; stale: boolean };

export type GuildReadyCacheLimits = {
  /** Member ids held in all parts before the least recently read guilds are let go (default 1,000,000: ~100 MB). */
  maxMemberIds?: number;
  /** Guilds held before the least recently read are let go (default 20,000). */
  maxGuilds?: number;
};

/** The guild an event changes what READY says about, if any (member updates change only that member's own part). */
function guildOf(event: DomainEvent): string | null {
  switch (event.type) {
    case 'guild.create':
    case 'guild.update':
      return event.guild.id;
    case 'guild.delete':
    case 'role.delete':
    case 'emojis.update':
      return event.guildId;
    case 'role.create':
    case 'role.update':
      return event.role.guildId;
    case 'channel.create':
    case 'channel.update':
    case 'channel.delete':
      return event.channel.guildId;
    case 'thread.members_update':
      return event.thread.guildId;
    default:
      return null;
  }
}

export class GuildReadyCache {
  /** Held parts, least recently read first (a read moves its guild to the end). */
  private readonly entries = new Map<string, Entry>();
  /** Reads in flight, shared by the IDENTIFYs that need the same guild at once. */
  private readonly reading = new Map<string, Reading>();
  private readonly unsubscribe: () => void;
  private readonly maxMemberIds: number;
  private readonly maxGuilds: number;
  /** Member ids in all held parts. */
  private memberIds = 0;

  constructor(
    private readonly guilds: GuildsRepo,
    private readonly channels: ChannelsRepo,
    hub: EventHub,
    limits: GuildReadyCacheLimits = {},
  ) {
    this.maxMemberIds = limits.maxMemberIds ?? 1_000_000;
    this.maxGuilds = limits.maxGuilds ?? 20_000;
    this.unsubscribe = hub.subscribe((event) => this.onEvent(event));
  }

  stop(): void {
    this.unsubscribe();
    this.entries.clear();
    this.memberIds = 0;
  }

  /** Guilds held now. */
  get size(): number {
    return this.entries.size;
  }

  /** Member ids held now, in all guilds' parts. */
  get heldMemberIds(): number {
    return this.memberIds;
  }

  /** The guild's READY part, or null when there is no such guild. */
  part(guildId: string): Promise<GuildReadyPart | null> {
    const held = this.entries.get(guildId);
    if (held) {
      // Most recently read last: what eviction takes first is what no IDENTIFY needed for longest.
      this.entries.delete(guildId);
      this.entries.set(guildId, held);
      return Promise.resolve(held.part);
    }
    const pending = this.reading.get(guildId);
    if (pending) return pending.promise;
    const reading: Reading = { promise: Promise.resolve(null), lastMessages: new Map(), stale: false };
    reading.promise = this.read(guildId).then(
      (part) => {
        if (this.reading.get(guildId) === reading) this.reading.delete(guildId);
        if (!part || reading.stale) return part;
        const entry: Entry = { part, index: new Map(part.channels.map((c, i) => [c.id, i])) };
        for (const [channelId, messageId] of reading.lastMessages) if (!this.posted(entry, channelId, messageId)) return part;
        this.hold(guildId, entry);
        return part;
      },
      (error: unknown) => {
        if (this.reading.get(guildId) === reading) this.reading.delete(guildId);
        throw error;
      },
    );
    this.reading.set(guildId, reading);
    return reading.promise;
  }

  private async read(guildId: string): Promise<Part | null> {
    const guild = await this.guilds.guild(guildId);
    if (!guild) return null;
    const [channels, threads, roles, memberIds] = await Promise.all([
      this.channels.ofGuild(guildId),
      this.channels.threadsOfGuild(guildId),
      this.guilds.roles(guildId),
      this.guilds.memberIds(guildId),
    ]);
    return { guild, roles, channels: [...channels, ...threads], memberIds: new Set(memberIds) };
  }

  private onEvent(event: DomainEvent): void {
    switch (event.type) {
      case 'member.join':
      case 'member.leave': {
        const guildId = event.type === 'member.join' ? event.member.guildId : event.guildId;
        const userId = event.type === 'member.join' ? event.member.userId : event.userId;
        // A read in flight may or may not have seen this change: it is not kept.
        this.forgetReading(guildId);
        const members = this.entries.get(guildId)?.part.memberIds;
        if (!members) return;
        const before = members.size;
        if (event.type === 'member.join') members.add(userId);
        else members.delete(userId);
        this.memberIds += members.size - before;
        if (members.size > before) this.evict();
        return;
      }
      case 'message.create': {
        // A channel's last_message_id is its newest message's: patched here. A thread's counts move too: read again.
        const { guildId, channelId, id } = event.message;
        if (guildId === null) return;
        const held = this.entries.get(guildId);
        if (held && !this.posted(held, channelId, id)) this.drop(guildId);
        const reading = this.reading.get(guildId);
        reading?.lastMessages.set(channelId, newerId(reading.lastMessages.get(channelId) ?? null, id));
        return;
      }
      case 'message.delete':
      case 'message.delete_bulk': {
        // Deleting a channel's newest message moves its last_message_id back (and a thread's count down): read again.
        if (event.guildId === null) return;
        const held = this.entries.get(event.guildId);
        const position = held?.index.get(event.channelId);
        const channel = position === undefined ? undefined : held?.part.channels[position];
        const ids = event.type === 'message.delete' ? [event.id] : event.ids;
        const stale = !channel || channel.thread !== null || (channel.lastMessageId !== null && ids.includes(channel.lastMessageId));
        if (held && !stale) return;
        if (held || this.reading.has(event.guildId)) this.drop(event.guildId);
        return;
      }
      default: {
        const guildId = guildOf(event);
        if (guildId !== null) this.drop(guildId);
      }
    }
  }

  /** A message posted in one of a held guild's channels; false when the part cannot be patched for it (a thread, an unknown channel). */
  private posted(entry: Entry, channelId: string, messageId: string): boolean {
    const position = entry.index.get(channelId);
    const channel = position === undefined ? undefined : entry.part.channels[position];
    if (position === undefined || !channel || channel.thread !== null) return false;
    // A new object: snapshots already built keep the one they were built with.
    entry.part.channels[position] = { ...channel, lastMessageId: newerId(channel.lastMessageId, messageId) };
    return true;
  }

  private hold(guildId: string, entry: Entry): void {
    this.release(guildId);
    this.entries.set(guildId, entry);
    this.memberIds += entry.part.memberIds.size;
    this.evict();
  }

  /** Lets the least recently read guilds go until the parts held are within both limits (the newest one stays). */
  private evict(): void {
    for (const guildId of this.entries.keys()) {
      if ((this.memberIds <= this.maxMemberIds && this.entries.size <= this.maxGuilds) || this.entries.size === 1) return;
      this.release(guildId);
    }
  }

  private release(guildId: string): void {
    const held = this.entries.get(guildId);
    if (!held) return;
    this.memberIds -= held.part.memberIds.size;
    this.entries.delete(guildId);
  }

  private drop(guildId: string): void {
    this.forgetReading(guildId);
    this.release(guildId);
  }

  /** A read still in flight is not kept, nor handed to IDENTIFYs that start after this event. */
  private forgetReading(guildId: string): void {
    const reading = this.reading.get(guildId);
    if (!reading) return;
    reading.stale = true;
    this.reading.delete(guildId);
  }
}

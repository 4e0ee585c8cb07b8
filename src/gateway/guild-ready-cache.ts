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
/** A read in flight: messages posted meanwhile are applied to it once it is in (the read may predate them). */
type Reading = { promise: Promise<GuildReadyPart | null>; lastMessages: Map<string, string> };

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
  private readonly entries = new Map<string, Entry>();
  /** Bumped by every event about a guild that a read in flight cannot be patched for: such a read is not kept. */
  private readonly generations = new Map<string, number>();
  /** Reads in flight, shared by the IDENTIFYs that need the same guild at once. */
  private readonly reading = new Map<string, Reading>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly guilds: GuildsRepo,
    private readonly channels: ChannelsRepo,
    hub: EventHub,
  ) {
    this.unsubscribe = hub.subscribe((event) => this.onEvent(event));
  }

  stop(): void {
    this.unsubscribe();
    this.entries.clear();
  }

  /** Guilds held now. */
  get size(): number {
    return this.entries.size;
  }

  /** The guild's READY part, or null when there is no such guild. */
  part(guildId: string): Promise<GuildReadyPart | null> {
    const held = this.entries.get(guildId);
    if (held) return Promise.resolve(held.part);
    const pending = this.reading.get(guildId);
    if (pending) return pending.promise;
    const generation = this.generations.get(guildId) ?? 0;
    const reading: Reading = { promise: Promise.resolve(null), lastMessages: new Map() };
    reading.promise = this.read(guildId).then(
      (part) => {
        if (this.reading.get(guildId) === reading) this.reading.delete(guildId);
        if (!part || (this.generations.get(guildId) ?? 0) !== generation) return part;
        const entry: Entry = { part, index: new Map(part.channels.map((c, i) => [c.id, i])) };
        for (const [channelId, messageId] of reading.lastMessages) if (!this.posted(entry, channelId, messageId)) return part;
        this.entries.set(guildId, entry);
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
        this.bump(guildId);
        const held = this.entries.get(guildId);
        if (event.type === 'member.join') held?.part.memberIds.add(userId);
        else held?.part.memberIds.delete(userId);
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

  private drop(guildId: string): void {
    this.bump(guildId);
    this.entries.delete(guildId);
  }

  private bump(guildId: string): void {
    this.generations.set(guildId, (this.generations.get(guildId) ?? 0) + 1);
    // A read still in flight is not handed to IDENTIFYs that start after this event.
    this.reading.delete(guildId);
  }
}

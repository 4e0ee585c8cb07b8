// Channels, overwrites, DMs and group DMs; threads read as channels.
// A port: the domain declares it, src/store/sqlite (and src/store/postgres) implement it. See ./index.ts.
import type { Channel, Overwrite } from '../model/channel.ts';

export interface ChannelsRepo {
  insert(c: Omit<Channel, 'overwrites' | 'recipientIds' | 'thread' | 'group'>): Promise<void>;
  insertDm(channelId: string, a: string, b: string): Promise<void>;
  dmBetween(a: string, b: string): Promise<Channel | null>;
  /** The user's DMs and group DMs. */
  dmsOf(userId: string): Promise<Channel[]>;
  insertGroup(channelId: string, ownerId: string, icon: string | null): Promise<void>;
  addGroupRecipient(channelId: string, userId: string, at: number): Promise<void>;
  removeGroupRecipient(channelId: string, userId: string): Promise<void>;
  updateGroup(
    channelId: string,
    fields: {
      ownerId?: string;
      icon?: string | null;
    },
  ): Promise<void>;
  byId(channelId: string): Promise<Channel | null>;
  /** The guild's channels, threads left out (Discord lists those apart: threadsOfGuild). */
  ofGuild(guildId: string): Promise<Channel[]>;
  count(guildId: string): Promise<number>;
  /** Every thread in the guild, archived ones included, oldest first. */
  threadsOfGuild(guildId: string): Promise<Channel[]>;
  /** Threads of one parent channel, newest first by archive time; `archived` picks active or archived ones. */
  threadsOfParent(parentId: string, archived: boolean): Promise<Channel[]>;
  /** Active threads whose auto-archive time has run out at `now` (unix ms) since their last activity. */
  threadsIdleAt(now: number): Promise<Channel[]>;
  /** Which of `messageIds` started a thread: the thread has the message's id. */
  threadsStartedFrom(messageIds: readonly string[]): Promise<Map<string, Channel>>;
  /** `name: null` clears it (a group DM without a name). */
  update(
    channelId: string,
    fields: {
      name?: string | null;
      topic?: string | null;
      position?: number;
    },
  ): Promise<void>;
  /** Deletes the channel and its threads' channel rows (their thread rows would go by cascade, their channels not). */
  delete(channelId: string): Promise<void>;
  putOverwrite(channelId: string, o: Overwrite): Promise<void>;
  deleteOverwrite(channelId: string, targetId: string): Promise<boolean>;
  /** Drops the overwrites for `targetId` in one guild's channels (a user's id is the same in every guild). */
  deleteOverwritesFor(guildId: string, targetId: string): Promise<void>;
  overwrites(channelId: string): Promise<Overwrite[]>;
}

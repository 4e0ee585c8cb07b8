// Read states, notification settings and closed DMs.
// A port: the domain declares it, src/store/sqlite (and src/store/postgres) implement it. See ./index.ts.
import type { NotificationSetting, ReadState } from '../model/read-state.ts';

export interface ReadStatesRepo {
  /** Every read state of the user, in any channel still there. */
  ofUser(userId: string): Promise<ReadState[]>;
  /** Read up to `messageId` with `mentionCount` mentions left (0 after reading to the end). */
  ack(userId: string, channelId: string, messageId: string, mentionCount: number): Promise<void>;
  /**
   * The author has read their channel up to their own new message: never moves the read state back (posts commit in
   * any order) and clears its mentions when it moves it. An engine may apply it just after the write commits:
   * PostgreSQL does, since every post of one author in one channel would otherwise write one row inside each
   * post's serializable transaction, and all but one of a burst of posts would fail and be rerun.
   */
  ackOwnMessage(userId: string, channelId: string, messageId: string): Promise<void>;
  /** One more mention in the channel for each of `userIds`: one statement for them all. */
  mentionUsers(channelId: string, userIds: readonly string[]): Promise<void>;
  /** One more mention for every member of the guild but `exceptIds` (@everyone / @here). */
  mentionGuild(channelId: string, guildId: string, exceptIds: readonly string[]): Promise<void>;
  /** One more mention for every member holding one of `roleIds`, but `exceptIds`. */
  mentionRoles(channelId: string, guildId: string, roleIds: readonly string[], exceptIds: readonly string[]): Promise<void>;
  settingsOf(userId: string): Promise<Map<string, NotificationSetting[]>>;
  /** Writes one guild's (channelId null) or channel's setting; a setting back at its defaults is removed. */
  putSetting(userId: string, guildId: string, setting: NotificationSetting): Promise<void>;
  /** The DM channels the user closed. */
  closedDms(userId: string): Promise<Set<string>>;
  closeDm(channelId: string, userId: string): Promise<void>;
  /** Opens the DM again for one participant; whether they had closed it. */
  openDmFor(channelId: string, userId: string): Promise<boolean>;
  /** Opens the DM again for whoever closed it; the ids of those it reopened for. */
  reopenDm(channelId: string): Promise<string[]>;
}

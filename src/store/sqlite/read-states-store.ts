// SQL for read state (where each person stopped reading each channel, and the mentions since), notification
// settings per guild and channel, and which direct messages each participant closed.

import type { Database } from 'bun:sqlite';
import type { NotificationLevel, NotificationSetting, ReadState } from '../../domain/model/read-state.ts';
import type { ReadStatesRepo } from '../../domain/ports/index.ts';
import type { Immediate } from './immediate.ts';
import { type Int, id, num } from './rows.ts';

export type { NotificationLevel, NotificationSetting, ReadState } from '../../domain/model/read-state.ts';

type ReadStateRow = { channel_id: Int; last_read_message_id: Int; mention_count: Int };
type SettingRow = { guild_id: Int; channel_id: Int; level: Int | null; muted: Int };

/** One more mention for each user the statement selects (a row is made for those who had none). */
const BUMP = `ON CONFLICT(user_id, channel_id) DO UPDATE SET mention_count = mention_count + 1`;

export class ReadStatesStore implements Immediate<ReadStatesRepo> {
  constructor(private readonly db: Database) {}

  /** Every read state of the user, in any channel still there. */
  ofUser(userId: string): ReadState[] {
    return this.db
      .query<ReadStateRow, [string]>('SELECT channel_id, last_read_message_id, mention_count FROM read_states WHERE user_id = ? ORDER BY channel_id')
      .all(userId)
      .map((r) => ({
        channelId: id(r.channel_id),
        lastReadMessageId: r.last_read_message_id === 0n ? null : id(r.last_read_message_id),
        mentionCount: num(r.mention_count),
      }));
  }

  /** Read up to `messageId` with `mentionCount` mentions left (0 after reading to the end). */
  ack(userId: string, channelId: string, messageId: string, mentionCount: number): void {
    this.db
      .query(
        `INSERT INTO read_states (user_id, channel_id, last_read_message_id, mention_count) VALUES (?, ?, ?, ?)
         ON CONFLICT(user_id, channel_id) DO UPDATE SET last_read_message_id = excluded.last_read_message_id, mention_count = excluded.mention_count`,
      )
      .run(userId, channelId, messageId, mentionCount);
  }

  /** Read up to the author's own new message, never back; its mentions cleared when it moves (ports/read-states.ts). */
  ackOwnMessage(userId: string, channelId: string, messageId: string): void {
    this.db
      .query(
        `INSERT INTO read_states (user_id, channel_id, last_read_message_id, mention_count) VALUES (?, ?, ?, 0)
         ON CONFLICT(user_id, channel_id) DO UPDATE SET
           mention_count = CASE WHEN excluded.last_read_message_id > last_read_message_id THEN 0 ELSE mention_count END,
           last_read_message_id = max(last_read_message_id, excluded.last_read_message_id)`,
      )
      .run(userId, channelId, messageId);
  }

  /** One more mention in the channel for each of `userIds`: one statement for them all. */
  mentionUsers(channelId: string, userIds: readonly string[]): void {
    if (userIds.length === 0) return;
    this.db
      .query(
        `INSERT INTO read_states (user_id, channel_id, mention_count)
         SELECT CAST(value AS INTEGER), ?, 1 FROM json_each(?) WHERE 1 ${BUMP}`,
      )
      .run(channelId, JSON.stringify(userIds));
  }

  /** One more mention for every member of the guild but `exceptIds` (@everyone / @here). */
  mentionGuild(channelId: string, guildId: string, exceptIds: readonly string[]): void {
    this.db
      .query(
        `INSERT INTO read_states (user_id, channel_id, mention_count)
         SELECT user_id, ?, 1 FROM members WHERE guild_id = ? AND user_id NOT IN (SELECT CAST(value AS INTEGER) FROM json_each(?)) ${BUMP}`,
      )
      .run(channelId, guildId, JSON.stringify(exceptIds));
  }

  /** One more mention for every member holding one of `roleIds`, but `exceptIds`. */
  mentionRoles(channelId: string, guildId: string, roleIds: readonly string[], exceptIds: readonly string[]): void {
    if (roleIds.length === 0) return;
    this.db
      .query(
        `INSERT INTO read_states (user_id, channel_id, mention_count)
         SELECT DISTINCT user_id, ?, 1 FROM member_roles WHERE guild_id = ? AND role_id IN (SELECT CAST(value AS INTEGER) FROM json_each(?))
           AND user_id NOT IN (SELECT CAST(value AS INTEGER) FROM json_each(?)) ${BUMP}`,
      )
      .run(channelId, guildId, JSON.stringify(roleIds), JSON.stringify(exceptIds));
  }

  settingsOf(userId: string): Map<string, NotificationSetting[]> {
    const out = new Map<string, NotificationSetting[]>();
    const rows = this.db
      .query<SettingRow, [string]>('SELECT guild_id, channel_id, level, muted FROM notification_settings WHERE user_id = ? ORDER BY guild_id, channel_id')
      .all(userId);
    for (const r of rows) {
      const guildId = id(r.guild_id);
      const list = out.get(guildId) ?? [];
      list.push({
        channelId: r.channel_id === 0n ? null : id(r.channel_id),
        level: r.level === null ? null : (num(r.level) as NotificationLevel),
        muted: r.muted !== 0n,
      });
      out.set(guildId, list);
    }
    return out;
  }

  /** Writes one guild's (channelId null) or channel's setting; a setting back at its defaults is removed. */
  putSetting(userId: string, guildId: string, setting: NotificationSetting): void {
    const channelKey = setting.channelId ?? 0;
    if (setting.level === null && !setting.muted) {
      this.db.query('DELETE FROM notification_settings WHERE user_id = ? AND guild_id = ? AND channel_id = ?').run(userId, guildId, channelKey);
      return;
    }
    this.db
      .query(
        `INSERT INTO notification_settings (user_id, guild_id, channel_id, level, muted) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(user_id, guild_id, channel_id) DO UPDATE SET level = excluded.level, muted = excluded.muted`,
      )
      .run(userId, guildId, channelKey, setting.level, setting.muted ? 1 : 0);
  }

  /** The DM channels the user closed. */
  closedDms(userId: string): Set<string> {
    return new Set(
      this.db
        .query<{ channel_id: Int }, [string, string]>(
          'SELECT channel_id FROM dm_channels WHERE (user_low = ? AND low_closed = 1) OR (user_high = ? AND high_closed = 1)',
        )
        .all(userId, userId)
        .map((r) => id(r.channel_id)),
    );
  }

  closeDm(channelId: string, userId: string): void {
    this.db
      .query(
        'UPDATE dm_channels SET low_closed = CASE WHEN user_low = ?1 THEN 1 ELSE low_closed END, high_closed = CASE WHEN user_high = ?1 THEN 1 ELSE high_closed END WHERE channel_id = ?2',
      )
      .run(userId, channelId);
  }

  /** Opens the DM again for one participant; whether they had closed it. */
  openDmFor(channelId: string, userId: string): boolean {
    return (
      this.db
        .query(
          `UPDATE dm_channels SET low_closed = CASE WHEN user_low = ?1 THEN 0 ELSE low_closed END, high_closed = CASE WHEN user_high = ?1 THEN 0 ELSE high_closed END
           WHERE channel_id = ?2 AND ((user_low = ?1 AND low_closed = 1) OR (user_high = ?1 AND high_closed = 1))`,
        )
        .run(userId, channelId).changes > 0
    );
  }

  /** Opens the DM again for whoever closed it; the ids of those it reopened for. */
  reopenDm(channelId: string): string[] {
    const row = this.db
      .query<{ user_low: Int; user_high: Int; low_closed: Int; high_closed: Int }, [string]>(
        'SELECT user_low, user_high, low_closed, high_closed FROM dm_channels WHERE channel_id = ?',
      )
      .get(channelId);
    if (!row || (row.low_closed === 0n && row.high_closed === 0n)) return [];
    this.db.query('UPDATE dm_channels SET low_closed = 0, high_closed = 0 WHERE channel_id = ?').run(channelId);
    return [...(row.low_closed !== 0n ? [id(row.user_low)] : []), ...(row.high_closed !== 0n ? [id(row.user_high)] : [])];
  }
}

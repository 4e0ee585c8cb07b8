// Read states, notification settings and closed DMs on PostgreSQL (the SQLite twin: src/store/read-states-store.ts).
import type { NotificationLevel, NotificationSetting, ReadState } from '../sqlite/read-states-store.ts';
import { type Db, idArray, num, sf } from './sql.ts';

type ReadStateRow = { channel_id: string; last_read_message_id: string; mention_count: number };
type SettingRow = { guild_id: string; channel_id: string; level: number | null; muted: boolean };

/** Hands a statement to the unit of work, to run on the pool just after the open write commits. */
export type AfterCommit = (statement: (sql: Db) => Promise<unknown>) => void;

export class ReadStatesStore {
  constructor(
    private readonly sql: Db,
    private readonly afterCommit?: AfterCommit,
  ) {}

  /** Every read state of the user, in any channel still there. */
  async ofUser(userId: string): Promise<ReadState[]> {
    const rows = await this.sql<ReadStateRow[]>`
      SELECT channel_id, last_read_message_id, mention_count FROM read_states WHERE user_id = ${sf(userId)} ORDER BY channel_id`;
    return rows.map((r) => ({
      channelId: r.channel_id,
      lastReadMessageId: r.last_read_message_id === '0' ? null : r.last_read_message_id,
      mentionCount: num(r.mention_count),
    }));
  }

  /** Read up to `messageId` with `mentionCount` mentions left (0 after reading to the end). */
  async ack(userId: string, channelId: string, messageId: string, mentionCount: number): Promise<void> {
    await this.sql`
      INSERT INTO read_states (user_id, channel_id, last_read_message_id, mention_count) VALUES (${userId}, ${channelId}, ${sf(messageId)}, ${mentionCount})
      ON CONFLICT (user_id, channel_id) DO UPDATE SET last_read_message_id = excluded.last_read_message_id, mention_count = excluded.mention_count`;
  }

  /**
   * Read up to the author's own new message, never back; its mentions cleared when it moves. Inside a write it runs
   * just after the commit, on its own (READ COMMITTED, where a concurrent post's upsert waits for the row instead of
   * failing): in the post's SERIALIZABLE transaction every concurrent post by one author in one channel would
   * contend for this row, and all but one would be rerun. A node dying between the two leaves the author's own
   * message unread to them, nothing worse.
   */
  async ackOwnMessage(userId: string, channelId: string, messageId: string): Promise<void> {
    const statement = (sql: Db) => sql`
      INSERT INTO read_states (user_id, channel_id, last_read_message_id, mention_count) VALUES (${userId}, ${channelId}, ${sf(messageId)}, 0)
      ON CONFLICT (user_id, channel_id) DO UPDATE SET
        mention_count = CASE WHEN excluded.last_read_message_id > read_states.last_read_message_id THEN 0 ELSE read_states.mention_count END,
        last_read_message_id = GREATEST(read_states.last_read_message_id, excluded.last_read_message_id)`;
    if (this.afterCommit) this.afterCommit(statement);
    else await statement(this.sql);
  }

  /**
   * One more mention in the channel for each of `userIds`: one statement for them all. An id listed twice counts twice,
   * as on SQLite (PostgreSQL cannot touch a row twice in one statement, so repeats are counted first).
   */
  async mentionUsers(channelId: string, userIds: readonly string[]): Promise<void> {
    if (userIds.length === 0) return;
    await this.sql`
      INSERT INTO read_states (user_id, channel_id, mention_count)
      SELECT u, ${channelId}::bigint, count(*) FROM unnest(${idArray(this.sql, userIds)}) AS u GROUP BY u
      ON CONFLICT (user_id, channel_id) DO UPDATE SET mention_count = read_states.mention_count + excluded.mention_count`;
  }

  /** One more mention for every member of the guild but `exceptIds` (@everyone / @here). */
  async mentionGuild(channelId: string, guildId: string, exceptIds: readonly string[]): Promise<void> {
    await this.sql`
      INSERT INTO read_states (user_id, channel_id, mention_count)
      SELECT user_id, ${channelId}::bigint, 1 FROM members WHERE guild_id = ${sf(guildId)} AND NOT (user_id = ANY(${idArray(this.sql, exceptIds)}))
      ON CONFLICT (user_id, channel_id) DO UPDATE SET mention_count = read_states.mention_count + 1`;
  }

  /** One more mention for every member holding one of `roleIds`, but `exceptIds`. */
  async mentionRoles(channelId: string, guildId: string, roleIds: readonly string[], exceptIds: readonly string[]): Promise<void> {
    if (roleIds.length === 0) return;
    await this.sql`
      INSERT INTO read_states (user_id, channel_id, mention_count)
      SELECT DISTINCT user_id, ${channelId}::bigint, 1 FROM member_roles
      WHERE guild_id = ${sf(guildId)} AND role_id = ANY(${idArray(this.sql, roleIds)}) AND NOT (user_id = ANY(${idArray(this.sql, exceptIds)}))
      ON CONFLICT (user_id, channel_id) DO UPDATE SET mention_count = read_states.mention_count + 1`;
  }

  async settingsOf(userId: string): Promise<Map<string, NotificationSetting[]>> {
    const out = new Map<string, NotificationSetting[]>();
    const rows = await this.sql<SettingRow[]>`
      SELECT guild_id, channel_id, level, muted FROM notification_settings WHERE user_id = ${sf(userId)} ORDER BY guild_id, channel_id`;
    for (const r of rows) {
      const list = out.get(r.guild_id) ?? [];
      list.push({
        channelId: r.channel_id === '0' ? null : r.channel_id,
        level: r.level === null ? null : (num(r.level) as NotificationLevel),
        muted: r.muted,
      });
      out.set(r.guild_id, list);
    }
    return out;
  }

  /** Writes one guild's (channelId null) or channel's setting; a setting back at its defaults is removed. */
  async putSetting(userId: string, guildId: string, setting: NotificationSetting): Promise<void> {
    const channelKey = setting.channelId ?? '0';
    if (setting.level === null && !setting.muted) {
      await this.sql`DELETE FROM notification_settings WHERE user_id = ${sf(userId)} AND guild_id = ${sf(guildId)} AND channel_id = ${sf(channelKey)}`;
      return;
    }
    await this.sql`
      INSERT INTO notification_settings (user_id, guild_id, channel_id, level, muted) VALUES (${userId}, ${guildId}, ${channelKey}, ${setting.level}, ${setting.muted})
      ON CONFLICT (user_id, guild_id, channel_id) DO UPDATE SET level = excluded.level, muted = excluded.muted`;
  }

  /** The DM channels the user closed. */
  async closedDms(userId: string): Promise<Set<string>> {
    const user = sf(userId);
    const rows = await this.sql<{ channel_id: string }[]>`
      SELECT channel_id FROM dm_channels WHERE (user_low = ${user} AND low_closed) OR (user_high = ${user} AND high_closed)`;
    return new Set(rows.map((r) => r.channel_id));
  }

  async closeDm(channelId: string, userId: string): Promise<void> {
    const user = sf(userId);
    await this.sql`
      UPDATE dm_channels SET low_closed = low_closed OR user_low = ${user}, high_closed = high_closed OR user_high = ${user}
      WHERE channel_id = ${sf(channelId)}`;
  }

  /** Opens the DM again for one participant; whether they had closed it. */
  async openDmFor(channelId: string, userId: string): Promise<boolean> {
    const user = sf(userId);
    const result = await this.sql`
      UPDATE dm_channels SET low_closed = low_closed AND user_low <> ${user}, high_closed = high_closed AND user_high <> ${user}
      WHERE channel_id = ${sf(channelId)} AND ((user_low = ${user} AND low_closed) OR (user_high = ${user} AND high_closed))`;
    return result.count > 0;
  }

  /** Opens the DM again for whoever closed it; the ids of those it reopened for. */
  async reopenDm(channelId: string): Promise<string[]> {
    const [row] = await this.sql<{ user_low: string; user_high: string; low_closed: boolean; high_closed: boolean }[]>`
      SELECT user_low, user_high, low_closed, high_closed FROM dm_channels WHERE channel_id = ${sf(channelId)}`;
    if (!row || (!row.low_closed && !row.high_closed)) return [];
    await this.sql`UPDATE dm_channels SET low_closed = FALSE, high_closed = FALSE WHERE channel_id = ${sf(channelId)}`;
    return [...(row.low_closed ? [row.user_low] : []), ...(row.high_closed ? [row.user_high] : [])];
  }
}

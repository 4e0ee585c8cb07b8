// SQL for channels, their permission overwrites, the two-person DM channels, and reading threads as channels
// (thread state and membership writes are in threads-store.ts).

import type { Database } from 'bun:sqlite';
import type { Channel, Overwrite, ThreadState } from '../../domain/model/channel.ts';
import type { ChannelsRepo } from '../../domain/ports/index.ts';
import type { Immediate } from './immediate.ts';
import { bool, type Int, id, idOrNull, num } from './rows.ts';

type ChannelRow = {
  id: Int;
  guild_id: Int | null;
  type: Int;
  name: string | null;
  topic: string | null;
  position: Int;
  last_message_id: Int | null;
  created_at: Int;
  user_low: Int | null;
  user_high: Int | null;
  // From the LEFT JOIN on threads: all null for a channel that is not a thread.
  parent_id: Int | null;
  owner_id: Int | null;
  archived: Int | null;
  locked: Int | null;
  invitable: Int | null;
  auto_archive_minutes: Int | null;
  archive_changed_at: Int | null;
  last_activity_at: Int | null;
  message_count: Int | null;
  total_message_sent: Int | null;
  rate_limit_per_user: Int | null;
  member_count: Int | null;
  // From the LEFT JOIN on group_dms: null for anything but a group DM.
  group_owner_id: Int | null;
  group_icon: string | null;
  group_recipients: string | null;
};
type OverwriteRow = { channel_id: Int; target_id: Int; type: Int; allow: Int; deny: Int };

const SELECT = `SELECT c.id, c.guild_id, c.type, c.name, c.topic, c.position, c.created_at,
    (SELECT max(m.id) FROM messages m WHERE m.channel_id = c.id) AS last_message_id, d.user_low, d.user_high, t.parent_id, t.owner_id, t.archived, t.locked, t.invitable, t.auto_archive_minutes,
    t.archive_changed_at, t.last_activity_at, t.message_count, t.total_message_sent, t.rate_limit_per_user,
    CASE WHEN t.channel_id IS NULL THEN NULL ELSE (SELECT count(*) FROM thread_members tm WHERE tm.thread_id = c.id) END AS member_count,
    g.owner_id AS group_owner_id, g.icon AS group_icon,
    CASE WHEN g.channel_id IS NULL THEN NULL
      ELSE (SELECT group_concat(user_id, ' ') FROM (SELECT user_id FROM group_dm_recipients r WHERE r.channel_id = c.id ORDER BY r.added_at, r.user_id)) END
      AS group_recipients
  FROM channels c LEFT JOIN dm_channels d ON d.channel_id = c.id LEFT JOIN threads t ON t.channel_id = c.id
    LEFT JOIN group_dms g ON g.channel_id = c.id`;

/**
 * The ids of a user's DMs and group DMs, each side by its own index. An OR of the three across the joined tables
 * made the planner read every channel of the server (READY lists a user's DMs at every IDENTIFY).
 */
export const DM_IDS_OF =
  'SELECT channel_id FROM dm_channels WHERE user_low = ? UNION ALL SELECT channel_id FROM dm_channels WHERE user_high = ? UNION ALL SELECT channel_id FROM group_dm_recipients WHERE user_id = ?';

export class ChannelsStore implements Immediate<ChannelsRepo> {
  constructor(private readonly db: Database) {}

  insert(c: Omit<Channel, 'overwrites' | 'recipientIds' | 'thread' | 'group'>): void {
    this.db
      .query('INSERT INTO channels (id, guild_id, type, name, topic, position, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(c.id, c.guildId, c.type, c.name, c.topic, c.position, c.createdAt);
  }

  insertDm(channelId: string, a: string, b: string): void {
    const [low, high] = BigInt(a) < BigInt(b) ? [a, b] : [b, a];
    this.db.query('INSERT INTO dm_channels (channel_id, user_low, user_high) VALUES (?, ?, ?)').run(channelId, low, high);
  }

  dmBetween(a: string, b: string): Channel | null {
    const [low, high] = BigInt(a) < BigInt(b) ? [a, b] : [b, a];
    const row = this.db.query<ChannelRow, [string, string]>(`${SELECT} WHERE d.user_low = ? AND d.user_high = ?`).get(low, high);
    return row ? this.toChannel(row) : null;
  }

  /** The user's DMs and group DMs. */
  dmsOf(userId: string): Channel[] {
    return this.db
      .query<ChannelRow, [string, string, string]>(`${SELECT} WHERE c.id IN (${DM_IDS_OF}) ORDER BY c.id`)
      .all(userId, userId, userId)
      .map((r) => this.toChannel(r));
  }

  insertGroup(channelId: string, ownerId: string, icon: string | null): void {
    this.db.query('INSERT INTO group_dms (channel_id, owner_id, icon) VALUES (?, ?, ?)').run(channelId, ownerId, icon);
  }

  addGroupRecipient(channelId: string, userId: string, at: number): void {
    this.db.query('INSERT OR IGNORE INTO group_dm_recipients (channel_id, user_id, added_at) VALUES (?, ?, ?)').run(channelId, userId, at);
  }

  removeGroupRecipient(channelId: string, userId: string): void {
    this.db.query('DELETE FROM group_dm_recipients WHERE channel_id = ? AND user_id = ?').run(channelId, userId);
  }

  updateGroup(channelId: string, fields: { ownerId?: string; icon?: string | null }): void {
    if (fields.ownerId !== undefined) this.db.query('UPDATE group_dms SET owner_id = ? WHERE channel_id = ?').run(fields.ownerId, channelId);
    if (fields.icon !== undefined) this.db.query('UPDATE group_dms SET icon = ? WHERE channel_id = ?').run(fields.icon, channelId);
  }

  byId(channelId: string): Channel | null {
    const row = this.db.query<ChannelRow, [string]>(`${SELECT} WHERE c.id = ?`).get(channelId);
    return row ? this.toChannel(row) : null;
  }

  /** The guild's channels, threads left out (Discord lists those apart: threadsOfGuild). */
  ofGuild(guildId: string): Channel[] {
    const overwrites = this.guildOverwrites(guildId);
    return this.db
      .query<ChannelRow, [string]>(`${SELECT} WHERE c.guild_id = ? AND t.channel_id IS NULL ORDER BY c.position, c.id`)
      .all(guildId)
      .map((r) => this.toChannel(r, overwrites.get(id(r.id)) ?? []));
  }

  count(guildId: string): number {
    return num(
      this.db.query<{ n: Int }, [string]>('SELECT count(*) AS n FROM channels WHERE guild_id = ? AND id NOT IN (SELECT channel_id FROM threads)').get(guildId)
        ?.n ?? 0n,
    );
  }

  /** Every thread in the guild, archived ones included, oldest first. */
  threadsOfGuild(guildId: string): Channel[] {
    return this.db
      .query<ChannelRow, [string]>(`${SELECT} WHERE c.guild_id = ? AND t.channel_id IS NOT NULL ORDER BY c.id`)
      .all(guildId)
      .map((r) => this.toChannel(r, []));
  }

  /** Threads of one parent channel, newest first by archive time; `archived` picks active or archived ones. */
  threadsOfParent(parentId: string, archived: boolean): Channel[] {
    return this.db
      .query<ChannelRow, [string, number]>(`${SELECT} WHERE t.parent_id = ? AND t.archived = ? ORDER BY t.archive_changed_at DESC, c.id DESC`)
      .all(parentId, archived ? 1 : 0)
      .map((r) => this.toChannel(r, []));
  }

  /** Active threads whose auto-archive time has run out at `now` (unix ms) since their last activity. */
  threadsIdleAt(now: number): Channel[] {
    return this.db
      .query<ChannelRow, [number]>(`${SELECT} WHERE t.archived = 0 AND t.last_activity_at + t.auto_archive_minutes * 60000 <= ?`)
      .all(now)
      .map((r) => this.toChannel(r, []));
  }

  /** Which of `messageIds` started a thread: the thread has the message's id. */
  threadsStartedFrom(messageIds: readonly string[]): Map<string, Channel> {
    const out = new Map<string, Channel>();
    if (messageIds.length === 0) return out;
    const rows = this.db
      .query<ChannelRow, [string]>(`${SELECT} WHERE c.id IN (SELECT CAST(value AS INTEGER) FROM json_each(?)) AND t.channel_id IS NOT NULL`)
      .all(JSON.stringify(messageIds));
    for (const r of rows) out.set(id(r.id), this.toChannel(r, []));
    return out;
  }

  update(channelId: string, fields: { name?: string | null; topic?: string | null; position?: number }): void {
    if (fields.name !== undefined) this.db.query('UPDATE channels SET name = ? WHERE id = ?').run(fields.name, channelId);
    if (fields.topic !== undefined) this.db.query('UPDATE channels SET topic = ? WHERE id = ?').run(fields.topic, channelId);
    if (fields.position !== undefined) this.db.query('UPDATE channels SET position = ? WHERE id = ?').run(fields.position, channelId);
  }

  /** Deletes the channel and its threads' channel rows (their thread rows would go by cascade, their channels not). */
  delete(channelId: string): void {
    this.db.query('DELETE FROM channels WHERE id IN (SELECT channel_id FROM threads WHERE parent_id = ?)').run(channelId);
    this.db.query('DELETE FROM channels WHERE id = ?').run(channelId);
  }

  putOverwrite(channelId: string, o: Overwrite): void {
    this.db
      .query(
        `INSERT INTO overwrites (channel_id, target_id, type, allow, deny) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(channel_id, target_id) DO UPDATE SET type = excluded.type, allow = excluded.allow, deny = excluded.deny`,
      )
      .run(channelId, o.id, o.type, o.allow, o.deny);
  }

  deleteOverwrite(channelId: string, targetId: string): boolean {
    return this.db.query('DELETE FROM overwrites WHERE channel_id = ? AND target_id = ?').run(channelId, targetId).changes > 0;
  }

  /** Drops the overwrites for `targetId` in one guild's channels (a user's id is the same in every guild). */
  deleteOverwritesFor(guildId: string, targetId: string): void {
    this.db.query('DELETE FROM overwrites WHERE target_id = ? AND channel_id IN (SELECT id FROM channels WHERE guild_id = ?)').run(targetId, guildId);
  }

  overwrites(channelId: string): Overwrite[] {
    return this.db.query<OverwriteRow, [string]>('SELECT * FROM overwrites WHERE channel_id = ? ORDER BY target_id').all(channelId).map(toOverwrite);
  }

  private guildOverwrites(guildId: string): Map<string, Overwrite[]> {
    const out = new Map<string, Overwrite[]>();
    const rows = this.db
      .query<OverwriteRow, [string]>('SELECT o.* FROM overwrites o JOIN channels c ON c.id = o.channel_id WHERE c.guild_id = ? ORDER BY o.target_id')
      .all(guildId);
    for (const row of rows) {
      const key = id(row.channel_id);
      const list = out.get(key) ?? [];
      list.push(toOverwrite(row));
      out.set(key, list);
    }
    return out;
  }

  private toChannel(r: ChannelRow, overwrites?: Overwrite[]): Channel {
    const channelId = id(r.id);
    return {
      id: channelId,
      guildId: idOrNull(r.guild_id),
      type: num(r.type),
      name: r.name,
      topic: r.topic,
      position: num(r.position),
      lastMessageId: idOrNull(r.last_message_id),
      createdAt: num(r.created_at),
      overwrites: r.guild_id === null || r.parent_id !== null ? [] : (overwrites ?? this.overwrites(channelId)),
      recipientIds: r.user_low !== null && r.user_high !== null ? [id(r.user_low), id(r.user_high)] : r.group_recipients ? r.group_recipients.split(' ') : [],
      thread: toThread(r),
      group: r.group_owner_id === null ? null : { ownerId: id(r.group_owner_id), icon: r.group_icon },
    };
  }
}

function toThread(r: ChannelRow): ThreadState | null {
  if (r.parent_id === null || r.owner_id === null) return null;
  return {
    parentId: id(r.parent_id),
    ownerId: id(r.owner_id),
    archived: bool(r.archived ?? 0n),
    locked: bool(r.locked ?? 0n),
    invitable: bool(r.invitable ?? 1n),
    autoArchiveMinutes: num(r.auto_archive_minutes ?? 1440n),
    archiveChangedAt: num(r.archive_changed_at ?? 0n),
    lastActivityAt: num(r.last_activity_at ?? 0n),
    messageCount: num(r.message_count ?? 0n),
    totalMessageSent: num(r.total_message_sent ?? 0n),
    rateLimitPerUser: num(r.rate_limit_per_user ?? 0n),
    memberCount: num(r.member_count ?? 0n),
  };
}

const toOverwrite = (r: OverwriteRow): Overwrite => ({
  id: id(r.target_id),
  type: r.type === 1n ? 1 : 0,
  allow: r.allow,
  deny: r.deny,
});

// Channels, their permission overwrites, the two-person DM channels, and threads read as channels, on PostgreSQL
// (the SQLite twin: src/store/channels-store.ts).
import type { Channel, Overwrite, ThreadState } from '../../domain/model/channel.ts';
import { type Db, idArray, idOrNull, num, sf } from './sql.ts';

type ChannelRow = {
  id: string;
  guild_id: string | null;
  type: number;
  name: string | null;
  topic: string | null;
  position: number;
  last_message_id: string | null;
  created_at: string;
  user_low: string | null;
  user_high: string | null;
  parent_id: string | null;
  owner_id: string | null;
  archived: boolean | null;
  locked: boolean | null;
  invitable: boolean | null;
  auto_archive_minutes: number | null;
  archive_changed_at: string | null;
  last_activity_at: string | null;
  message_count: number | null;
  total_message_sent: number | null;
  rate_limit_per_user: number | null;
  member_count: string | null;
  group_owner_id: string | null;
  group_icon: string | null;
  group_recipients: string | null;
};
type OverwriteRow = { channel_id: string; target_id: string; type: number; allow: string; deny: string };

const SELECT = `SELECT c.id, c.guild_id, c.type, c.name, c.topic, c.position, c.created_at,
    (SELECT max(m.id) FROM messages m WHERE m.channel_id = c.id) AS last_message_id,
    d.user_low, d.user_high, t.parent_id, t.owner_id, t.archived, t.locked, t.invitable, t.auto_archive_minutes,
    t.archive_changed_at, t.last_activity_at, t.message_count, t.total_message_sent, t.rate_limit_per_user,
    CASE WHEN t.channel_id IS NULL THEN NULL ELSE (SELECT count(*) FROM thread_members tm WHERE tm.thread_id = c.id) END AS member_count,
    g.owner_id AS group_owner_id, g.icon AS group_icon,
    CASE WHEN g.channel_id IS NULL THEN NULL
      ELSE (SELECT string_agg(r.user_id::text, ' ' ORDER BY r.added_at, r.user_id) FROM group_dm_recipients r WHERE r.channel_id = c.id) END
      AS group_recipients
  FROM channels c LEFT JOIN dm_channels d ON d.channel_id = c.id LEFT JOIN threads t ON t.channel_id = c.id
    LEFT JOIN group_dms g ON g.channel_id = c.id`;

/** The DM pair ordered by numeric id (low first), as it is stored. */
const pair = (a: string, b: string): [string, string] => (BigInt(a) < BigInt(b) ? [a, b] : [b, a]);

export class ChannelsStore {
  constructor(private readonly sql: Db) {}

  private select() {
    return this.sql.unsafe(SELECT);
  }

  async insert(c: Omit<Channel, 'overwrites' | 'recipientIds' | 'thread' | 'group'>): Promise<void> {
    await this.sql`INSERT INTO channels (id, guild_id, type, name, topic, position, created_at)
      VALUES (${c.id}, ${c.guildId}, ${c.type}, ${c.name}, ${c.topic}, ${c.position}, ${c.createdAt})`;
  }

  async insertDm(channelId: string, a: string, b: string): Promise<void> {
    const [low, high] = pair(a, b);
    await this.sql`INSERT INTO dm_channels (channel_id, user_low, user_high) VALUES (${channelId}, ${low}, ${high})`;
  }

  async dmBetween(a: string, b: string): Promise<Channel | null> {
    const [low, high] = pair(sf(a), sf(b));
    const [row] = await this.sql<ChannelRow[]>`${this.select()} WHERE d.user_low = ${low} AND d.user_high = ${high}`;
    return row ? await this.toChannel(row) : null;
  }

  /** The user's DMs and group DMs. */
  async dmsOf(userId: string): Promise<Channel[]> {
    const user = sf(userId);
    // Each side by its own index (an OR across the joined tables reads every channel).
    const rows = await this.sql<ChannelRow[]>`${this.select()}
      WHERE c.id IN (SELECT channel_id FROM dm_channels WHERE user_low = ${user} UNION ALL SELECT channel_id FROM dm_channels WHERE user_high = ${user}
        UNION ALL SELECT channel_id FROM group_dm_recipients WHERE user_id = ${user}) ORDER BY c.id`;
    return await Promise.all(rows.map((r) => this.toChannel(r)));
  }

  async insertGroup(channelId: string, ownerId: string, icon: string | null): Promise<void> {
    await this.sql`INSERT INTO group_dms (channel_id, owner_id, icon) VALUES (${channelId}, ${ownerId}, ${icon})`;
  }

  async addGroupRecipient(channelId: string, userId: string, at: number): Promise<void> {
    await this.sql`INSERT INTO group_dm_recipients (channel_id, user_id, added_at) VALUES (${channelId}, ${userId}, ${at}) ON CONFLICT DO NOTHING`;
  }

  async removeGroupRecipient(channelId: string, userId: string): Promise<void> {
    await this.sql`DELETE FROM group_dm_recipients WHERE channel_id = ${sf(channelId)} AND user_id = ${sf(userId)}`;
  }

  async updateGroup(channelId: string, fields: { ownerId?: string; icon?: string | null }): Promise<void> {
    if (fields.ownerId !== undefined) await this.sql`UPDATE group_dms SET owner_id = ${fields.ownerId} WHERE channel_id = ${sf(channelId)}`;
    if (fields.icon !== undefined) await this.sql`UPDATE group_dms SET icon = ${fields.icon} WHERE channel_id = ${sf(channelId)}`;
  }

  async byId(channelId: string): Promise<Channel | null> {
    const [row] = await this.sql<ChannelRow[]>`${this.select()} WHERE c.id = ${sf(channelId)}`;
    return row ? await this.toChannel(row) : null;
  }

  /** The guild's channels, threads left out (Discord lists those apart: threadsOfGuild). */
  async ofGuild(guildId: string): Promise<Channel[]> {
    const overwrites = await this.guildOverwrites(guildId);
    const rows = await this.sql<ChannelRow[]>`${this.select()} WHERE c.guild_id = ${sf(guildId)} AND t.channel_id IS NULL ORDER BY c.position, c.id`;
    return await Promise.all(rows.map((r) => this.toChannel(r, overwrites.get(r.id) ?? [])));
  }

  async count(guildId: string): Promise<number> {
    const [row] = await this.sql<{ n: string }[]>`
      SELECT count(*) AS n FROM channels c WHERE c.guild_id = ${sf(guildId)} AND NOT EXISTS (SELECT 1 FROM threads t WHERE t.channel_id = c.id)`;
    return row ? num(row.n) : 0;
  }

  /** Every thread in the guild, archived ones included, oldest first. */
  async threadsOfGuild(guildId: string): Promise<Channel[]> {
    const rows = await this.sql<ChannelRow[]>`${this.select()} WHERE c.guild_id = ${sf(guildId)} AND t.channel_id IS NOT NULL ORDER BY c.id`;
    return await Promise.all(rows.map((r) => this.toChannel(r, [])));
  }

  /** Threads of one parent channel, newest first by archive time; `archived` picks active or archived ones. */
  async threadsOfParent(parentId: string, archived: boolean): Promise<Channel[]> {
    const rows = await this.sql<ChannelRow[]>`${this.select()}
      WHERE t.parent_id = ${sf(parentId)} AND t.archived = ${archived} ORDER BY t.archive_changed_at DESC, c.id DESC`;
    return await Promise.all(rows.map((r) => this.toChannel(r, [])));
  }

  /** Active threads whose auto-archive time has run out at `now` (unix ms) since their last activity. */
  async threadsIdleAt(now: number): Promise<Channel[]> {
    const rows = await this.sql<ChannelRow[]>`${this.select()}
      WHERE NOT t.archived AND t.last_activity_at + t.auto_archive_minutes * 60000::bigint <= ${now} ORDER BY c.id`;
    return await Promise.all(rows.map((r) => this.toChannel(r, [])));
  }

  /** Which of `messageIds` started a thread: the thread has the message's id. */
  async threadsStartedFrom(messageIds: readonly string[]): Promise<Map<string, Channel>> {
    const out = new Map<string, Channel>();
    if (messageIds.length === 0) return out;
    const rows = await this.sql<ChannelRow[]>`${this.select()} WHERE c.id = ANY(${idArray(this.sql, messageIds)}) AND t.channel_id IS NOT NULL`;
    for (const r of rows) out.set(r.id, await this.toChannel(r, []));
    return out;
  }

  async update(channelId: string, fields: { name?: string | null; topic?: string | null; position?: number }): Promise<void> {
    const sets: Record<string, string | number | null> = {};
    if (fields.name !== undefined) sets.name = fields.name;
    if (fields.topic !== undefined) sets.topic = fields.topic;
    if (fields.position !== undefined) sets.position = fields.position;
    if (Object.keys(sets).length === 0) return;
    await this.sql`UPDATE channels SET ${this.sql(sets)} WHERE id = ${sf(channelId)}`;
  }

  /** Deletes the channel and its threads' channel rows (their thread rows would go by cascade, their channels not). */
  async delete(channelId: string): Promise<void> {
    await this.sql`DELETE FROM channels WHERE id IN (SELECT channel_id FROM threads WHERE parent_id = ${sf(channelId)})`;
    await this.sql`DELETE FROM channels WHERE id = ${sf(channelId)}`;
  }

  async putOverwrite(channelId: string, o: Overwrite): Promise<void> {
    await this.sql`INSERT INTO overwrites (channel_id, target_id, type, allow, deny)
      VALUES (${channelId}, ${o.id}, ${o.type}, ${o.allow.toString()}, ${o.deny.toString()})
      ON CONFLICT (channel_id, target_id) DO UPDATE SET type = excluded.type, allow = excluded.allow, deny = excluded.deny`;
  }

  async deleteOverwrite(channelId: string, targetId: string): Promise<boolean> {
    return (await this.sql`DELETE FROM overwrites WHERE channel_id = ${sf(channelId)} AND target_id = ${sf(targetId)}`).count > 0;
  }

  /** Drops the overwrites for `targetId` in one guild's channels (a user's id is the same in every guild). */
  async deleteOverwritesFor(guildId: string, targetId: string): Promise<void> {
    await this.sql`DELETE FROM overwrites WHERE target_id = ${sf(targetId)} AND channel_id IN (SELECT id FROM channels WHERE guild_id = ${sf(guildId)})`;
  }

  async overwrites(channelId: string): Promise<Overwrite[]> {
    return (await this.sql<OverwriteRow[]>`SELECT * FROM overwrites WHERE channel_id = ${sf(channelId)} ORDER BY target_id`).map(toOverwrite);
  }

  private async guildOverwrites(guildId: string): Promise<Map<string, Overwrite[]>> {
    const out = new Map<string, Overwrite[]>();
    const rows = await this.sql<OverwriteRow[]>`
      SELECT o.* FROM overwrites o JOIN channels c ON c.id = o.channel_id WHERE c.guild_id = ${sf(guildId)} ORDER BY o.target_id`;
    for (const row of rows) {
      const list = out.get(row.channel_id) ?? [];
      list.push(toOverwrite(row));
      out.set(row.channel_id, list);
    }
    return out;
  }

  private async toChannel(r: ChannelRow, overwrites?: Overwrite[]): Promise<Channel> {
    return {
      id: r.id,
      guildId: idOrNull(r.guild_id),
      type: num(r.type),
      name: r.name,
      topic: r.topic,
      position: num(r.position),
      lastMessageId: idOrNull(r.last_message_id),
      createdAt: num(r.created_at),
      overwrites: r.guild_id === null || r.parent_id !== null ? [] : (overwrites ?? (await this.overwrites(r.id))),
      recipientIds: r.user_low !== null && r.user_high !== null ? [r.user_low, r.user_high] : r.group_recipients ? r.group_recipients.split(' ') : [],
      thread: toThread(r),
      group: r.group_owner_id === null ? null : { ownerId: r.group_owner_id, icon: r.group_icon },
    };
  }
}

function toThread(r: ChannelRow): ThreadState | null {
  if (r.parent_id === null || r.owner_id === null) return null;
  return {
    parentId: r.parent_id,
    ownerId: r.owner_id,
    archived: r.archived ?? false,
    locked: r.locked ?? false,
    invitable: r.invitable ?? true,
    autoArchiveMinutes: num(r.auto_archive_minutes ?? 1440),
    archiveChangedAt: num(r.archive_changed_at ?? 0),
    lastActivityAt: num(r.last_activity_at ?? 0),
    messageCount: num(r.message_count ?? 0),
    totalMessageSent: num(r.total_message_sent ?? 0),
    rateLimitPerUser: num(r.rate_limit_per_user ?? 0),
    memberCount: num(r.member_count ?? 0),
  };
}

const toOverwrite = (r: OverwriteRow): Overwrite => ({
  id: r.target_id,
  type: r.type === 1 ? 1 : 0,
  allow: BigInt(r.allow),
  deny: BigInt(r.deny),
});

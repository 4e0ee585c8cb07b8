// A thread's own state and its members on PostgreSQL (the SQLite twin: src/store/threads-store.ts).
import type { ThreadMember } from '../../domain/model/channel.ts';
import type { NewThread, ThreadChanges } from '../sqlite/threads-store.ts';
import { type Db, num, sf } from './sql.ts';

const COLUMNS: Record<keyof ThreadChanges, string> = {
  archived: 'archived',
  locked: 'locked',
  invitable: 'invitable',
  autoArchiveMinutes: 'auto_archive_minutes',
  rateLimitPerUser: 'rate_limit_per_user',
  archiveChangedAt: 'archive_changed_at',
  lastActivityAt: 'last_activity_at',
};

type MemberRow = { thread_id: string; user_id: string; joined_at: string };
const toMember = (r: MemberRow): ThreadMember => ({ threadId: r.thread_id, userId: r.user_id, joinedAt: num(r.joined_at) });

export class ThreadsStore {
  constructor(private readonly sql: Db) {}

  async insert(t: NewThread): Promise<void> {
    await this.sql`
      INSERT INTO threads (channel_id, parent_id, owner_id, invitable, auto_archive_minutes, archive_changed_at, last_activity_at, rate_limit_per_user)
      VALUES (${t.channelId}, ${t.parentId}, ${t.ownerId}, ${t.invitable}, ${t.autoArchiveMinutes}, ${t.at}, ${t.at}, ${t.rateLimitPerUser})`;
  }

  async update(threadId: string, changes: ThreadChanges): Promise<void> {
    const sets: Record<string, number | boolean> = {};
    for (const [key, value] of Object.entries(changes) as [keyof ThreadChanges, number | boolean | undefined][]) {
      if (value !== undefined) sets[COLUMNS[key]] = value;
    }
    if (Object.keys(sets).length === 0) return;
    await this.sql`UPDATE threads SET ${this.sql(sets)} WHERE channel_id = ${sf(threadId)}`;
  }

  /** A message was posted at `at`: counters up, idle clock reset. */
  async countMessage(threadId: string, at: number): Promise<void> {
    await this.sql`UPDATE threads SET message_count = message_count + 1, total_message_sent = total_message_sent + 1, last_activity_at = ${at}
      WHERE channel_id = ${sf(threadId)}`;
  }

  /** A message was deleted: message_count (not total_message_sent) goes down, as on Discord. */
  async uncountMessage(threadId: string): Promise<void> {
    await this.sql`UPDATE threads SET message_count = greatest(message_count - 1, 0) WHERE channel_id = ${sf(threadId)}`;
  }

  /** Adds a member; false when they already were one. */
  async addMember(threadId: string, userId: string, at: number): Promise<boolean> {
    return (await this.sql`INSERT INTO thread_members (thread_id, user_id, joined_at) VALUES (${threadId}, ${userId}, ${at}) ON CONFLICT DO NOTHING`).count > 0;
  }

  async removeMember(threadId: string, userId: string): Promise<boolean> {
    return (await this.sql`DELETE FROM thread_members WHERE thread_id = ${sf(threadId)} AND user_id = ${sf(userId)}`).count > 0;
  }

  async member(threadId: string, userId: string): Promise<ThreadMember | null> {
    const [row] = await this.sql<MemberRow[]>`SELECT * FROM thread_members WHERE thread_id = ${sf(threadId)} AND user_id = ${sf(userId)}`;
    return row ? toMember(row) : null;
  }

  /** Members in user id order, after `after`. */
  async members(threadId: string, limit: number, after = '0'): Promise<ThreadMember[]> {
    const rows = await this.sql<MemberRow[]>`
      SELECT * FROM thread_members WHERE thread_id = ${sf(threadId)} AND user_id > ${sf(after)} ORDER BY user_id LIMIT ${limit}`;
    return rows.map(toMember);
  }

  /** The threads of one guild that `userId` has joined, as memberships. */
  async membershipsIn(guildId: string, userId: string): Promise<ThreadMember[]> {
    const rows = await this.sql<MemberRow[]>`
      SELECT tm.* FROM thread_members tm JOIN channels c ON c.id = tm.thread_id WHERE c.guild_id = ${sf(guildId)} AND tm.user_id = ${sf(userId)}
      ORDER BY tm.thread_id`;
    return rows.map(toMember);
  }
}

// SQL for a thread's own state (archive, lock, counters) and its members. Threads are read as channels
// through channels-store.ts, which joins this state onto the channel row.

import type { Database } from 'bun:sqlite';
import type { NewThread, ThreadChanges, ThreadMember } from '../../domain/model/channel.ts';
import type { ThreadsRepo } from '../../domain/ports/index.ts';
import type { Immediate } from './immediate.ts';
import { type Int, id, num } from './rows.ts';

export type { NewThread, ThreadChanges } from '../../domain/model/channel.ts';

const COLUMNS: Record<keyof ThreadChanges, string> = {
  archived: 'archived',
  locked: 'locked',
  invitable: 'invitable',
  autoArchiveMinutes: 'auto_archive_minutes',
  rateLimitPerUser: 'rate_limit_per_user',
  archiveChangedAt: 'archive_changed_at',
  lastActivityAt: 'last_activity_at',
};

type MemberRow = { thread_id: Int; user_id: Int; joined_at: Int };
const toMember = (r: MemberRow): ThreadMember => ({ threadId: id(r.thread_id), userId: id(r.user_id), joinedAt: num(r.joined_at) });

export class ThreadsStore implements Immediate<ThreadsRepo> {
  constructor(private readonly db: Database) {}

  insert(t: NewThread): void {
    this.db
      .query(
        `INSERT INTO threads (channel_id, parent_id, owner_id, invitable, auto_archive_minutes, archive_changed_at, last_activity_at, rate_limit_per_user)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(t.channelId, t.parentId, t.ownerId, t.invitable ? 1 : 0, t.autoArchiveMinutes, t.at, t.at, t.rateLimitPerUser);
  }

  update(threadId: string, changes: ThreadChanges): void {
    for (const [key, value] of Object.entries(changes) as [keyof ThreadChanges, number | boolean | undefined][]) {
      if (value === undefined) continue;
      this.db.query(`UPDATE threads SET ${COLUMNS[key]} = ? WHERE channel_id = ?`).run(typeof value === 'boolean' ? Number(value) : value, threadId);
    }
  }

  /** A message was posted at `at`: counters up, idle clock reset. */
  countMessage(threadId: string, at: number): void {
    this.db
      .query('UPDATE threads SET message_count = message_count + 1, total_message_sent = total_message_sent + 1, last_activity_at = ? WHERE channel_id = ?')
      .run(at, threadId);
  }

  /** A message was deleted: message_count (not total_message_sent) goes down, as on Discord. */
  uncountMessage(threadId: string): void {
    this.db.query('UPDATE threads SET message_count = max(message_count - 1, 0) WHERE channel_id = ?').run(threadId);
  }

  /** Adds a member; false when they already were one. */
  addMember(threadId: string, userId: string, at: number): boolean {
    return this.db.query('INSERT OR IGNORE INTO thread_members (thread_id, user_id, joined_at) VALUES (?, ?, ?)').run(threadId, userId, at).changes > 0;
  }

  removeMember(threadId: string, userId: string): boolean {
    return this.db.query('DELETE FROM thread_members WHERE thread_id = ? AND user_id = ?').run(threadId, userId).changes > 0;
  }

  member(threadId: string, userId: string): ThreadMember | null {
    const row = this.db.query<MemberRow, [string, string]>('SELECT * FROM thread_members WHERE thread_id = ? AND user_id = ?').get(threadId, userId);
    return row ? toMember(row) : null;
  }

  /** Members in user id order, after `after`. */
  members(threadId: string, limit: number, after = '0'): ThreadMember[] {
    return this.db
      .query<MemberRow, [string, string, number]>('SELECT * FROM thread_members WHERE thread_id = ? AND user_id > ? ORDER BY user_id LIMIT ?')
      .all(threadId, after, limit)
      .map(toMember);
  }

  /** The threads of one guild that `userId` has joined, as memberships. */
  membershipsIn(guildId: string, userId: string): ThreadMember[] {
    return this.db
      .query<MemberRow, [string, string]>(
        'SELECT tm.* FROM thread_members tm JOIN channels c ON c.id = tm.thread_id WHERE c.guild_id = ? AND tm.user_id = ? ORDER BY tm.thread_id',
      )
      .all(guildId, userId)
      .map(toMember);
  }
}

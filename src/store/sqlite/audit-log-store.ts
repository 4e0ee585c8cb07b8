// SQL for the guild audit log.

import type { Database } from 'bun:sqlite';
import type { AuditAction, AuditEntry, AuditQuery } from '../../domain/model/audit.ts';
import type { AuditLogRepo } from '../../domain/ports/index.ts';
import type { Immediate } from './immediate.ts';
import { type Int, id, idOrNull, num } from './rows.ts';

type AuditRow = {
  id: Int;
  guild_id: Int;
  user_id: Int | null;
  target_id: Int | null;
  action: string;
  changes: string;
  options: string | null;
  reason: string | null;
  created_at: Int;
};

const toEntry = (r: AuditRow): AuditEntry => ({
  id: id(r.id),
  guildId: id(r.guild_id),
  userId: idOrNull(r.user_id),
  targetId: idOrNull(r.target_id),
  action: r.action as AuditAction,
  changes: JSON.parse(r.changes),
  options: r.options === null ? null : JSON.parse(r.options),
  reason: r.reason,
  createdAt: num(r.created_at),
});

export class AuditLogStore implements Immediate<AuditLogRepo> {
  constructor(private readonly db: Database) {}

  insert(e: AuditEntry): void {
    this.db
      .query(
        'INSERT INTO audit_log_entries (id, guild_id, user_id, target_id, action, changes, options, reason, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        e.id,
        e.guildId,
        e.userId,
        e.targetId,
        e.action,
        JSON.stringify(e.changes),
        e.options === null ? null : JSON.stringify(e.options),
        e.reason,
        e.createdAt,
      );
  }

  list(guildId: string, q: AuditQuery): AuditEntry[] {
    const where = ['guild_id = ?'];
    const args: (string | number)[] = [guildId];
    if (q.userId !== undefined) {
      where.push('user_id = ?');
      args.push(q.userId);
    }
    if (q.actions !== undefined) {
      where.push(`action IN (${q.actions.map(() => '?').join(', ') || 'NULL'})`);
      args.push(...q.actions);
    }
    if (q.before !== undefined) {
      where.push('id < ?');
      args.push(q.before);
    }
    if (q.after !== undefined) {
      where.push('id > ?');
      args.push(q.after);
    }
    // With only `after`, Discord pages forward: the oldest entries after it, oldest first (discord.py's oldest_first
    // takes the last one as its next `after`).
    const forward = q.after !== undefined && q.before === undefined;
    const sql = `SELECT * FROM audit_log_entries WHERE ${where.join(' AND ')} ORDER BY id ${forward ? 'ASC' : 'DESC'} LIMIT ?`;
    return this.db
      .query<AuditRow, (string | number)[]>(sql)
      .all(...args, q.limit)
      .map(toEntry);
  }

  deleteBefore(id: string): void {
    this.db.query('DELETE FROM audit_log_entries WHERE id < ?').run(id);
  }
}

// The guild audit log on PostgreSQL (the SQLite twin: src/store/audit-log-store.ts).
import type { AuditAction, AuditEntry, AuditQuery } from '../../domain/model/audit.ts';
import { type Db, idOrNull, num, sf } from './sql.ts';

type AuditRow = {
  id: string;
  guild_id: string;
  user_id: string | null;
  target_id: string | null;
  action: string;
  changes: string;
  options: string | null;
  reason: string | null;
  created_at: string;
};

const toEntry = (r: AuditRow): AuditEntry => ({
  id: r.id,
  guildId: r.guild_id,
  userId: idOrNull(r.user_id),
  targetId: idOrNull(r.target_id),
  action: r.action as AuditAction,
  changes: JSON.parse(r.changes),
  options: r.options === null ? null : JSON.parse(r.options),
  reason: r.reason,
  createdAt: num(r.created_at),
});

export class AuditLogStore {
  constructor(private readonly sql: Db) {}

  async insert(e: AuditEntry): Promise<void> {
    await this.sql`INSERT INTO audit_log_entries (id, guild_id, user_id, target_id, action, changes, options, reason, created_at)
      VALUES (${e.id}, ${e.guildId}, ${e.userId}, ${e.targetId}, ${e.action}, ${JSON.stringify(e.changes)},
        ${e.options === null ? null : JSON.stringify(e.options)}, ${e.reason}, ${e.createdAt})`;
  }

  async list(guildId: string, q: AuditQuery): Promise<AuditEntry[]> {
    const sql = this.sql;
    const none = sql``;
    // With only `after`, Discord pages forward: the oldest entries after it, oldest first.
    const forward = q.after !== undefined && q.before === undefined;
    const rows = await sql<AuditRow[]>`
      SELECT * FROM audit_log_entries WHERE guild_id = ${sf(guildId)}
        ${q.userId !== undefined ? sql`AND user_id = ${sf(q.userId)}` : none}
        ${q.actions !== undefined ? sql`AND action = ANY(${sql.array([...q.actions], 'TEXT')})` : none}
        ${q.before !== undefined ? sql`AND id < ${sf(q.before)}` : none}
        ${q.after !== undefined ? sql`AND id > ${sf(q.after)}` : none}
      ORDER BY id ${forward ? sql`ASC` : sql`DESC`} LIMIT ${q.limit}`;
    return rows.map(toEntry);
  }

  async deleteBefore(id: string): Promise<void> {
    await this.sql`DELETE FROM audit_log_entries WHERE id < ${sf(id)}`;
  }
}

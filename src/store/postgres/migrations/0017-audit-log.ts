// The guild audit log (mirrors src/db/migrations/0017-audit-log.ts; there is no migration 16 on either engine).
import type { PgMigration } from '../migrate.ts';

export const auditLog: PgMigration = {
  id: 17,
  name: 'audit-log',
  async up(sql) {
    await sql.unsafe(`
      CREATE TABLE audit_log_entries (
        id BIGINT PRIMARY KEY,
        guild_id BIGINT NOT NULL REFERENCES guilds(id) ON DELETE CASCADE,
        user_id BIGINT,
        target_id BIGINT,
        action TEXT NOT NULL,
        changes TEXT NOT NULL,
        options TEXT,
        reason TEXT,
        created_at BIGINT NOT NULL
      );
      CREATE INDEX audit_log_entries_guild ON audit_log_entries(guild_id, id);
    `);
  },
};

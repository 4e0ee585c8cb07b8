// The guild audit log: who changed what in a guild (moderation and settings), written in the same transaction as
// the change. `changes` and `options` are JSON; entries go with their guild and are pruned after 90 days.
import type { Migration } from '../migrate.ts';

export const auditLog: Migration = {
  id: 17,
  name: 'audit-log',
  up(db) {
    db.exec(`
      CREATE TABLE audit_log_entries (
        id INTEGER PRIMARY KEY,
        guild_id INTEGER NOT NULL REFERENCES guilds(id) ON DELETE CASCADE,
        user_id INTEGER,
        target_id INTEGER,
        action TEXT NOT NULL,
        changes TEXT NOT NULL,
        options TEXT,
        reason TEXT,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX audit_log_entries_guild ON audit_log_entries(guild_id, id);
    `);
  },
};

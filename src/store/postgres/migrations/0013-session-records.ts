// Session ids, last use, device and address (mirrors src/db/migrations/0013-session-records.ts). Existing rows
// are numbered by creation (PostgreSQL has no rowid).
import type { PgMigration } from '../migrate.ts';

export const sessionRecords: PgMigration = {
  id: 13,
  name: 'session-records',
  async up(sql) {
    await sql.unsafe(`
      ALTER TABLE sessions ADD COLUMN id BIGINT;
      ALTER TABLE sessions ADD COLUMN last_used_at BIGINT NOT NULL DEFAULT 0;
      ALTER TABLE sessions ADD COLUMN device TEXT;
      ALTER TABLE sessions ADD COLUMN address TEXT;
      UPDATE sessions s SET id = n.id, last_used_at = s.created_at
        FROM (SELECT token_hash, row_number() OVER (ORDER BY created_at, token_hash) AS id FROM sessions) n
        WHERE n.token_hash = s.token_hash;
      CREATE UNIQUE INDEX sessions_id ON sessions(id);
    `);
  },
};

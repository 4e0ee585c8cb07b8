// What a graceful shutdown leaves for the next start (mirrors src/db/migrations/0015-restart-state.ts).
import type { PgMigration } from '../migrate.ts';

export const restartState: PgMigration = {
  id: 15,
  name: 'restart-state',
  async up(sql) {
    await sql.unsafe(`
      CREATE TABLE gateway_resume (
        kind TEXT NOT NULL CHECK (kind IN ('meta', 'session', 'entry')),
        key TEXT NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (kind, key)
      );
      CREATE TABLE presence_state (
        user_id TEXT PRIMARY KEY,
        body TEXT NOT NULL
      );
    `);
  },
};

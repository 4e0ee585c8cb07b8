// Interactions that outlive their request (mirrors src/db/migrations/0014-interactions.ts), and
// USE_APPLICATION_COMMANDS for every @everyone role.
import type { PgMigration } from '../migrate.ts';

export const interactions: PgMigration = {
  id: 14,
  name: 'interactions',
  async up(sql) {
    await sql.unsafe(`
      CREATE TABLE interactions (
        id BIGINT PRIMARY KEY,
        application_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        channel_id BIGINT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
        token_hash BYTEA NOT NULL UNIQUE,
        expires_at BIGINT NOT NULL,
        state TEXT NOT NULL
      );
      CREATE INDEX interactions_by_user ON interactions (user_id, expires_at);
      CREATE INDEX interactions_by_expiry ON interactions (expires_at);
      ALTER TABLE messages ADD COLUMN interaction TEXT;
      UPDATE roles SET permissions = permissions | ${1n << 31n} WHERE id = guild_id;
    `);
  },
};

// One-time token links, kept by nonce digest only (mirrors src/db/migrations/0005-presence-token-reveals.ts).
import type { PgMigration } from '../migrate.ts';

export const presenceTokenReveals: PgMigration = {
  id: 5,
  name: 'presence-token-reveals',
  async up(sql) {
    await sql.unsafe(`
      CREATE TABLE presence_token_reveals (
        nonce_hash BYTEA PRIMARY KEY,
        user_id BIGINT NOT NULL REFERENCES presence_users(user_id) ON DELETE CASCADE,
        created_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL,
        used_at BIGINT
      );
      CREATE INDEX presence_token_reveals_user ON presence_token_reveals(user_id);
      CREATE INDEX presence_token_reveals_expiry ON presence_token_reveals(expires_at);
    `);
  },
};

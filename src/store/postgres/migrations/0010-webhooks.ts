// Webhooks (mirrors src/db/migrations/0010-webhooks.ts): a webhook's messages have its id as author, so
// messages.author_id loses its foreign key (PostgreSQL drops it in place; SQLite rebuilds the table).
import type { PgMigration } from '../migrate.ts';

export const webhooks: PgMigration = {
  id: 10,
  name: 'webhooks',
  async up(sql) {
    await sql.unsafe(`
      ALTER TABLE messages DROP CONSTRAINT messages_author_id_fkey;
      CREATE TABLE webhooks (
        id BIGINT PRIMARY KEY,
        guild_id BIGINT NOT NULL REFERENCES guilds(id) ON DELETE CASCADE,
        channel_id BIGINT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
        creator_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
        name TEXT NOT NULL,
        avatar TEXT,
        token_hash BYTEA NOT NULL,
        created_at BIGINT NOT NULL
      );
      CREATE INDEX webhooks_channel ON webhooks(channel_id);
      CREATE INDEX webhooks_guild ON webhooks(guild_id);
      ALTER TABLE messages ADD COLUMN webhook_id BIGINT;
      ALTER TABLE messages ADD COLUMN webhook_name TEXT;
      ALTER TABLE messages ADD COLUMN webhook_avatar TEXT;
      ALTER TABLE messages ADD COLUMN webhook_avatar_url TEXT;
    `);
  },
};

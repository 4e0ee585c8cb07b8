// The presence API's own data (mirrors src/db/migrations/0002-presence.ts). presence_kv has an explicit `seq`
// where SQLite relies on rowid: K/V reads back in the order keys were first written.
import type { PgMigration } from '../migrate.ts';

export const presence: PgMigration = {
  id: 2,
  name: 'presence',
  async up(sql) {
    await sql.unsafe(`
      CREATE TABLE presence_users (
        user_id BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        shared BOOLEAN NOT NULL DEFAULT TRUE,
        guild_id BIGINT REFERENCES guilds(id) ON DELETE SET NULL,
        last_seen BIGINT,
        created_at BIGINT NOT NULL
      );
      CREATE TABLE presence_kv (
        seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        UNIQUE (user_id, key)
      );
      CREATE TABLE presence_tokens (
        user_id BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        token_hash BYTEA NOT NULL UNIQUE,
        created_at BIGINT NOT NULL
      );
      CREATE TABLE presence_github (
        user_id BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        username TEXT NOT NULL,
        profile TEXT,
        fetched_at BIGINT,
        linked_at BIGINT NOT NULL
      );
    `);
  },
};

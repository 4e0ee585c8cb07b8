// Uploaded avatars, guild icons and custom emoji (mirrors src/db/migrations/0009-images.ts).
import type { PgMigration } from '../migrate.ts';

export const images: PgMigration = {
  id: 9,
  name: 'images',
  async up(sql) {
    await sql.unsafe(`
      CREATE TABLE images (
        kind TEXT NOT NULL CHECK (kind IN ('avatar', 'icon')),
        owner_id BIGINT NOT NULL,
        hash TEXT NOT NULL,
        file_key TEXT NOT NULL,
        content_type TEXT NOT NULL,
        size BIGINT NOT NULL,
        width INTEGER NOT NULL,
        height INTEGER NOT NULL,
        created_at BIGINT NOT NULL,
        PRIMARY KEY (kind, owner_id, hash)
      );
      CREATE TABLE emojis (
        id BIGINT PRIMARY KEY,
        guild_id BIGINT NOT NULL REFERENCES guilds(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
        animated BOOLEAN NOT NULL,
        file_key TEXT NOT NULL,
        content_type TEXT NOT NULL,
        size BIGINT NOT NULL,
        created_at BIGINT NOT NULL
      );
      CREATE INDEX emojis_by_guild ON emojis(guild_id, id);
      CREATE TABLE emoji_roles (
        emoji_id BIGINT NOT NULL REFERENCES emojis(id) ON DELETE CASCADE,
        role_id BIGINT NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
        PRIMARY KEY (emoji_id, role_id)
      );
      UPDATE users SET avatar = NULL WHERE avatar IS NOT NULL;
      UPDATE guilds SET icon = NULL WHERE icon IS NOT NULL;
    `);
  },
};

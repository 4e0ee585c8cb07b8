// Uploaded avatars, guild icons and custom emoji. Bytes live in the FileStore under a content-addressed key; these
// rows say whose image a hash is and what the bytes really are (sniffed, never the client's word). Avatars and icons
// used to be http(s) URLs in the same columns: those cannot become uploads, so they are cleared and the columns
// now hold image hashes only.
import type { Migration } from '../migrate.ts';

export const images: Migration = {
  id: 9,
  name: 'images',
  up(db) {
    db.exec(`
      CREATE TABLE images (
        kind TEXT NOT NULL CHECK (kind IN ('avatar', 'icon')),
        owner_id INTEGER NOT NULL,
        hash TEXT NOT NULL,
        file_key TEXT NOT NULL,
        content_type TEXT NOT NULL,
        size INTEGER NOT NULL,
        width INTEGER NOT NULL,
        height INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (kind, owner_id, hash)
      );
      CREATE TABLE emojis (
        id INTEGER PRIMARY KEY,
        guild_id INTEGER NOT NULL REFERENCES guilds(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
        animated INTEGER NOT NULL,
        file_key TEXT NOT NULL,
        content_type TEXT NOT NULL,
        size INTEGER NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX emojis_by_guild ON emojis(guild_id, id);
      CREATE TABLE emoji_roles (
        emoji_id INTEGER NOT NULL REFERENCES emojis(id) ON DELETE CASCADE,
        role_id INTEGER NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
        PRIMARY KEY (emoji_id, role_id)
      );
      UPDATE users SET avatar = NULL WHERE avatar IS NOT NULL;
      UPDATE guilds SET icon = NULL WHERE icon IS NOT NULL;
    `);
  },
};

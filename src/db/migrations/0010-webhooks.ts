// Webhooks (Discord's incoming webhooks): a row per webhook with its token's SHA-256 digest, never the token.
// Messages a webhook posts have the webhook's id as author, as on Discord, so `messages.author_id` can no longer
// point at `users`: the table is rebuilt without that foreign key (SQLite cannot drop one in place; defensive
// mode forbids editing the schema text). The rebuild copies the table's current definition, so columns other
// migrations added before this one are kept. Each webhook message also keeps the name and avatar it was shown
// with (Discord freezes them per message: renaming the webhook later does not rename old messages).
import type { Migration } from '../migrate.ts';

export const webhooks: Migration = {
  id: 10,
  name: 'webhooks',
  foreignKeysOff: true,
  up(db) {
    rebuildMessagesWithoutAuthorKey(db);
    db.exec(`
      CREATE TABLE webhooks (
        id INTEGER PRIMARY KEY,
        guild_id INTEGER NOT NULL REFERENCES guilds(id) ON DELETE CASCADE,
        channel_id INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
        creator_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
        name TEXT NOT NULL,
        avatar TEXT,                             -- content hash of the avatar image, or NULL
        token_hash BLOB NOT NULL,                -- SHA-256 of the token; the token itself is never stored
        created_at INTEGER NOT NULL
      );
      CREATE INDEX webhooks_channel ON webhooks(channel_id);
      CREATE INDEX webhooks_guild ON webhooks(guild_id);

      ALTER TABLE messages ADD COLUMN webhook_id INTEGER;         -- no foreign key: the message outlives its webhook
      ALTER TABLE messages ADD COLUMN webhook_name TEXT;          -- the name shown (the webhook's, or the send's username)
      ALTER TABLE messages ADD COLUMN webhook_avatar TEXT;        -- the webhook's avatar hash at send time
      ALTER TABLE messages ADD COLUMN webhook_avatar_url TEXT;    -- the send's avatar_url, if any
    `);
  },
};

/** SQLite's documented way to change a constraint: create the new table, copy, drop, rename, re-create indexes. */
function rebuildMessagesWithoutAuthorKey(db: Parameters<Migration['up']>[0]): void {
  const table = db.query<{ sql: string }, []>("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'messages'").get();
  if (!table) throw new Error('messages table missing');
  const withoutKey = table.sql.replace(/author_id\s+INTEGER\s+NOT\s+NULL\s+REFERENCES\s+users\s*\(\s*id\s*\)/i, 'author_id INTEGER NOT NULL');
  if (withoutKey === table.sql) throw new Error('messages.author_id is not the expected foreign key');
  const created = withoutKey.replace(/^CREATE\s+TABLE\s+"?messages"?/i, 'CREATE TABLE messages_rebuilt');
  const extras = db
    .query<{ sql: string }, []>("SELECT sql FROM sqlite_schema WHERE type IN ('index', 'trigger') AND tbl_name = 'messages' AND sql IS NOT NULL")
    .all();
  db.exec(created);
  db.exec('INSERT INTO messages_rebuilt SELECT * FROM messages');
  db.exec('DROP TABLE messages');
  db.exec('ALTER TABLE messages_rebuilt RENAME TO messages');
  for (const { sql } of extras) db.exec(sql);
}

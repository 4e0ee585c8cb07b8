// The presence API's own data: who shares their presence, their K/V, their API token (digest only),
// their GitHub link with the last good profile, and when they were last seen online.
import type { Migration } from '../migrate.ts';

export const presence: Migration = {
  id: 2,
  name: 'presence',
  up(db) {
    db.exec(`
      -- One row per user who ever opted in; opting out keeps the row (and their K/V) with shared = 0,
      -- so switching sharing back on restores everything.
      CREATE TABLE presence_users (
        user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        shared INTEGER NOT NULL DEFAULT 1,
        guild_id INTEGER REFERENCES guilds(id) ON DELETE SET NULL,  -- server_name is the nickname here
        last_seen INTEGER,                                         -- unix ms, last time seen online
        created_at INTEGER NOT NULL
      );

      -- A plain rowid table: K/V reads back in the order keys were first written, as the seed shows.
      CREATE TABLE presence_kv (
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        UNIQUE (user_id, key)
      );

      -- At most one API token per user; only its SHA-256 digest is kept.
      CREATE TABLE presence_tokens (
        user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        token_hash BLOB NOT NULL UNIQUE,
        created_at INTEGER NOT NULL
      );

      CREATE TABLE presence_github (
        user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        username TEXT NOT NULL,
        profile TEXT,                -- the last good profile (JSON, seed shape); kept when a refresh fails
        fetched_at INTEGER,          -- unix ms of that profile
        linked_at INTEGER NOT NULL
      );
    `);
  },
};

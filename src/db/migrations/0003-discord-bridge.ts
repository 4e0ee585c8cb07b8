// People the presence API shows without a Harmony account: members of a Discord server mirrored by the bridge,
// known by their Discord user id. Their K/V, API token and GitHub link live in the same tables as everyone's,
// so those tables now hang off presence_users (the presence API's subjects) instead of users; a trigger keeps
// the old cascade, so deleting an account still deletes its presence data.
import type { Migration } from '../migrate.ts';

export const discordBridge: Migration = {
  id: 3,
  name: 'discord-bridge',
  up(db) {
    db.exec(`
      -- SQLite cannot change a foreign key in place: move the tables aside, recreate them, copy, drop.
      ALTER TABLE presence_users RENAME TO presence_users_0002;
      ALTER TABLE presence_kv RENAME TO presence_kv_0002;
      ALTER TABLE presence_tokens RENAME TO presence_tokens_0002;
      ALTER TABLE presence_github RENAME TO presence_github_0002;

      -- One row per subject of the presence API: a Harmony user who ever opted in, or a mirrored member.
      CREATE TABLE presence_users (
        user_id INTEGER PRIMARY KEY,                               -- a users.id, or an external_profiles.user_id
        shared INTEGER NOT NULL DEFAULT 1,
        guild_id INTEGER REFERENCES guilds(id) ON DELETE SET NULL,  -- Harmony users only: server_name is the nickname here
        last_seen INTEGER,
        created_at INTEGER NOT NULL
      );

      CREATE TABLE presence_kv (
        user_id INTEGER NOT NULL REFERENCES presence_users(user_id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        UNIQUE (user_id, key)
      );

      CREATE TABLE presence_tokens (
        user_id INTEGER PRIMARY KEY REFERENCES presence_users(user_id) ON DELETE CASCADE,
        token_hash BLOB NOT NULL UNIQUE,
        created_at INTEGER NOT NULL
      );

      CREATE TABLE presence_github (
        user_id INTEGER PRIMARY KEY REFERENCES presence_users(user_id) ON DELETE CASCADE,
        username TEXT NOT NULL,
        profile TEXT,
        fetched_at INTEGER,
        linked_at INTEGER NOT NULL
      );

      INSERT INTO presence_users (user_id, shared, guild_id, last_seen, created_at)
        SELECT user_id, shared, guild_id, last_seen, created_at FROM presence_users_0002;
      -- Every write made a presence_users row first, so these find nothing; they keep any stray row's data anyway.
      INSERT OR IGNORE INTO presence_users (user_id, shared, created_at)
        SELECT user_id, 0, 0 FROM presence_kv_0002
        UNION SELECT user_id, 0, 0 FROM presence_tokens_0002
        UNION SELECT user_id, 0, 0 FROM presence_github_0002;
      -- rowid kept: K/V reads back in the order keys were first written.
      INSERT INTO presence_kv (rowid, user_id, key, value) SELECT rowid, user_id, key, value FROM presence_kv_0002;
      INSERT INTO presence_tokens (user_id, token_hash, created_at) SELECT user_id, token_hash, created_at FROM presence_tokens_0002;
      INSERT INTO presence_github (user_id, username, profile, fetched_at, linked_at)
        SELECT user_id, username, profile, fetched_at, linked_at FROM presence_github_0002;

      DROP TABLE presence_kv_0002;
      DROP TABLE presence_tokens_0002;
      DROP TABLE presence_github_0002;
      DROP TABLE presence_users_0002;

      -- The last known profile of a mirrored member, so a restart serves them before the bridge reconnects,
      -- and their K/V and token come back if they leave and rejoin.
      CREATE TABLE external_profiles (
        user_id INTEGER PRIMARY KEY REFERENCES presence_users(user_id) ON DELETE CASCADE,
        source TEXT NOT NULL,                 -- 'discord'
        guild_id INTEGER NOT NULL,            -- the mirrored server (an id on that platform, not a Harmony guild)
        username TEXT NOT NULL,
        global_name TEXT,
        avatar TEXT,                          -- as the platform gives it (Discord: an image hash)
        bot INTEGER NOT NULL DEFAULT 0,
        nick TEXT,                            -- nickname in that server: server_name
        member INTEGER NOT NULL DEFAULT 1,    -- 0 after they left: hidden, data kept
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX external_profiles_source ON external_profiles(source, guild_id);

      -- What ON DELETE CASCADE from users did before: an account's presence data goes with it.
      CREATE TRIGGER presence_users_account_deleted AFTER DELETE ON users
      BEGIN
        DELETE FROM presence_users
        WHERE user_id = OLD.id AND NOT EXISTS (SELECT 1 FROM external_profiles WHERE user_id = OLD.id);
      END;
    `);
  },
};

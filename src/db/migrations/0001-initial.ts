// The chat platform's tables. Ids are snowflakes stored as INTEGER; times are unix milliseconds.
import type { Migration } from '../migrate.ts';

export const initial: Migration = {
  id: 1,
  name: 'initial',
  up(db) {
    db.exec(`
      CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        username TEXT NOT NULL,
        username_key TEXT NOT NULL UNIQUE,       -- lower-cased: usernames are unique case-insensitively
        global_name TEXT,
        avatar TEXT,
        password_hash TEXT,                      -- NULL for bots
        bot INTEGER NOT NULL DEFAULT 0,
        system INTEGER NOT NULL DEFAULT 0,       -- the built-in presence bot
        admin INTEGER NOT NULL DEFAULT 0,        -- instance administrator
        disabled INTEGER NOT NULL DEFAULT 0,
        description TEXT,                        -- bots only
        created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
        bot_token_hash BLOB UNIQUE,              -- SHA-256 of the bot token; the token itself is never stored
        bot_intents INTEGER NOT NULL DEFAULT 0,  -- privileged gateway intents an admin allowed this bot
        created_at INTEGER NOT NULL
      );

      CREATE TABLE sessions (
        token_hash BLOB PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX sessions_user ON sessions(user_id);

      CREATE TABLE guilds (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        owner_id INTEGER NOT NULL REFERENCES users(id),
        icon TEXT,
        description TEXT,
        created_at INTEGER NOT NULL
      );

      CREATE TABLE roles (
        id INTEGER PRIMARY KEY,                  -- the @everyone role's id equals its guild's id
        guild_id INTEGER NOT NULL REFERENCES guilds(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        permissions INTEGER NOT NULL,
        position INTEGER NOT NULL DEFAULT 0,
        color INTEGER NOT NULL DEFAULT 0,
        hoist INTEGER NOT NULL DEFAULT 0,
        mentionable INTEGER NOT NULL DEFAULT 0,
        bot_id INTEGER REFERENCES users(id) ON DELETE CASCADE  -- set on the managed role of a bot
      );
      CREATE INDEX roles_guild ON roles(guild_id);

      CREATE TABLE members (
        guild_id INTEGER NOT NULL REFERENCES guilds(id) ON DELETE CASCADE,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        nick TEXT,
        joined_at INTEGER NOT NULL,
        PRIMARY KEY (guild_id, user_id)
      ) WITHOUT ROWID;
      CREATE INDEX members_user ON members(user_id);

      CREATE TABLE member_roles (
        guild_id INTEGER NOT NULL,
        user_id INTEGER NOT NULL,
        role_id INTEGER NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
        PRIMARY KEY (guild_id, user_id, role_id),
        FOREIGN KEY (guild_id, user_id) REFERENCES members(guild_id, user_id) ON DELETE CASCADE
      ) WITHOUT ROWID;

      CREATE TABLE bans (
        guild_id INTEGER NOT NULL REFERENCES guilds(id) ON DELETE CASCADE,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        reason TEXT,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (guild_id, user_id)
      ) WITHOUT ROWID;

      CREATE TABLE channels (
        id INTEGER PRIMARY KEY,
        guild_id INTEGER REFERENCES guilds(id) ON DELETE CASCADE,   -- NULL for direct messages
        type INTEGER NOT NULL,
        name TEXT,
        topic TEXT,
        position INTEGER NOT NULL DEFAULT 0,
        last_message_id INTEGER,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX channels_guild ON channels(guild_id);

      -- A DM channel joins exactly two users; the pair is stored ordered (low id first) so it is unique.
      CREATE TABLE dm_channels (
        channel_id INTEGER PRIMARY KEY REFERENCES channels(id) ON DELETE CASCADE,
        user_low INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        user_high INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        UNIQUE (user_low, user_high)
      );
      CREATE INDEX dm_channels_high ON dm_channels(user_high);

      CREATE TABLE overwrites (
        channel_id INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
        target_id INTEGER NOT NULL,              -- a role id or a user id
        type INTEGER NOT NULL,                   -- 0 role, 1 member (Discord's values)
        allow INTEGER NOT NULL DEFAULT 0,
        deny INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (channel_id, target_id)
      ) WITHOUT ROWID;

      CREATE TABLE invites (
        code TEXT PRIMARY KEY,
        guild_id INTEGER NOT NULL REFERENCES guilds(id) ON DELETE CASCADE,
        channel_id INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
        inviter_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
        max_uses INTEGER NOT NULL DEFAULT 0,     -- 0 = unlimited
        uses INTEGER NOT NULL DEFAULT 0,
        expires_at INTEGER,                      -- NULL = never
        created_at INTEGER NOT NULL
      );
      CREATE INDEX invites_guild ON invites(guild_id);

      CREATE TABLE messages (
        id INTEGER PRIMARY KEY,
        channel_id INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
        author_id INTEGER NOT NULL REFERENCES users(id),
        content TEXT NOT NULL,
        reply_to INTEGER,                        -- kept even if the target is deleted, as Discord does
        mention_everyone INTEGER NOT NULL DEFAULT 0,
        mentions TEXT NOT NULL DEFAULT '',       -- space-separated user ids, in order of appearance
        pinned INTEGER NOT NULL DEFAULT 0,
        nonce TEXT,
        edited_at INTEGER,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX messages_channel ON messages(channel_id, id);

      CREATE TABLE reactions (
        message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
        emoji TEXT NOT NULL,                     -- a unicode emoji, or name:id for a custom one
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (message_id, emoji, user_id)
      ) WITHOUT ROWID;

      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
    `);
  },
};

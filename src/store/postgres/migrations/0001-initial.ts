// The chat platform's tables (mirrors src/db/migrations/0001-initial.ts). Snowflakes are BIGINT (signed 64 bits:
// every id minted before 2084 fits; a larger id coming from a client is clamped by the stores, see ../sql.ts), flags
// are BOOLEAN, times are unix milliseconds in BIGINT, digests are BYTEA.
import type { PgMigration } from '../migrate.ts';

export const initial: PgMigration = {
  id: 1,
  name: 'initial',
  async up(sql) {
    await sql.unsafe(`
      CREATE TABLE users (
        id BIGINT PRIMARY KEY,
        username TEXT NOT NULL,
        username_key TEXT NOT NULL UNIQUE,
        global_name TEXT,
        avatar TEXT,
        password_hash TEXT,
        bot BOOLEAN NOT NULL DEFAULT FALSE,
        system BOOLEAN NOT NULL DEFAULT FALSE,
        admin BOOLEAN NOT NULL DEFAULT FALSE,
        disabled BOOLEAN NOT NULL DEFAULT FALSE,
        description TEXT,
        created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
        bot_token_hash BYTEA UNIQUE,
        bot_intents INTEGER NOT NULL DEFAULT 0,
        created_at BIGINT NOT NULL
      );

      CREATE TABLE sessions (
        token_hash BYTEA PRIMARY KEY,
        user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at BIGINT NOT NULL
      );
      CREATE INDEX sessions_user ON sessions(user_id);

      CREATE TABLE guilds (
        id BIGINT PRIMARY KEY,
        name TEXT NOT NULL,
        owner_id BIGINT NOT NULL REFERENCES users(id),
        icon TEXT,
        description TEXT,
        created_at BIGINT NOT NULL
      );

      CREATE TABLE roles (
        id BIGINT PRIMARY KEY,
        guild_id BIGINT NOT NULL REFERENCES guilds(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        permissions BIGINT NOT NULL,
        position INTEGER NOT NULL DEFAULT 0,
        color INTEGER NOT NULL DEFAULT 0,
        hoist BOOLEAN NOT NULL DEFAULT FALSE,
        mentionable BOOLEAN NOT NULL DEFAULT FALSE,
        bot_id BIGINT REFERENCES users(id) ON DELETE CASCADE
      );
      CREATE INDEX roles_guild ON roles(guild_id);

      CREATE TABLE members (
        guild_id BIGINT NOT NULL REFERENCES guilds(id) ON DELETE CASCADE,
        user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        nick TEXT,
        joined_at BIGINT NOT NULL,
        PRIMARY KEY (guild_id, user_id)
      );
      CREATE INDEX members_user ON members(user_id);

      CREATE TABLE member_roles (
        guild_id BIGINT NOT NULL,
        user_id BIGINT NOT NULL,
        role_id BIGINT NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
        PRIMARY KEY (guild_id, user_id, role_id),
        FOREIGN KEY (guild_id, user_id) REFERENCES members(guild_id, user_id) ON DELETE CASCADE
      );
      CREATE INDEX member_roles_role ON member_roles(role_id);

      CREATE TABLE bans (
        guild_id BIGINT NOT NULL REFERENCES guilds(id) ON DELETE CASCADE,
        user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        reason TEXT,
        created_at BIGINT NOT NULL,
        PRIMARY KEY (guild_id, user_id)
      );

      CREATE TABLE channels (
        id BIGINT PRIMARY KEY,
        guild_id BIGINT REFERENCES guilds(id) ON DELETE CASCADE,
        type INTEGER NOT NULL,
        name TEXT,
        topic TEXT,
        position INTEGER NOT NULL DEFAULT 0,
        last_message_id BIGINT,
        created_at BIGINT NOT NULL
      );
      CREATE INDEX channels_guild ON channels(guild_id);

      CREATE TABLE dm_channels (
        channel_id BIGINT PRIMARY KEY REFERENCES channels(id) ON DELETE CASCADE,
        user_low BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        user_high BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        UNIQUE (user_low, user_high)
      );
      CREATE INDEX dm_channels_high ON dm_channels(user_high);

      CREATE TABLE overwrites (
        channel_id BIGINT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
        target_id BIGINT NOT NULL,
        type INTEGER NOT NULL,
        allow BIGINT NOT NULL DEFAULT 0,
        deny BIGINT NOT NULL DEFAULT 0,
        PRIMARY KEY (channel_id, target_id)
      );
      CREATE INDEX overwrites_target ON overwrites(target_id);

      CREATE TABLE invites (
        code TEXT PRIMARY KEY,
        guild_id BIGINT NOT NULL REFERENCES guilds(id) ON DELETE CASCADE,
        channel_id BIGINT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
        inviter_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
        max_uses INTEGER NOT NULL DEFAULT 0,
        uses INTEGER NOT NULL DEFAULT 0,
        expires_at BIGINT,
        created_at BIGINT NOT NULL
      );
      CREATE INDEX invites_guild ON invites(guild_id);
      CREATE INDEX invites_channel ON invites(channel_id);

      CREATE TABLE messages (
        id BIGINT PRIMARY KEY,
        channel_id BIGINT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
        author_id BIGINT NOT NULL REFERENCES users(id),
        content TEXT NOT NULL,
        reply_to BIGINT,
        mention_everyone BOOLEAN NOT NULL DEFAULT FALSE,
        mentions TEXT NOT NULL DEFAULT '',
        pinned BOOLEAN NOT NULL DEFAULT FALSE,
        nonce TEXT,
        edited_at BIGINT,
        created_at BIGINT NOT NULL
      );
      CREATE INDEX messages_channel ON messages(channel_id, id);

      CREATE TABLE reactions (
        message_id BIGINT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
        emoji TEXT NOT NULL,
        user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at BIGINT NOT NULL,
        PRIMARY KEY (message_id, emoji, user_id)
      );
      CREATE INDEX reactions_user ON reactions(user_id);

      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
    `);
  },
};

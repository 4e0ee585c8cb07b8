// Threads (mirrors src/db/migrations/0011-threads.ts), and Discord's default thread permissions for @everyone
// roles that may send messages.
import { PermissionFlagsBits as P } from 'discord-api-types/v10';
import type { PgMigration } from '../migrate.ts';

const THREAD_DEFAULTS = P.CreatePublicThreads | P.CreatePrivateThreads | P.SendMessagesInThreads;

export const threads: PgMigration = {
  id: 11,
  name: 'threads',
  async up(sql) {
    await sql.unsafe(`
      CREATE TABLE threads (
        channel_id BIGINT PRIMARY KEY REFERENCES channels(id) ON DELETE CASCADE,
        parent_id BIGINT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
        owner_id BIGINT NOT NULL,
        archived BOOLEAN NOT NULL DEFAULT FALSE,
        locked BOOLEAN NOT NULL DEFAULT FALSE,
        invitable BOOLEAN NOT NULL DEFAULT TRUE,
        auto_archive_minutes INTEGER NOT NULL,
        archive_changed_at BIGINT NOT NULL,
        last_activity_at BIGINT NOT NULL,
        message_count INTEGER NOT NULL DEFAULT 0,
        total_message_sent INTEGER NOT NULL DEFAULT 0,
        rate_limit_per_user INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX threads_parent ON threads(parent_id, archive_changed_at);
      CREATE INDEX threads_active ON threads(archived, last_activity_at);
      CREATE TABLE thread_members (
        thread_id BIGINT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
        user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        joined_at BIGINT NOT NULL,
        PRIMARY KEY (thread_id, user_id)
      );
      CREATE INDEX thread_members_user ON thread_members(user_id);
    `);
    await sql`UPDATE roles SET permissions = permissions | ${THREAD_DEFAULTS.toString()}::bigint WHERE id = guild_id AND (permissions & ${P.SendMessages.toString()}::bigint) <> 0`;
  },
};

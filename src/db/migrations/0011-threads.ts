// Threads (Discord's channel types 11 and 12): a thread is a row in `channels` (so messages, topics and
// last_message_id work unchanged) plus its thread state here, and who has joined it. Deleting the parent
// channel's row does not remove the threads' own channel rows: the store deletes those first.
// @everyone roles that may send messages get Discord's default thread permissions, as new guilds do.
import { PermissionFlagsBits as P } from 'discord-api-types/v10';
import type { Migration } from '../migrate.ts';

const THREAD_DEFAULTS = P.CreatePublicThreads | P.CreatePrivateThreads | P.SendMessagesInThreads;

export const threads: Migration = {
  id: 11,
  name: 'threads',
  up(db) {
    db.exec(`
      CREATE TABLE threads (
        channel_id INTEGER PRIMARY KEY REFERENCES channels(id) ON DELETE CASCADE,
        parent_id INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
        owner_id INTEGER NOT NULL,               -- kept when the account goes, as Discord keeps owner_id
        archived INTEGER NOT NULL DEFAULT 0,
        locked INTEGER NOT NULL DEFAULT 0,
        invitable INTEGER NOT NULL DEFAULT 1,    -- private threads: whether non-moderators may add people
        auto_archive_minutes INTEGER NOT NULL,   -- 60, 1440, 4320 or 10080
        archive_changed_at INTEGER NOT NULL,     -- Discord's archive_timestamp: the last archive status change (creation until then)
        last_activity_at INTEGER NOT NULL,       -- creation or the last message: auto-archive counts from here
        message_count INTEGER NOT NULL DEFAULT 0,
        total_message_sent INTEGER NOT NULL DEFAULT 0,
        rate_limit_per_user INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX threads_parent ON threads(parent_id, archive_changed_at);
      CREATE INDEX threads_active ON threads(archived, last_activity_at);

      CREATE TABLE thread_members (
        thread_id INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        joined_at INTEGER NOT NULL,
        PRIMARY KEY (thread_id, user_id)
      ) WITHOUT ROWID;
      CREATE INDEX thread_members_user ON thread_members(user_id);
    `);
    db.query('UPDATE roles SET permissions = permissions | ? WHERE id = guild_id AND (permissions & ?) != 0').run(THREAD_DEFAULTS, P.SendMessages);
  },
};

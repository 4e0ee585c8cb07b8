// Read state and notification settings: where each person stopped reading each channel and how many mentions
// arrived since (Discord's read state), how loudly each guild and channel may notify them (Discord's user guild
// settings), which direct messages they closed (a closed DM comes back with its next message), the roles a
// message mentions, and group DMs (Discord's channel type 3).
import type { Migration } from '../migrate.ts';

export const readStates: Migration = {
  id: 18,
  name: 'read-states',
  up(db) {
    db.exec(`
      CREATE TABLE read_states (
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        channel_id INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
        last_read_message_id INTEGER NOT NULL DEFAULT 0,   -- 0: nothing read yet
        mention_count INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (user_id, channel_id)
      ) WITHOUT ROWID;
      CREATE INDEX read_states_channel ON read_states(channel_id);

      -- channel_id 0 is the guild's own setting; a row per channel overrides it. level: 0 all messages,
      -- 1 only mentions, 2 nothing, NULL inherit (Discord's message_notifications, 3 meaning inherit on the wire).
      CREATE TABLE notification_settings (
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        guild_id INTEGER NOT NULL REFERENCES guilds(id) ON DELETE CASCADE,
        channel_id INTEGER NOT NULL DEFAULT 0,
        level INTEGER CHECK (level IN (0, 1, 2)),
        muted INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (user_id, guild_id, channel_id)
      ) WITHOUT ROWID;

      ALTER TABLE dm_channels ADD COLUMN low_closed INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE dm_channels ADD COLUMN high_closed INTEGER NOT NULL DEFAULT 0;

      ALTER TABLE messages ADD COLUMN mention_roles TEXT NOT NULL DEFAULT '';  -- space-separated role ids

      -- A group DM: its owner and icon (the name is the channel's), and its 2-10 people.
      CREATE TABLE group_dms (
        channel_id INTEGER PRIMARY KEY REFERENCES channels(id) ON DELETE CASCADE,
        owner_id INTEGER NOT NULL REFERENCES users(id),
        icon TEXT
      );
      CREATE TABLE group_dm_recipients (
        channel_id INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        added_at INTEGER NOT NULL,
        PRIMARY KEY (channel_id, user_id)
      ) WITHOUT ROWID;
      CREATE INDEX group_dm_recipients_user ON group_dm_recipients(user_id);
    `);
  },
};

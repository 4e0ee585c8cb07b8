// Read states, notification settings, closed DMs, mentioned roles and group DMs (mirrors
// src/db/migrations/0018-read-states.ts).
import type { PgMigration } from '../migrate.ts';

export const readStates: PgMigration = {
  id: 18,
  name: 'read-states',
  async up(sql) {
    await sql.unsafe(`
      CREATE TABLE read_states (
        user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        channel_id BIGINT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
        last_read_message_id BIGINT NOT NULL DEFAULT 0,
        mention_count INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (user_id, channel_id)
      );
      CREATE INDEX read_states_channel ON read_states(channel_id);
      CREATE TABLE notification_settings (
        user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        guild_id BIGINT NOT NULL REFERENCES guilds(id) ON DELETE CASCADE,
        channel_id BIGINT NOT NULL DEFAULT 0,
        level INTEGER CHECK (level IN (0, 1, 2)),
        muted BOOLEAN NOT NULL DEFAULT FALSE,
        PRIMARY KEY (user_id, guild_id, channel_id)
      );
      ALTER TABLE dm_channels ADD COLUMN low_closed BOOLEAN NOT NULL DEFAULT FALSE;
      ALTER TABLE dm_channels ADD COLUMN high_closed BOOLEAN NOT NULL DEFAULT FALSE;
      ALTER TABLE messages ADD COLUMN mention_roles TEXT NOT NULL DEFAULT '';
      CREATE TABLE group_dms (
        channel_id BIGINT PRIMARY KEY REFERENCES channels(id) ON DELETE CASCADE,
        owner_id BIGINT NOT NULL REFERENCES users(id),
        icon TEXT
      );
      CREATE TABLE group_dm_recipients (
        channel_id BIGINT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
        user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        added_at BIGINT NOT NULL,
        PRIMARY KEY (channel_id, user_id)
      );
      CREATE INDEX group_dm_recipients_user ON group_dm_recipients(user_id);
    `);
  },
};

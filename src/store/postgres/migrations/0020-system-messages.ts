// System messages and the guild's system channel (mirrors src/db/migrations/0020-system-messages.ts): a message's
// `system` kind ('join'), and the guild's system_channel_id and system_channel_flags. Existing guilds get their
// first text channel.
import type { PgMigration } from '../migrate.ts';

export const systemMessages: PgMigration = {
  id: 20,
  name: 'system-messages',
  async up(sql) {
    await sql.unsafe(`
      ALTER TABLE messages ADD COLUMN system TEXT;  -- 'join': written by the server when its author joined; NULL otherwise
      ALTER TABLE guilds ADD COLUMN system_channel_id BIGINT REFERENCES channels(id) ON DELETE SET NULL;
      ALTER TABLE guilds ADD COLUMN system_channel_flags INTEGER NOT NULL DEFAULT 0;  -- Discord's GuildSystemChannelFlags
      CREATE INDEX guilds_system_channel ON guilds(system_channel_id);  -- deleting a channel clears it
      UPDATE guilds SET system_channel_id = (
        SELECT c.id FROM channels c WHERE c.guild_id = guilds.id AND c.type = 0 ORDER BY c.position, c.id LIMIT 1
      );
    `);
  },
};

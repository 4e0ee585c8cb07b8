// System messages and the guild's system channel: a message may be one the server wrote ("X joined the server",
// Discord's USER_JOIN), and a guild names the channel such messages go to and which of them it suppresses
// (Discord's system_channel_id and system_channel_flags). Existing guilds get their first text channel, as
// Discord gives a new guild its #general.
import type { Migration } from '../migrate.ts';

export const systemMessages: Migration = {
  id: 20,
  name: 'system-messages',
  up(db) {
    db.exec(`
      ALTER TABLE messages ADD COLUMN system TEXT;  -- 'join': written by the server when its author joined; NULL otherwise
      ALTER TABLE guilds ADD COLUMN system_channel_id INTEGER REFERENCES channels(id) ON DELETE SET NULL;
      ALTER TABLE guilds ADD COLUMN system_channel_flags INTEGER NOT NULL DEFAULT 0;  -- Discord's GuildSystemChannelFlags
      CREATE INDEX guilds_system_channel ON guilds(system_channel_id);  -- deleting a channel clears it
      UPDATE guilds SET system_channel_id = (
        SELECT c.id FROM channels c WHERE c.guild_id = guilds.id AND c.type = 0 ORDER BY c.position, c.id LIMIT 1
      );
    `);
  },
};

// Interactions (slash commands, component clicks, modal submits, autocomplete) live past the request that made them:
// the bot answers within 3 s and follows up for 15 min, and a restart inside that window must not forget them. A
// row keeps the token's SHA-256 digest (never the token) and the interaction's state as JSON of the domain model,
// read and written only by interactions-store; ephemeral messages live there too, never in `messages`.
// Messages an interaction produced carry its metadata (who ran what) in `messages.interaction`.
import type { Migration } from '../migrate.ts';

export const interactions: Migration = {
  id: 14,
  name: 'interactions',
  up(db) {
    db.exec(`
      CREATE TABLE interactions (
        id INTEGER PRIMARY KEY,
        application_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        channel_id INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
        token_hash BLOB NOT NULL UNIQUE,       -- SHA-256 of the token; the token itself is never stored
        expires_at INTEGER NOT NULL,           -- follow-ups end here (15 min after creation)
        state TEXT NOT NULL                    -- JSON of the domain model (interactions-store)
      );
      CREATE INDEX interactions_by_user ON interactions (user_id, expires_at);
      CREATE INDEX interactions_by_expiry ON interactions (expires_at);

      ALTER TABLE messages ADD COLUMN interaction TEXT;  -- JSON: the interaction that produced the message, or NULL
    `);
    // Discord's @everyone may run commands by default (USE_APPLICATION_COMMANDS, bit 31); guilds made before
    // commands could be run get it too, so their members are not locked out of every command.
    db.exec(`UPDATE roles SET permissions = permissions | ${1n << 31n} WHERE id = guild_id`);
  },
};

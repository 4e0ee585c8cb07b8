// The event outbox (events/outbox.ts): a commit's events wait here until the shared event log (Redis) has them.
import type { Migration } from '../migrate.ts';

export const eventOutbox: Migration = {
  id: 21,
  name: 'event-outbox',
  up(db) {
    db.exec(`
      CREATE TABLE event_outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,  -- relay order
        events TEXT NOT NULL,                  -- one commit's events, as JSON
        node TEXT NOT NULL DEFAULT '',         -- the node that committed them (nodes may share one database)
        created_at INTEGER NOT NULL            -- ms since the epoch
      );
    `);
  },
};

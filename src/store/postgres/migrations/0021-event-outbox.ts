// The event outbox (mirrors src/db/migrations/0021-event-outbox.ts): a commit's events wait here until the shared
// event log (Redis) has them.
import type { PgMigration } from '../migrate.ts';

export const eventOutbox: PgMigration = {
  id: 21,
  name: 'event-outbox',
  async up(sql) {
    await sql.unsafe(`
      CREATE TABLE event_outbox (
        id BIGSERIAL PRIMARY KEY,           -- relay order
        events TEXT NOT NULL,               -- one commit's events, as JSON
        node TEXT NOT NULL DEFAULT '',      -- the node that committed them
        created_at BIGINT NOT NULL          -- ms since the epoch
      );
    `);
  },
};

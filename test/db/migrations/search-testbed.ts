// What the search index migration tests (0023, 0025) share: a database migrated to just before the migration under
// test, one user and one DM channel (100) to post in, and readers of the index, its queue and FTS5's own check.
import { openDatabase } from '../../../src/db/database.ts';
import { migrate } from '../../../src/db/migrate.ts';
import { MIGRATIONS } from '../../../src/db/migrations/index.ts';
import { MessagesStore } from '../../../src/store/sqlite/messages-store.ts';

export type SearchTestbed = ReturnType<typeof searchTestbed>;

/** `id`: the migration under test, applied by `migrate()`; `sortOrder`: the order `found` lists ids in. */
export function searchTestbed(id: number, sortOrder: 'asc' | 'desc') {
  const db = openDatabase(':memory:');
  migrate(
    db,
    MIGRATIONS.filter((m) => m.id < id),
  );
  db.query("INSERT INTO users (id, username, username_key, created_at) VALUES (1, 'a', 'a', 1)").run();
  db.query('INSERT INTO channels (id, guild_id, type, created_at) VALUES (100, NULL, 1, 1)').run();
  const store = new MessagesStore(db);
  return {
    db,
    store,
    /** Applies the migration under test; the ids it applied. */
    migrate: () =>
      migrate(
        db,
        MIGRATIONS.filter((m) => m.id <= id),
      ),
    post: (messageId: number, content: string) =>
      db.query('INSERT INTO messages (id, channel_id, author_id, content, created_at) VALUES (?, 100, 1, ?, 1)').run(messageId, content),
    /** Ids of the messages the index finds for the terms (only what it holds: nothing is indexed first). */
    found: (terms: string[]) => store.search({ channelIds: ['100'], terms, sortBy: 'timestamp', sortOrder, offset: 0, limit: 25 }).messages.map((m) => m.id),
    queued: () =>
      db
        .query<{ id: bigint }, []>('SELECT message_id AS id FROM search_pending ORDER BY message_id')
        .all()
        .map((r) => String(r.id)),
    /** FTS5's own check of the index against the messages table (only whole once nothing waits). */
    intact: () => db.query("INSERT INTO messages_fts (messages_fts, rank) VALUES ('integrity-check', 1)").run(),
  };
}

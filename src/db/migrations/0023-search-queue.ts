// The search index catches up in batches instead of inside every message's transaction. FTS5 writes a new index
// segment (and merges older ones) at the end of each transaction that touched it, which made indexing the largest
// part of committing a message; now a send only queues the message's id in `search_pending`, and the queue is
// indexed in bulk: in the background while it is not empty, and always before a search reads the index, so a search
// still sees every committed message. A row still queued is not in the index, so an edit or delete of it has no
// index entry to remove (FTS5 must never be told to delete what it does not hold).
import type { Migration } from '../migrate.ts';

export const searchQueue: Migration = {
  id: 23,
  name: 'search-queue',
  up(db) {
    db.exec(`
      CREATE TABLE search_pending (message_id INTEGER PRIMARY KEY);

      DROP TRIGGER messages_fts_insert;
      DROP TRIGGER messages_fts_delete;
      DROP TRIGGER messages_fts_update;

      CREATE TRIGGER messages_search_insert AFTER INSERT ON messages BEGIN
        INSERT OR IGNORE INTO search_pending (message_id) VALUES (new.id);
      END;
      CREATE TRIGGER messages_search_delete AFTER DELETE ON messages BEGIN
        INSERT INTO messages_fts (messages_fts, rowid, content)
          SELECT 'delete', old.id, old.content WHERE NOT EXISTS (SELECT 1 FROM search_pending WHERE message_id = old.id);
        DELETE FROM search_pending WHERE message_id = old.id;
      END;
      CREATE TRIGGER messages_search_update AFTER UPDATE OF content ON messages BEGIN
        INSERT INTO messages_fts (messages_fts, rowid, content)
          SELECT 'delete', old.id, old.content WHERE NOT EXISTS (SELECT 1 FROM search_pending WHERE message_id = old.id);
        INSERT OR IGNORE INTO search_pending (message_id) VALUES (new.id);
      END;
    `);
  },
};

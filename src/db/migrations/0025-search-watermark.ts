// New messages wait for the search index without a queue row each. Since 0023 every insert also wrote its id into
// `search_pending`: one more B-tree page in every send's commit, and one more delete when the index took it. Now one
// number, `search_indexed.through`, says how far the index has come: a message with a greater id is waiting, and the
// indexer reads those straight from `messages` by id. The queue keeps what that cannot tell:
// - a message inserted with an id at or below the mark (sent with an id minted before an index pass that ran while
//   its request was still on its way, or imported with an old id), which the insert trigger queues;
// - an indexed message whose words changed (its old entry leaves the index, the new words wait in the queue).
// So a message is in the index exactly when its id is at or below the mark and it is not queued. The mark starts at
// the newest message: every older one was either indexed or queued by 0023's triggers.
import type { Migration } from '../migrate.ts';

export const searchWatermark: Migration = {
  id: 25,
  name: 'search-watermark',
  up(db) {
    db.exec(`
      CREATE TABLE search_indexed (through INTEGER NOT NULL);
      INSERT INTO search_indexed (through) SELECT coalesce(max(id), 0) FROM messages;

      DROP TRIGGER messages_search_insert;
      DROP TRIGGER messages_search_delete;
      DROP TRIGGER messages_search_update;

      CREATE TRIGGER messages_search_insert AFTER INSERT ON messages
      WHEN new.id <= (SELECT through FROM search_indexed) BEGIN
        INSERT OR IGNORE INTO search_pending (message_id) VALUES (new.id);
      END;
      CREATE TRIGGER messages_search_delete AFTER DELETE ON messages BEGIN
        INSERT INTO messages_fts (messages_fts, rowid, content)
          SELECT 'delete', old.id, old.content
          WHERE old.id <= (SELECT through FROM search_indexed) AND NOT EXISTS (SELECT 1 FROM search_pending WHERE message_id = old.id);
        DELETE FROM search_pending WHERE message_id = old.id;
      END;
      CREATE TRIGGER messages_search_update AFTER UPDATE OF content ON messages
      WHEN old.id <= (SELECT through FROM search_indexed) BEGIN
        INSERT INTO messages_fts (messages_fts, rowid, content)
          SELECT 'delete', old.id, old.content WHERE NOT EXISTS (SELECT 1 FROM search_pending WHERE message_id = old.id);
        INSERT OR IGNORE INTO search_pending (message_id) VALUES (new.id);
      END;
    `);
  },
};

// Full-text search over message content (Discord's GET /guilds/:id/messages/search): an FTS5 index beside
// `messages` (external content, so the text is stored once) kept in step by triggers on insert, edit and delete,
// cascades included. The trigram tokenizer indexes every run of three characters, so a search finds words in
// any script (Japanese or Chinese have no spaces to split on) and ignores case and diacritics ("cafe" finds
// "Café"); terms shorter than three characters are matched by the store with LIKE over the same index.
import type { Migration } from '../migrate.ts';

export const messageSearch: Migration = {
  id: 19,
  name: 'message-search',
  up(db) {
    db.exec(`
      CREATE VIRTUAL TABLE messages_fts USING fts5(
        content, content = 'messages', content_rowid = 'id', tokenize = 'trigram remove_diacritics 1'
      );
      INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');

      CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
        INSERT INTO messages_fts (rowid, content) VALUES (new.id, new.content);
      END;
      CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
        INSERT INTO messages_fts (messages_fts, rowid, content) VALUES ('delete', old.id, old.content);
      END;
      CREATE TRIGGER messages_fts_update AFTER UPDATE OF content ON messages BEGIN
        INSERT INTO messages_fts (messages_fts, rowid, content) VALUES ('delete', old.id, old.content);
        INSERT INTO messages_fts (rowid, content) VALUES (new.id, new.content);
      END;
    `);
  },
};

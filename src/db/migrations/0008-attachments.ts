// Files on messages: one row per attachment (what its bytes really are, read by the server), deleted with its
// message by the foreign key, also when a channel or a guild takes its messages with it. Deleting a row queues its
// file in `file_deletions` in the same transaction (a trigger, so every cascade is covered); the files are removed
// from the FileStore after commit, and a queue left by a crash is drained at the next start.
import type { Migration } from '../migrate.ts';

export const attachments: Migration = {
  id: 8,
  name: 'attachments',
  up(db) {
    db.exec(`
      CREATE TABLE attachments (
        id INTEGER PRIMARY KEY,
        message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
        channel_id INTEGER NOT NULL,
        position INTEGER NOT NULL,
        filename TEXT NOT NULL,
        description TEXT,
        content_type TEXT NOT NULL,
        size INTEGER NOT NULL,
        width INTEGER,
        height INTEGER,
        sha256 TEXT NOT NULL,
        file_key TEXT NOT NULL UNIQUE
      );
      CREATE INDEX attachments_message ON attachments (message_id, position);
      CREATE TABLE file_deletions (file_key TEXT PRIMARY KEY);
      CREATE TRIGGER attachments_file_deletion AFTER DELETE ON attachments BEGIN
        INSERT OR IGNORE INTO file_deletions (file_key) VALUES (old.file_key);
      END;
    `);
  },
};

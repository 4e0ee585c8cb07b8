// An interaction record's files (ATTACHMENT options' uploads, ephemeral answers' files) go with the record, however
// the row goes (expiry, or cascading with its channel or its users): their keys are queued for the file janitor in
// the same transaction, as the attachments table's trigger does for messages' files.
import type { Migration } from '../migrate.ts';

export const interactionFiles: Migration = {
  id: 22,
  name: 'interaction-files',
  up(db) {
    db.exec(`
      CREATE TRIGGER interactions_file_deletion AFTER DELETE ON interactions BEGIN
        INSERT OR IGNORE INTO file_deletions (file_key) SELECT json_extract(value, '$.fileKey') FROM json_each(old.state, '$.files');
      END;
    `);
  },
};

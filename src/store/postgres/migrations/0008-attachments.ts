// Files on messages and the queue of stored files to delete (mirrors src/db/migrations/0008-attachments.ts): a
// trigger queues the file of every deleted row, so cascades from messages, channels and guilds are covered.
import type { PgMigration } from '../migrate.ts';

export const attachments: PgMigration = {
  id: 8,
  name: 'attachments',
  async up(sql) {
    await sql.unsafe(`
      CREATE TABLE attachments (
        id BIGINT PRIMARY KEY,
        message_id BIGINT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
        channel_id BIGINT NOT NULL,
        position INTEGER NOT NULL,
        filename TEXT NOT NULL,
        description TEXT,
        content_type TEXT NOT NULL,
        size BIGINT NOT NULL,
        width INTEGER,
        height INTEGER,
        sha256 TEXT NOT NULL,
        file_key TEXT NOT NULL UNIQUE
      );
      CREATE INDEX attachments_message ON attachments (message_id, position);
      CREATE TABLE file_deletions (file_key TEXT PRIMARY KEY);
      CREATE FUNCTION attachments_file_deletion() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO file_deletions (file_key) VALUES (OLD.file_key) ON CONFLICT DO NOTHING;
        RETURN NULL;
      END $$;
      CREATE TRIGGER attachments_file_deletion AFTER DELETE ON attachments
        FOR EACH ROW EXECUTE FUNCTION attachments_file_deletion();
    `);
  },
};

// An interaction record's files go with the record, however the row goes (mirrors
// src/db/migrations/0022-interaction-files.ts): their keys are queued for the file janitor in the same transaction.
import type { PgMigration } from '../migrate.ts';

export const interactionFiles: PgMigration = {
  id: 22,
  name: 'interaction-files',
  async up(sql) {
    await sql.unsafe(`
      CREATE FUNCTION interactions_file_deletion() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO file_deletions (file_key)
          SELECT f->>'fileKey' FROM jsonb_array_elements(COALESCE((OLD.state::jsonb)->'files', '[]'::jsonb)) AS f
          ON CONFLICT DO NOTHING;
        RETURN NULL;
      END $$;
      CREATE TRIGGER interactions_file_deletion AFTER DELETE ON interactions
        FOR EACH ROW EXECUTE FUNCTION interactions_file_deletion();
    `);
  },
};

// Sessions people can see and manage: each gets a stable id (the token digest is the key, never shown), when it was
// last used (for idle expiry), and the device and address it was opened from. Existing sessions keep working: their
// id is their row number and they count as used when they were created.
import type { Migration } from '../migrate.ts';

export const sessionRecords: Migration = {
  id: 13,
  name: 'session-records',
  up(db) {
    db.exec(`
      ALTER TABLE sessions ADD COLUMN id INTEGER;
      ALTER TABLE sessions ADD COLUMN last_used_at INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE sessions ADD COLUMN device TEXT;
      ALTER TABLE sessions ADD COLUMN address TEXT;
      UPDATE sessions SET id = rowid, last_used_at = created_at;
      CREATE UNIQUE INDEX sessions_id ON sessions(id);
    `);
  },
};

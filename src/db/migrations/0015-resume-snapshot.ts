// Where a graceful shutdown leaves what RESUME needs (gateway/resume-store.ts): one row per resumable session, one
// per buffered dispatch, one for the sequence counter. Written in one transaction at shutdown, read and emptied at
// start; a crash leaves it empty, so clients IDENTIFY again.
import type { Migration } from '../migrate.ts';

export const resumeSnapshot: Migration = {
  id: 15,
  name: 'resume-snapshot',
  up(db) {
    db.exec(`
      CREATE TABLE gateway_resume (
        kind TEXT NOT NULL CHECK (kind IN ('meta', 'session', 'entry')),
        key TEXT NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (kind, key)
      ) WITHOUT ROWID;
    `);
  },
};

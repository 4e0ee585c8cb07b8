// Where a graceful shutdown leaves what RESUME needs (gateway/resume-store.ts): one row per resumable session, one
// per buffered dispatch, one for the sequence counter. Written in one transaction at shutdown, read and emptied at
// start; a crash leaves it empty, so clients IDENTIFY again. And presence_state: what a user's presence leaves behind
// when the process stops (last seen, custom status, the last presence mirrored from another platform), one JSON row
// per user id (a Harmony user or a mirrored Discord member), rewritten at each graceful shutdown.
import type { Migration } from '../migrate.ts';

export const restartState: Migration = {
  id: 15,
  name: 'restart-state',
  up(db) {
    db.exec(`
      CREATE TABLE gateway_resume (
        kind TEXT NOT NULL CHECK (kind IN ('meta', 'session', 'entry')),
        key TEXT NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (kind, key)
      ) WITHOUT ROWID;
      CREATE TABLE presence_state (
        user_id TEXT PRIMARY KEY,
        body TEXT NOT NULL
      ) WITHOUT ROWID;
    `);
  },
};

// The gateway's resume snapshot in the database (gateway_resume): saved in one transaction at graceful shutdown,
// taken (read and deleted in one transaction) at start. Rows are JSON; frames are kept exactly as they were sent.

import type { Database } from 'bun:sqlite';
import type { ReplayEntrySnapshot, ResumeSnapshot, ResumeStore, SessionSnapshot } from '../../gateway/resume-store.ts';

type Meta = { savedAt: number; sequence: number; evictedThrough: number };

export class ResumeSnapshotStore implements ResumeStore {
  constructor(private readonly db: Database) {}

  save(snapshot: ResumeSnapshot): void {
    const insert = this.db.query('INSERT INTO gateway_resume (kind, key, body) VALUES (?, ?, ?)');
    this.db.transaction(() => {
      this.db.exec('DELETE FROM gateway_resume');
      const meta: Meta = { savedAt: snapshot.savedAt, sequence: snapshot.sequence, evictedThrough: snapshot.evictedThrough };
      insert.run('meta', 'meta', JSON.stringify(meta));
      for (const session of snapshot.sessions) insert.run('session', session.id, JSON.stringify(session));
      // Zero-padded so the primary key orders entries by sequence number.
      for (const entry of snapshot.entries) insert.run('entry', String(entry.seq).padStart(16, '0'), JSON.stringify(entry));
    })();
  }

  take(): ResumeSnapshot | null {
    return this.db.transaction(() => {
      const rows = this.db.query<{ kind: string; body: string }, []>('SELECT kind, body FROM gateway_resume ORDER BY kind, key').all();
      this.db.exec('DELETE FROM gateway_resume');
      const meta = rows.find((r) => r.kind === 'meta');
      if (!meta) return null;
      const { savedAt, sequence, evictedThrough } = JSON.parse(meta.body) as Meta;
      return {
        savedAt,
        sequence,
        evictedThrough,
        sessions: rows.filter((r) => r.kind === 'session').map((r) => JSON.parse(r.body) as SessionSnapshot),
        entries: rows.filter((r) => r.kind === 'entry').map((r) => JSON.parse(r.body) as ReplayEntrySnapshot),
      };
    })();
  }
}

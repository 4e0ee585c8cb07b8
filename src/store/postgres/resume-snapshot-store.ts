// The gateway's resume snapshot on PostgreSQL (the SQLite twin: src/store/resume-snapshot-store.ts): saved atomically
// at graceful shutdown, taken (read and deleted atomically) at start.
import type { ReplayEntrySnapshot, ResumeSnapshot, SessionSnapshot } from '../../gateway/resume-store.ts';
import { atomically, type Db } from './sql.ts';

type Meta = { savedAt: number; sequence: number; evictedThrough: number };

export class ResumeSnapshotStore {
  constructor(private readonly sql: Db) {}

  async save(snapshot: ResumeSnapshot): Promise<void> {
    await atomically(this.sql, async (tx) => {
      await tx`DELETE FROM gateway_resume`;
      const meta: Meta = { savedAt: snapshot.savedAt, sequence: snapshot.sequence, evictedThrough: snapshot.evictedThrough };
      await tx`INSERT INTO gateway_resume (kind, key, body) VALUES ('meta', 'meta', ${JSON.stringify(meta)})`;
      for (const session of snapshot.sessions)
        await tx`INSERT INTO gateway_resume (kind, key, body) VALUES ('session', ${session.id}, ${JSON.stringify(session)})`;
      // Zero-padded so the primary key orders entries by sequence number.
      for (const entry of snapshot.entries) {
        await tx`INSERT INTO gateway_resume (kind, key, body) VALUES ('entry', ${String(entry.seq).padStart(16, '0')}, ${JSON.stringify(entry)})`;
      }
    });
  }

  async take(): Promise<ResumeSnapshot | null> {
    return await atomically(this.sql, async (tx) => {
      // COLLATE "C": byte order, as SQLite compares text, whatever the database's locale.
      const ordered = await tx<{ kind: string; body: string }[]>`
        SELECT kind, body FROM gateway_resume ORDER BY kind COLLATE "C", key COLLATE "C" FOR UPDATE`;
      await tx`DELETE FROM gateway_resume`;
      const meta = ordered.find((r) => r.kind === 'meta');
      if (!meta) return null;
      const { savedAt, sequence, evictedThrough } = JSON.parse(meta.body) as Meta;
      return {
        savedAt,
        sequence,
        evictedThrough,
        sessions: ordered.filter((r) => r.kind === 'session').map((r) => JSON.parse(r.body) as SessionSnapshot),
        entries: ordered.filter((r) => r.kind === 'entry').map((r) => JSON.parse(r.body) as ReplayEntrySnapshot),
      };
    });
  }
}

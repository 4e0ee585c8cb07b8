// presence_state: the presence records (domain/presence/presence-service.ts PresenceRecord) a graceful shutdown
// leaves for the next start, one JSON row per user id, all rewritten in one transaction. Kept after they are read,
// so a crash later still finds the last saved ones.

import type { Database } from 'bun:sqlite';
import type { PresenceRecord, PresenceRecords } from '../../domain/presence/presence-service.ts';

export class PresenceStateStore implements PresenceRecords {
  constructor(private readonly db: Database) {}

  save(records: readonly PresenceRecord[]): void {
    const insert = this.db.query('INSERT INTO presence_state (user_id, body) VALUES (?, ?)');
    this.db.transaction(() => {
      this.db.exec('DELETE FROM presence_state');
      for (const record of records) insert.run(record.userId, JSON.stringify(record));
    })();
  }

  load(): PresenceRecord[] {
    return this.db
      .query<{ body: string }, []>('SELECT body FROM presence_state')
      .all()
      .map((row) => JSON.parse(row.body) as PresenceRecord);
  }
}

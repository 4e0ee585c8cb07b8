// presence_state on PostgreSQL (the SQLite twin: src/store/presence-state-store.ts): the presence records a graceful
// shutdown leaves for the next start, one JSON row per user id, all rewritten atomically.
import type { PresenceRecord } from '../../domain/presence/presence-service.ts';
import { atomically, type Db } from './sql.ts';

export class PresenceStateStore {
  constructor(private readonly sql: Db) {}

  async save(records: readonly PresenceRecord[]): Promise<void> {
    await atomically(this.sql, async (tx) => {
      await tx`DELETE FROM presence_state`;
      for (const record of records) await tx`INSERT INTO presence_state (user_id, body) VALUES (${record.userId}, ${JSON.stringify(record)})`;
    });
  }

  async load(): Promise<PresenceRecord[]> {
    return (await this.sql<{ body: string }[]>`SELECT body FROM presence_state ORDER BY user_id`).map((row) => JSON.parse(row.body) as PresenceRecord);
  }
}

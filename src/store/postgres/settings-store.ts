// Instance settings an admin changes at run time, on PostgreSQL (the SQLite twin: src/store/settings-store.ts).
import type { Db } from './sql.ts';

export class SettingsStore {
  constructor(private readonly sql: Db) {}

  async get(key: string): Promise<string | null> {
    const [row] = await this.sql<{ value: string }[]>`SELECT value FROM settings WHERE key = ${key}`;
    return row?.value ?? null;
  }

  async set(key: string, value: string): Promise<void> {
    await this.sql`INSERT INTO settings (key, value) VALUES (${key}, ${value}) ON CONFLICT (key) DO UPDATE SET value = excluded.value`;
  }

  /** Writes `value` only when the key has none yet. */
  async setIfAbsent(key: string, value: string): Promise<void> {
    await this.sql`INSERT INTO settings (key, value) VALUES (${key}, ${value}) ON CONFLICT (key) DO NOTHING`;
  }
}

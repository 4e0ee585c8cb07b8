// Instance settings an admin changes at run time (registration open/closed, ...).
import type { Database } from 'bun:sqlite';
import type { SettingsRepo } from '../../domain/ports/index.ts';
import type { Immediate } from './immediate.ts';

export class SettingsStore implements Immediate<SettingsRepo> {
  constructor(private readonly db: Database) {}

  get(key: string): string | null {
    return this.db.query<{ value: string }, [string]>('SELECT value FROM settings WHERE key = ?').get(key)?.value ?? null;
  }

  set(key: string, value: string): void {
    this.db.query('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  /** Writes `value` only when the key has none yet. */
  setIfAbsent(key: string, value: string): void {
    this.db.query('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO NOTHING').run(key, value);
  }
}

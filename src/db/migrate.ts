// Applies numbered migrations once each, recorded in a table, each inside its own transaction:
// a migration that throws leaves the database exactly as it was.
import type { Database } from 'bun:sqlite';
import { MIGRATIONS } from './migrations/index.ts';

export type Migration = { id: number; name: string; up: (db: Database) => void };

export function migrate(db: Database, migrations: Migration[] = MIGRATIONS): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`);
  const done = new Set(
    db
      .query<{ id: bigint }, []>('SELECT id FROM schema_migrations')
      .all()
      .map((row) => Number(row.id)),
  );
  const applied: number[] = [];
  for (const migration of [...migrations].sort((a, b) => a.id - b.id)) {
    if (done.has(migration.id)) continue;
    db.transaction(() => {
      migration.up(db);
      db.query('INSERT INTO schema_migrations (id, name, applied_at) VALUES (?, ?, ?)').run(migration.id, migration.name, Date.now());
    })();
    applied.push(migration.id);
  }
  return applied;
}

// Applies numbered migrations once each, recorded in a table, each inside its own transaction:
// a migration that throws leaves the database exactly as it was.
import type { Database } from 'bun:sqlite';
import { MIGRATIONS } from './migrations/index.ts';

/**
 * `foreignKeysOff`: the migration rebuilds a table that others reference, so foreign keys are switched off around
 * its transaction (SQLite ignores the switch inside one) and checked before it commits.
 */
export type Migration = { id: number; name: string; up: (db: Database) => void; foreignKeysOff?: boolean };

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
    const keysWereOn = migration.foreignKeysOff === true && foreignKeysOn(db);
    if (keysWereOn) db.exec('PRAGMA foreign_keys = OFF');
    try {
      db.transaction(() => {
        // Only what the migration broke counts: an old database's stray rows must not stop it from starting.
        const before = migration.foreignKeysOff ? keyViolations(db) : null;
        migration.up(db);
        if (before && [...keyViolations(db)].some((row) => !before.has(row))) throw new Error(`migration ${migration.id} left rows that break a foreign key`);
        db.query('INSERT INTO schema_migrations (id, name, applied_at) VALUES (?, ?, ?)').run(migration.id, migration.name, Date.now());
      })();
    } finally {
      if (keysWereOn) db.exec('PRAGMA foreign_keys = ON');
    }
    applied.push(migration.id);
  }
  return applied;
}

function keyViolations(db: Database): Set<string> {
  return new Set(
    db
      .query('PRAGMA foreign_key_check')
      .all()
      .map((row) => JSON.stringify(row, (_key, value) => (typeof value === 'bigint' ? value.toString() : value))),
  );
}

function foreignKeysOn(db: Database): boolean {
  const row = db.query<{ foreign_keys: number | bigint }, []>('PRAGMA foreign_keys').get();
  return Number(row?.foreign_keys ?? 0) === 1;
}

// Checks the file in the data folder before Harmony writes to it. Opening a database writes to it at once
// (journal mode, migrations), so a file that is not Harmony's — another program's SQLite database, a damaged
// file, one from a newer Harmony — is refused with a clear message and left exactly as it was.
import { Database } from 'bun:sqlite';
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { MIGRATIONS } from './migrations/index.ts';

export class DatabaseFileError extends Error {}

const SQLITE_HEADER = 'SQLite format 3\0';

/** Throws DatabaseFileError unless `path` is absent, empty, or a Harmony database this version can open. */
export function checkDatabaseFile(path: string, advice = 'Harmony left it untouched: move it away, or start with --data pointing at another folder.'): void {
  if (!existsSync(path) || statSync(path).size === 0) return;
  const refuse = (why: string) => new DatabaseFileError(`${path} ${why}. ${advice}`);
  const header = Buffer.alloc(16);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, header, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  if (header.toString('latin1') !== SQLITE_HEADER) throw refuse('is not a database (it is not an SQLite file)');
  let db: Database | null = null;
  try {
    db = new Database(path, { readonly: true });
    const tables = db
      .query<{ name: string }, []>("SELECT name FROM sqlite_master WHERE type = 'table'")
      .all()
      .map((t) => t.name);
    if (tables.length === 0) return;
    if (!tables.includes('schema_migrations'))
      throw refuse(`is an SQLite database, but not Harmony's (it has tables ${tables.slice(0, 5).join(', ')} and no schema_migrations)`);
    const newest = Math.max(...MIGRATIONS.map((m) => m.id));
    const applied = db.query<{ id: number }, []>('SELECT max(id) AS id FROM schema_migrations').get()?.id ?? 0;
    if (Number(applied) > newest)
      throw refuse(`was written by a newer Harmony (migration ${applied}; this version knows up to ${newest}); run that version or newer`);
    const check = db.query<{ quick_check: string }, []>('PRAGMA quick_check(1)').get()?.quick_check;
    if (check !== 'ok') throw refuse(`is damaged (${check})`);
  } catch (error) {
    if (error instanceof DatabaseFileError) throw error;
    throw refuse(`is damaged or unreadable (${error instanceof Error ? error.message : String(error)})`);
  } finally {
    db?.close();
  }
}

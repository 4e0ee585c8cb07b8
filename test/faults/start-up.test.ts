// A data folder whose database Harmony must not touch: garbage, another program's SQLite database, a damaged
// file, one from a newer Harmony. Each is refused with a clear message and exit code 3, and left byte for byte as
// it was (no journal or WAL beside it either).
import { Database } from 'bun:sqlite';
import { afterAll, describe, expect, it } from 'bun:test';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runHarmony } from '../support/child-server.ts';

const root = mkdtempSync(join(tmpdir(), 'harmony-startup-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A data folder holding `harmony.db` as `make` writes it. */
function dataDir(name: string, make: (path: string) => void): { dir: string; db: string } {
  const dir = join(root, name);
  mkdirSync(dir);
  const db = join(dir, 'harmony.db');
  make(db);
  return { dir, db };
}

async function refused(dir: string, db: string, why: RegExp): Promise<void> {
  const before = readFileSync(db);
  for (const command of [['serve', '--port', '0', '--host', '127.0.0.1'], ['migrate'], ['backup', join(root, `${Date.now()}.bak`)]]) {
    const { code, stderr } = await runHarmony([...command, '--data', dir]);
    expect({ command: command[0], code }).toEqual({ command: command[0], code: 3 });
    expect(stderr).toContain(`harmony: ${db}`);
    expect(stderr).toMatch(why);
    expect(stderr).toContain('Harmony left it untouched');
  }
  expect(Buffer.compare(readFileSync(db), before)).toBe(0);
  expect(readdirSync(dir)).toEqual(['harmony.db']);
}

describe('harmony refuses a database file it must not touch', () => {
  it('refuses a file that is not SQLite at all', async () => {
    const { dir, db } = dataDir('garbage', (path) => writeFileSync(path, 'these are my notes, not a database\n'.repeat(200)));
    await refused(dir, db, /is not a database \(it is not an SQLite file\)/);
  });

  it("refuses another program's SQLite database", async () => {
    const { dir, db } = dataDir('foreign', (path) => {
      const other = new Database(path);
      other.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes (text) VALUES ('keep me');");
      other.close();
    });
    await refused(dir, db, /is an SQLite database, but not Harmony's \(it has tables notes and no schema_migrations\)/);
  });

  it('refuses a damaged Harmony database', async () => {
    const { dir, db } = dataDir('damaged', (path) => {
      const good = new Database(path);
      good.exec('CREATE TABLE schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
      good.exec(
        'CREATE TABLE filler (id INTEGER PRIMARY KEY, text TEXT); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200) INSERT INTO filler (text) SELECT hex(randomblob(500)) FROM n;',
      );
      good.close();
      // Keep the header page, scribble over the pages of the table's b-tree.
      const bytes = readFileSync(path);
      bytes.fill(0xa5, 4096 * 2, 4096 * 6);
      writeFileSync(path, bytes);
    });
    await refused(dir, db, /is damaged/);
  });

  it('refuses a database a newer Harmony wrote', async () => {
    const { dir, db } = dataDir('newer', (path) => {
      const newer = new Database(path);
      newer.exec('CREATE TABLE schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
      newer.exec("INSERT INTO schema_migrations VALUES (9999, 'from-the-future', 1)");
      newer.close();
    });
    await refused(dir, db, /was written by a newer Harmony \(migration 9999; this version knows up to \d+\)/);
  });
});

// Opens the one SQLite file Harmony needs, with the pragmas the durability promise rests on.
import { Database } from 'bun:sqlite';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type OpenOptions = { sync?: 'normal' | 'full' };

/**
 * `safeIntegers` makes every INTEGER come back as a bigint, so snowflakes never pass
 * through a JS number; store modules convert to strings and numbers at their edge.
 */
export function openDatabase(path: string, options: OpenOptions = {}): Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, { create: true, strict: true, safeIntegers: true });
  db.exec('PRAGMA journal_mode = WAL');
  // WAL + NORMAL: a committed transaction survives a killed process; FULL also survives power loss.
  db.exec(`PRAGMA synchronous = ${options.sync === 'full' ? 'FULL' : 'NORMAL'}`);
  db.exec('PRAGMA foreign_keys = ON');
  db.exec('PRAGMA busy_timeout = 5000');
  db.exec('PRAGMA temp_store = MEMORY');
  return db;
}

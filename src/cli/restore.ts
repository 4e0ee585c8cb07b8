// `harmony restore <file>`: puts a backup (the database snapshot <file> and its stored files <file>-files/, as
// `harmony backup` writes them) into the data folder, then runs migrations. Nothing is ever deleted: a data folder
// that already holds a database or stored files is refused unless --force, and with --force its database (with
// any -wal/-shm beside it) and files/ are moved into <data>/replaced-<timestamp>/. A server still serving the
// folder is detected through SQLite's own locks and refused, --force or not: swapping its database under it would
// lose every write it makes afterwards.
import { Database } from 'bun:sqlite';
import { cpSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { checkDatabaseFile, DatabaseFileError } from '../db/database-file.ts';
import { UsageError } from './args.ts';
import { backupFilesDir } from './backup.ts';

/** `copyFiles: false` leaves <file>-files/ where it is (the caller uploads it to a bucket instead of <data>/files). */
export type RestorePlan = { backupFile: string; dataDir: string; databaseFile: string; force: boolean; copyFiles?: boolean; now?: Date };
export type RestoreResult = { files: boolean; movedAside: string | null };

/** Checks everything first, then moves the old data aside (with --force) and copies the backup in. */
export function restore({ backupFile, dataDir, databaseFile, force, copyFiles = true, now = new Date() }: RestorePlan): RestoreResult {
  checkBackup(backupFile);
  const backupFiles = backupFilesDir(backupFile);
  const hasFiles = copyFiles && existsSync(backupFiles) && statSync(backupFiles).isDirectory();
  const filesDir = join(dataDir, 'files');
  const held = [databaseFile, `${databaseFile}-wal`, `${databaseFile}-shm`, filesDir].filter((p) => existsSync(p));

  let movedAside: string | null = null;
  if (held.length > 0) {
    if (existsSync(databaseFile) && inUse(databaseFile)) {
      throw new DatabaseFileError(`${databaseFile} is in use by a running Harmony server; stop it before restoring into ${dataDir}`);
    }
    if (!force) {
      throw new UsageError(
        `${dataDir} already holds ${held.map((p) => basename(p)).join(', ')}; restore with --force to move them aside (into ${dataDir}/replaced-<time>/) and replace them`,
      );
    }
    movedAside = asideFolder(dataDir, now);
    mkdirSync(movedAside, { recursive: true });
    for (const path of held) renameSync(path, join(movedAside, basename(path)));
  }

  mkdirSync(dataDir, { recursive: true });
  // Copied under a temporary name and renamed into place, so an interrupted restore never leaves a half-copied
  // database where a server would open it.
  const incoming = `${databaseFile}.restoring`;
  rmSync(incoming, { force: true });
  cpSync(backupFile, incoming);
  if (hasFiles) {
    const incomingFiles = `${filesDir}.restoring`;
    rmSync(incomingFiles, { recursive: true, force: true });
    cpSync(backupFiles, incomingFiles, { recursive: true });
    renameSync(incomingFiles, filesDir);
  }
  renameSync(incoming, databaseFile);
  return { files: hasFiles, movedAside };
}

/** A backup must be a Harmony database this version can open: not empty, not foreign, not damaged, not newer. */
function checkBackup(file: string): void {
  if (!existsSync(file)) throw new UsageError(`no backup at ${file}`);
  if (!statSync(file).isFile()) throw new UsageError(`${file} is not a file`);
  if (statSync(file).size === 0) throw new DatabaseFileError(`${file} is empty, not a Harmony backup. Nothing was restored.`);
  checkDatabaseFile(file, 'Nothing was restored.');
  const db = new Database(file, { readonly: true });
  try {
    const tables = db.query<{ n: number }, []>("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
    if (!tables?.n) throw new DatabaseFileError(`${file} is an empty SQLite database, not a Harmony backup. Nothing was restored.`);
  } finally {
    db.close();
  }
}

/**
 * Whether another connection has the database open. A serving Harmony keeps its WAL-mode connection open, and
 * every open WAL connection holds a shared lock on the file; an exclusive lock is granted only when there is none.
 * busy_timeout 0: asking never waits, and nothing is written (the transaction is rolled back at once).
 */
export function inUse(databaseFile: string): boolean {
  let db: Database | null = null;
  try {
    db = new Database(databaseFile);
    db.exec('PRAGMA busy_timeout = 0');
    db.exec('PRAGMA locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('ROLLBACK');
    return false;
  } catch (error) {
    if (error instanceof Error && /locked|busy/i.test(error.message)) return true;
    // Not a database at all (damaged, foreign): no server can be serving it, since start-up refuses such a file.
    return false;
  } finally {
    db?.close();
  }
}

/** `<data>/replaced-2026-12-07T00-10-00Z`, with a counter if a restore already used that second. */
function asideFolder(dataDir: string, now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replaceAll(':', '-');
  let folder = join(dataDir, `replaced-${stamp}`);
  for (let n = 2; existsSync(folder); n++) folder = join(dataDir, `replaced-${stamp}-${n}`);
  return folder;
}

// `harmony backup <file>`: the database as one consistent snapshot (VACUUM INTO reads a single transaction, so it is
// safe while a server writes) in <file>, and the stored files (attachments, and whatever else lives in the FileStore
// folder) copied beside it in <file>-files/. Files never change once written (a key is written once, by rename),
// so copying them needs no lock: they are copied once before the snapshot and once more after it for those written
// in between, so every file the snapshot refers to is in the copy unless it was deleted while the backup ran.
import type { Database } from 'bun:sqlite';
import { cpSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** Where the files of a backup go: beside it, with `-files` appended. */
export const backupFilesDir = (target: string) => `${target}-files`;

export function backup(db: Database, filesDir: string, target: string): { files: boolean } {
  const copyFiles = () => {
    if (!existsSync(filesDir)) return false;
    // Files already copied stay as they are; half-written uploads (*.part, renamed into place when complete) are skipped.
    cpSync(filesDir, backupFilesDir(target), { recursive: true, force: false, errorOnExist: false, filter: (source) => !source.endsWith('.part') });
    return true;
  };
  const before = copyFiles();
  db.query('VACUUM INTO ?').run(resolve(target));
  const after = copyFiles();
  return { files: before || after };
}

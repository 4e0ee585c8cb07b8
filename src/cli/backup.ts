// `harmony backup <file>`: the database as one consistent snapshot (VACUUM INTO reads a single transaction, so it is
// safe while a server writes) in <file>, and the stored files (attachments, and whatever else lives in the FileStore
// folder) copied beside it in <file>-files/. Files never change once written (a key is written once, by rename),
// so copying them needs no lock: they are copied once before the snapshot and once more after it for those written
// in between, so every file the snapshot refers to is in the copy unless it was deleted while the backup ran.
//
// With files in an S3 bucket, the backup is just as whole: every object under the configured prefix is downloaded
// into <file>-files/ (same layout, streamed, the same before-and-after passes), so a backup never depends on the
// bucket still existing; `harmony restore` uploads them back into the configured bucket (uploadFiles below).
import type { Database } from 'bun:sqlite';
import { cpSync, existsSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { checkKey, type FileStore } from '../files/file-store.ts';
import type { S3FileStore } from '../files/s3-file-store.ts';

/** Where the files of a backup go: beside it, with `-files` appended. */
export const backupFilesDir = (target: string) => `${target}-files`;

export function backup(db: Database, filesDir: string, target: string): { files: boolean } {
  const copyFiles = () => copyLocalFiles(filesDir, target);
  const before = copyFiles();
  db.query('VACUUM INTO ?').run(resolve(target));
  const after = copyFiles();
  return { files: before || after };
}

/** Copies the FileStore folder into <target>-files/ (what is there already stays). False when there is no folder. */
export function copyLocalFiles(filesDir: string, target: string): boolean {
  if (!existsSync(filesDir)) return false;
  // Files already copied stay as they are; half-written uploads (*.part, renamed into place when complete) are skipped.
  cpSync(filesDir, backupFilesDir(target), { recursive: true, force: false, errorOnExist: false, filter: (source) => !source.endsWith('.part') });
  return true;
}

/** `harmony backup` when the files are in a bucket: the snapshot, with every object downloaded into <file>-files/. */
export async function backupWithBucket(db: Database, bucket: S3FileStore, target: string): Promise<{ files: number }> {
  return await bucketAround(bucket, target, () => {
    db.query('VACUUM INTO ?').run(resolve(target));
  });
}

/** Downloads the bucket's objects into <target>-files/ before and after `snapshot` (any engine's). */
export async function bucketAround(bucket: S3FileStore, target: string, snapshot: () => void | Promise<void>): Promise<{ files: number }> {
  const copied = new Set<string>();
  const copyObjects = async () => {
    for await (const { key } of bucket.keys()) {
      if (copied.has(key)) continue;
      const opened = await bucket.open(checkKey(key));
      // Deleted since it was listed: the snapshot no longer needs it either.
      if (!opened) continue;
      await Bun.write(join(backupFilesDir(target), key), new Response(opened.body));
      copied.add(key);
    }
  };
  await copyObjects();
  await snapshot();
  await copyObjects();
  return { files: copied.size };
}

/** `harmony restore` into a bucket: puts every file of a backup's <file>-files/ under its key. Returns how many. */
export async function uploadFiles(folder: string, files: FileStore): Promise<number> {
  if (!existsSync(folder)) return 0;
  let count = 0;
  for (const entry of readdirSync(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || entry.name.endsWith('.part')) continue;
    const path = join(entry.parentPath, entry.name);
    await files.put(checkKey(relative(folder, path)), await Bun.file(path).bytes());
    count++;
  }
  return count;
}

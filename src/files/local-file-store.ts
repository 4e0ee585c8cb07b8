// The default FileStore: one file per key under a folder of the data directory. A file is written beside its
// final name, flushed, then renamed into place, so a crash leaves either the whole file or none of it.
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { checkKey, type FileStore, type OpenedFile } from './file-store.ts';

export class LocalFileStore implements FileStore {
  constructor(private readonly root: string) {}

  pathOf(key: string): string {
    return join(this.root, checkKey(key));
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    const path = this.pathOf(key);
    mkdirSync(dirname(path), { recursive: true });
    const temporary = `${path}.${process.pid}.${crypto.randomUUID()}.part`;
    const fd = openSync(temporary, 'w', 0o600);
    try {
      for (let written = 0; written < bytes.length; ) written += writeSync(fd, bytes, written);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
  }

  async get(key: string): Promise<Uint8Array | null> {
    const file = Bun.file(this.pathOf(key));
    if (!(await file.exists())) return null;
    return new Uint8Array(await file.arrayBuffer());
  }

  async open(key: string): Promise<OpenedFile | null> {
    const file = Bun.file(this.pathOf(key));
    return (await file.exists()) ? { size: file.size, body: file } : null;
  }

  async delete(key: string): Promise<void> {
    rmSync(this.pathOf(key), { force: true });
  }
}

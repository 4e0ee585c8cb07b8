// One contract for every FileStore: local disk (the default) and an S3-compatible bucket (several nodes). Each
// behaviour the rest of Harmony relies on is checked against both, so swapping the store changes nothing else.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FileStore, OpenedFile } from '../../src/files/file-store.ts';
import { LocalFileStore } from '../../src/files/local-file-store.ts';
import { S3FileStore } from '../../src/files/s3-file-store.ts';
import { type S3Server, startS3Server } from '../support/s3-server.ts';

const root = mkdtempSync(join(tmpdir(), 'harmony-files-'));
let s3: S3Server;
beforeAll(async () => {
  s3 = await startS3Server();
}, 30_000);
afterAll(async () => {
  await s3?.stop();
  rmSync(root, { recursive: true, force: true });
});

async function read(file: OpenedFile): Promise<Uint8Array> {
  return new Uint8Array(await new Response(file.body).arrayBuffer());
}

const stores: [string, () => FileStore][] = [
  ['LocalFileStore', () => new LocalFileStore(join(root, 'files'))],
  ['S3FileStore', () => new S3FileStore({ ...s3.config('contract/'), s3Bucket: s3.bucket })],
];

for (const [name, make] of stores) {
  describe(`${name} (the FileStore contract)`, () => {
    let store: FileStore;
    beforeAll(() => {
      store = make();
    });

    it('keeps bytes under a key, replaces them on a second put, and forgets them on delete (twice is fine)', async () => {
      await store.put('attachments/1/2', new Uint8Array([1, 2, 3]));
      expect(await store.get('attachments/1/2')).toEqual(new Uint8Array([1, 2, 3]));
      await store.put('attachments/1/2', new Uint8Array([4]));
      expect(await store.get('attachments/1/2')).toEqual(new Uint8Array([4]));
      await store.delete('attachments/1/2');
      await store.delete('attachments/1/2');
      expect(await store.get('attachments/1/2')).toBeNull();
    });

    it('answers null for a key never written, from get and open', async () => {
      expect(await store.get('attachments/9/9')).toBeNull();
      expect(await store.open?.('attachments/9/9')).toBeNull();
      await store.delete('attachments/9/9');
    });

    it('opens a large file with its size, as a body read only when sent', async () => {
      const bytes = new Uint8Array(6 * 1024 * 1024 + 7).map((_, i) => (i * 7) % 251);
      await store.put('avatars/3/big', bytes);
      const opened = await store.open?.('avatars/3/big');
      if (!opened) throw new Error(`${name} has no open()`);
      expect(opened.size).toBe(bytes.length);
      expect(opened.body instanceof Uint8Array).toBe(false);
      expect(Buffer.from(await read(opened)).equals(Buffer.from(bytes))).toBe(true);
      await store.delete('avatars/3/big');
    });

    it('opens an empty file', async () => {
      await store.put('emojis/4/empty', new Uint8Array(0));
      const opened = await store.open?.('emojis/4/empty');
      expect(opened?.size).toBe(0);
      expect(opened && (await read(opened))).toEqual(new Uint8Array(0));
    });

    it('refuses keys that could leave its folder or prefix', async () => {
      for (const key of ['../x', 'a/../../x', '/etc/passwd', 'a//b', 'a/./b', 'a\\b', '']) {
        await expect(store.put(key, new Uint8Array([1]))).rejects.toThrow('not a file key');
        await expect(store.get(key)).rejects.toThrow('not a file key');
      }
    });
  });
}

describe('S3FileStore in the bucket', () => {
  it('stores each key under the prefix, lists it without the prefix, and reaches the bucket for /health', async () => {
    const a = new S3FileStore({ ...s3.config('instance-a/'), s3Bucket: s3.bucket });
    const b = new S3FileStore({ ...s3.config('instance-b/'), s3Bucket: s3.bucket });
    await a.put('attachments/5/6', new Uint8Array([5, 6]));
    await b.put('attachments/5/6', new Uint8Array([7]));
    expect(await a.get('attachments/5/6')).toEqual(new Uint8Array([5, 6]));
    expect(await b.get('attachments/5/6')).toEqual(new Uint8Array([7]));
    expect(await Bun.file(join(s3.dir, s3.bucket, 'instance-a', 'attachments', '5', '6._S3rver_object')).exists()).toBe(true);
    const listed: { key: string; size: number }[] = [];
    for await (const entry of a.keys()) listed.push(entry);
    expect(listed).toEqual([{ key: 'attachments/5/6', size: 2 }]);
    await a.probe();
  });

  it('fails its probe, and every read, when the bucket does not answer', async () => {
    const nowhere = new S3FileStore({ ...s3.config(), s3Endpoint: 'http://127.0.0.1:9', s3Bucket: s3.bucket });
    await expect(nowhere.probe()).rejects.toThrow();
    await expect(nowhere.get('attachments/1/1')).rejects.toThrow();
  });
});

import { afterAll, describe, expect, it } from 'bun:test';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalFileStore } from '../../src/files/local-file-store.ts';

const root = mkdtempSync(join(tmpdir(), 'harmony-files-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('LocalFileStore', () => {
  const store = new LocalFileStore(join(root, 'files'));

  it('keeps bytes under a key, reads them back, and forgets them on delete', async () => {
    await store.put('attachments/1/2', new Uint8Array([1, 2, 3]));
    expect(await store.get('attachments/1/2')).toEqual(new Uint8Array([1, 2, 3]));
    await store.put('attachments/1/2', new Uint8Array([4]));
    expect(await store.get('attachments/1/2')).toEqual(new Uint8Array([4]));
    expect(readdirSync(join(root, 'files/attachments/1'))).toEqual(['2']);
    await store.delete('attachments/1/2');
    await store.delete('attachments/1/2');
    expect(await store.get('attachments/1/2')).toBeNull();
  });

  it('refuses keys that could leave its folder', async () => {
    for (const key of ['../x', 'a/../../x', '/etc/passwd', 'a//b', 'a/./b', 'a\\b', '']) {
      await expect(store.put(key, new Uint8Array([1]))).rejects.toThrow('not a file key');
    }
  });
});

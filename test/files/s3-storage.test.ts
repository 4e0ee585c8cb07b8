// Harmony with its files in an S3-compatible bucket (issue 13 item 5), run as an operator runs it: `harmony serve`
// with the --s3-* flags and the secret in the environment. Attachments and avatars go to the bucket (under the
// prefix) and nothing to <data>/files; their links are served by Harmony reading the bucket; the janitor deletes
// the objects of a deleted message; `harmony backup` downloads the objects beside the snapshot, and `harmony
// restore` uploads them into another bucket prefix that a new server then serves.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ChildServer, call, runHarmony, startChild } from '../support/child-server.ts';
import { dataUri, png } from '../support/images.ts';
import { S3_SECRET_ACCESS_KEY, type S3Server, startS3Server } from '../support/s3-server.ts';

const scratch = mkdtempSync(join(tmpdir(), 'harmony-s3-e2e-'));
const dataDir = join(scratch, 'data');
// The secret only in the environment, as the docs recommend (a flag would show in the process list).
const SECRET = { HARMONY_S3_SECRET_ACCESS_KEY: S3_SECRET_ACCESS_KEY };
let s3: S3Server;
let server: ChildServer;
let token: string;
let userId: string;
let channelId: string;

/** Every object in the test bucket under a prefix, as keys without it. */
function objects(prefix: string): string[] {
  const root = join(s3.dir, s3.bucket, prefix);
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('._S3rver_object'))
    .map((e) => join(e.parentPath, e.name).slice(root.length + 1, -'._S3rver_object'.length))
    .sort();
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await Bun.sleep(50);
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  s3 = await startS3Server();
  server = await startChild(dataDir, s3.flags('node-files/'), SECRET);
  const registered = await call(server.url, 'POST', '/api/v1/auth/register', undefined, { username: 'bucketeer', password: 'correct horse battery' });
  token = registered.body.token;
  userId = registered.body.user.id;
  const guild = await call(server.url, 'POST', '/api/v1/guilds', token, { name: 'Objects' });
  channelId = guild.body.channels[0].id;
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await s3?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

async function postFiles(files: [string, Uint8Array][]): Promise<{ id: string; attachments: { id: string; url: string; size: number }[] }> {
  const form = new FormData();
  form.set('payload_json', JSON.stringify({ content: 'to the bucket' }));
  files.forEach(([name, bytes], i) => {
    form.append(`files[${i}]`, new Blob([bytes as BlobPart]), name);
  });
  const res = await fetch(`${server.url}/api/v10/channels/${channelId}/messages`, {
    method: 'POST',
    body: form,
    headers: { authorization: `Bearer ${token}` },
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { id: string; attachments: { id: string; url: string; size: number }[] };
}

describe('files in an S3 bucket', () => {
  it('stores attachments as objects under the prefix (none on disk) and serves them at their signed links', async () => {
    const picture = png(7, 5);
    const big = new Uint8Array(3 * 1024 * 1024 + 3).map((_, i) => (i * 13) % 256);
    const message = await postFiles([
      ['picture.png', picture],
      ['data.bin', big],
    ]);
    const [image, binary] = message.attachments as [{ id: string; url: string; size: number }, { id: string; url: string; size: number }];
    expect(objects('node-files')).toEqual([`attachments/${channelId}/${binary.id}`, `attachments/${channelId}/${image.id}`].sort());
    expect(existsSync(join(dataDir, 'files'))).toBe(false);

    const shown = await fetch(image.url);
    expect([shown.status, shown.headers.get('content-type'), shown.headers.get('x-content-type-options'), shown.headers.get('content-disposition')]).toEqual([
      200,
      'image/png',
      'nosniff',
      "inline; filename*=UTF-8''picture.png",
    ]);
    expect(Buffer.from(await shown.arrayBuffer()).equals(Buffer.from(picture))).toBe(true);
    const downloaded = await fetch(binary.url);
    expect([downloaded.status, downloaded.headers.get('content-disposition')]).toEqual([200, "attachment; filename*=UTF-8''data.bin"]);
    expect(Buffer.from(await downloaded.arrayBuffer()).equals(Buffer.from(big))).toBe(true);
    const head = await fetch(binary.url, { method: 'HEAD' });
    expect([head.status, head.headers.get('content-length')]).toEqual([200, String(big.length)]);
  });

  it('stores an avatar in the bucket and serves it at its CDN path', async () => {
    const avatar = png(4, 4, [10, 200, 30, 255]);
    const res = await call(server.url, 'PATCH', '/api/v10/users/@me', token, { avatar: dataUri(avatar, 'image/png') });
    expect(res.status).toBe(200);
    // Images (avatars, icons, emoji) are stored once per content, under images/<2 hex>/<sha-256>.
    expect(objects('node-files').filter((key) => key.startsWith('images/'))).toEqual([expect.stringMatching(/^images\/[0-9a-f]{2}\/[0-9a-f]{64}$/)]);
    const served = await fetch(`${server.url}/avatars/${userId}/${res.body.avatar}.png`);
    expect([served.status, served.headers.get('content-type')]).toEqual([200, 'image/png']);
    expect(Buffer.from(await served.arrayBuffer()).equals(Buffer.from(avatar))).toBe(true);
  });

  it("deletes a deleted message's objects from the bucket (the file janitor), and its link answers 404", async () => {
    const message = await postFiles([['gone.txt', new TextEncoder().encode('soon gone')]]);
    const key = `attachments/${channelId}/${message.attachments[0]?.id}`;
    expect(objects('node-files')).toContain(key);
    expect((await call(server.url, 'DELETE', `/api/v10/channels/${channelId}/messages/${message.id}`, token)).status).toBe(204);
    await until(() => !objects('node-files').includes(key), 'the janitor to delete the object');
    expect((await fetch(message.attachments[0]?.url ?? '')).status).toBe(404);
  });

  it('backs up by downloading every object beside the snapshot, and restores by uploading them to the configured bucket', async () => {
    const target = join(scratch, 'backup.db');
    const stored = objects('node-files');
    const backup = await runHarmony(['backup', target, '--data', dataDir, ...s3.flags('node-files/')], SECRET);
    expect([backup.code, backup.stderr]).toEqual([0, '']);
    expect(backup.stdout).toBe(`backup written to ${target} and ${target}-files/ (${stored.length} objects downloaded from bucket ${s3.bucket})\n`);
    const copied = readdirSync(`${target}-files`, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name).slice(`${target}-files/`.length))
      .sort();
    expect(copied).toEqual(stored);

    const restoredDir = join(scratch, 'restored');
    const restore = await runHarmony(['restore', target, '--data', restoredDir, ...s3.flags('restored-files/')], SECRET);
    expect(restore.code).toBe(0);
    expect(restore.stdout).toContain(`uploaded ${stored.length} files from ${target}-files/ to bucket ${s3.bucket}\n`);
    expect(objects('restored-files')).toEqual(stored);
    expect(existsSync(join(restoredDir, 'files'))).toBe(false);

    const restored = await startChild(restoredDir, s3.flags('restored-files/'), SECRET);
    try {
      const messages = await call(restored.url, 'GET', `/api/v10/channels/${channelId}/messages?limit=10`, token);
      const picture = messages.body
        .flatMap((m: { attachments: { filename: string; url: string }[] }) => m.attachments)
        .find((a: { filename: string }) => a.filename === 'picture.png');
      const served = await fetch(picture.url);
      expect([served.status, served.headers.get('content-type')]).toEqual([200, 'image/png']);
      expect(Buffer.from(await served.arrayBuffer()).equals(Buffer.from(png(7, 5)))).toBe(true);
    } finally {
      await restored.stop();
    }
  }, 60_000);

  it('says at start when the bucket does not answer, and keeps serving (with /health at 503)', async () => {
    const flags = s3.flags('x/').map((flag) => (flag === s3.endpoint ? 'http://127.0.0.1:9' : flag));
    const lonely = await startChild(join(scratch, 'lonely'), flags, SECRET);
    try {
      for (let i = 0; i < 100 && !lonely.stderr().includes('does not answer'); i++) await Bun.sleep(50);
      expect(lonely.stderr()).toStartWith(`harmony: the S3 bucket ${s3.bucket} does not answer (`);
      expect(lonely.stderr()).not.toContain(S3_SECRET_ACCESS_KEY);
      expect((await fetch(`${lonely.url}/health`)).status).toBe(503);
    } finally {
      await lonely.stop();
    }
  });

  it('never prints the S3 secret: not in --help, not in a start-up error', async () => {
    const help = await runHarmony(['--help'], { HARMONY_S3_SECRET_ACCESS_KEY: 'do-not-print-me' });
    expect(help.stdout).toContain('--s3-secret-access-key');
    expect(help.stdout + help.stderr).not.toContain('do-not-print-me');
    const refused = await runHarmony(['serve', '--data', join(scratch, 'refused'), '--s3-secret-access-key', 'do-not-print-me']);
    expect([refused.code, refused.stderr]).toEqual([2, 'harmony: --s3-bucket is needed with the other --s3-* settings (it turns S3 file storage on)\n']);
    expect(refused.stdout).not.toContain('do-not-print-me');
  });
});

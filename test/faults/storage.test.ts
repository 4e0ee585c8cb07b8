// The disk fills up, or another process holds the database: writes are refused with a clear 507 or 503 and
// nothing half-saved, reads keep working, and writes work again as soon as the cause is gone — no restart.
import { Database } from 'bun:sqlite';
import { afterAll, describe, expect, it } from 'bun:test';
import { mkdirSync, mkdtempSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { call, startChild } from '../support/child-server.ts';

const root = mkdtempSync(join(tmpdir(), 'harmony-storage-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function ownerWithChannel(url: string) {
  const registered = await call(url, 'POST', '/api/v1/auth/register', undefined, { username: 'owner', password: 'correct horse battery' });
  const token = registered.body.token as string;
  const guild = await call(url, 'POST', '/api/v1/guilds', token, { name: 'Storage' });
  return { token, channelId: guild.body.channels[0].id as string };
}

describe('a full disk', () => {
  it('answers writes with 507 while reads keep working, and writes again once space is freed', async () => {
    // A small file system of its own (tmpfs), so filling it up harms nothing else. Mounting needs root, as CI has.
    const mount = join(root, 'small-disk');
    mkdirSync(mount);
    const mounted = Bun.spawnSync(['mount', '-t', 'tmpfs', '-o', 'size=6m', 'tmpfs', mount]);
    if (mounted.exitCode !== 0) throw new Error(`this test mounts a 6 MiB tmpfs and needs root: ${mounted.stderr.toString()}`);
    try {
      const server = await startChild(join(mount, 'data'));
      const { token, channelId } = await ownerWithChannel(server.url);
      const sent = await call(server.url, 'POST', `/api/v1/channels/${channelId}/messages`, token, { content: 'before the disk filled up' });
      expect(sent.status).toBe(200);

      // Fill what is left, then keep writing until the database cannot grow.
      const filler = join(mount, 'filler');
      writeFileSync(filler, Buffer.alloc(Number(statfsSync(mount).bavail * statfsSync(mount).bsize) - 64 * 1024));
      let refusal: Awaited<ReturnType<typeof call>> | null = null;
      for (let i = 0; i < 2000 && !refusal; i++) {
        const res = await call(server.url, 'POST', `/api/v1/channels/${channelId}/messages`, token, { content: `${i} ${'x'.repeat(3900)}` });
        if (res.status !== 200) refusal = res;
      }
      expect(refusal?.status).toBe(507);
      expect(refusal?.body).toEqual({
        code: 0,
        message: 'The server is out of disk space, so nothing was saved. Try again once its operator has freed some space.',
      });
      expect(server.stderr()).toContain('storage failure: 507');

      const read = await call(server.url, 'GET', `/api/v1/channels/${channelId}/messages?limit=1`, token);
      expect(read.status).toBe(200);
      expect((await fetch(`${server.url}/health`)).status).toBe(200);

      rmSync(filler);
      const after = await call(server.url, 'POST', `/api/v1/channels/${channelId}/messages`, token, { content: 'after space came back' });
      expect(after.status).toBe(200);
      const latest = await call(server.url, 'GET', `/api/v1/channels/${channelId}/messages?limit=1`, token);
      expect(latest.body[0].content).toBe('after space came back');
      expect(await server.stop()).toBe(0);
    } finally {
      Bun.spawnSync(['umount', '-l', mount]);
    }
  }, 120_000);
});

describe('a database held by another process', () => {
  it('waits a bounded time, answers 503 with Retry-After, keeps reading, and writes again once it is let go', async () => {
    const dir = join(root, 'locked');
    const server = await startChild(dir);
    const { token, channelId } = await ownerWithChannel(server.url);
    const other = new Database(join(dir, 'harmony.db'));
    other.exec('PRAGMA busy_timeout = 0');
    other.exec('BEGIN IMMEDIATE');
    try {
      const started = performance.now();
      const refused = await call(server.url, 'POST', `/api/v1/channels/${channelId}/messages`, token, { content: 'while locked' });
      const waited = performance.now() - started;
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('5');
      expect(refused.body).toEqual({ code: 0, message: 'The database is busy (held by another process), so nothing was saved. Try again shortly.' });
      expect(waited).toBeGreaterThan(4000);
      expect(waited).toBeLessThan(15_000);
      const read = await call(server.url, 'GET', `/api/v1/channels/${channelId}/messages`, token);
      expect(read.status).toBe(200);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    const after = await call(server.url, 'POST', `/api/v1/channels/${channelId}/messages`, token, { content: 'after the lock' });
    expect(after.status).toBe(200);
    expect(await server.stop()).toBe(0);
  }, 60_000);
});

// `harmony backup <file>` run as a user runs it, while a server is writing: the database snapshot and the uploaded
// files beside it, restored into a fresh data folder that a new server then serves, attachments and all.
import { afterAll, describe, expect, it } from 'bun:test';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { png } from '../support/images.ts';
import { register, startServer } from '../support/test-server.ts';

const MAIN = join(import.meta.dir, '../../src/main.ts');
const scratch = mkdtempSync(join(tmpdir(), 'harmony-backup-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function harmony(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const proc = Bun.spawn([process.execPath, MAIN, ...args], { stdout: 'pipe', stderr: 'pipe', env: { PATH: process.env.PATH ?? '' } });
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { code, out, err };
}

describe('harmony backup', () => {
  it('copies the database and the uploaded files beside it, and a restored copy serves the same attachment', async () => {
    const dataDir = join(scratch, 'live');
    const server = await startServer({ dataDir, rateLimits: false });
    const person = await register(server, 'keeper');
    const guild = await server.api('POST', '/api/v1/guilds', { token: person.token, body: { name: 'Kept' } });
    const channelId = guild.body.channels[0].id as string;
    const picture = png(5, 5);
    const form = new FormData();
    form.set('payload_json', JSON.stringify({ content: 'keep this' }));
    form.append('files[0]', new Blob([picture as BlobPart]), 'kept.png');
    const sent = (await (
      await fetch(`${server.url}/api/v10/channels/${channelId}/messages`, { method: 'POST', body: form, headers: { authorization: `Bearer ${person.token}` } })
    ).json()) as { id: string; attachments: { id: string }[] };

    const target = join(scratch, 'harmony-backup.db');
    const run = await harmony('backup', target, '--data', dataDir);
    expect(run).toEqual({ code: 0, out: `backup written to ${target} and ${target}-files/\n`, err: '' });
    expect(readdirSync(join(`${target}-files`, 'attachments', channelId))).toEqual([sent.attachments[0]?.id as string]);
    // A second backup to the same name is refused rather than mixing two backups.
    expect((await harmony('backup', target, '--data', dataDir)).code).toBe(2);
    await server.stop();

    const restored = join(scratch, 'restored');
    cpSync(target, join(restored, 'harmony.db'));
    cpSync(`${target}-files`, join(restored, 'files'), { recursive: true });
    const again = await startServer({ dataDir: restored, rateLimits: false });
    try {
      const message = await again.api('GET', `/api/v10/channels/${channelId}/messages/${sent.id}`, { token: person.token });
      expect(message.status).toBe(200);
      const download = await fetch(message.body.attachments[0].url);
      expect(download.status).toBe(200);
      expect([...new Uint8Array(await download.arrayBuffer())]).toEqual([...picture]);
    } finally {
      await again.stop();
    }
    expect(existsSync(join(restored, 'files', 'attachments', channelId, sent.attachments[0]?.id as string))).toBe(true);
  }, 30_000);
});

// `harmony restore <file>` as a user runs it: a backup taken while a real server takes a burst of writes with
// attachments, restored into a fresh folder that a new server then serves (every message acknowledged before the
// backup began, every attachment byte for byte, a database that passes quick_check); and the refusals: no
// --force over existing data, never under a running server, nothing that is not a Harmony backup. With --force the
// old data is moved aside, never deleted.
import { Database } from 'bun:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ChildServer, call, runHarmony, startChild } from '../support/child-server.ts';
import { png } from '../support/images.ts';

const scratch = mkdtempSync(join(tmpdir(), 'harmony-restore-'));
const live = join(scratch, 'live');
const target = join(scratch, 'backup.db');

type Sent = { id: string; content: string; picture: Uint8Array | null };
let server: ChildServer | null = null;
let token = '';
let channelId = '';
/** Messages the server acknowledged before `harmony backup` was started. */
let ackedBeforeBackup: Sent[] = [];
/** Every message acknowledged, before, during and after the backup. */
const acked: Sent[] = [];

const sha = (bytes: Uint8Array) => new Bun.CryptoHasher('sha256').update(bytes).digest('hex');

async function post(n: number): Promise<void> {
  const content = `burst ${n}`;
  // Every third message carries a picture of its own size, so each attachment's bytes are distinct.
  const picture = n % 3 === 0 ? png(2 + (n % 40), 3 + Math.floor(n / 40)) : null;
  const form = new FormData();
  form.set('payload_json', JSON.stringify({ content }));
  if (picture) form.append('files[0]', new Blob([picture as BlobPart]), `p${n}.png`);
  const res = await fetch(`${server?.url}/api/v10/channels/${channelId}/messages`, {
    method: 'POST',
    body: form,
    headers: { authorization: `Bearer ${token}` },
  });
  const body = (await res.json()) as { id: string };
  if (res.status !== 200) throw new Error(`post ${n}: ${res.status} ${JSON.stringify(body)}`);
  acked.push({ id: body.id, content, picture });
}

beforeAll(async () => {
  server = await startChild(live);
  const registered = await call(server.url, 'POST', '/api/v1/auth/register', undefined, { username: 'restorer', password: 'correct horse battery' });
  token = registered.body.token;
  const guild = await call(server.url, 'POST', '/api/v1/guilds', token, { name: 'Restored' });
  channelId = guild.body.channels[0].id;

  // Eight writers post until told to stop; the backup starts once a good number are acknowledged, and the writers
  // keep going through it and after it.
  let next = 0;
  let stop = false;
  const writers = Array.from({ length: 8 }, async () => {
    while (!stop) await post(next++);
  });
  while (acked.length < 150) await Bun.sleep(5);
  ackedBeforeBackup = [...acked];
  const backup = await runHarmony(['backup', target, '--data', live]);
  expect(backup).toMatchObject({ code: 0, stdout: `backup written to ${target} and ${target}-files/\n` });
  const duringBackup = acked.length - ackedBeforeBackup.length;
  while (acked.length < ackedBeforeBackup.length + duringBackup + 50) await Bun.sleep(5);
  stop = true;
  await Promise.all(writers);
  // Writes did continue while the backup ran (otherwise this test would prove nothing about consistency).
  expect(duringBackup).toBeGreaterThan(0);
}, 90_000);

afterAll(async () => {
  await server?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

describe('harmony restore', () => {
  it('restores a backup taken under a burst of writes into a fresh folder that a new server serves', async () => {
    const fresh = join(scratch, 'fresh');
    const run = await runHarmony(['restore', target, '--data', fresh]);
    expect(run).toEqual({
      code: 0,
      stdout: `restored ${target} and ${target}-files/ into ${fresh}\ndatabase is up to date\n`,
      stderr: '',
    });
    const check = new Database(join(fresh, 'harmony.db'), { readonly: true });
    expect(check.query('PRAGMA quick_check').all()).toEqual([{ quick_check: 'ok' }]);
    check.close();

    const again = await startChild(fresh);
    try {
      const present = new Map<string, { content: string; attachments: { url: string; size: number }[] }>();
      let before = '';
      for (;;) {
        const page = await call(again.url, 'GET', `/api/v10/channels/${channelId}/messages?limit=100${before ? `&before=${before}` : ''}`, token);
        expect(page.status).toBe(200);
        for (const m of page.body) present.set(m.id, m);
        if (page.body.length < 100) break;
        before = page.body.at(-1).id;
      }
      // Everything acknowledged before the backup began is there; anything later is there or not, but never torn.
      for (const sent of ackedBeforeBackup) expect(present.get(sent.id)?.content).toBe(sent.content);
      expect(present.size).toBeLessThanOrEqual(acked.length);
      const byId = new Map(acked.map((s) => [s.id, s]));
      let downloads = 0;
      for (const [id, message] of present) {
        const sent = byId.get(id);
        expect(sent?.content).toBe(message.content);
        expect(message.attachments.length).toBe(sent?.picture ? 1 : 0);
        if (!sent?.picture) continue;
        const res = await fetch(message.attachments[0]?.url as string);
        expect(res.status).toBe(200);
        expect(sha(new Uint8Array(await res.arrayBuffer()))).toBe(sha(sent.picture));
        downloads++;
      }
      expect(downloads).toBeGreaterThanOrEqual(Math.floor(ackedBeforeBackup.length / 3));
    } finally {
      expect(await again.stop()).toBe(0);
    }
  }, 60_000);

  it('refuses a running server, --force or not, and touches nothing', async () => {
    for (const args of [[], ['--force']]) {
      const run = await runHarmony(['restore', target, '--data', live, ...args]);
      expect(run.code).toBe(3);
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe(`harmony: ${join(live, 'harmony.db')} is in use by a running Harmony server; stop it before restoring into ${live}\n`);
    }
    expect(readdirSync(live).filter((name) => name.startsWith('replaced-'))).toEqual([]);
    // The server is still serving, and still writing.
    expect((await call(server?.url as string, 'POST', `/api/v1/channels/${channelId}/messages`, token, { content: 'still here' })).status).toBe(200);
  }, 30_000);

  it('refuses existing data without --force, and with --force moves it aside before restoring', async () => {
    expect(await server?.stop()).toBe(0);
    server = null;
    const oldDatabase = sha(readFileSync(join(live, 'harmony.db')));
    const oldFiles = readdirSync(join(live, 'files'), { recursive: true }).sort();

    const refused = await runHarmony(['restore', target, '--data', live]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      `harmony: ${live} already holds harmony.db, files; restore with --force to move them aside (into ${live}/replaced-<time>/) and replace them\n`,
    );
    expect(sha(readFileSync(join(live, 'harmony.db')))).toBe(oldDatabase);

    const forced = await runHarmony(['restore', target, '--data', live, '--force']);
    expect(forced.code).toBe(0);
    const [aside, ...more] = readdirSync(live).filter((name) => name.startsWith('replaced-'));
    expect(more).toEqual([]);
    expect(aside).toMatch(/^replaced-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ$/);
    expect(forced.stdout).toBe(
      `moved the previous database and files to ${join(live, aside as string)}/\nrestored ${target} and ${target}-files/ into ${live}\ndatabase is up to date\n`,
    );
    // The old data, byte for byte, beside the restored one.
    expect(sha(readFileSync(join(live, aside as string, 'harmony.db')))).toBe(oldDatabase);
    expect(readdirSync(join(live, aside as string, 'files'), { recursive: true }).sort()).toEqual(oldFiles);
    expect(sha(readFileSync(join(live, 'harmony.db')))).not.toBe(oldDatabase);

    // The restored folder serves the backup: the message posted after it is gone, an early one is there.
    server = await startChild(live);
    const early = ackedBeforeBackup[0] as Sent;
    expect((await call(server.url, 'GET', `/api/v10/channels/${channelId}/messages/${early.id}`, token)).body.content).toBe(early.content);
    const latest = await call(server.url, 'GET', `/api/v10/channels/${channelId}/messages?limit=1`, token);
    expect(latest.body[0].content).not.toBe('still here');
  }, 60_000);

  it('with --force also moves aside a data folder whose database Harmony would not open', async () => {
    const broken = join(scratch, 'broken');
    mkdirSync(broken);
    writeFileSync(join(broken, 'harmony.db'), 'not a database at all');
    const run = await runHarmony(['restore', target, '--data', broken, '--force']);
    expect(run.code).toBe(0);
    const [aside] = readdirSync(broken).filter((name) => name.startsWith('replaced-'));
    expect(readFileSync(join(broken, aside as string, 'harmony.db'), 'utf8')).toBe('not a database at all');
    const check = new Database(join(broken, 'harmony.db'), { readonly: true });
    expect(check.query('PRAGMA quick_check').all()).toEqual([{ quick_check: 'ok' }]);
    check.close();
  }, 30_000);

  it('refuses what is not a Harmony backup, with exit code 3, and a missing file with exit code 2', async () => {
    const fresh = join(scratch, 'never');
    const notSqlite = join(scratch, 'notes.txt');
    writeFileSync(notSqlite, 'these are not the rows you are looking for');
    const foreign = join(scratch, 'foreign.db');
    const other = new Database(foreign);
    other.exec('CREATE TABLE recipes (name TEXT)');
    other.close();
    const empty = join(scratch, 'empty.db');
    writeFileSync(empty, '');
    const newer = join(scratch, 'newer.db');
    writeFileSync(newer, readFileSync(target));
    const future = new Database(newer);
    future.exec("INSERT INTO schema_migrations (id, name, applied_at) VALUES (9999, 'from-the-future', 0)");
    future.close();

    for (const [file, why] of [
      [notSqlite, 'is not a database'],
      [foreign, "is an SQLite database, but not Harmony's"],
      [empty, 'is empty, not a Harmony backup'],
      [newer, 'was written by a newer Harmony (migration 9999'],
    ] as const) {
      const run = await runHarmony(['restore', file, '--data', fresh]);
      expect({ file, code: run.code }).toEqual({ file, code: 3 });
      expect(run.stderr).toStartWith(`harmony: ${file} ${why}`);
      expect(run.stderr).toEndWith('Nothing was restored.\n');
    }
    const missing = await runHarmony(['restore', join(scratch, 'nope.db'), '--data', fresh]);
    expect(missing).toEqual({ code: 2, stdout: '', stderr: `harmony: no backup at ${join(scratch, 'nope.db')}\n` });
    expect((await runHarmony(['restore', '--data', fresh])).code).toBe(2);
    expect((await runHarmony(['backup', join(scratch, 'x.db'), '--data', live, '--force'])).code).toBe(2);
    expect(existsSync(fresh)).toBe(false);
  }, 60_000);
});

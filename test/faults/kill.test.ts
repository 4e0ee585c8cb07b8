// What survives a SIGKILL: every message the server acknowledged (a 2xx was sent) is there after a restart, and a
// kill in the middle of a migration leaves the database as it was before it, to be migrated on the next start.
import { Database } from 'bun:sqlite';
import { afterAll, describe, expect, it } from 'bun:test';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';
import { MIGRATIONS } from '../../src/db/migrations/index.ts';
import { call, startChild } from '../support/child-server.ts';

const root = mkdtempSync(join(tmpdir(), 'harmony-kill-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function ownerWithChannel(url: string): Promise<{ token: string; channelId: string }> {
  const registered = await call(url, 'POST', '/api/v1/auth/register', undefined, { username: 'owner', password: 'correct horse battery' });
  const token = registered.body.token as string;
  const guild = await call(url, 'POST', '/api/v1/guilds', token, { name: 'Durable' });
  return { token, channelId: guild.body.channels[0].id as string };
}

async function history(url: string, token: string, channelId: string): Promise<Set<string>> {
  const ids = new Set<string>();
  let before: string | undefined;
  for (;;) {
    const page = await call(url, 'GET', `/api/v1/channels/${channelId}/messages?limit=100${before ? `&before=${before}` : ''}`, token);
    expect(page.status).toBe(200);
    for (const m of page.body) ids.add(m.id);
    if (page.body.length < 100) return ids;
    before = page.body[page.body.length - 1].id;
  }
}

describe('SIGKILL', () => {
  it('loses no acknowledged message when the server is killed in the middle of a burst', async () => {
    const dir = join(root, 'burst');
    const first = await startChild(dir);
    const { token, channelId } = await ownerWithChannel(first.url);
    const acknowledged: string[] = [];
    let killed = false;
    const writer = async (lane: number) => {
      for (let i = 0; !killed; i++) {
        try {
          const res = await call(first.url, 'POST', `/api/v1/channels/${channelId}/messages`, token, { content: `lane ${lane} #${i}` });
          if (res.status === 200 || res.status === 201) acknowledged.push(res.body.id);
        } catch {
          return; // the connection died with the server: not acknowledged
        }
      }
    };
    const lanes = Array.from({ length: 16 }, (_, lane) => writer(lane));
    while (acknowledged.length < 300) await Bun.sleep(5);
    first.process.kill('SIGKILL');
    killed = true;
    await first.process.exited;
    await Promise.all(lanes);
    expect(acknowledged.length).toBeGreaterThanOrEqual(300);

    const second = await startChild(dir);
    const stored = await history(second.url, token, channelId);
    expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
    const after = await call(second.url, 'POST', `/api/v1/channels/${channelId}/messages`, token, { content: 'after the crash' });
    expect(after.status).toBe(200);
    expect(await second.stop()).toBe(0);
  }, 120_000);

  it('leaves the database as it was when killed during a migration, and the next start migrates it', async () => {
    const dir = join(root, 'migration');
    const path = join(dir, 'harmony.db');
    // A database from before the migration that rebuilds the messages table, with enough rows that it takes a while.
    const old = openDatabase(path);
    const before = MIGRATIONS.filter((m) => m.id < 10);
    migrate(old, before);
    old.exec(`
      INSERT INTO users (id, username, username_key, created_at) VALUES (1300000000000000001, 'a', 'a', 1);
      INSERT INTO guilds (id, name, owner_id, created_at) VALUES (1300000000000000002, 'g', 1300000000000000001, 1);
      INSERT INTO channels (id, guild_id, type, name, position, created_at) VALUES (1300000000000000003, 1300000000000000002, 0, 'c', 0, 1);
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300000)
      INSERT INTO messages (id, channel_id, author_id, content, created_at)
        SELECT 1300000000000000100 + i, 1300000000000000003, 1300000000000000001, 'message ' || i || ' ' || hex(randomblob(40)), i FROM n;
    `);
    old.close();
    const applied = () => {
      const db = new Database(path, { readonly: true });
      try {
        return db
          .query<{ id: number }, []>('SELECT id FROM schema_migrations ORDER BY id')
          .all()
          .map((r) => Number(r.id));
      } finally {
        db.close();
      }
    };
    expect(applied()).toEqual(before.map((m) => m.id));

    const child = Bun.spawn(['bun', join(import.meta.dir, '..', '..', 'src', 'main.ts'), 'migrate', '--data', dir], { stdout: 'pipe', stderr: 'pipe' });
    // Killed once the migration's transaction has started writing (its pages spill into the WAL), before it commits.
    const wal = `${path}-wal`;
    while (!(existsSync(wal) && statSync(wal).size > 4 * 1024 * 1024)) {
      if (child.exitCode !== null) throw new Error('the migration finished before it could be interrupted');
      await Bun.sleep(2);
    }
    child.kill('SIGKILL');
    await child.exited;

    expect(applied()).toEqual(before.map((m) => m.id));
    const check = new Database(path, { readonly: true });
    expect(check.query<{ n: number }, []>('SELECT count(*) AS n FROM messages').get()?.n).toBe(300000);
    expect(check.query<{ quick_check: string }, []>('PRAGMA quick_check').get()?.quick_check).toBe('ok');
    check.close();

    const server = await startChild(dir);
    expect(applied()).toEqual(MIGRATIONS.map((m) => m.id).sort((a, b) => a - b));
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    expect(await server.stop()).toBe(0);
  }, 180_000);
});

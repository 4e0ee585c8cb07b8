// `harmony backup` / `harmony restore` on PostgreSQL: a populated database is written to a file and loaded into a
// new one, and every table (every row, every column, compared in PostgreSQL's text form) and every sequence comes
// back the same; the refusals (a non-empty target, a newer backup, a foreign or truncated file) change nothing.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SQL } from 'bun';
import { BackupError, backupPostgres, restorePostgres } from '../../../src/store/postgres/backup.ts';
import { openPostgres } from '../../../src/store/postgres/connection.ts';
import { postgresRepositories } from '../../../src/store/postgres/index.ts';
import { migratePostgres } from '../../../src/store/postgres/migrate.ts';
import { PG_MIGRATIONS } from '../../../src/store/postgres/migrations/index.ts';
import { PostgresOutbox } from '../../../src/store/postgres/outbox-store.ts';
import { runHarmony } from '../../support/child-server.ts';
import { freshDatabase } from '../../support/postgres-server.ts';
import { snowflake } from '../contract/fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'harmony-pg-backup-'));
const pools: SQL[] = [];
let source: SQL;
let sourceUrl = '';
const BIGGEST = '9223372036854775807';
const TOKEN = new Uint8Array([0, 255, 1, 128, 0, 39, 92, 10]);

function open(url: string): SQL {
  const pool = openPostgres(url, { max: 2 });
  pools.push(pool);
  return pool;
}

beforeAll(async () => {
  sourceUrl = await freshDatabase('harmony_backup_src');
  source = open(sourceUrl);
  await migratePostgres(source);
  const s = postgresRepositories(source);
  const owner = snowflake();
  await s.users.insert({ id: owner, username: 'ówner ✓', passwordHash: 'argon2-hash', bot: false, admin: true, createdAt: 1_700_000_000_123 });
  await s.users.insert({ id: BIGGEST, username: 'largest-id', passwordHash: null, bot: true, admin: false, createdAt: 1 });
  const guild = snowflake();
  await s.guilds.insertGuild({ id: guild, name: 'g\'uild "quoted"', ownerId: owner, icon: null, description: 'line\nbreak\ttab \\ back', createdAt: 2 });
  const channel = snowflake();
  await s.channels.insert({ id: channel, guildId: guild, type: 0, name: 'général', topic: null, position: 3, lastMessageId: null, createdAt: 3 });
  for (const [i, content] of ['hello', '🎉 emoji', '', 'quotes and "json" {"a":1}'].entries()) {
    await s.messages.insert({
      id: snowflake(),
      channelId: channel,
      guildId: guild,
      authorId: i % 2 === 0 ? owner : BIGGEST,
      content,
      replyTo: null,
      mentionEveryone: i === 1,
      mentions: i === 1 ? [BIGGEST] : [],
      pinned: false,
      nonce: i === 2 ? '12345678901234567890' : null,
      embeds: i === 3 ? [{ title: 'τίτλος', description: 'x', fields: [{ name: 'a', value: 'b', inline: true }] }] : [],
      components: [],
      suppressEmbeds: false,
      editedAt: null,
      createdAt: 1_700_000_000_000 + i,
      webhook: null,
    } as never);
  }
  await s.settings.set('instance.name', 'Backup test');
  await s.presence.putUser(owner, true, guild, 10);
  await s.presence.putKv(owner, { status: 'busy', song: 'Ünïcode' });
  await s.presence.putToken(owner, TOKEN, 11);
  await s.images.insert('avatar', owner, { hash: 'abc', fileKey: 'avatars/abc.png', contentType: 'image/png', size: 12, width: 1, height: 1 }, 12);
  const outbox = new PostgresOutbox(source, () => 13, 'n1');
  for (const id of ['1', '2', '3']) await outbox.append([{ type: 'message.delete', id, channelId: channel, guildId: guild }]);
  const [first] = await outbox.pending(1);
  await outbox.remove(first?.id as number);
});

afterAll(async () => {
  for (const pool of pools) await pool.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Every public table's rows as sorted text, and every serial/identity sequence's position. */
async function contents(sql: SQL): Promise<Record<string, string[]>> {
  const tables = await sql<{ name: string }[]>`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`;
  const out: Record<string, string[]> = {};
  for (const { name } of tables) {
    const rows = await sql.unsafe<{ r: string }[]>(`SELECT t::text AS r FROM "${name}" t ORDER BY 1`);
    out[name] = rows.map((row) => row.r);
  }
  const seqs = await sql<{ name: string }[]>`SELECT sequencename AS name FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1`;
  for (const { name } of seqs) {
    const [state] = await sql.unsafe<{ v: string }[]>(`SELECT last_value::text || '/' || is_called::text AS v FROM "${name}"`);
    out[`sequence ${name}`] = [state?.v ?? ''];
  }
  return out;
}

async function emptyDatabase(): Promise<SQL> {
  return open(await freshDatabase('harmony_backup_dst'));
}

describe('PostgreSQL backup and restore', () => {
  test('a restored database holds exactly what the backup read: every table, row and sequence', async () => {
    const file = join(dir, 'full.backup');
    const header = await backupPostgres(source, file);
    expect(header.migrations).toEqual(PG_MIGRATIONS.map((m) => m.id).sort((a, b) => a - b));
    // Referenced tables come before the tables referring to them (guilds and channels refer to each other: either).
    const order = header.tables.map((t) => t.name);
    expect(order.indexOf('users')).toBeLessThan(order.indexOf('guilds'));
    expect(order.indexOf('channels')).toBeLessThan(order.indexOf('messages'));
    expect(order.indexOf('messages')).toBeLessThan(order.indexOf('attachments'));
    expect(header.tables.find((t) => t.name === 'messages')?.rows).toBe(4);

    const target = await emptyDatabase();
    const { migrated } = await restorePostgres(target, file);
    expect(migrated).toEqual([]);
    const [before, after] = [await contents(source), await contents(target)];
    expect(Object.keys(after)).toEqual(Object.keys(before));
    for (const table of Object.keys(before)) expect({ table, rows: after[table] }).toEqual({ table, rows: before[table] });
    // The values a JS number or a text encoding would damage, read back through the stores.
    const s = postgresRepositories(target);
    expect((await s.users.byId(BIGGEST))?.username).toBe('largest-id');
    expect((await s.presence.allTokens()).map((t) => [...t.tokenHash])).toEqual([[...TOKEN]]);
    // The sequences continue where they were: the next outbox row and the next K/V row get new ids.
    const next = await target<{ id: string }[]>`INSERT INTO event_outbox (events, node, created_at) VALUES ('[]', 'x', 1) RETURNING id`;
    expect(next[0]?.id).toBe('4');
  });

  test('a backup written while other writes commit is one snapshot: each commit is in it whole or not at all', async () => {
    const file = join(dir, 'busy.backup');
    // Every commit writes one settings row and one outbox row; the two tables are read by separate statements,
    // so only a single snapshot makes their counts agree.
    let writing = true;
    const writes = (async () => {
      let i = 0;
      while (writing) {
        await source.begin(async (tx) => {
          await tx`INSERT INTO settings (key, value) VALUES (${`busy.${i}`}, 'x')`;
          await tx`INSERT INTO event_outbox (events, node, created_at) VALUES ('[]', 'busy', ${i})`;
        });
        i++;
      }
      return i;
    })();
    await Bun.sleep(100);
    await backupPostgres(source, file);
    writing = false;
    const total = await writes;
    const target = await emptyDatabase();
    await restorePostgres(target, file);
    const [settings] = await target<{ n: string }[]>`SELECT count(*) AS n FROM settings WHERE key LIKE 'busy.%'`;
    const [outbox] = await target<{ n: string }[]>`SELECT count(*) AS n FROM event_outbox WHERE node = 'busy'`;
    expect(Number(settings?.n)).toBeGreaterThan(0);
    expect(Number(settings?.n)).toBeLessThanOrEqual(total);
    expect(outbox?.n).toBe(settings?.n as string);
  });

  test('a database that has any table is refused, and left as it was', async () => {
    const file = join(dir, 'refused.backup');
    await backupPostgres(source, file);
    const target = await emptyDatabase();
    await migratePostgres(target);
    const before = await contents(target);
    const attempt = restorePostgres(target, file);
    await expect(attempt).rejects.toBeInstanceOf(BackupError);
    await expect(attempt).rejects.toThrow(/target database is not empty .*restore into a new database/);
    expect(await contents(target)).toEqual(before);
  });

  test('a backup made by a newer Harmony (an unknown migration) is refused', async () => {
    const file = join(dir, 'newer.backup');
    await backupPostgres(source, file);
    const last = PG_MIGRATIONS[PG_MIGRATIONS.length - 1];
    const target = await emptyDatabase();
    const attempt = restorePostgres(target, file, PG_MIGRATIONS.slice(0, -1));
    await expect(attempt).rejects.toThrow(`migrations ${last?.id} are unknown here`);
    expect(await contents(target)).toEqual({});
  });

  test('an older backup is restored at its own schema, then migrated forward', async () => {
    const older = await emptyDatabase();
    const withoutLast = PG_MIGRATIONS.slice(0, -1);
    await migratePostgres(older, withoutLast);
    const file = join(dir, 'older.backup');
    await backupPostgres(older, file);
    const target = await emptyDatabase();
    const { migrated } = await restorePostgres(target, file);
    expect(migrated).toEqual([(PG_MIGRATIONS[PG_MIGRATIONS.length - 1] as { id: number }).id]);
  });

  test('a file that is not a backup, or a truncated one, restores nothing', async () => {
    const foreign = join(dir, 'foreign.backup');
    writeFileSync(foreign, 'SQLite format 3\u0000...');
    const target = await emptyDatabase();
    await expect(restorePostgres(target, foreign)).rejects.toThrow('is not a Harmony PostgreSQL backup');

    const whole = join(dir, 'whole.backup');
    await backupPostgres(source, whole);
    const lines = readFileSync(whole, 'utf8').trimEnd().split('\n');
    const truncated = join(dir, 'truncated.backup');
    writeFileSync(truncated, `${lines.slice(0, -2).join('\n')}\n`);
    await expect(restorePostgres(target, truncated)).rejects.toThrow('it is truncated');
    expect(await contents(target)).toEqual({});
  });

  test('harmony backup / restore --database-url from the command line', async () => {
    const file = join(dir, 'cli.backup');
    const made = await runHarmony(['backup', file, '--database-url', sourceUrl, '--data', join(dir, 'unused')]);
    expect(made.stderr).toBe('');
    expect(made.stdout).toMatch(/^PostgreSQL backup written to .*cli\.backup \(\d+ tables, \d+ rows, migrations up to \d+\)/);
    expect(made.code).toBe(0);
    const again = await runHarmony(['backup', file, '--database-url', sourceUrl]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists');

    const targetUrl = await freshDatabase('harmony_backup_cli');
    const restored = await runHarmony(['restore', file, '--database-url', targetUrl]);
    expect(restored.stderr).toBe('');
    expect(restored.stdout).toContain('restored');
    expect(restored.code).toBe(0);
    expect(await contents(open(targetUrl))).toEqual(await contents(source));

    const refused = await runHarmony(['restore', file, '--database-url', targetUrl]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^harmony: the target database is not empty/);
  });
});

// PostgreSQL migrations: the same ids as SQLite's, applied once even when several nodes start together (advisory
// lock), a failing migration leaves nothing behind, the final schema has SQLite's tables and columns, stores work
// inside a transaction (and roll back with it), and `harmony migrate --database-url` runs it all.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { join } from 'node:path';
import type { SQL } from 'bun';
import { openDatabase } from '../../../src/db/database.ts';
import { migrate } from '../../../src/db/migrate.ts';
import { MIGRATIONS } from '../../../src/db/migrations/index.ts';
import { openPostgres } from '../../../src/store/postgres/connection.ts';
import { MessagesStore, PresenceStateStore, UsersStore } from '../../../src/store/postgres/index.ts';
import { migratePostgres, type PgMigration } from '../../../src/store/postgres/migrate.ts';
import { PG_MIGRATIONS } from '../../../src/store/postgres/migrations/index.ts';
import { freshDatabase } from '../../support/postgres-server.ts';

const MAIN = join(import.meta.dir, '../../../src/main.ts');
const opened: SQL[] = [];

async function fresh(): Promise<{ url: string; sql: SQL }> {
  const url = await freshDatabase('harmony_migrate');
  const sql = openPostgres(url, { max: 4 });
  opened.push(sql);
  return { url, sql };
}

afterAll(async () => {
  for (const sql of opened) await sql.close();
});

describe('PostgreSQL migrations', () => {
  test('have exactly the ids of the SQLite migrations, so one schema_migrations table means the same on both', () => {
    expect(PG_MIGRATIONS.map((m) => [m.id, m.name])).toEqual(MIGRATIONS.map((m) => [m.id, m.name]));
  });

  test('three nodes starting at once apply each migration once; a later run applies nothing', async () => {
    const { url, sql } = await fresh();
    const nodes = [sql, openPostgres(url, { max: 2 }), openPostgres(url, { max: 2 })];
    opened.push(...nodes.slice(1));
    const results = await Promise.all(nodes.map((node) => migratePostgres(node)));
    const all = PG_MIGRATIONS.map((m) => m.id);
    expect(results.filter((r) => r.length > 0)).toEqual([all]);
    expect(results.filter((r) => r.length === 0)).toHaveLength(2);
    const recorded = await sql<{ id: number; name: string }[]>`SELECT id, name FROM schema_migrations ORDER BY id`;
    expect(recorded.map((r) => Number(r.id))).toEqual(all);
    expect(await migratePostgres(sql)).toEqual([]);
  });

  test('a migration that fails leaves no table and no record, and the ones before it stay applied', async () => {
    const { sql } = await fresh();
    const broken: PgMigration = {
      id: 9001,
      name: 'broken',
      async up(tx) {
        await tx`CREATE TABLE half_done (id BIGINT)`;
        await tx`SELECT no_such_column FROM users`;
      },
    };
    await expect(migratePostgres(sql, [...PG_MIGRATIONS, broken])).rejects.toThrow('no_such_column');
    const [table] = await sql`SELECT to_regclass('half_done') AS t`;
    expect(table.t).toBeNull();
    const ids = (await sql<{ id: number }[]>`SELECT id FROM schema_migrations ORDER BY id`).map((r) => Number(r.id));
    expect(ids).toEqual(PG_MIGRATIONS.map((m) => m.id));
  });

  test('the final schema has every SQLite table with the same columns (presence_kv adds seq for rowid order; search is a GIN index, not FTS5 tables and their queue)', async () => {
    const { sql } = await fresh();
    await migratePostgres(sql);
    const lite = openDatabase(':memory:');
    migrate(lite);
    const liteTables = lite
      .query<{ name: string }, []>("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .all()
      .map((r) => r.name)
      // FTS5's virtual table and its shadow tables are SQLite's search index; PostgreSQL's is a GIN index (below).
      // search_pending and search_indexed say which messages wait for FTS5 (migrations 0023, 0025); the GIN index
      // needs neither.
      .filter((name) => !name.startsWith('messages_fts') && name !== 'search_pending' && name !== 'search_indexed');
    const liteSchema = Object.fromEntries(
      liteTables.map((t) => [
        t,
        lite
          .query<{ name: string }, []>(`SELECT name FROM pragma_table_info('${t}')`)
          .all()
          .map((c) => c.name)
          .sort(),
      ]),
    );
    lite.close();
    const columns = await sql<{ table_name: string; column_name: string }[]>`
      SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, column_name`;
    const pgSchema: Record<string, string[]> = {};
    for (const c of columns) {
      const list = pgSchema[c.table_name] ?? [];
      list.push(c.column_name);
      pgSchema[c.table_name] = list;
    }
    for (const list of Object.values(pgSchema)) list.sort();
    expect(pgSchema.presence_kv).toContain('seq');
    pgSchema.presence_kv = (pgSchema.presence_kv ?? []).filter((c) => c !== 'seq');
    expect(pgSchema).toEqual(liteSchema);
    const [search] = await sql<{ def: string }[]>`SELECT indexdef AS def FROM pg_indexes WHERE indexname = 'messages_content_trgm'`;
    expect(search?.def).toContain('USING gin (harmony_search_fold(content) gin_trgm_ops)');
    // Triggers that carry behaviour across engines.
    const triggers = await sql<{ name: string }[]>`SELECT DISTINCT trigger_name AS name FROM information_schema.triggers ORDER BY 1`;
    expect(triggers.map((t) => t.name)).toEqual([
      'application_commands_of_deleted_bot',
      'attachments_file_deletion',
      'interactions_file_deletion',
      'presence_users_account_deleted',
    ]);
  });

  test('stores built over a transaction handle commit with it and roll back with it; atomic saves nest as savepoints', async () => {
    const { sql } = await fresh();
    await migratePostgres(sql);
    const user = (id: string) => ({ id, username: `u${id}`, passwordHash: null, bot: false, admin: false, createdAt: 1 });
    await sql.begin(async (tx) => {
      await new UsersStore(tx).insert(user('1300000000000000001'));
      await new PresenceStateStore(tx).save([{ userId: '1' } as never]);
    });
    expect(await new UsersStore(sql).byId('1300000000000000001')).not.toBeNull();
    expect(await new PresenceStateStore(sql).load()).toEqual([{ userId: '1' } as never]);
    const failing = sql.begin(async (tx) => {
      await new UsersStore(tx).insert(user('1300000000000000002'));
      await new PresenceStateStore(tx).save([]);
      // A message whose channel does not exist: the foreign key fails the whole unit of work.
      await new MessagesStore(tx).insert({
        id: '1300000000000000003',
        channelId: '1',
        guildId: null,
        authorId: '1300000000000000002',
        content: 'x',
        replyTo: null,
        mentionEveryone: false,
        mentions: [],
        pinned: false,
        nonce: null,
        embeds: [],
        components: [],
        suppressEmbeds: false,
        editedAt: null,
        createdAt: 1,
        webhook: null,
      });
    });
    await expect(failing).rejects.toThrow('messages_channel_id_fkey');
    expect(await new UsersStore(sql).byId('1300000000000000002')).toBeNull();
    expect(await new PresenceStateStore(sql).load()).toEqual([{ userId: '1' } as never]);
  });
});

describe('harmony migrate --database-url', () => {
  let url = '';
  beforeAll(async () => {
    url = (await fresh()).url;
  });

  async function run(...args: string[]) {
    const proc = Bun.spawn([process.execPath, MAIN, ...args], { stdout: 'pipe', stderr: 'pipe', env: { PATH: process.env.PATH ?? '' } });
    const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
    return { stdout, stderr, code };
  }

  test('creates the schema, then reports it up to date; the URL (with its password) is never printed', async () => {
    const first = await run('migrate', '--database-url', url);
    expect(first.stderr).toBe('');
    expect(first.stdout).toBe(`applied PostgreSQL migrations ${PG_MIGRATIONS.map((m) => m.id).join(', ')}\n`);
    expect(first.code).toBe(0);
    const again = await run('migrate', '--database-url', url);
    expect(again).toEqual({ stdout: 'PostgreSQL database is up to date\n', stderr: '', code: 0 });
  });

  test('a URL that is not postgres:// is refused; serve on a PostgreSQL that does not answer says so, without the password', async () => {
    const bad = await run('migrate', '--database-url', 'mysql://x');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--database-url must be a postgres:// or postgresql:// URL');
    const serve = await run('serve', '--database-url', 'postgres://harmony:s3cret@127.0.0.1:1/x', '--port', '0');
    expect(serve.code).toBe(2);
    expect(serve.stderr).toStartWith('harmony: cannot use the PostgreSQL database at postgres://harmony:***@127.0.0.1:1/x: ');
    expect(serve.stderr).not.toContain('s3cret');
  });
});

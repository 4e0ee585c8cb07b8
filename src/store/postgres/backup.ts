// `harmony backup` / `harmony restore` with --database-url: a logical snapshot of a Harmony PostgreSQL database.
//
// Backup reads every table in ONE transaction (REPEATABLE READ, READ ONLY: one snapshot, so the file is
// consistent while nodes keep writing, and nothing waits for it) and writes a JSON-lines file:
//   line 1   {"format":"harmony-postgres-backup","version":1,"createdAt":…,"migrations":[1,2,…],
//             "tables":[{"name","columns":[{"name","type"}],"rows"}…],"sequences":[{"table","column","value","called"}]}
//   then, per table in the header's order (referenced tables before the tables that refer to them), one line per
//   row: a JSON array of the columns' values in PostgreSQL's own text form (NULL as null).
// The text form is exact for every type Harmony uses: BIGINT snowflakes stay decimal strings (never a JS number),
// BYTEA is \x-hex, JSON/JSONB is its text, floats print their shortest exact form, timestamps are read in UTC.
//
// Restore goes into an EMPTY database only (a database with any table in it is refused: merging two histories is
// not a restore). In one transaction it recreates the schema by running exactly the migrations the backup was made
// at, checks that every table and column of the backup exists with the same type, loads the rows (each value cast
// back from text to its column's type; foreign keys are dropped for the load and added back after it, which checks
// them against every row), and sets every sequence where it was; then the migrations added since run
// as `harmony migrate` would run them. A backup made by a newer Harmony (a migration this one does not know) is refused.
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { SQL } from 'bun';
import { openPostgres } from './connection.ts';
import { MIGRATION_LOCK, migratePostgres, type PgMigration } from './migrate.ts';
import { PG_MIGRATIONS } from './migrations/index.ts';
import type { Db } from './sql.ts';

export const BACKUP_FORMAT = 'harmony-postgres-backup';
const VERSION = 1;

type Column = { name: string; type: string };
type TableInfo = { name: string; columns: Column[]; rows: number };
type Sequence = { table: string; column: string; value: string; called: boolean };
export type BackupHeader = {
  format: typeof BACKUP_FORMAT;
  version: number;
  createdAt: string;
  migrations: number[];
  tables: TableInfo[];
  sequences: Sequence[];
};

/** Refused input (a foreign file, a non-empty target, a newer backup): what the CLI prints as one line. */
export class BackupError extends Error {}

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;
const ROWS_PER_FETCH = 500;

/** The public schema's tables, every table after the tables its foreign keys refer to. */
async function tablesInOrder(sql: Db): Promise<string[]> {
  const tables = (await sql<{ name: string }[]>`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`).map((t) => t.name);
  const edges = await sql<{ child: string; parent: string }[]>`
    SELECT DISTINCT c.relname AS child, p.relname AS parent
    FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE k.contype = 'f' AND n.nspname = 'public' AND c.relname <> p.relname`;
  const ordered: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (table: string) => {
    if (state.get(table) === 'done') return;
    // A cycle (guilds and channels refer to each other) is cut anywhere: restore adds foreign keys after the rows.
    if (state.get(table) === 'visiting') return;
    state.set(table, 'visiting');
    for (const edge of edges) if (edge.child === table) visit(edge.parent);
    state.set(table, 'done');
    ordered.push(table);
  };
  for (const table of tables) visit(table);
  return ordered;
}

/** A table's columns as stored (generated columns left out: PostgreSQL computes them), in column order. */
async function columnsOf(sql: Db, table: string): Promise<Column[]> {
  return await sql<Column[]>`
    SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relname = ${table} AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
    ORDER BY a.attnum`;
}

async function primaryKeyOf(sql: Db, table: string): Promise<string[]> {
  const rows = await sql<{ name: string }[]>`
    SELECT a.attname AS name FROM pg_index i
    JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord) ON true
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
    WHERE i.indisprimary AND n.nspname = 'public' AND c.relname = ${table} ORDER BY k.ord`;
  return rows.map((r) => r.name);
}

/** Serial and identity columns' sequences, with where they stand. */
async function sequencesOf(sql: Db, tables: TableInfo[]): Promise<Sequence[]> {
  const out: Sequence[] = [];
  for (const table of tables) {
    for (const column of table.columns) {
      const [found] = await sql<{ seq: string | null }[]>`SELECT pg_get_serial_sequence(${ident(table.name)}, ${column.name}) AS seq`;
      if (!found?.seq) continue;
      const [state] = await sql.unsafe<{ value: string; called: boolean }[]>(`SELECT last_value::text AS value, is_called AS called FROM ${found.seq}`);
      if (state) out.push({ table: table.name, column: column.name, value: state.value, called: state.called });
    }
  }
  return out;
}

/** Writes the snapshot of the database `sql` reaches to `target` (a new file). Returns the header written. */
export async function backupPostgres(sql: SQL, target: string): Promise<BackupHeader> {
  const out = createWriteStream(target, { flags: 'wx' });
  const write = async (line: string) => {
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  };
  try {
    const header = await sql.begin('isolation level repeatable read read only', async (tx) => {
      await tx`SET LOCAL TimeZone = 'UTC'`;
      await tx`SET LOCAL DateStyle = 'ISO, YMD'`;
      await tx`SET LOCAL IntervalStyle = 'iso_8601'`;
      await tx`SET LOCAL extra_float_digits = 1`;
      const names = await tablesInOrder(tx);
      if (!names.includes('schema_migrations')) throw new BackupError('this database has no schema_migrations table: it is not a Harmony database');
      const tables: TableInfo[] = [];
      for (const name of names) {
        const [count] = await tx.unsafe<{ n: string }[]>(`SELECT count(*) AS n FROM ${ident(name)}`);
        tables.push({ name, columns: await columnsOf(tx, name), rows: Number(count?.n ?? 0) });
      }
      const migrations = (await tx<{ id: number }[]>`SELECT id FROM schema_migrations ORDER BY id`).map((r) => Number(r.id));
      const header: BackupHeader = {
        format: BACKUP_FORMAT,
        version: VERSION,
        createdAt: new Date().toISOString(),
        migrations,
        tables,
        sequences: await sequencesOf(tx, tables),
      };
      await write(JSON.stringify(header));
      for (const table of tables) {
        const key = await primaryKeyOf(tx, table.name);
        const order = key.length > 0 ? ` ORDER BY ${key.map(ident).join(', ')}` : '';
        const values = table.columns.map((c) => `${ident(c.name)}::text`).join(', ');
        // A cursor, so a large table streams through in pages instead of being held whole.
        await tx.unsafe(`DECLARE dump NO SCROLL CURSOR FOR SELECT json_build_array(${values})::text AS r FROM ${ident(table.name)}${order}`);
        let written = 0;
        for (;;) {
          const rows = await tx.unsafe<{ r: string }[]>(`FETCH ${ROWS_PER_FETCH} FROM dump`);
          for (const row of rows) await write(row.r);
          written += rows.length;
          if (rows.length < ROWS_PER_FETCH) break;
        }
        await tx.unsafe('CLOSE dump');
        if (written !== table.rows) throw new Error(`${table.name}: counted ${table.rows} rows but read ${written}`);
      }
      return header;
    });
    out.end();
    await once(out, 'finish');
    return header;
  } catch (error) {
    out.destroy();
    // Never leave a half-written backup that looks like one.
    await Bun.file(target)
      .delete()
      .catch(() => {});
    throw error;
  }
}

/** The lines of a backup file, the header first and checked. */
async function* readBackup(file: string): AsyncGenerator<string> {
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) yield line;
}

function parseHeader(line: string | undefined, file: string): BackupHeader {
  let header: Partial<BackupHeader> | null = null;
  try {
    header = line ? (JSON.parse(line) as Partial<BackupHeader>) : null;
  } catch {
    header = null;
  }
  if (!header || header.format !== BACKUP_FORMAT) throw new BackupError(`${file} is not a Harmony PostgreSQL backup (made by harmony backup --database-url)`);
  if (header.version !== VERSION) throw new BackupError(`${file} is a version ${header.version} backup; this Harmony reads version ${VERSION}`);
  return header as BackupHeader;
}

/**
 * Loads the backup `file` into the empty database `sql` reaches, then applies the migrations added since.
 * Returns the header and the migrations applied after the load.
 */
export async function restorePostgres(
  sql: SQL,
  file: string,
  migrations: PgMigration[] = PG_MIGRATIONS,
): Promise<{ header: BackupHeader; migrated: number[] }> {
  const lines = readBackup(file);
  const first = await lines.next();
  const header = parseHeader(first.done ? undefined : first.value, file);
  const known = new Map(migrations.map((m) => [m.id, m]));
  const unknown = header.migrations.filter((id) => !known.has(id));
  if (unknown.length > 0)
    throw new BackupError(`${file} was made by a newer Harmony (migrations ${unknown.join(', ')} are unknown here); restore it with that version or newer`);

  await sql.begin(async (tx) => {
    // A node starting meanwhile would migrate the half-restored database: it waits on the same lock instead.
    await tx`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK.toString()}::bigint)`;
    const existing = await tx<{ name: string }[]>`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename LIMIT 5`;
    if (existing.length > 0)
      throw new BackupError(
        `the target database is not empty (it has tables: ${existing.map((t) => t.name).join(', ')}${existing.length === 5 ? ', …' : ''}); restore into a new database (createdb) — nothing was changed`,
      );
    await tx`SET LOCAL TimeZone = 'UTC'`;
    await tx`SET LOCAL DateStyle = 'ISO, YMD'`;
    await tx`SET LOCAL IntervalStyle = 'iso_8601'`;
    // The schema as it was when the backup was made: the same migrations, in order.
    await tx`CREATE TABLE schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`;
    for (const id of [...header.migrations].sort((a, b) => a - b)) await (known.get(id) as PgMigration).up(tx);
    // What that schema holds must be what the backup holds, table by table and column by column.
    for (const table of header.tables) {
      const columns = await columnsOf(tx, table.name);
      const have = new Map(columns.map((c) => [c.name, c.type]));
      for (const column of table.columns) {
        if (have.get(column.name) !== column.type)
          throw new BackupError(
            `${file} does not match the schema of its migrations: ${table.name}.${column.name} is ${column.type} in the backup, ${have.get(column.name) ?? 'missing'} here`,
          );
      }
    }
    // Foreign keys go while the rows load (tables refer to each other in cycles) and come back after, checked
    // against every row then, as pg_dump does.
    const foreignKeys = await tx<{ table: string; name: string; definition: string }[]>`
      SELECT c.relname AS table, k.conname AS name, pg_get_constraintdef(k.oid) AS definition
      FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE k.contype = 'f' AND n.nspname = 'public' ORDER BY c.relname, k.conname`;
    for (const fk of foreignKeys) await tx.unsafe(`ALTER TABLE ${ident(fk.table)} DROP CONSTRAINT ${ident(fk.name)}`);
    for (const table of header.tables) {
      const casts = table.columns.map((c, i) => `(r->>${i})::${c.type}`).join(', ');
      const insert = `INSERT INTO ${ident(table.name)} (${table.columns.map((c) => ident(c.name)).join(', ')}) OVERRIDING SYSTEM VALUE
        SELECT ${casts} FROM json_array_elements($1::text::json) AS r`;
      let loaded = 0;
      let batch: string[] = [];
      const flush = async () => {
        if (batch.length === 0) return;
        await tx.unsafe(insert, [`[${batch.join(',')}]`]);
        loaded += batch.length;
        batch = [];
      };
      for (let i = 0; i < table.rows; i++) {
        const next = await lines.next();
        if (next.done) throw new BackupError(`${file} ends inside table ${table.name} (${loaded + batch.length} of ${table.rows} rows): it is truncated`);
        batch.push(next.value);
        if (batch.length === ROWS_PER_FETCH) await flush();
      }
      await flush();
    }
    const rest = await lines.next();
    if (!rest.done && rest.value.trim() !== '') throw new BackupError(`${file} has more rows than its header counts: it is damaged`);
    for (const fk of foreignKeys) await tx.unsafe(`ALTER TABLE ${ident(fk.table)} ADD CONSTRAINT ${ident(fk.name)} ${fk.definition}`);
    for (const seq of header.sequences) {
      await tx`SELECT setval(pg_get_serial_sequence(${ident(seq.table)}, ${seq.column}), ${seq.value}::bigint, ${seq.called})`;
    }
  });
  return { header, migrated: await migratePostgres(sql, migrations) };
}

/** `harmony backup <file> --database-url …`. */
export async function backupPostgresDatabase(url: string, target: string): Promise<BackupHeader> {
  const sql = openPostgres(url, { max: 1 });
  try {
    return await backupPostgres(sql, target);
  } finally {
    await sql.close();
  }
}

/** `harmony restore <file> --database-url …`. */
export async function restorePostgresDatabase(url: string, file: string): Promise<{ header: BackupHeader; migrated: number[] }> {
  const sql = openPostgres(url, { max: 1 });
  try {
    return await restorePostgres(sql, file);
  } finally {
    await sql.close();
  }
}

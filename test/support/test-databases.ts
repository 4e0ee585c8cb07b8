// Where `startServer` keeps a test server's data: a SQLite file in its data folder (the default), or, with
// HARMONY_TEST_ENGINE=postgres, a database of its own on the test process's throwaway PostgreSQL cluster
// (postgres-server.ts). Migrating a database takes a while, so the process migrates one template database once and
// each server gets a copy of it (`CREATE DATABASE … TEMPLATE …`, a file copy), dropped when the server stops. A
// server started over an explicit `dataDir` (a test playing a restart) gets the database named after that folder
// and keeps it on stop, so the next server over the same folder finds its data again.
import type { Database } from 'bun:sqlite';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { SQL } from 'bun';
import { openDatabase } from '../../src/db/database.ts';
import { openPostgres } from '../../src/store/postgres/connection.ts';
import { migratePostgres } from '../../src/store/postgres/migrate.ts';
import { sharedPostgres } from './postgres-server.ts';

export type TestEngine = 'sqlite' | 'postgres';

/** The engine end-to-end tests run on: HARMONY_TEST_ENGINE=postgres, or SQLite. */
export function testEngine(): TestEngine {
  const name = process.env.HARMONY_TEST_ENGINE ?? 'sqlite';
  if (name !== 'sqlite' && name !== 'postgres') throw new Error(`HARMONY_TEST_ENGINE must be sqlite or postgres, not ${name}`);
  return name;
}

/** A server's storage: what createApp takes, its URL on PostgreSQL, and what to do once the server has stopped. */
export type TestStorage = { db: Database | SQL; databaseUrl: string | null; release: () => Promise<void> };

export async function openTestStorage(dir: string, keep: boolean): Promise<TestStorage> {
  if (testEngine() === 'sqlite') return { db: openDatabase(join(dir, 'harmony.db')), databaseUrl: null, release: async () => {} };
  const name = keep ? `harmony_dir_${createHash('sha256').update(dir).digest('hex').slice(0, 20)}` : `harmony_test_${process.pid}_${++counter}`;
  const url = await databaseFromTemplate(name);
  return { db: openPostgres(url), databaseUrl: url, release: async () => (keep ? undefined : await dropDatabase(name)) };
}

let counter = 0;
let admin: Promise<{ sql: SQL; urlOf: (name: string) => string }> | null = null;
let template: Promise<string> | null = null;

/** One connection to the cluster's `postgres` database for CREATE / DROP DATABASE. */
function adminConnection() {
  admin ??= sharedPostgres().then((server) => ({
    sql: new SQL({ url: server.url, max: 1 }),
    urlOf: (name: string) => `postgres://postgres@127.0.0.1:${server.port}/${name}`,
  }));
  return admin;
}

/** The migrated template, made once per process; nothing stays connected to it (a template must be idle to copy). */
function migratedTemplate(): Promise<string> {
  template ??= (async () => {
    const { sql, urlOf } = await adminConnection();
    const name = `harmony_template_${process.pid}`;
    await sql.unsafe(`CREATE DATABASE ${name}`);
    const pool = openPostgres(urlOf(name), { max: 1 });
    try {
      await migratePostgres(pool);
    } finally {
      await pool.close();
    }
    return name;
  })();
  return template;
}

/** The database `name` (names here are [a-z0-9_] only), copied from the template unless it exists already. */
async function databaseFromTemplate(name: string): Promise<string> {
  const source = await migratedTemplate();
  const { sql, urlOf } = await adminConnection();
  const exists = await sql`SELECT 1 FROM pg_database WHERE datname = ${name}`;
  if (exists.length === 0) await sql.unsafe(`CREATE DATABASE ${name} TEMPLATE ${source}`);
  return urlOf(name);
}

async function dropDatabase(name: string): Promise<void> {
  const { sql } = await adminConnection();
  await sql.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}

// Applies the PostgreSQL migrations once each, recorded in schema_migrations (the same table and ids as SQLite's),
// each in its own transaction: a migration that throws leaves the database as it was (PostgreSQL's DDL is
// transactional). Several nodes starting at once migrate once: the whole run holds a session-level advisory lock,
// so the second node waits, then finds everything applied.
import type { SQL } from 'bun';
import { openPostgres } from './connection.ts';
import { PG_MIGRATIONS } from './migrations/index.ts';

export type PgMigration = { id: number; name: string; up: (sql: SQL) => Promise<void> };

/** The advisory lock key all Harmony nodes take around migrations (any constant; "harmony" in ASCII). */
export const MIGRATION_LOCK = 0x6861726d6f6e79n;

export async function migratePostgres(sql: SQL, migrations: PgMigration[] = PG_MIGRATIONS): Promise<number[]> {
  const ids = migrations.map((m) => m.id);
  if (new Set(ids).size !== ids.length) throw new Error('two PostgreSQL migrations share an id');
  // An advisory lock belongs to one connection: reserve one for the whole run.
  const conn = await sql.reserve();
  try {
    await conn`SELECT pg_advisory_lock(${MIGRATION_LOCK.toString()}::bigint)`;
    try {
      await conn`CREATE TABLE IF NOT EXISTS schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`;
      const done = new Set((await conn<{ id: number }[]>`SELECT id FROM schema_migrations`).map((row) => Number(row.id)));
      const applied: number[] = [];
      for (const migration of [...migrations].sort((a, b) => a.id - b.id)) {
        if (done.has(migration.id)) continue;
        await conn.begin(async (tx) => {
          await migration.up(tx);
          await tx`INSERT INTO schema_migrations (id, name, applied_at) VALUES (${migration.id}, ${migration.name}, ${Date.now()})`;
        });
        applied.push(migration.id);
      }
      return applied;
    } finally {
      await conn`SELECT pg_advisory_unlock(${MIGRATION_LOCK.toString()}::bigint)`;
    }
  } finally {
    conn.release();
  }
}

/** `harmony migrate --database-url …`: connects, migrates (waiting for any other node doing the same) and disconnects. */
export async function migratePostgresDatabase(url: string): Promise<number[]> {
  const sql = openPostgres(url, { max: 1 });
  try {
    return await migratePostgres(sql);
  } finally {
    await sql.close();
  }
}

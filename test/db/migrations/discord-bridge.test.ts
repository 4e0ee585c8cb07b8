// Migration 0003 moves the presence tables off `users` so mirrored Discord members (no Harmony account) can
// own K/V, tokens and GitHub links: existing data must survive it unchanged, and deleting an account must
// still delete its presence data.

import type { Database } from 'bun:sqlite';
import { describe, expect, it } from 'bun:test';
import { openDatabase } from '../../../src/db/database.ts';
import { migrate } from '../../../src/db/migrate.ts';
import { initial } from '../../../src/db/migrations/0001-initial.ts';
import { presence } from '../../../src/db/migrations/0002-presence.ts';
import { discordBridge } from '../../../src/db/migrations/0003-discord-bridge.ts';

const ALICE = '1300000000000000001';
const BOB = '1300000000000000002';
const DISCORD_MEMBER = '470320681905684500';

/** A database at migration 2 with two opted-in users and some of everything. */
function atMigration2(): Database {
  const db = openDatabase(':memory:');
  expect(migrate(db, [initial, presence])).toEqual([1, 2]);
  for (const [id, name] of [
    [ALICE, 'alice'],
    [BOB, 'bob'],
  ] as const) {
    db.query('INSERT INTO users (id, username, username_key, created_at) VALUES (?, ?, ?, 1)').run(id, name, name);
    db.query('INSERT INTO presence_users (user_id, shared, last_seen, created_at) VALUES (?, 1, 1700000000000, 5)').run(id);
  }
  for (const key of ['zeta', 'alpha', '_private', 'mid']) db.query('INSERT INTO presence_kv (user_id, key, value) VALUES (?, ?, ?)').run(ALICE, key, `${key}!`);
  db.query("INSERT INTO presence_kv (user_id, key, value) VALUES (?, 'b', 'bob')").run(BOB);
  db.query('INSERT INTO presence_tokens (user_id, token_hash, created_at) VALUES (?, ?, 7)').run(ALICE, new Uint8Array(32).fill(1));
  db.query(`INSERT INTO presence_github (user_id, username, profile, fetched_at, linked_at) VALUES (?, 'octocat', '{"id":1}', 8, 8)`).run(ALICE);
  return db;
}

// Up to this migration only: later ones are not this test's business.
const migrate3 = (db: Database) => migrate(db, [initial, presence, discordBridge]);

const count = (db: Database, table: string, userId: string) =>
  Number(db.query<{ n: bigint }, [string]>(`SELECT count(*) AS n FROM ${table} WHERE user_id = ?`).get(userId)?.n);

describe('migration 0003 (discord-bridge)', () => {
  it('keeps every presence row, the K/V order included', () => {
    const db = atMigration2();
    expect(migrate3(db)).toEqual([3]);
    const kv = db.query<{ key: string; value: string }, [string]>('SELECT key, value FROM presence_kv WHERE user_id = ? ORDER BY rowid').all(ALICE);
    expect(kv).toEqual([
      { key: 'zeta', value: 'zeta!' },
      { key: 'alpha', value: 'alpha!' },
      { key: '_private', value: '_private!' },
      { key: 'mid', value: 'mid!' },
    ]);
    const users = db.query('SELECT user_id, shared, guild_id, last_seen, created_at FROM presence_users ORDER BY user_id').all();
    expect(users).toEqual([
      { user_id: BigInt(ALICE), shared: 1n, guild_id: null, last_seen: 1700000000000n, created_at: 5n },
      { user_id: BigInt(BOB), shared: 1n, guild_id: null, last_seen: 1700000000000n, created_at: 5n },
    ]);
    expect(db.query('SELECT user_id, created_at FROM presence_tokens').all()).toEqual([{ user_id: BigInt(ALICE), created_at: 7n }]);
    expect(db.query('SELECT username, profile, fetched_at, linked_at FROM presence_github').all()).toEqual([
      { username: 'octocat', profile: '{"id":1}', fetched_at: 8n, linked_at: 8n },
    ]);
    expect(db.query('SELECT name FROM sqlite_master WHERE name LIKE ?').all('%_0002')).toEqual([]);
    expect(db.query('PRAGMA foreign_key_check').all()).toEqual([]);
  });

  it('lets a mirrored member without an account own K/V, a token and a profile', () => {
    const db = atMigration2();
    migrate3(db);
    db.query('INSERT INTO presence_users (user_id, shared, created_at) VALUES (?, 1, 9)').run(DISCORD_MEMBER);
    db.query(
      "INSERT INTO external_profiles (user_id, source, guild_id, username, nick, updated_at) VALUES (?, 'discord', 1100000000000000000, 'vaq', 'Vaq here', 9)",
    ).run(DISCORD_MEMBER);
    db.query("INSERT INTO presence_kv (user_id, key, value) VALUES (?, 'hi', 'no')").run(DISCORD_MEMBER);
    db.query('INSERT INTO presence_tokens (user_id, token_hash, created_at) VALUES (?, ?, 9)').run(DISCORD_MEMBER, new Uint8Array(32).fill(2));
    expect(count(db, 'presence_kv', DISCORD_MEMBER)).toBe(1);
    expect(db.query('PRAGMA foreign_key_check').all()).toEqual([]);
  });

  it('still refuses K/V for nobody: rows hang off presence_users', () => {
    const db = atMigration2();
    migrate3(db);
    expect(() => db.query("INSERT INTO presence_kv (user_id, key, value) VALUES (42, 'k', 'v')").run()).toThrow(/FOREIGN KEY/);
  });

  it("deletes an account's presence data with the account, and nobody else's", () => {
    const db = atMigration2();
    migrate3(db);
    db.query('DELETE FROM users WHERE id = ?').run(ALICE);
    for (const table of ['presence_users', 'presence_kv', 'presence_tokens', 'presence_github']) expect(count(db, table, ALICE)).toBe(0);
    expect(count(db, 'presence_kv', BOB)).toBe(1);
    expect(count(db, 'presence_users', BOB)).toBe(1);
  });

  it('leaves a mirrored member alone when an account with the same id is deleted', () => {
    const db = atMigration2();
    migrate3(db);
    db.query('INSERT INTO presence_users (user_id, shared, created_at) VALUES (?, 1, 9)').run(DISCORD_MEMBER);
    db.query("INSERT INTO external_profiles (user_id, source, guild_id, username, updated_at) VALUES (?, 'discord', 1, 'vaq', 9)").run(DISCORD_MEMBER);
    db.query("INSERT INTO users (id, username, username_key, created_at) VALUES (?, 'same', 'same', 1)").run(DISCORD_MEMBER);
    db.query('DELETE FROM users WHERE id = ?').run(DISCORD_MEMBER);
    expect(count(db, 'presence_users', DISCORD_MEMBER)).toBe(1);
    expect(count(db, 'external_profiles', DISCORD_MEMBER)).toBe(1);
  });

  it('applies once: a second run changes nothing', () => {
    const db = atMigration2();
    expect(migrate3(db)).toEqual([3]);
    expect(migrate3(db)).toEqual([]);
  });
});

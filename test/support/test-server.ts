// Starts a real Harmony on port 0 over a real SQLite file in a temp folder (or, with HARMONY_TEST_ENGINE=postgres,
// a fresh PostgreSQL database: test-databases.ts), and gives tests a small HTTP client for it. Every end-to-end test
// goes through this.
import { Database } from 'bun:sqlite';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SQL } from 'bun';
import { createApp, type Harmony } from '../../src/app.ts';
import { type Config, defaultConfig } from '../../src/config.ts';
import type { Clock } from '../../src/domain/clock.ts';
import { tokenDigest } from '../../src/domain/tokens.ts';
import { attachGateways } from '../../src/gateways.ts';
import { openTestStorage, type TestEngine, testEngine } from './test-databases.ts';

export type TestServer = {
  harmony: Harmony;
  url: string;
  dir: string;
  api: (
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string>; scheme?: string },
  ) => Promise<{ status: number; body: any; headers: Headers }>;
  stop: () => Promise<void>;
  /** The engine the server runs on (HARMONY_TEST_ENGINE). */
  engine: TestEngine;
  /**
   * The rows of one statement written with `?` placeholders, on either engine, for tests that look at rows directly.
   * Integers come back as the engine hands them out (bigint on SQLite, a string for BIGINT on PostgreSQL): compare
   * them through Number().
   */
  rows: <T = Record<string, unknown>>(sql: string, ...args: unknown[]) => Promise<T[]>;
  /** Records the statements the server sends to its database from now until `stop()`, `?` for each parameter. */
  recordStatements: () => { statements: string[]; stop: () => void };
  /** The server's SQLite database: only for the tests sqlite-only.ts lists (it throws on PostgreSQL). */
  db: Database;
};

/**
 * `overrides.dataDir` reuses a folder (kept on stop, so a test can start a new server over the same data, e.g. on the
 * same `port` to play a restart); otherwise a temp folder is made and removed on stop.
 */
export async function startServer(overrides: Partial<Config> = {}, clock?: Clock): Promise<TestServer> {
  const ownDir = overrides.dataDir === undefined;
  const dir = overrides.dataDir ?? mkdtempSync(join(tmpdir(), 'harmony-test-'));
  const storage = await openTestStorage(dir, !ownDir);
  const config = defaultConfig({ dataDir: dir, port: 0, host: '127.0.0.1', databaseUrl: storage.databaseUrl, ...overrides });
  const recorder = statementRecorder(storage.db);
  const harmony = await createApp({ db: recorder.db, config, clock: clock ?? { now: () => Date.now() } });
  attachGateways(harmony);
  const { url } = harmony.listen({ port: config.port, hostname: config.host });
  // Each kind of token is taken only under its own scheme: tests name one only to send the wrong one.
  const schemeOf = async (token: string) => ((await harmony.core.uow.repos.users.byBotTokenHash(tokenDigest(token))) ? 'Bot' : 'Bearer');
  const api: TestServer['api'] = async (method, path, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `${options.scheme ?? (await schemeOf(options.token))} ${options.token}`;
    let body: string | undefined = options.raw;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] = 'application/json';
    }
    const response = await fetch(url + path, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {}
    return { status: response.status, body: parsed, headers: response.headers };
  };
  const { db } = storage;
  const rows: TestServer['rows'] = async <T>(sql: string, ...args: unknown[]) => {
    if (db instanceof Database) return db.query(sql).all(...(args as never[])) as T[];
    let n = 0;
    return (await db.unsafe(
      sql.replace(/\?/g, () => `$${++n}`),
      args,
    )) as T[];
  };
  return {
    harmony,
    url,
    dir,
    api,
    engine: testEngine(),
    rows,
    recordStatements: recorder.record,
    get db(): Database {
      if (db instanceof Database) return db;
      throw new Error('server.db is the SQLite database: list this test in test/support/sqlite-only.ts or use server.rows');
    },
    stop: async () => {
      await harmony.stop();
      await storage.release();
      if (ownDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The database as createApp gets it, with a tap that records each statement while a test asks for it. SQLite's
 * statements pass through `query` and `prepare`; PostgreSQL's through the pool and the handles it lends to a
 * transaction or savepoint (tagged templates and `unsafe`; BEGIN / SAVEPOINT themselves are not recorded, as
 * SQLite's are not).
 */
function statementRecorder(db: Database | SQL): { db: Database | SQL; record: TestServer['recordStatements'] } {
  let sink: string[] | null = null;
  if (db instanceof Database) {
    const query = db.query.bind(db);
    const prepare = db.prepare.bind(db);
    db.query = ((sql: string) => {
      sink?.push(sql);
      return query(sql);
    }) as typeof db.query;
    db.prepare = ((sql: string, ...rest: never[]) => {
      sink?.push(sql);
      return prepare(sql, ...rest);
    }) as typeof db.prepare;
  }
  const tap = (sql: SQL): SQL =>
    new Proxy(sql, {
      apply(target, self, args) {
        const [strings] = args as [unknown];
        if (sink && Array.isArray(strings) && 'raw' in strings) sink.push(strings.join('?'));
        return Reflect.apply(target, self, args);
      },
      get(target, key) {
        const value = Reflect.get(target, key, target);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (sink && key === 'unsafe') sink.push(String(args[0]));
          // begin(fn), savepoint(fn), reserve(): the handle they lend runs statements of its own.
          const lent = args.map((arg) => (typeof arg === 'function' ? (handle: SQL) => arg(tap(handle)) : arg));
          const result = value.apply(target, lent);
          return key === 'reserve' ? Promise.resolve(result).then((handle: SQL) => tap(handle)) : result;
        };
      },
    });
  return {
    db: db instanceof Database ? db : tap(db),
    record: () => {
      const statements: string[] = [];
      sink = statements;
      return {
        statements,
        stop: () => {
          if (sink === statements) sink = null;
        },
      };
    },
  };
}

/** Registers a person and returns their id and session token. */
export async function register(server: TestServer, username: string, password = 'correct horse battery') {
  const res = await server.api('POST', '/api/v1/auth/register', { body: { username, password } });
  if (res.status !== 201) throw new Error(`register ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.user.id as string, token: res.body.token as string, user: res.body.user };
}

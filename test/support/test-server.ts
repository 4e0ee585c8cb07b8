// Starts a real Harmony on port 0 over a real SQLite file in a temp folder, and gives tests
// a small HTTP client for it. Every end-to-end test goes through this.
import type { Database } from 'bun:sqlite';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type Harmony } from '../../src/app.ts';
import { type Config, defaultConfig } from '../../src/config.ts';
import { openDatabase } from '../../src/db/database.ts';
import type { Clock } from '../../src/domain/clock.ts';
import { tokenDigest } from '../../src/domain/tokens.ts';
import { attachGateways } from '../../src/gateways.ts';

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
  /** The server's SQLite database, for tests that look at rows directly. */
  db: Database;
};

/**
 * `overrides.dataDir` reuses a folder (kept on stop, so a test can start a new server over the same data, e.g. on the
 * same `port` to play a restart); otherwise a temp folder is made and removed on stop.
 */
export async function startServer(overrides: Partial<Config> = {}, clock?: Clock): Promise<TestServer> {
  const ownDir = overrides.dataDir === undefined;
  const dir = overrides.dataDir ?? mkdtempSync(join(tmpdir(), 'harmony-test-'));
  const config = defaultConfig({ dataDir: dir, port: 0, host: '127.0.0.1', ...overrides });
  const db = openDatabase(join(dir, 'harmony.db'));
  const harmony = await createApp({ db, config, clock: clock ?? { now: () => Date.now() } });
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
  return {
    harmony,
    url,
    dir,
    api,
    db,
    stop: async () => {
      await harmony.stop();
      if (ownDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Registers a person and returns their id and session token. */
export async function register(server: TestServer, username: string, password = 'correct horse battery') {
  const res = await server.api('POST', '/api/v1/auth/register', { body: { username, password } });
  if (res.status !== 201) throw new Error(`register ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.user.id as string, token: res.body.token as string, user: res.body.user };
}

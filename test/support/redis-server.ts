// A throwaway `redis-server` (Debian's package) for tests that need Redis: loopback only, a free port, its own temp
// folder, no persistence (no RDB snapshots, no AOF) unless asked, and stopped afterwards. CI starts from nothing:
// .ci/deps installs the package. stop() then start() again on the same port is how a test makes Redis go away and
// come back.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RedisClient } from 'bun';
import { freePort } from './child-server.ts';

export type TestRedis = {
  /** redis://127.0.0.1:<port> */
  url: string;
  port: number;
  /** Stops the server (SIGTERM, then waits for it to exit); the port stays reserved for start(). */
  stop: () => Promise<void>;
  /** Starts it again on the same port (after stop()). With persistence on, it reloads what it saved. */
  start: () => Promise<void>;
  /** Stops it and removes its folder. */
  close: () => Promise<void>;
  /** The running server's process id (null while stopped). */
  pid: () => number | null;
};

export type TestRedisOptions = { persist?: boolean };

const BINARY = ['/usr/bin/redis-server', '/usr/sbin/redis-server'].find((path) => Bun.file(path).size > 0) ?? 'redis-server';

export async function startRedis(options: TestRedisOptions = {}): Promise<TestRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'harmony-redis-'));
  const port = freePort();
  const persistence = options.persist ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--save', '', '--appendonly', 'no'];
  let child: ReturnType<typeof Bun.spawn> | null = null;

  async function start(): Promise<void> {
    if (child) return;
    const proc = Bun.spawn(
      [BINARY, '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--protected-mode', 'yes', '--daemonize', 'no', ...persistence],
      { stdout: 'pipe', stderr: 'pipe' },
    );
    child = proc;
    const deadline = Date.now() + 10_000;
    while (!(await answers(port))) {
      if (proc.exitCode !== null) throw new Error(`redis-server exited with ${proc.exitCode}: ${await new Response(proc.stdout as ReadableStream).text()}`);
      if (Date.now() > deadline) throw new Error('redis-server did not start within 10 s');
      await Bun.sleep(20);
    }
  }

  async function stop(): Promise<void> {
    const proc = child;
    child = null;
    if (!proc) return;
    proc.kill('SIGTERM');
    await proc.exited;
  }

  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    start,
    stop,
    pid: () => child?.pid ?? null,
    close: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** True once something on the port answers PING with PONG. */
async function answers(port: number): Promise<boolean> {
  const client = new RedisClient(`redis://127.0.0.1:${port}`, { enableOfflineQueue: false, autoReconnect: false, connectionTimeout: 500 });
  try {
    await client.connect();
    return (await client.send('PING', [])) === 'PONG';
  } catch {
    return false;
  } finally {
    client.close();
  }
}

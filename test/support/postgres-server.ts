// A throwaway PostgreSQL cluster for tests and local experiments: initdb in a temp dir, listening on loopback only
// (no Unix socket in a shared place), on a free port, stopped and deleted afterwards. PostgreSQL refuses to run as
// root, so when the test process is root the cluster runs as `nobody` with the temp dir owned by it. One cluster per
// test process (`sharedPostgres`), one fresh database per test file (`freshDatabase`).
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SQL } from 'bun';

export type PostgresServer = {
  /** postgres://… of the cluster's `postgres` database (superuser, trust auth on loopback). */
  url: string;
  port: number;
  /** Creates a new empty database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Stops the server (fast shutdown: connections are cut) but keeps its data, for start() on the same port. */
  pause(): void;
  /** Starts a paused server again. */
  resume(): void;
  stop(): void;
};

/** Debian's layout first (`postgresql` package), then whatever is on PATH. */
export function postgresBinDir(): string {
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return join(root, versions[0], 'bin');
  }
  const which = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' });
  if (which.status === 0 && which.stdout.trim()) return join(which.stdout.trim(), '..');
  throw new Error('PostgreSQL is not installed (Debian: apt-get install postgresql); .ci/deps installs it');
}

async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Runs a PostgreSQL binary as the cluster's owner: directly when we are not root, through `runuser` when we are. */
function runAs(owner: { uid: number; name: string } | null, command: string, args: string[]): void {
  const result =
    owner === null ? spawnSync(command, args, { encoding: 'utf8' }) : spawnSync('runuser', ['-u', owner.name, '--', command, ...args], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}): ${result.stderr || result.stdout}`);
}

/**
 * `bun test` does not run 'exit' handlers, and a killed test process runs nothing: a detached watchdog stops the
 * cluster and deletes its folder once this process is gone, however it ended. (A cluster stopped normally makes its
 * pg_ctl a no-op.)
 */
function watchParent(owner: { name: string } | null, pgCtl: string, data: string, dir: string): void {
  const stopCmd = `${owner ? `runuser -u ${owner.name} -- ` : ''}${pgCtl} -D '${data}' -m immediate -w stop`;
  const script = `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; ${stopCmd} >/dev/null 2>&1; rm -rf '${dir}'`;
  const watchdog = spawn('sh', ['-c', script], { detached: true, stdio: 'ignore' });
  watchdog.unref();
}

export async function startPostgres(): Promise<PostgresServer> {
  const bin = postgresBinDir();
  const root = process.getuid?.() === 0;
  const owner = root ? { uid: Number(spawnSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).stdout.trim()), name: 'nobody' } : null;
  const gid = root ? Number(spawnSync('id', ['-g', 'nobody'], { encoding: 'utf8' }).stdout.trim()) : 0;
  const dir = mkdtempSync(join(tmpdir(), 'harmony-pg-'));
  const data = join(dir, 'data');
  if (owner) {
    chmodSync(dir, 0o700);
    chownSync(dir, owner.uid, gid);
  }
  runAs(owner, join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8', '--no-sync']);
  const port = await freePort();
  // Durability is not what a throwaway cluster is for: fsync off makes schema set-up per test file fast.
  const options = [`-p ${port}`, "-c listen_addresses='127.0.0.1'", `-k ${dir}`, '-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off'];
  const start = () => runAs(owner, join(bin, 'pg_ctl'), ['-D', data, '-l', join(dir, 'log'), '-o', options.join(' '), '-w', '-t', '60', 'start']);
  start();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    try {
      runAs(owner, join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  process.once('exit', stop);
  watchParent(owner, join(bin, 'pg_ctl'), data, dir);
  return {
    url,
    port,
    async createDatabase(name) {
      const admin = new SQL({ url, max: 1 });
      try {
        await admin.unsafe(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
      } finally {
        await admin.close();
      }
      return `postgres://postgres@127.0.0.1:${port}/${encodeURIComponent(name)}`;
    },
    pause: () => runAs(owner, join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop']),
    resume: start,
    stop,
  };
}

let shared: Promise<PostgresServer> | null = null;
let counter = 0;

/** The test process's one cluster, started on first use and stopped when the process exits. */
export function sharedPostgres(): Promise<PostgresServer> {
  shared ??= startPostgres();
  return shared;
}

/** A new empty database on the shared cluster, for one test file (or one test). */
export async function freshDatabase(prefix = 'harmony_test'): Promise<string> {
  const server = await sharedPostgres();
  counter += 1;
  return await server.createDatabase(`${prefix}_${process.pid}_${counter}`);
}

// `bun test/support/postgres-server.ts`: start one for manual use and print its URL until Ctrl-C.
if (import.meta.main) {
  const server = await startPostgres();
  console.log(server.url);
  process.on('SIGINT', () => {
    server.stop();
    process.exit(0);
  });
  await new Promise(() => {});
}

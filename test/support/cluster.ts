// A whole Harmony instance on one machine, as issue 13 deploys it: PostgreSQL (data), Redis (fan-out, sessions,
// limits, worker ids), an S3-compatible server (files) and N `harmony serve` processes behind nginx running the
// configuration of docs/operations.md. For the cluster tests (test/cluster/): start it in a few seconds, SIGKILL
// and restart any node (on the same port, so nginx's upstream stays right), stop everything afterwards and leave
// no process and no folder behind, even when the test process itself is killed (a detached watchdog).
//
// Storage:
// - 'postgres' (the default): every node runs `serve --database-url <one fresh database>`; the database is migrated
//   once beforehand with `harmony migrate --database-url`, as an operator does.
// - 'shared-sqlite': every node serves one SQLite data folder (what test/cluster/two-nodes.test.ts does). A stand-in
//   ONLY for tests, until `serve --database-url` runs the domain (never a deployment: SQLite is one machine's).
//
// `bun test/support/cluster.ts [N]` starts one by hand and prints its addresses until Ctrl-C.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ChildServer, freePort, ok, runHarmony, startChild } from './child-server.ts';
import { documentedNodesConfig, type Nginx, startNginxWith } from './nginx.ts';
import { type PostgresServer, startPostgres } from './postgres-server.ts';
import { startRedis, type TestRedis, type TestRedisOptions } from './redis-server.ts';
import { S3_SECRET_ACCESS_KEY, type S3Server, startS3Server } from './s3-server.ts';

export type ClusterStorage = 'postgres' | 'shared-sqlite';

export type ClusterServices = {
  postgres: PostgresServer;
  /** The instance's database (migrated). */
  databaseUrl: string;
  redis: TestRedis;
  s3: S3Server;
  /** The temp folder holding the nodes' data folders (and the watchdog's pid list). */
  dir: string;
};

export type ClusterNode = {
  /** `node-1`, `node-2`, …: its --node-id. */
  id: string;
  port: number;
  /** http://127.0.0.1:<port>: the node itself, not through nginx (/metrics is served only there). */
  url: string;
  /** The running process, or null while killed/stopped. */
  server: ChildServer | null;
  /** Sends `signal` (SIGKILL unless told) and waits for the exit code. */
  kill: (signal?: NodeJS.Signals) => Promise<number>;
  /** Starts it again on the same port with the same flags. */
  restart: () => Promise<void>;
};

export type TestCluster = {
  services: ClusterServices;
  nginx: Nginx;
  /** http://127.0.0.1:<nginx port>: what clients use (also every node's --public-url). */
  url: string;
  /** ws://127.0.0.1:<nginx port>. */
  wsUrl: string;
  nodes: ClusterNode[];
  /** The ids of every process the cluster started that is still alive (empty after stop()). */
  alive: () => number[];
  stop: () => Promise<void>;
};

export type ClusterOptions = {
  nodes?: number;
  storage?: ClusterStorage;
  /** More `harmony serve` flags for every node (e.g. ['--rate-limits', 'on']). */
  flags?: string[];
  /** Services already started (startServices()); the cluster then owns them and stop() stops them too. */
  services?: ClusterServices;
};

/** The environment every node gets: the S3 secret (never a flag: flags show in `ps`). */
export const NODE_ENV = { HARMONY_S3_SECRET_ACCESS_KEY: S3_SECRET_ACCESS_KEY };

/**
 * PostgreSQL, Redis and the S3 server, started together; the database created and migrated through the CLI.
 * `redis` as for startRedis (persist: Redis keeps its data across a stop()/start(), as a production Redis with AOF).
 */
export async function startServices(options: { redis?: TestRedisOptions } = {}): Promise<ClusterServices> {
  const dir = mkdtempSync(join(tmpdir(), 'harmony-cluster-'));
  const [postgres, redis, s3] = await Promise.all([startPostgres(), startRedis(options.redis), startS3Server('harmony-cluster')]);
  const databaseUrl = await postgres.createDatabase('harmony');
  const migrated = await runHarmony(['migrate', '--database-url', databaseUrl]);
  if (migrated.code !== 0) throw new Error(`harmony migrate --database-url failed (${migrated.code}): ${migrated.stderr}`);
  return { postgres, databaseUrl, redis, s3, dir };
}

/** The `harmony serve` flags of node `id` (its port, data folder and the shared services). */
export function nodeFlags(services: ClusterServices, storage: ClusterStorage, id: string, port: number, publicUrl: string, extra: string[] = []): string[] {
  const database = storage === 'postgres' ? ['--database-url', services.databaseUrl] : [];
  return [
    '--port',
    String(port),
    '--node-id',
    id,
    '--public-url',
    publicUrl,
    '--trusted-proxies',
    '127.0.0.1',
    '--redis-url',
    services.redis.url,
    ...services.s3.flags('cluster/'),
    ...database,
    ...extra,
  ];
}

/** Where node `id` keeps its data folder: one per node on PostgreSQL, one shared by all for the SQLite stand-in. */
const dataDirOf = (services: ClusterServices, storage: ClusterStorage, id: string) => join(services.dir, storage === 'postgres' ? id : 'shared');

export async function startCluster(options: ClusterOptions = {}): Promise<TestCluster> {
  const count = options.nodes ?? 3;
  const storage = options.storage ?? 'postgres';
  const services = options.services ?? (await startServices());
  const pidFile = join(services.dir, 'pids');
  const started = new Set<number>();
  const recordPids = () => writeFileSync(pidFile, `${[...started].join(' ')}\n`);
  let nginx: Nginx | null = null;
  let guard: ReturnType<typeof spawn> | null = null;
  const nodes: ClusterNode[] = [];
  const stop = async () => {
    guard?.kill('SIGKILL');
    for (const node of nodes) if (node.server) await node.kill('SIGTERM');
    await nginx?.stop();
    await Promise.all([services.redis.close(), services.s3.stop()]);
    services.postgres.stop();
    rmSync(services.dir, { recursive: true, force: true });
  };
  try {
    for (const pid of [services.redis.pid(), services.s3.pid]) if (pid) started.add(pid);
    guard = watchdog(pidFile, services.dir);
    const ports = Array.from({ length: count }, () => freePort());
    const config = documentedNodesConfig(ports.map((port) => `127.0.0.1:${port}`));
    nginx = await startNginxWith((port) => config.replace('127.0.0.1:PORT', `127.0.0.1:${port}`));
    started.add(nginx.pid);
    recordPids();
    const url = `http://127.0.0.1:${nginx.port}`;
    for (const [i, port] of ports.entries()) {
      const id = `node-${i + 1}`;
      const flags = nodeFlags(services, storage, id, port, url, options.flags);
      const node: ClusterNode = {
        id,
        port,
        url: `http://127.0.0.1:${port}`,
        server: null,
        kill: async (signal = 'SIGKILL') => {
          const server = node.server;
          if (!server) throw new Error(`${id} is not running`);
          node.server = null;
          return await server.stop(signal);
        },
        restart: async () => {
          if (node.server) throw new Error(`${id} is already running`);
          node.server = await startChild(dataDirOf(services, storage, id), flags, NODE_ENV);
          started.add(node.server.process.pid);
          recordPids();
        },
      };
      nodes.push(node);
    }
    // The first node alone (on SQLite it migrates the shared folder), then the others together.
    await nodes[0]?.restart();
    await Promise.all(nodes.slice(1).map((node) => node.restart()));
    return {
      services,
      nginx,
      url,
      wsUrl: url.replace(/^http/, 'ws'),
      nodes,
      alive: () => [...started].filter(isAlive),
      stop,
    };
  } catch (error) {
    await stop().catch(() => {});
    throw error;
  }
}

/**
 * Set-up that crosses every node: an owner registered on the first node makes a guild on the second; a friend
 * registered on the first joins it by an invite made on the third and used on the second.
 */
export async function crossNodeGuild(nodes: ClusterNode[], name: string) {
  const [a, b, c] = nodes as [ClusterNode, ClusterNode, ClusterNode];
  const owner = await ok(a.url, 'POST', '/api/v1/auth/register', undefined, { username: 'owner', password: 'correct horse battery' });
  const guild = await ok(b.url, 'POST', '/api/v1/guilds', owner.token, { name });
  const channel = guild.channels[0].id as string;
  const invite = await ok(c.url, 'POST', `/api/v1/channels/${channel}/invites`, owner.token, {});
  const friend = await ok(a.url, 'POST', '/api/v1/auth/register', undefined, { username: 'friend', password: 'correct horse battery' });
  await ok(b.url, 'POST', `/api/v1/invites/${invite.code}`, friend.token);
  return {
    owner: owner.token as string,
    ownerId: owner.user.id as string,
    friend: friend.token as string,
    friendId: friend.user.id as string,
    guildId: guild.id as string,
    channel,
  };
}

/** After a cluster test: what each node printed on stderr, if anything (the only trace of a 500), then the sockets closed and everything stopped. */
export async function stopCluster(cluster: TestCluster | undefined, sockets: { close: () => void }[] = []): Promise<void> {
  for (const node of cluster?.nodes ?? []) {
    const said = node.server?.stderr().trim();
    if (said) console.error(`${node.id} stderr:\n${said}`);
  }
  for (const socket of sockets) socket.close();
  await cluster?.stop();
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** `bun test` runs no exit handlers, and a killed test process runs nothing: once this process is gone, kill what it started. */
function watchdog(pidFile: string, dir: string): ReturnType<typeof spawn> {
  const script = `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; [ -f '${pidFile}' ] && kill -9 $(cat '${pidFile}') 2>/dev/null; rm -rf '${dir}'`;
  const guard = spawn('sh', ['-c', script], { detached: true, stdio: 'ignore' });
  guard.unref();
  return guard;
}

/** Process ids whose command line mentions `needle` (to show what a test left running). */
export function processesMatching(needle: string): number[] {
  const ps = spawnSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return ps.stdout
    .split('\n')
    .filter((line) => line.includes(needle) && !line.includes('ps -eo'))
    .map((line) => Number(line.trim().split(/\s+/)[0]))
    .filter((pid) => pid !== process.pid);
}

if (import.meta.main) {
  const cluster = await startCluster({ nodes: Number(process.argv[2] ?? 3), storage: (process.argv[3] as ClusterStorage | undefined) ?? 'postgres' });
  console.log(`nginx ${cluster.url}; nodes ${cluster.nodes.map((n) => `${n.id} ${n.url}`).join(', ')}; database ${cluster.services.databaseUrl}`);
  process.on('SIGINT', () => void cluster.stop().then(() => process.exit(0)));
  await new Promise(() => {});
}

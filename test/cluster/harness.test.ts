// The cluster harness (test/support/cluster.ts) itself, with what runs today: PostgreSQL, Redis and the S3 server
// start together and the database is migrated through `harmony migrate --database-url`; the admin commands run on
// it (serve on PostgreSQL is test/cluster/cluster.test.ts); three nodes behind the documented nginx configuration
// (on the shared-SQLite stand-in) answer /health and /metrics each, nginx spreads requests over all of them and
// carries a gateway WebSocket, a SIGKILLed node is routed around and comes back on restart, and stop() leaves
// no process and no folder behind.
import { afterAll, describe, expect, test } from 'bun:test';
import { existsSync } from 'node:fs';
import { S3Client, SQL } from 'bun';
import { PG_MIGRATIONS } from '../../src/store/postgres/migrations/index.ts';
import { runHarmony } from '../support/child-server.ts';
import { type ClusterServices, isAlive, NODE_ENV, processesMatching, startCluster, startServices, type TestCluster } from '../support/cluster.ts';
import { S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY } from '../support/s3-server.ts';

let services: ClusterServices | null = null;
let cluster: TestCluster | null = null;

afterAll(async () => {
  await cluster?.stop();
  if (services) {
    await services.redis.close();
    await services.s3.stop();
    services.postgres.stop();
  }
});

async function health(url: string) {
  const res = await fetch(`${url}/health`);
  return { status: res.status, body: (await res.json()) as { node: string; checks: Record<string, { status: string }> } };
}

describe('the services', () => {
  test('PostgreSQL (migrated through the CLI), Redis and the S3 server start; admin commands run on PostgreSQL', async () => {
    const started = Date.now();
    services = await startServices();
    const s = services;
    expect(Date.now() - started).toBeLessThan(30_000);

    const sql = new SQL({ url: s.databaseUrl, max: 1 });
    const applied = await sql<{ id: number }[]>`SELECT id FROM schema_migrations ORDER BY id`;
    await sql.close();
    expect(applied.map((r) => Number(r.id))).toEqual(PG_MIGRATIONS.map((m) => m.id).sort((a, b) => a - b));

    const ping = await runRedis(s.redis.url);
    expect(ping).toBe('PONG');

    const bucket = new S3Client({ endpoint: s.s3.endpoint, bucket: s.s3.bucket, accessKeyId: S3_ACCESS_KEY_ID, secretAccessKey: S3_SECRET_ACCESS_KEY });
    await bucket.write('probe.txt', 'stored');
    expect(await bucket.file('probe.txt').text()).toBe('stored');

    // The CLI's admin commands run on PostgreSQL too: an account made there is a row of the shared database.
    const made = await runHarmony(
      [
        'admin',
        'create-user',
        '--data',
        `${s.dir}/admin`,
        '--database-url',
        s.databaseUrl,
        ...s.s3.flags('cluster/'),
        '--username',
        'operator',
        '--password',
        'correct horse battery',
      ],
      NODE_ENV,
    );
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);
    // The first account of an instance is its admin, on any engine.
    expect(made.stdout).toMatch(/^created user operator \(\d+\) as instance admin\n$/);
    const check = new SQL({ url: s.databaseUrl, max: 1 });
    const rows = await check<{ username: string }[]>`SELECT username FROM users WHERE username = 'operator'`;
    await check.close();
    expect(rows.map((r) => r.username)).toEqual(['operator']);
  }, 60_000);
});

/** PING through Bun's Redis client. */
async function runRedis(url: string): Promise<string> {
  const { RedisClient } = await import('bun');
  const client = new RedisClient(url);
  try {
    return String(await client.send('PING', []));
  } finally {
    client.close();
  }
}

describe('three nodes behind nginx (shared-SQLite stand-in)', () => {
  test('each node answers /health and /metrics itself; nginx spreads requests over all three and carries the gateway', async () => {
    const started = Date.now();
    // On the services the first test started: one PostgreSQL, Redis and S3 server for the whole file.
    cluster = await startCluster({ nodes: 3, storage: 'shared-sqlite', ...(services ? { services } : {}) });
    services = null;
    const c = cluster;
    // Budget for CI: everything up in well under a minute on a loaded two-core machine.
    expect(Date.now() - started).toBeLessThan(45_000);

    for (const node of c.nodes) {
      const { status, body } = await health(node.url);
      expect(status).toBe(200);
      expect(body.node).toBe(node.id);
      expect(body.checks.redis?.status).toBe('ok');
      const metrics = await fetch(`${node.url}/metrics`);
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toContain('# TYPE');
    }
    expect((await fetch(`${c.url}/metrics`)).status).toBe(404);

    const seen = new Set<string>();
    for (let i = 0; i < 12; i++) {
      const { status, body } = await health(c.url);
      expect(status).toBe(200);
      seen.add(body.node);
    }
    expect([...seen].sort()).toEqual(['node-1', 'node-2', 'node-3']);

    const hello = await new Promise<{ op: number }>((resolve, reject) => {
      const ws = new WebSocket(`${c.wsUrl}/gateway/discord?v=10&encoding=json`);
      ws.addEventListener('message', (event) => {
        resolve(JSON.parse(String(event.data)));
        ws.close();
      });
      ws.addEventListener('error', () => reject(new Error('the gateway through nginx failed')));
    });
    expect(hello.op).toBe(10);
  }, 90_000);

  test('a SIGKILLed node is routed around; restarted on its port it serves again', async () => {
    const c = cluster as TestCluster;
    const victim = c.nodes[1] as (typeof c.nodes)[number];
    const pid = victim.server?.process.pid as number;
    expect(await victim.kill('SIGKILL')).not.toBe(0);
    expect(isAlive(pid)).toBe(false);
    const seen = new Set<string>();
    for (let i = 0; i < 9; i++) {
      const { status, body } = await health(c.url);
      expect(status).toBe(200);
      seen.add(body.node);
    }
    expect([...seen].sort()).toEqual(['node-1', 'node-3']);

    await victim.restart();
    expect((await health(victim.url)).body.node).toBe('node-2');
    const back = new Set<string>();
    // nginx retries a failed upstream after fail_timeout (5 s in the documented configuration).
    const deadline = Date.now() + 15_000;
    while (!back.has('node-2') && Date.now() < deadline) {
      back.add((await health(c.url)).body.node);
      await Bun.sleep(100);
    }
    expect(back.has('node-2')).toBe(true);
  }, 60_000);

  test('stop() ends every process the cluster started (services included) and removes its folder', async () => {
    const c = cluster as TestCluster;
    const dir = c.services.dir;
    expect(c.alive().length).toBeGreaterThanOrEqual(6);
    // The checks below can see these processes: before stop() they match.
    expect(processesMatching(dir).length).toBeGreaterThanOrEqual(3);
    expect(processesMatching(`-p ${c.services.postgres.port}`).length).toBeGreaterThanOrEqual(1);
    await c.stop();
    cluster = null;
    expect(c.alive()).toEqual([]);
    expect(processesMatching(dir)).toEqual([]);
    expect(processesMatching(`-p ${c.services.postgres.port}`)).toEqual([]);
    expect(existsSync(dir)).toBe(false);
  }, 60_000);
});

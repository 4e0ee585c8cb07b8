// A node on PostgreSQL in a cluster: startCluster keeps its outbox in PostgreSQL, the unit of work writes each
// commit's events there inside the commit, and the relay carries them through the Redis stream back to every
// node's hub, in commit order; events a service publishes outside a write (presence) take the same road. A commit
// whose relay never ran (the node died) is relayed by the next start of that node.
import { afterAll, beforeAll, expect, test } from 'bun:test';
import type { SQL } from 'bun';
import { type Cluster, startCluster } from '../../src/cluster/cluster.ts';
import { loadConfig } from '../../src/config.ts';
import { systemClock } from '../../src/domain/clock.ts';
import type { DomainEvent } from '../../src/events/domain-events.ts';
import { openPostgres } from '../../src/store/postgres/connection.ts';
import type { PostgresOutbox } from '../../src/store/postgres/outbox-store.ts';
import { PostgresUnitOfWork } from '../../src/store/postgres/unit-of-work.ts';
import { freshDatabase } from '../support/postgres-server.ts';
import { startRedis, type TestRedis } from '../support/redis-server.ts';

let redis: TestRedis;
let url = '';
const pools: SQL[] = [];
const clusters: Cluster[] = [];

beforeAll(async () => {
  [redis, url] = await Promise.all([startRedis(), freshDatabase('harmony_cluster_outbox')]);
}, 60_000);

afterAll(async () => {
  for (const cluster of clusters) await cluster.stop().catch(() => {});
  for (const pool of pools) await pool.close();
  await redis?.close();
});

async function node(id: string) {
  const sql = openPostgres(url, { max: 4 });
  pools.push(sql);
  const cluster = await startCluster({ ...loadConfig({}, {}), redisUrl: redis.url }, sql, systemClock, id);
  clusters.push(cluster);
  const heard: DomainEvent[] = [];
  cluster.hub.subscribe((event) => heard.push(event));
  const uow = new PostgresUnitOfWork(sql, cluster.hub, { outbox: cluster.outbox as PostgresOutbox, relay: cluster.relay });
  return { sql, cluster, uow, heard };
}

const marker = (id: string): DomainEvent => ({ type: 'message.delete', id, channelId: '1', guildId: null });
const ids = (events: DomainEvent[]) => events.filter((e) => e.type === 'message.delete').map((e) => (e.type === 'message.delete' ? e.id : ''));

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(20);
  }
}

test("commits on two PostgreSQL nodes reach both nodes' hubs through the outbox and the stream, each once, in each node's commit order", async () => {
  const a = await node('pg-a');
  const b = await node('pg-b');
  for (const id of ['a1', 'a2', 'a3']) await a.uow.write(async (emit) => emit(marker(id)));
  for (const id of ['b1', 'b2']) await b.uow.write(async (emit) => emit(marker(id)));
  // Outside a write, as the presence service does: the hub's own publish goes through the outbox too.
  b.cluster.hub.publish([marker('b-presence')]);
  const all = ['a1', 'a2', 'a3', 'b1', 'b2', 'b-presence'];
  await until(() => ids(a.heard).length === all.length && ids(b.heard).length === all.length, 'every event on both nodes');
  // One total order, the same on both nodes; each node's own commits in the order they were made.
  expect(ids(a.heard)).toEqual(ids(b.heard));
  expect(ids(a.heard).filter((id) => id.startsWith('a'))).toEqual(['a1', 'a2', 'a3']);
  expect(ids(a.heard).filter((id) => id.startsWith('b'))).toEqual(['b1', 'b2', 'b-presence']);
  // Relayed rows are deleted (the delete follows the stream append, so give it a moment).
  const deadline = Date.now() + 5000;
  let left = '';
  do {
    left = ((await a.sql<{ n: string }[]>`SELECT count(*) AS n FROM event_outbox`)[0]?.n as string) ?? '';
    if (left !== '0') await Bun.sleep(50);
  } while (left !== '0' && Date.now() < deadline);
  expect(left).toBe('0');
}, 30_000);

test('a commit whose relay never ran is relayed when that node starts again', async () => {
  const a = await node('pg-c');
  // The commit happens, then the node "dies" before relaying: a unit of work without a relay to kick.
  const silent = new PostgresUnitOfWork(a.sql, { publish: () => {} }, { outbox: a.cluster.outbox as PostgresOutbox });
  // Its start-up round (for what an earlier run left) is over before it "dies": a round still reading when the
  // orphan commits would relay it on this run.
  await a.cluster.relay.kick();
  a.cluster.relay.close();
  await silent.write(async (emit) => emit(marker('orphan')));
  const [waiting] = await a.sql<{ n: string }[]>`SELECT count(*) AS n FROM event_outbox WHERE node = 'pg-c'`;
  expect(waiting?.n).toBe('1');
  const listener = await node('pg-listener');
  const restarted = await node('pg-c');
  await until(() => ids(listener.heard).includes('orphan'), 'the orphan on another node');
  expect(ids(restarted.heard).filter((id) => id === 'orphan').length).toBeLessThanOrEqual(1);
  await until(() => ids(restarted.heard).includes('orphan'), 'the orphan on the restarted node');
}, 30_000);

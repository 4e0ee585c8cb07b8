// Harmony processes sharing one Redis and one SQLite data folder (the test-only stand-in for PostgreSQL, see
// cluster.ts): what the two-node tests in test/cluster/ start. Every node started through it is stopped by stop(),
// restarted and killed ones included, then Redis, and the folder goes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ChildServer, startChild } from './child-server.ts';
import { startRedis, type TestRedis } from './redis-server.ts';

export type SharedNodes = {
  redis: TestRedis;
  /** The data folder every node serves. */
  dir: string;
  /**
   * One more node with the shared flags (start them one after the other: the first migrates the shared database).
   * Used as well to start one again after a kill or a stop.
   */
  start: () => Promise<ChildServer>;
  stop: () => Promise<void>;
};

/** `prefix` names the temp folder; `flags` go to every node after `--redis-url`. */
export async function sharedNodes(prefix: string, flags: string[] = []): Promise<SharedNodes> {
  const redis = await startRedis();
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const started: ChildServer[] = [];
  return {
    redis,
    dir,
    start: async () => {
      const node = await startChild(dir, ['--redis-url', redis.url, ...flags]);
      started.push(node);
      return node;
    },
    stop: async () => {
      for (const node of started) await node.stop();
      await redis.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

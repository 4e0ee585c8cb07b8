// Which nodes are alive: each node refreshes a key of its own (`<prefix>node:<id>`, a little JSON about it) that
// expires when it stops, so a crashed node drops off the list within one TTL with nobody cleaning up after it.
import { type Clock, systemClock } from '../domain/clock.ts';
import { DEFAULT_KEY_PREFIX, type Redis } from './redis.ts';

export type NodeInfo = { id: string; url: string | null; startedAt: number; beatAt: number };

export interface NodeHeartbeats {
  /** Records that `node` is alive for `ttlMs` from now. */
  beat(node: NodeInfo, ttlMs: number): Promise<void>;
  /** The node is going away: drop it at once. */
  leave(nodeId: string): Promise<void>;
  /** Every node alive now, by id. */
  live(): Promise<NodeInfo[]>;
}

export class MemoryNodeHeartbeats implements NodeHeartbeats {
  private readonly nodes = new Map<string, { info: NodeInfo; until: number }>();

  constructor(private readonly clock: Clock = systemClock) {}

  async beat(node: NodeInfo, ttlMs: number): Promise<void> {
    this.nodes.set(node.id, { info: { ...node }, until: this.clock.now() + ttlMs });
  }

  async leave(nodeId: string): Promise<void> {
    this.nodes.delete(nodeId);
  }

  async live(): Promise<NodeInfo[]> {
    const now = this.clock.now();
    return [...this.nodes.values()]
      .filter((n) => n.until > now)
      .map((n) => ({ ...n.info }))
      .sort((a, b) => a.id.localeCompare(b.id));
  }
}

export class RedisNodeHeartbeats implements NodeHeartbeats {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = DEFAULT_KEY_PREFIX,
  ) {}

  async beat(node: NodeInfo, ttlMs: number): Promise<void> {
    await this.redis.send('SET', [this.key(node.id), JSON.stringify(node), 'PX', ttlMs]);
  }

  async leave(nodeId: string): Promise<void> {
    await this.redis.send('DEL', [this.key(nodeId)]);
  }

  async live(): Promise<NodeInfo[]> {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = (await this.redis.send('SCAN', [cursor, 'MATCH', `${escapeGlob(this.prefix)}node:*`, 'COUNT', 500])) as [string, string[]];
      cursor = String(next);
      keys.push(...batch);
    } while (cursor !== '0');
    if (keys.length === 0) return [];
    const values = (await this.redis.send('MGET', keys)) as (string | null)[];
    return values
      .filter((v): v is string => typeof v === 'string')
      .map((v) => JSON.parse(v) as NodeInfo)
      .sort((a, b) => a.id.localeCompare(b.id));
  }

  private key(nodeId: string): string {
    return `${this.prefix}node:${nodeId}`;
  }
}

const escapeGlob = (text: string) => text.replace(/[*?[\]\\]/g, '\\$&');

/** Beats every `ttlMs / 3` until stopped (then leaves); a failed beat is retried on the next tick. */
export function keepBeating(heartbeats: NodeHeartbeats, node: Omit<NodeInfo, 'beatAt'>, ttlMs: number, clock: Clock = systemClock): () => Promise<void> {
  const beat = () => heartbeats.beat({ ...node, beatAt: clock.now() }, ttlMs).catch(() => undefined);
  void beat();
  const timer = setInterval(() => void beat(), Math.max(50, Math.floor(ttlMs / 3)));
  return async () => {
    clearInterval(timer);
    await heartbeats.leave(node.id).catch(() => undefined);
  };
}

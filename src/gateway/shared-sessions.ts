// Gateway session records in Redis, so a session opened on one node can RESUME on another (after the first was
// killed, or while it still runs). A record is the same SessionSnapshot a graceful restart saves (who, token
// digest, dialect and streams, what it could see and when that changed), kept under `<prefix>gw:session:<id>`
// for the resume window past the session's last sign of life. The token itself is never stored: only its digest.
// The missed dispatches come from the resuming node's own replay buffer: in a cluster every node encodes and
// keeps every dispatch, numbered alike on every node (ClusterSequence).
import { DEFAULT_KEY_PREFIX, type Redis } from '../cluster/redis.ts';
import type { SessionSnapshot } from './resume-store.ts';

export interface SharedSessions {
  /** Stores (or replaces) a session's record for `ttlMs`. */
  save(record: SessionSnapshot, ttlMs: number): Promise<void>;
  /** The record, or null when there is none (never existed, expired, ended). */
  load(sessionId: string): Promise<SessionSnapshot | null>;
  /** The session ended for good (closed, revoked, invalidated): no node may resume it. */
  remove(sessionId: string): Promise<void>;
  /** Tells every node that `node` took the session over (a RESUME there): the others let go of their copy. */
  announceTaken(sessionId: string, node: string): Promise<void>;
  /** Calls `listener` for every takeover any node announces (its own included). */
  onTaken(listener: (sessionId: string, node: string) => void): Promise<void>;
  close(): void;
}

export class RedisSharedSessions implements SharedSessions {
  private subscriber: Redis | null = null;

  constructor(
    private readonly redis: Redis,
    private readonly prefix = DEFAULT_KEY_PREFIX,
  ) {}

  async announceTaken(sessionId: string, node: string): Promise<void> {
    await this.redis.send('PUBLISH', [`${this.prefix}gw:taken`, JSON.stringify([sessionId, node])]);
  }

  // Pub/sub needs a connection of its own; Bun's client subscribes again by itself after a reconnect.
  async onTaken(listener: (sessionId: string, node: string) => void): Promise<void> {
    this.subscriber ??= this.redis.duplicate();
    await this.subscriber.connect();
    await this.subscriber.client.subscribe(`${this.prefix}gw:taken`, (message: string) => {
      try {
        const [sessionId, node] = JSON.parse(message) as [string, string];
        listener(sessionId, node);
      } catch {
        // Not ours.
      }
    });
  }

  close(): void {
    this.subscriber?.close();
  }

  async save(record: SessionSnapshot, ttlMs: number): Promise<void> {
    await this.redis.send('SET', [this.key(record.id), JSON.stringify(record), 'PX', Math.max(1, Math.ceil(ttlMs))]);
  }

  async load(sessionId: string): Promise<SessionSnapshot | null> {
    const text = await this.redis.send('GET', [this.key(sessionId)]);
    return typeof text === 'string' ? (JSON.parse(text) as SessionSnapshot) : null;
  }

  async remove(sessionId: string): Promise<void> {
    await this.redis.send('DEL', [this.key(sessionId)]);
  }

  private key(sessionId: string): string {
    return `${this.prefix}gw:session:${sessionId}`;
  }
}

/** One process (tests of the port): records in memory, expiring like Redis keys. */
export class MemorySharedSessions implements SharedSessions {
  private readonly records = new Map<string, { text: string; until: number }>();
  private readonly listeners = new Set<(sessionId: string, node: string) => void>();

  async announceTaken(sessionId: string, node: string): Promise<void> {
    for (const listener of this.listeners) listener(sessionId, node);
  }

  async onTaken(listener: (sessionId: string, node: string) => void): Promise<void> {
    this.listeners.add(listener);
  }

  close(): void {
    this.listeners.clear();
  }

  constructor(private readonly now: () => number = Date.now) {}

  async save(record: SessionSnapshot, ttlMs: number): Promise<void> {
    this.records.set(record.id, { text: JSON.stringify(record), until: this.now() + ttlMs });
  }

  async load(sessionId: string): Promise<SessionSnapshot | null> {
    const entry = this.records.get(sessionId);
    if (!entry || entry.until <= this.now()) return null;
    return JSON.parse(entry.text) as SessionSnapshot;
  }

  async remove(sessionId: string): Promise<void> {
    this.records.delete(sessionId);
  }
}

// Everything a node shares with the other nodes of its instance, built from --redis-url: one Redis connection, the
// event bus (fed from this node's outbox), rate counters, the leased snowflake worker id, locks and this node's
// heartbeat. Without --redis-url there is no Cluster and every one of these stays in the process (the default).
// The outbox lives in the node's database: SQLite's file, or PostgreSQL; either unit of work writes a commit's rows
// itself, inside the commit (given `outbox` and `relay` from here); events published outside a write (presence) are
// appended by the hub.
import { Database } from 'bun:sqlite';
import type { SQL } from 'bun';
import type { Config } from '../config.ts';
import { migrate } from '../db/migrate.ts';
import type { Clock } from '../domain/clock.ts';
import type { DomainEvent } from '../events/domain-events.ts';
import { EventHub } from '../events/event-hub.ts';
import { type AsyncOutbox, GatedOutbox, OutboxRelay } from '../events/outbox.ts';
import { RedisBus } from '../events/redis-bus.ts';
import { RedisSharedSessions } from '../gateway/shared-sessions.ts';
import { RedisRateCounter, SharedRateLimiter } from '../http/rate-counter.ts';
import { SharedLoginBackoff } from '../http/shared-login-backoff.ts';
import { migratePostgres } from '../store/postgres/migrate.ts';
import { PostgresOutbox } from '../store/postgres/outbox-store.ts';
import { SqliteOutbox } from '../store/sqlite/outbox-store.ts';
import { holdLock, RedisLocks } from './locks.ts';
import { keepBeating, RedisNodeHeartbeats } from './node-heartbeats.ts';
import { Redis, RedisUnavailableError } from './redis.ts';
import { RedisWorkerLease } from './worker-lease.ts';

/** Heartbeat keys live this long without a renewal: a dead node is off the list within it. */
const HEARTBEAT_TTL_MS = 15_000;

/**
 * The hub of a node in a cluster: publishing writes the commit's events to the outbox and lets the relay append
 * them to the shared stream; listeners hear every node's events as the stream delivers them, in its one order,
 * this node's own included (so every node applies the same sequence of events).
 */
export class ClusterHub extends EventHub {
  /** An async outbox's appends, one after another, so its rows keep the order publish was called in. */
  private appending: Promise<void> = Promise.resolve();

  constructor(
    private readonly outbox: AsyncOutbox,
    private readonly relay: OutboxRelay,
  ) {
    super();
  }

  override publish(events: readonly DomainEvent[]): void {
    if (events.length === 0) return;
    const outbox = this.outbox;
    this.appending = this.appending
      .then(() => outbox.append(events))
      .then(
        () => void this.relay.kick(),
        (error: unknown) => console.error('outbox: events could not be recorded:', error),
      );
  }

  /** Resolves once every event published so far is in the outbox. */
  flushed(): Promise<void> {
    return this.appending;
  }

  /** What the bus read from the stream, to this node's listeners. */
  deliver(event: DomainEvent): void {
    super.publish([event]);
  }
}

export type Cluster = Awaited<ReturnType<typeof startCluster>>;

/**
 * Connects to Redis (failing when it does not answer: a node that cannot share state must not serve alone),
 * leases a worker id and starts reading the event stream. `db` (a SQLite database or a PostgreSQL pool) keeps the outbox.
 */
export async function startCluster(config: Config & { redisUrl: string }, db: Database | SQL, clock: Clock, nodeId: string = crypto.randomUUID()) {
  if (db instanceof Database) migrate(db);
  else await migratePostgres(db);
  const redis = new Redis(config.redisUrl);
  await redis.connect();
  const resetListeners = new Set<() => void>();
  const outageListeners = new Set<() => void>();
  const bus = new RedisBus(redis, {
    onReset: (epoch) => {
      console.error(`redis: the shared event log was lost (new epoch ${epoch}); gateway sessions must IDENTIFY again`);
      for (const listener of resetListeners) listener();
    },
    // Back: what waited in this node's outbox goes out now, not on the relay's next (backed-off) retry.
    onRecovered: () => void relay.kick(),
    onOutage: () => {
      console.error('redis: unreachable; gateway sessions are told to reconnect, writes that need it answer 503 until it is back');
      for (const listener of outageListeners) listener();
    },
  });
  // SQLite's is gated: the relay's reads and the hub's appends wait for the write connection to be between transactions.
  const outbox = db instanceof Database ? new GatedOutbox(new SqliteOutbox(db, () => clock.now(), nodeId)) : new PostgresOutbox(db, () => clock.now(), nodeId);
  const relay = new OutboxRelay(outbox, bus);
  const hub = new ClusterHub(outbox, relay);
  bus.subscribe((event) => hub.deliver(event));
  const lease = new RedisWorkerLease(redis, { clock, nodeId });
  const workerId = await lease.acquire();
  await bus.start();
  // Commits a previous run of this node left in its outbox (a crash, Redis away) go out first.
  void relay.kick();
  const sessions = new RedisSharedSessions(redis);
  const locks = new RedisLocks(redis);
  const heartbeats = new RedisNodeHeartbeats(redis);
  const startedAt = clock.now();
  let stopBeating: (() => Promise<void>) | null = null;
  return {
    nodeId,
    redis,
    bus,
    hub,
    /** This node's outbox; the unit of work writes to it inside each commit (with `relay`). */
    outbox,
    relay,
    lease,
    workerId,
    locks,
    heartbeats,
    /** Calls `listener` when Redis lost the shared event log (a new epoch): what was derived from it may be incomplete. */
    onLogLost(listener: () => void): void {
      resetListeners.add(listener);
    },
    /** Calls `listener` when Redis stops answering (once per outage): no event reaches this node until it is back. */
    onOutage(listener: () => void): void {
      outageListeners.add(listener);
    },
    /** Throws RedisUnavailableError (503) while this node cannot read the shared log: writes wait until it can. */
    assertLogReachable(): void {
      if (!bus.readable) throw new RedisUnavailableError();
    },
    /** What the gateway needs to number dispatches alike on every node and to resume any node's sessions. */
    gateway: { batch: () => bus.batch, head: () => bus.head(), sessions, logReadable: () => bus.readable },
    limiter: new SharedRateLimiter(new RedisRateCounter(redis, clock), clock, config.rateLimits, new SharedLoginBackoff(redis, clock)),
    /** Starts this node's heartbeat once it listens at `url`. */
    listening(url: string): void {
      stopBeating ??= keepBeating(heartbeats, { id: nodeId, url, startedAt }, HEARTBEAT_TTL_MS, clock);
    },
    /** Runs `start` on one node at a time (the Discord bridge): the lock's holder starts it, and stops it when it loses the lock. */
    singleton(name: string, start: () => void, stop: () => void) {
      return holdLock(locks, name, 15_000, { onAcquired: start, onLost: stop });
    },
    async stop(): Promise<void> {
      await stopBeating?.();
      // Whatever is still in the outbox waits there for the next start.
      await hub.flushed();
      await relay.kick().catch(() => undefined);
      relay.close();
      sessions.close();
      await bus.close();
      await lease.release();
      redis.close();
    },
  };
}

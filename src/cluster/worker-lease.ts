// Each node mints snowflakes under its own worker id (10 bits: 0-1023), so two nodes never mint the same id in the
// same millisecond. In a cluster the id is leased in Redis: the node takes the first free `<prefix>worker:<n>` with
// SET NX PX, renews it well inside its lifetime, and when it cannot renew in time (Redis away, or the key taken
// over after a long pause) it stops minting at once rather than risk an id another node may now be minting under.
import { RESTJSONErrorCodes as Codes } from 'discord-api-types/v10';
import { type Clock, systemClock } from '../domain/clock.ts';
import { ApiError } from '../http/api-error.ts';
import { DEFAULT_KEY_PREFIX, type Redis } from './redis.ts';

export const WORKER_IDS = 1024;

/** A write that needs a new id while the lease may have lapsed: 503, the client tries again (on this node or another). */
export class WorkerLeaseLostError extends ApiError {
  constructor() {
    super(503, Codes.GeneralError, '503: Service Unavailable (this node lost its snowflake worker id; try again shortly)');
  }
}

export interface WorkerLease {
  /** The id this node mints under; throws WorkerLeaseLostError when the lease may have lapsed. */
  current(): number;
  /** Takes an id (the first free one): resolves once leased; throws when all 1024 are held. */
  acquire(): Promise<number>;
  /** Gives the id back (graceful shutdown). */
  release(): Promise<void>;
}

/** One node: worker 0, always held. */
export class FixedWorkerLease implements WorkerLease {
  constructor(private readonly id = 0) {}
  current(): number {
    return this.id;
  }
  async acquire(): Promise<number> {
    return this.id;
  }
  async release(): Promise<void> {}
}

const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

export type RedisWorkerLeaseOptions = { ttlMs?: number; prefix?: string; clock?: Clock; nodeId?: string };

export class RedisWorkerLease implements WorkerLease {
  private id: number | null = null;
  /** Until when the lease is surely ours: the last successful renewal's start plus the TTL, less a margin. */
  private validUntil = 0;
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly token: string;
  private readonly ttlMs: number;
  private readonly prefix: string;
  private readonly clock: Clock;

  constructor(
    private readonly redis: Redis,
    options: RedisWorkerLeaseOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 30_000;
    this.prefix = options.prefix ?? DEFAULT_KEY_PREFIX;
    this.clock = options.clock ?? systemClock;
    this.token = `${options.nodeId ?? 'node'}:${crypto.randomUUID()}`;
  }

  current(): number {
    if (this.id === null || this.clock.now() >= this.validUntil) throw new WorkerLeaseLostError();
    return this.id;
  }

  async acquire(): Promise<number> {
    // Start at a random id so nodes starting together rarely contend for the same keys.
    const start = Math.floor(Math.random() * WORKER_IDS);
    for (let i = 0; i < WORKER_IDS; i++) {
      const id = (start + i) % WORKER_IDS;
      const began = this.clock.now();
      if ((await this.redis.send('SET', [this.key(id), this.token, 'NX', 'PX', this.ttlMs])) === 'OK') {
        this.id = id;
        this.validUntil = began + this.ttlMs - this.margin();
        this.timer ??= setInterval(() => void this.renew(), Math.floor(this.ttlMs / 3));
        return id;
      }
    }
    throw new Error(`all ${WORKER_IDS} snowflake worker ids are leased`);
  }

  /** Extends the lease; once it is gone (taken or expired) a new id is leased, so the node carries on minting. */
  async renew(): Promise<void> {
    const id = this.id;
    if (id === null) return;
    const began = this.clock.now();
    try {
      if ((await this.redis.eval(RENEW, [this.key(id)], [this.token, this.ttlMs])) === 1) {
        this.validUntil = began + this.ttlMs - this.margin();
        return;
      }
      this.validUntil = 0;
      await this.acquire();
    } catch {
      // Redis away: minting stops by itself when validUntil passes; the next renewal after it returns re-leases.
      if (this.clock.now() >= this.validUntil) this.validUntil = 0;
    }
  }

  async release(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const id = this.id;
    this.id = null;
    this.validUntil = 0;
    if (id !== null) await this.redis.eval(RELEASE, [this.key(id)], [this.token]).catch(() => undefined);
  }

  private key(id: number): string {
    return `${this.prefix}worker:${id}`;
  }

  private margin(): number {
    return Math.min(1000, Math.floor(this.ttlMs / 10));
  }
}

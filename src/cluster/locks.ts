// A lock for work exactly one node may do at a time (the Discord bridge), or exactly once across nodes (the system
// bot answering one command). Held under a random token for a lease time: the holder renews it while it works, and
// only the holder's token can renew or release it, so a node whose lease ran out can never free a lock another
// node has since taken. On one node the in-memory adapter gives the same answers.
import { type Clock, systemClock } from '../domain/clock.ts';
import { DEFAULT_KEY_PREFIX, type Redis } from './redis.ts';

export type LockHandle = {
  readonly name: string;
  readonly token: string;
  /** Extends the lease by its length from now; false when the lock is no longer ours (it expired or was taken). */
  renew(): Promise<boolean>;
  /** Lets go, if still ours (a lock someone else now holds is left alone). */
  release(): Promise<void>;
};

export interface Locks {
  /** The lock `name` for `ttlMs`, or null when another holder has it. Never waits. */
  tryAcquire(name: string, ttlMs: number): Promise<LockHandle | null>;
}

export class MemoryLocks implements Locks {
  private readonly held = new Map<string, { token: string; until: number }>();

  constructor(private readonly clock: Clock = systemClock) {}

  async tryAcquire(name: string, ttlMs: number): Promise<LockHandle | null> {
    const now = this.clock.now();
    const current = this.held.get(name);
    if (current !== undefined && current.until > now) return null;
    const token = crypto.randomUUID();
    this.held.set(name, { token, until: now + ttlMs });
    const ours = () => {
      const entry = this.held.get(name);
      return entry !== undefined && entry.token === token && entry.until > this.clock.now() ? entry : undefined;
    };
    return {
      name,
      token,
      renew: async () => {
        const entry = ours();
        if (entry) entry.until = this.clock.now() + ttlMs;
        return entry !== undefined;
      },
      release: async () => {
        if (ours()) this.held.delete(name);
      },
    };
  }
}

// Compare-and-act scripts: only the token that set the key may extend or delete it.
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/** SET NX PX under `<prefix>lock:<name>`; renew and release check the token in a script. */
export class RedisLocks implements Locks {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = DEFAULT_KEY_PREFIX,
  ) {}

  async tryAcquire(name: string, ttlMs: number): Promise<LockHandle | null> {
    const key = `${this.prefix}lock:${name}`;
    const token = crypto.randomUUID();
    if ((await this.redis.send('SET', [key, token, 'NX', 'PX', ttlMs])) !== 'OK') return null;
    return {
      name,
      token,
      renew: async () => (await this.redis.eval(RENEW, [key], [token, ttlMs])) === 1,
      release: async () => {
        await this.redis.eval(RELEASE, [key], [token]);
      },
    };
  }
}

/**
 * Keeps a lock for as long as `work` should run on this node: tries to take it every `ttlMs / 3`, renews it at the
 * same pace while held, and calls `onLost` when a renewal fails (the lease may run out before the next: another
 * node may take over, so the work must stop). Returns a stop function that releases the lock.
 */
export function holdLock(
  locks: Locks,
  name: string,
  ttlMs: number,
  events: { onAcquired: () => void; onLost: () => void },
): { stop: () => Promise<void>; readonly held: boolean } {
  let handle: LockHandle | null = null;
  let stopped = false;
  const tick = async () => {
    try {
      if (handle === null) {
        handle = await locks.tryAcquire(name, ttlMs);
        if (handle) events.onAcquired();
      } else if (!(await handle.renew())) {
        handle = null;
        events.onLost();
      }
    } catch {
      // Redis away: a holder cannot prove it still holds the lock, so it stops; others wait for the lease to end.
      if (handle !== null) {
        handle = null;
        events.onLost();
      }
    }
  };
  void tick();
  const timer = setInterval(() => void (stopped || tick()), Math.max(50, Math.floor(ttlMs / 3)));
  return {
    get held() {
      return handle !== null;
    },
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      const h = handle;
      handle = null;
      await h?.release().catch(() => undefined);
    },
  };
}

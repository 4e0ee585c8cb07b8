// One way to talk to Redis for every adapter that shares state between nodes (event bus, gateway sessions, rate
// counters, worker-id lease, locks, heartbeats). Bun's built-in client reconnects by itself; with its offline queue
// off, a command sent while Redis is away fails at once instead of waiting, and every command has a deadline, so a
// request that needs Redis answers 503 quickly (never hangs) and the node recovers by itself when Redis returns.
import { RedisClient } from 'bun';
import { RESTJSONErrorCodes as Codes } from 'discord-api-types/v10';
import { ApiError } from '../http/api-error.ts';

/** A command that has not answered within this is given up on (Redis answers in well under a millisecond). */
export const REDIS_COMMAND_TIMEOUT_MS = 2000;

/** Redis is unreachable (or too slow): what needed it fails fast with 503 and may be retried. */
export class RedisUnavailableError extends ApiError {
  constructor(readonly reason?: unknown) {
    super(503, Codes.GeneralError, '503: Service Unavailable (shared state is unreachable, try again shortly)');
  }
}

export type RedisOptions = { commandTimeoutMs?: number };

/** A connection to the Redis at `url` (redis://[user:password@]host:port[/db]); connects in the background. */
export class Redis {
  readonly client: RedisClient;
  private readonly timeoutMs: number;

  constructor(
    readonly url: string,
    options: RedisOptions = {},
  ) {
    this.timeoutMs = options.commandTimeoutMs ?? REDIS_COMMAND_TIMEOUT_MS;
    this.client = open(url);
  }

  get connected(): boolean {
    return this.client.connected;
  }

  /** Connects now, failing with RedisUnavailableError when Redis does not answer. */
  async connect(): Promise<void> {
    await this.bounded(this.client.connect());
  }

  /** Runs one command; a lost connection or a timeout becomes RedisUnavailableError, a Redis error stays itself. */
  async send(command: string, args: (string | number)[]): Promise<unknown> {
    try {
      return await this.bounded(this.client.send(command, args.map(String)));
    } catch (error) {
      throw unreachable(error) ? new RedisUnavailableError(error) : error;
    }
  }

  /** Runs a Lua script (EVAL; scripts here are short, so the script cache is not worth the NOSCRIPT dance). */
  eval(script: string, keys: string[], args: (string | number)[]): Promise<unknown> {
    return this.send('EVAL', [script, keys.length, ...keys, ...args]);
  }

  /**
   * A second connection to the same server, for a command that blocks (XREAD BLOCK): while one waits, its
   * connection carries nothing else.
   */
  duplicate(): Redis {
    return new Redis(this.url, { commandTimeoutMs: this.timeoutMs });
  }

  close(): void {
    this.client.close();
  }

  private bounded<T>(promise: Promise<T>, ms = this.timeoutMs): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new RedisUnavailableError(new Error(`no answer within ${ms} ms`))), ms);
    });
    return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
  }

  /** Like send, with its own deadline (a blocking read waits longer than a command may). */
  async sendWithin(ms: number, command: string, args: (string | number)[]): Promise<unknown> {
    try {
      return await this.bounded(this.client.send(command, args.map(String)), ms);
    } catch (error) {
      throw unreachable(error) ? new RedisUnavailableError(error) : error;
    }
  }
}

function open(url: string): RedisClient {
  return new RedisClient(url, {
    enableOfflineQueue: false,
    autoReconnect: true,
    maxRetries: 0xffff_ffff,
    connectionTimeout: 2000,
  });
}

function unreachable(error: unknown): boolean {
  if (error instanceof RedisUnavailableError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('ERR_REDIS_CONNECTION') || code === 'ERR_REDIS_AUTHENTICATION_FAILED' || code === 'ECONNREFUSED');
}

/** Key names: every adapter's keys sit under one prefix (default `harmony:`), so several instances can share a server. */
export const DEFAULT_KEY_PREFIX = 'harmony:';

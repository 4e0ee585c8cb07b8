// The shared event log: every commit's events are one entry (XADD, trimmed to about `maxLength` entries) of one
// Redis stream, and every node reads that stream from its last id (XREAD BLOCK on a connection of its own), so all
// nodes apply every event in the same total order, the originating node included. As in Centrifugo, the stream's
// position is an offset (the entry id) within an epoch: a random value stored beside the stream when it is first
// used. If Redis comes back without the stream (restarted without persistence, flushed), the epoch differs, and
// the bus reports a reset: nodes must treat what they derived from the old log (gateway sequence, replay) as lost.
import { DEFAULT_KEY_PREFIX, type Redis, RedisUnavailableError } from '../cluster/redis.ts';
import { markCommitted, wallClock } from './commit-time.ts';
import type { DomainEvent } from './domain-events.ts';
import { decodeEvents, type EventBus, encodeEvents, type PublishedBatch } from './event-bus.ts';
import { EventHub, type EventListener } from './event-hub.ts';

export type RedisBusOptions = {
  prefix?: string;
  /** Entries kept in the stream (approximately: MAXLEN ~). Default 100 000. */
  maxLength?: number;
  /** How long one XREAD waits for new entries before asking again. Default 1000 ms. */
  blockMs?: number;
  /** The log was lost (a new epoch): called once per loss, before the first event of the new log is delivered. */
  onReset?: (epoch: string) => void;
  /** Redis stopped answering the stream's reader: called once per outage, as it begins. */
  onOutage?: () => void;
  /** The reader reads the log again after an outage (its epoch checked). */
  onRecovered?: () => void;
};

/** Where a node is in the log: the epoch and the last entry id it applied. */
export type BusPosition = { epoch: string | null; offset: string };

export class RedisBus implements EventBus {
  private readonly hub = new EventHub();
  private readonly stream: string;
  private readonly epochKey: string;
  private readonly counterKey: string;
  /** The keys of the batches appended within DEDUPE_WINDOW_MS (a sorted set scored by commit time). */
  private readonly appendedKey: string;
  private current = 0;
  private readonly maxLength: number;
  private readonly blockMs: number;
  private readonly reader: Redis;
  private epoch: string | null = null;
  private offset = '0-0';
  private running = false;
  /** The reader lost Redis and has not yet read the log again (its epoch checked) since. */
  private lost = false;
  private loop: Promise<void> | null = null;

  constructor(
    private readonly redis: Redis,
    private readonly options: RedisBusOptions = {},
  ) {
    const prefix = options.prefix ?? DEFAULT_KEY_PREFIX;
    this.stream = `${prefix}events`;
    this.epochKey = `${prefix}events:epoch`;
    this.counterKey = `${prefix}events:batches`;
    this.appendedKey = `${prefix}events:appended`;
    this.maxLength = options.maxLength ?? 100_000;
    this.blockMs = options.blockMs ?? 1000;
    this.reader = redis.duplicate();
  }

  get position(): BusPosition {
    return { epoch: this.epoch, offset: this.offset };
  }

  /** Appends the batch as one stream entry; rejects with RedisUnavailableError while Redis is away. */
  async publish(events: readonly DomainEvent[], committedAt: number = wallClock()): Promise<void> {
    if (events.length === 0) return;
    await this.redis.eval(APPEND, [this.stream, this.counterKey], [this.maxLength, encodeEvents(events), this.current, committedAt]);
  }

  /**
   * Several commits' batches as consecutive entries, in order, in one script (one round trip); a keyed batch whose
   * key the log took within the last day is left out (the relay sending a row again).
   */
  async publishAll(batches: readonly PublishedBatch[]): Promise<void> {
    const args: (string | number)[] = [this.maxLength, this.current, DEDUPE_WINDOW_MS];
    for (const { events, committedAt, key } of batches) if (events.length > 0) args.push(encodeEvents(events), committedAt ?? wallClock(), key ?? '');
    if (args.length > 3) await this.redis.eval(APPEND_ALL, [this.stream, this.counterKey, this.appendedKey], args);
  }

  /**
   * The number of the batch whose events are being delivered right now (1, 2, 3 ... in stream order, the same on
   * every node): listeners that number what they derive from events (the gateway's sequence) read it.
   */
  get batch(): number {
    return this.current;
  }

  /** The number of the last batch appended to the stream by any node (0 when none): what "caught up" means now. */
  async head(): Promise<number> {
    return Number((await this.redis.send('GET', [this.counterKey])) ?? 0);
  }

  subscribe(listener: EventListener): () => void {
    return this.hub.subscribe(listener);
  }

  /** Reads from the stream's current end: what was published before start() is history, not news. */
  async start(): Promise<void> {
    if (this.running) return;
    await this.reader.connect();
    await this.catchUpEpoch(true);
    // The last id and the batch count at the same moment (MULTI): what is past them is news to this node.
    const [last, count] = (await this.reader.eval(POSITION, [this.stream, this.counterKey], [])) as [string, string | null];
    this.offset = last || '0-0';
    this.current = Number(count ?? 0);
    this.running = true;
    this.loop = this.read();
  }

  async close(): Promise<void> {
    this.running = false;
    this.reader.close();
    await this.loop?.catch(() => undefined);
  }

  /** Whether this node is reading the log now (false during an outage, until the log was checked after it). */
  get readable(): boolean {
    return this.running && !this.lost;
  }

  private async read(): Promise<void> {
    let backoff = 50;
    while (this.running) {
      try {
        if (this.lost) {
          // Back after an outage: the log may be a new one. Then read it from its start (nothing of it was applied).
          if (await this.catchUpEpoch(false)) this.offset = '0-0';
          this.lost = false;
          this.options.onRecovered?.();
        }
        const reply = await this.reader.sendWithin(this.blockMs + 2000, 'XREAD', ['COUNT', 512, 'BLOCK', this.blockMs, 'STREAMS', this.stream, this.offset]);
        backoff = 50;
        for (const [id, batch, events, committedAt] of entries(reply, this.stream)) {
          this.offset = id;
          this.current = batch;
          if (committedAt !== undefined) markCommitted(events, committedAt);
          this.hub.publish(events);
        }
      } catch (error) {
        if (!this.running) return;
        if (!(error instanceof RedisUnavailableError)) console.error('event bus: reading the stream failed:', error);
        else if (!this.lost) this.options.onOutage?.();
        this.lost = true;
        await Bun.sleep(backoff);
        backoff = Math.min(backoff * 2, 2000);
      }
    }
  }

  /** Reads (or sets, when none) the stream's epoch; true when it differs from the one this node knew. */
  private async catchUpEpoch(first: boolean): Promise<boolean> {
    const mine = crypto.randomUUID();
    await this.reader.send('SET', [this.epochKey, mine, 'NX']);
    const epoch = String(await this.reader.send('GET', [this.epochKey]));
    const changed = this.epoch !== null && epoch !== this.epoch;
    this.epoch = epoch;
    if (changed && !first) this.options.onReset?.(epoch);
    return changed;
  }
}

// Numbers the batch (INCR) and appends it in one step, so batch numbers follow stream order on every node. The
// publisher's last seen batch is a floor: after Redis lost its data the numbers go on above the old ones.
const APPEND = `
local n = redis.call('INCR', KEYS[2])
if n <= tonumber(ARGV[3]) then
  n = tonumber(ARGV[3]) + 1
  redis.call('SET', KEYS[2], n)
end
redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'n', n, 'e', ARGV[2], 'c', ARGV[4])
return n`;

/** How long the log remembers an appended batch's key: far longer than a row waits before any node relays it. */
const DEDUPE_WINDOW_MS = 24 * 60 * 60 * 1000;

// APPEND for several batches, in ARGV order: ARGV[1] the length bound, ARGV[2] the floor, ARGV[3] the dedupe window,
// then (events, time, key) triples. A non-empty key already in KEYS[3] skips its batch; keys older than the window
// (by commit time) are forgotten.
const APPEND_ALL = `
local floor = tonumber(ARGV[2])
local newest = 0
for i = 4, #ARGV, 3 do
  local key = ARGV[i + 2]
  if key == '' or redis.call('ZADD', KEYS[3], 'NX', ARGV[i + 1], key) == 1 then
    local n = redis.call('INCR', KEYS[2])
    if n <= floor then
      n = floor + 1
      redis.call('SET', KEYS[2], n)
    end
    redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'n', n, 'e', ARGV[i], 'c', ARGV[i + 1])
  end
  newest = math.max(newest, tonumber(ARGV[i + 1]))
end
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', '(' .. (newest - tonumber(ARGV[3])))
return 0`;

const POSITION = `
local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)[1]
return {last and last[1] or '', redis.call('GET', KEYS[2])}`;

/** The entries of one stream in an XREAD reply (RESP3 map or RESP2 array), decoded; a bad entry is skipped. */
function* entries(reply: unknown, stream: string): Generator<[string, number, DomainEvent[], number | undefined]> {
  if (reply === null || reply === undefined) return;
  const list = Array.isArray(reply)
    ? ((reply as [string, unknown][]).find(([name]) => name === stream)?.[1] as [string, string[]][] | undefined)
    : ((reply as Record<string, unknown>)[stream] as [string, string[]][] | undefined);
  for (const [id, fields] of list ?? []) {
    const at = fields.indexOf('e');
    const n = fields.indexOf('n');
    // The commit time (absent from entries a node of an older version appended).
    const c = fields.indexOf('c');
    const committedAt = c === -1 ? undefined : Number(fields[c + 1]);
    try {
      yield [id, Number(fields[n + 1]), decodeEvents(String(fields[at + 1])), Number.isFinite(committedAt) ? committedAt : undefined];
    } catch (error) {
      console.error(`event bus: skipping unreadable entry ${id}:`, error);
    }
  }
}

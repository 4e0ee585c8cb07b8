// Prometheus metrics of one node, in the text exposition format (version 0.0.4): what an operator running several
// nodes watches per node. Counters and histograms are kept as requests, sockets and events go by; gauges that
// cost a call (memory, dependency probes) are read when scraped. Cardinality is bounded: route classes, status
// codes, dialects and dependencies are small fixed sets.
import { wallClock } from '../events/commit-time.ts';

/** Upper bounds (seconds) of the latency histograms: from sub-millisecond fan-out to multi-second stalls. */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** Seconds over which `harmony_events_dispatched_per_second` is averaged. */
const RATE_WINDOW_SECONDS = 10;

/** The dialect each WebSocket endpoint speaks, as the `dialect` label names it. */
const DIALECTS: Record<string, string> = { '/gateway': 'harmony', '/gateway/discord': 'discord', '/socket': 'lanyard' };

/** Route classes by path start, first match wins; anything else is the web app (pages and assets). */
const ROUTE_CLASSES: [string, string][] = [
  ['/api/v10/', 'discord'],
  ['/api/v9/', 'discord'],
  ['/api/v1/', 'v1'],
  ['/gateway', 'websocket'],
  ['/socket', 'websocket'],
  ['/user/', 'presence'],
  ['/v1/', 'presence'],
  ['/attachments/', 'files'],
  ['/avatars/', 'files'],
  ['/icons/', 'files'],
  ['/emojis/', 'files'],
  ['/embed/', 'files'],
  ['/health', 'ops'],
  ['/metrics', 'ops'],
  ['/docs', 'docs'],
];

export type ProbeReading = { status: 'ok' | 'down'; latencySeconds: number };

class Histogram {
  readonly counts = new Array<number>(LATENCY_BUCKETS.length).fill(0);
  sum = 0;
  count = 0;

  observe(seconds: number): void {
    this.sum += seconds;
    this.count++;
    for (let i = 0; i < LATENCY_BUCKETS.length; i++) if (seconds <= (LATENCY_BUCKETS[i] as number)) (this.counts[i] as number)++;
  }
}

/** Counts one answered request of a route class, by status code. */
export type RequestCounter = (status: number) => void;

export class NodeMetrics {
  /** Answered requests: route class → count by status code (an array indexed by status: cheaper than a Map). */
  private readonly requests = new Map<string, number[]>();
  /** One counter per route class, made once. */
  private readonly counters = new Map<string, RequestCounter>();
  private readonly sockets = new Map<string, number>(Object.values(DIALECTS).map((dialect) => [dialect, 0]));
  private eventsTotal = 0;
  /** Events per whole second, for the last RATE_WINDOW_SECONDS seconds: [second, count]. */
  private readonly recentEvents: [number, number][] = [];
  private readonly fanoutLag = new Histogram();
  private readonly probeLatency = new Map<string, Histogram>();

  constructor(
    private readonly node: string,
    private readonly version: string,
    /** Strips the public URL's path prefix, when a proxy forwards it unchanged. */
    private readonly prefix: string,
    /** Wall-clock ms, as commit times are stamped (events/commit-time.ts). */
    private readonly now: () => number = wallClock,
  ) {}

  /** One answered HTTP request (101 for an accepted WebSocket upgrade), by the class of its path. */
  request(url: string, status: number): void {
    this.counter(routeClass(url, this.prefix))(status);
  }

  /**
   * The counter of a route whose path is known when the server starts (Bun's native routes): its class is worked
   * out once, here, instead of from every request's URL. A path whose first segment is a parameter or wildcard
   * (which could be any class) gets a counter that classes each request's URL as `request` does.
   */
  routeCounter(path: string): (request: Request, status: number) => void {
    const first = path.split('/')[1] ?? '';
    if (first.startsWith(':') || first.includes('*')) return (request, status) => this.request(request.url, status);
    // request.url is a string Bun builds on each read: not read at all here.
    const count = this.counter(routeClass(`http://h${path}`, this.prefix));
    return (_request, status) => count(status);
  }

  private counter(routeClass: string): RequestCounter {
    let counter = this.counters.get(routeClass);
    if (!counter) {
      const counts: number[] = [];
      this.requests.set(routeClass, counts);
      counter = (status) => {
        counts[status] = (counts[status] ?? 0) + 1;
      };
      this.counters.set(routeClass, counter);
    }
    return counter;
  }

  socketOpened(endpoint: string): void {
    const dialect = DIALECTS[endpoint] ?? 'other';
    this.sockets.set(dialect, (this.sockets.get(dialect) ?? 0) + 1);
  }

  socketClosed(endpoint: string): void {
    const dialect = DIALECTS[endpoint] ?? 'other';
    this.sockets.set(dialect, Math.max(0, (this.sockets.get(dialect) ?? 0) - 1));
  }

  /**
   * The gateway handed an event committed at `committedAt` (wall-clock ms; on any node of the cluster) to its
   * sockets: the time between is the fan-out lag, commit -> delivered, as seen on this node.
   */
  delivered(committedAt: number | undefined): void {
    if (committedAt !== undefined) this.fanoutLag.observe(Math.max(0, this.now() - committedAt) / 1000);
  }

  /** An event was handed out to this node's listeners (the gateways, presence) after commit. */
  dispatched(): void {
    this.eventsTotal++;
    const second = Math.floor(Date.now() / 1000);
    const last = this.recentEvents.at(-1);
    if (last && last[0] === second) last[1]++;
    else this.recentEvents.push([second, 1]);
    while ((this.recentEvents[0]?.[0] ?? second) <= second - RATE_WINDOW_SECONDS) this.recentEvents.shift();
  }

  /** Records a dependency probe (database, redis, s3), as /health and every scrape run them. */
  probed(dependency: string, reading: ProbeReading): void {
    const histogram = this.probeLatency.get(dependency) ?? new Histogram();
    this.probeLatency.set(dependency, histogram);
    histogram.observe(reading.latencySeconds);
  }

  /** The whole exposition, with the dependency probes just run (`probes`). */
  render(probes: Record<string, ProbeReading>): string {
    const out: string[] = [];
    const family = (name: string, type: 'counter' | 'gauge' | 'histogram', help: string) => out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    const node = `node="${this.node}"`;

    family('harmony_node_info', 'gauge', 'This node: its --node-id and version (always 1).');
    out.push(`harmony_node_info{${node},version="${escapeLabel(this.version)}"} 1`);

    family('harmony_websocket_connections', 'gauge', 'Open WebSocket connections (gateway sessions and /socket subscribers), by dialect.');
    for (const [dialect, count] of this.sockets) out.push(`harmony_websocket_connections{${node},dialect="${dialect}"} ${count}`);

    family('harmony_events_dispatched_total', 'counter', 'Committed domain events handed to the gateways since this node started.');
    out.push(`harmony_events_dispatched_total{${node}} ${this.eventsTotal}`);
    family('harmony_events_dispatched_per_second', 'gauge', `Events dispatched per second, averaged over the last ${RATE_WINDOW_SECONDS} seconds.`);
    const since = Math.floor(Date.now() / 1000) - RATE_WINDOW_SECONDS;
    const recent = this.recentEvents.filter(([second]) => second > since).reduce((sum, [, count]) => sum + count, 0);
    out.push(`harmony_events_dispatched_per_second{${node}} ${recent / RATE_WINDOW_SECONDS}`);

    family(
      'harmony_fanout_lag_seconds',
      'histogram',
      "Time from an event's commit (on any node) until this node's gateway has handed its dispatches to the sockets.",
    );
    histogramLines(out, 'harmony_fanout_lag_seconds', node, this.fanoutLag);

    family('harmony_http_requests_total', 'counter', 'HTTP requests answered, by route class and status code (101: WebSocket upgrades).');
    const requests: [string, number][] = [];
    for (const [routeClass, counts] of this.requests)
      counts.forEach((count, status) => {
        if (count) requests.push([`${routeClass}\u0000${status}`, count]);
      });
    for (const [key, count] of requests.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const [routeClass, status] = key.split('\u0000') as [string, string];
      out.push(`harmony_http_requests_total{${node},route_class="${routeClass}",status="${status}"} ${count}`);
    }

    family('harmony_dependency_up', 'gauge', 'Whether a dependency (database, redis, s3) answered its probe at this scrape (1) or not (0).');
    for (const [dependency, reading] of Object.entries(probes))
      out.push(`harmony_dependency_up{${node},dependency="${dependency}"} ${reading.status === 'ok' ? 1 : 0}`);
    family(
      'harmony_dependency_latency_seconds',
      'histogram',
      'Round trip of the dependency probes (a trivial query, a PING, a one-key listing) run by /health and /metrics.',
    );
    for (const [dependency, histogram] of [...this.probeLatency].sort(([a], [b]) => a.localeCompare(b))) {
      histogramLines(out, 'harmony_dependency_latency_seconds', `${node},dependency="${dependency}"`, histogram);
    }

    const memory = process.memoryUsage();
    family('process_resident_memory_bytes', 'gauge', 'Resident memory of this process.');
    out.push(`process_resident_memory_bytes{${node}} ${memory.rss}`);
    family('harmony_heap_used_bytes', 'gauge', 'JavaScript heap in use.');
    out.push(`harmony_heap_used_bytes{${node}} ${memory.heapUsed}`);
    family('process_start_time_seconds', 'gauge', 'When this process started, in seconds since the Unix epoch.');
    out.push(`process_start_time_seconds{${node}} ${Math.floor((Date.now() - process.uptime() * 1000) / 1000)}`);
    return `${out.join('\n')}\n`;
  }
}

/** The class of a request's path, from its absolute URL (cheap: no URL parsing on every request). */
export function routeClass(url: string, prefix = ''): string {
  let path = url.indexOf('/', url.indexOf('//') + 2);
  if (path === -1) return 'web';
  if (prefix && url.startsWith(`${prefix}/`, path)) path += prefix.length;
  for (const [start, name] of ROUTE_CLASSES) if (url.startsWith(start, path)) return name;
  return 'web';
}

function histogramLines(out: string[], name: string, labels: string, histogram: Histogram): void {
  LATENCY_BUCKETS.forEach((bound, i) => {
    out.push(`${name}_bucket{${labels},le="${bound}"} ${histogram.counts[i]}`);
  });
  out.push(`${name}_bucket{${labels},le="+Inf"} ${histogram.count}`, `${name}_sum{${labels}} ${histogram.sum}`, `${name}_count{${labels}} ${histogram.count}`);
}

const escapeLabel = (value: string) => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

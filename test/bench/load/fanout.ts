// Load generator for gateway fan-out, run in its own process: opens N sessions, posts messages by
// REST, and times each delivery from the moment its POST started (one clock: this process's).
// Reads its job as JSON on stdin and prints its result as JSON on stdout.
export type FanoutJob = {
  target: 'bare' | 'v1' | 'v10';
  url: string;
  channelId?: string;
  ownerToken?: string;
  tokens?: string[];
  sessions: number;
  /** Phase 1: messages per second and how long, for latency. */
  rate: number;
  seconds: number;
  /** Phase 2: this many messages as fast as the server takes them, for throughput; `bursts` times (the median is kept). */
  burst: number;
  bursts: number;
  /** Messages sent as one burst before phase 1 and not measured: the first few hundred of a fresh process pay for
   * compiling the send path. */
  warmup: number;
};

export type FanoutResult = {
  sessions: number;
  latency: { p50: number; p99: number; max: number; deliveries: number; expected: number };
  /** The median burst's deliveries per second; `runs` has every burst's, in order. */
  throughput: { deliveriesPerSecond: number; runs: number[]; deliveries: number; expected: number };
};

const job = (await Bun.stdin.json()) as FanoutJob;
const MARK = '"content":"bench:';
const started = new Map<number, number>();
const latencies: number[] = [];
let delivered = 0;
let recording = true;
let lastFrameAt = 0;

function onFrame(data: string | Buffer): void {
  lastFrameAt = performance.now();
  const text = typeof data === 'string' ? data : data.toString();
  const at = text.indexOf(MARK);
  if (at === -1) return;
  const seq = Number.parseInt(text.slice(at + MARK.length, at + MARK.length + 12), 10);
  const t0 = started.get(seq);
  if (t0 === undefined) return;
  delivered++;
  if (recording) latencies.push(performance.now() - t0);
}

function gatewayUrl(): string {
  const base = job.url.replace(/^http/, 'ws');
  if (job.target === 'bare') return `${base}/ws`;
  if (job.target === 'v1') return `${base}/gateway`;
  return `${base}/gateway/discord?v=10&encoding=json`;
}

/** Opens one session and resolves when it is ready to receive dispatches. */
function connect(index: number): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(gatewayUrl());
    const token = job.tokens?.[index % (job.tokens?.length ?? 1)];
    const timer = setTimeout(() => reject(new Error(`session ${index} not ready in 30 s`)), 30_000);
    const ready = () => {
      clearTimeout(timer);
      ws.onmessage = (event) => onFrame(event.data as string);
      resolve(ws);
    };
    ws.onerror = () => reject(new Error(`session ${index} failed`));
    ws.onopen = () => {
      if (job.target === 'bare') ready();
      else if (job.target === 'v1') ws.send(JSON.stringify({ op: 2, d: { token } }));
    };
    ws.onmessage = (event) => {
      const frame = JSON.parse(event.data as string);
      if (job.target === 'v10' && frame.op === 10) {
        // GUILDS | GUILD_MESSAGES | MESSAGE_CONTENT
        ws.send(
          JSON.stringify({ op: 2, d: { token, intents: (1 << 0) | (1 << 9) | (1 << 15), properties: { os: 'linux', browser: 'bench', device: 'bench' } } }),
        );
      } else if (job.target === 'v1' && frame.t === 'READY') ready();
      else if (job.target === 'v10' && frame.t === 'GUILD_CREATE') ready();
    };
  });
}

async function post(seq: number): Promise<void> {
  started.set(seq, performance.now());
  const content = `bench:${seq}`;
  const response =
    job.target === 'bare'
      ? await fetch(`${job.url}/publish`, { method: 'POST', body: JSON.stringify({ content }) })
      : await fetch(`${job.url}/api/v1/channels/${job.channelId}/messages`, {
          method: 'POST',
          headers: { authorization: `Bearer ${job.ownerToken}`, 'content-type': 'application/json' },
          body: JSON.stringify({ content }),
        });
  if (!response.ok) throw new Error(`post failed: ${response.status} ${await response.text()}`);
  await response.arrayBuffer();
}

async function until(condition: () => boolean, ms: number): Promise<void> {
  const end = performance.now() + ms;
  while (!condition() && performance.now() < end) await Bun.sleep(5);
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? Number.NaN;

const sockets: WebSocket[] = [];
for (let i = 0; i < job.sessions; i += 50) {
  sockets.push(...(await Promise.all(Array.from({ length: Math.min(50, job.sessions - i) }, (_, k) => connect(i + k)))));
}
// Keep identified sessions alive through the run (heartbeats are cheap and the run is short).
const beat = setInterval(() => {
  for (const ws of sockets) ws.send(JSON.stringify({ op: 1, d: null }));
}, 10_000);

// Connecting 1000 members makes each one's presence reach the others (as on Discord): let that
// traffic drain before measuring, so the figures are about messages alone.
await until(() => performance.now() - lastFrameAt > 1000, 60_000);

let seq = 0;

/** Posts `count` messages, 8 in flight, as fast as the server takes them, and waits for every delivery; the
 * deliveries per second from the first POST to the last delivery. */
async function burst(count: number): Promise<number> {
  delivered = 0;
  const burstStart = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < count) {
        next++;
        await post(seq++);
      }
    }),
  );
  await until(() => delivered >= count * job.sessions, 30_000);
  return delivered / ((performance.now() - burstStart) / 1000);
}

recording = false;
if (job.warmup > 0) {
  await burst(job.warmup);
  await Bun.sleep(300);
}

// Phase 1: a steady rate, for latency.
recording = true;
delivered = 0;
const total = job.rate * job.seconds;
const t0 = performance.now();
for (let i = 0; i < total; i++) {
  const due = t0 + (i * 1000) / job.rate;
  const wait = due - performance.now();
  if (wait > 0) await Bun.sleep(wait);
  void post(seq++);
}
await until(() => delivered >= total * job.sessions, 10_000);
const sorted = latencies.sort((a, b) => a - b);
const latency = {
  p50: percentile(sorted, 50),
  p99: percentile(sorted, 99),
  max: sorted.at(-1) ?? Number.NaN,
  deliveries: delivered,
  expected: total * job.sessions,
};

// Phase 2: as fast as the server accepts posts (8 in flight), for throughput. A burst lasts well under a second, so
// one is at the mercy of whatever else the machine does then: several, a pause between them, and the median.
recording = false;
const runs: number[] = [];
let deliveries = 0;
for (let b = 0; b < Math.max(1, job.bursts); b++) {
  await Bun.sleep(300);
  runs.push(await burst(job.burst));
  deliveries += delivered;
}
const throughput = {
  deliveriesPerSecond: percentile(
    [...runs].sort((a, b) => a - b),
    50,
  ),
  runs,
  deliveries,
  expected: job.burst * job.sessions * runs.length,
};

clearInterval(beat);
for (const ws of sockets) ws.close();
console.log(JSON.stringify({ sessions: sockets.length, latency, throughput } satisfies FanoutResult));
process.exit(0);

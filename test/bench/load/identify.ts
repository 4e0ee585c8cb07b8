// Load generator for gateway connects, in its own process: opens `sessions` Discord-dialect (v10) sessions with
// `concurrency` handshakes in flight, each IDENTIFY timed until its READY and (with `waitGuilds`) until the
// GUILD_CREATE of every guild READY lists. Prints one JSON line (IdentifyResult) once all are ready, then holds
// the sessions open (heartbeating) until its stdin closes, so the server's memory can be read while they idle.
export type IdentifyJob = {
  /** ws:// URL of the gateway. */
  url: string;
  tokens: string[];
  sessions: number;
  concurrency: number;
  intents: number;
  largeThreshold?: number;
  waitGuilds: boolean;
};

export type IdentifyResult = {
  sessions: number;
  seconds: number;
  readyPerSecond: number;
  /** IDENTIFY sent → READY (and GUILD_CREATEs) received, per session, ms. */
  p50: number;
  p99: number;
  /** Session 0's frames from READY to its last GUILD_CREATE, for the bare baseline to replay and for sizes. */
  sample: { ready: string; guildCreates: string[] };
  guildCreateMs: number;
};

// The job is the first line of stdin; the end of stdin releases the held sessions.
const input = Bun.stdin.stream().getReader();
let received = '';
while (!received.includes('\n')) {
  const { value, done } = await input.read();
  if (done) break;
  received += new TextDecoder().decode(value);
}
const job = JSON.parse(received) as IdentifyJob;
const latencies: number[] = [];
const sample = { ready: '', guildCreates: [] as string[] };
let guildCreateMs = 0;
const sockets: WebSocket[] = [];

function connect(index: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(job.url);
    sockets.push(ws);
    const token = job.tokens[index % job.tokens.length];
    let identifiedAt = 0;
    let pending = -1;
    const timer = setTimeout(() => reject(new Error(`session ${index} not ready in 120 s`)), 120_000);
    const done = () => {
      clearTimeout(timer);
      latencies.push(performance.now() - identifiedAt);
      ws.onmessage = null;
      resolve();
    };
    ws.onerror = () => reject(new Error(`session ${index} failed`));
    ws.onclose = (event) => (pending !== 0 ? reject(new Error(`session ${index} closed ${event.code} ${event.reason}`)) : undefined);
    ws.onmessage = (event) => {
      const text = event.data as string;
      // Only the first bytes decide: a READY or GUILD_CREATE is not parsed whole.
      const head = text.slice(0, 40);
      if (head.includes('"op":10')) {
        identifiedAt = performance.now();
        const d: Record<string, unknown> = { token, intents: job.intents, properties: { os: 'linux', browser: 'bench', device: 'bench' } };
        if (job.largeThreshold !== undefined) d.large_threshold = job.largeThreshold;
        ws.send(JSON.stringify({ op: 2, d }));
      } else if (text.includes('"t":"READY"')) {
        if (index === 0) sample.ready = text;
        const frame = JSON.parse(text) as { d: { guilds: unknown[] } };
        pending = job.waitGuilds ? frame.d.guilds.length : 0;
        if (pending === 0) done();
      } else if (pending > 0 && text.includes('"t":"GUILD_CREATE"')) {
        if (index === 0) {
          sample.guildCreates.push(text);
          if (--pending === 0) guildCreateMs = performance.now() - identifiedAt;
        } else pending--;
        if (pending === 0) done();
      }
    };
  });
}

const t0 = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: Math.min(job.concurrency, job.sessions) }, async () => {
    while (next < job.sessions) await connect(next++);
  }),
);
const seconds = (performance.now() - t0) / 1000;
latencies.sort((a, b) => a - b);
const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((latencies.length * p) / 100))] ?? Number.NaN;
console.log(
  JSON.stringify({
    sessions: latencies.length,
    seconds,
    readyPerSecond: latencies.length / seconds,
    p50: at(50),
    p99: at(99),
    sample,
    guildCreateMs,
  } satisfies IdentifyResult),
);

// Hold: heartbeats keep the sessions alive until the bench is done reading memory.
const beat = setInterval(() => {
  for (const ws of sockets) if (ws.readyState === WebSocket.OPEN) ws.send('{"op":1,"d":null}');
}, 20_000);
while (!(await input.read()).done) {}
clearInterval(beat);
process.exit(0);

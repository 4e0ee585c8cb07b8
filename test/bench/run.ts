// `bun run bench`: every performance target, each measured against a bare-Bun baseline in the same
// run (this machine is noisy; ratios travel, absolute numbers do not). Servers and load generators
// are separate processes on loopback; every phase is bounded in count and time.
import type { Subprocess } from 'bun';
import type { FanoutJob, FanoutResult } from './load/fanout.ts';

const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 1000);
const here = (path: string) => new URL(path, import.meta.url).pathname;

type Started = { proc: Subprocess<'pipe', 'pipe', 'inherit'>; info: Record<string, unknown> & { url: string } };

/** Starts a server script and reads the one JSON line it prints when it listens. */
async function startServer(script: string, args: string[] = [], stdin = ''): Promise<Started> {
  const proc = Bun.spawn(['bun', here(script), ...args], { stdin: 'pipe', stdout: 'pipe', stderr: 'inherit' });
  proc.stdin.write(stdin);
  await proc.stdin.end();
  const reader = proc.stdout.getReader();
  let text = '';
  while (!text.includes('\n')) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`${script} exited before listening`);
    text += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  return { proc, info: JSON.parse(text.slice(0, text.indexOf('\n'))) };
}

async function runLoad<T>(script: string, job: unknown, timeoutMs: number): Promise<T> {
  const proc = Bun.spawn(['bun', here(script)], { stdin: 'pipe', stdout: 'pipe', stderr: 'inherit' });
  proc.stdin.write(JSON.stringify(job));
  await proc.stdin.end();
  const timer = setTimeout(() => proc.kill(), timeoutMs);
  const out = await new Response(proc.stdout).text();
  clearTimeout(timer);
  if ((await proc.exited) !== 0) throw new Error(`${script} failed or timed out`);
  return JSON.parse(out) as T;
}

async function fanout(target: FanoutJob['target'], server: Started): Promise<FanoutResult> {
  const info = server.info as { url: string; channelId?: string; ownerToken?: string; tokens?: string[] };
  return runLoad<FanoutResult>(
    './load/fanout.ts',
    {
      target,
      url: info.url,
      channelId: info.channelId,
      ownerToken: info.ownerToken,
      tokens: info.tokens,
      sessions: SESSIONS,
      rate: 100,
      seconds: 5,
      burst: 200,
    } satisfies FanoutJob,
    180_000,
  );
}

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
const rows: string[][] = [];

// ---- gateway fan-out ----
const bare = await startServer('./servers/bare-fanout.ts');
const bareResult = await fanout('bare', bare);
bare.proc.kill();

const harmony = await startServer('./servers/harmony.ts', [String(SESSIONS)]);
const v1 = await fanout('v1', harmony);
let v10: FanoutResult | null = null;
try {
  v10 = await fanout('v10', harmony);
} catch (error) {
  console.error(`discord v10 fan-out skipped: ${(error as Error).message}`);
}

rows.push([
  'fan-out, bare Bun.serve topic publish',
  fmt(bareResult.throughput.deliveriesPerSecond, 0),
  fmt(bareResult.latency.p50),
  fmt(bareResult.latency.p99),
  '1.00 (baseline)',
]);
rows.push([
  'fan-out, harmony v1 gateway',
  fmt(v1.throughput.deliveriesPerSecond, 0),
  fmt(v1.latency.p50),
  fmt(v1.latency.p99),
  fmt(v1.throughput.deliveriesPerSecond / bareResult.throughput.deliveriesPerSecond, 2),
]);
if (v10)
  rows.push([
    'fan-out, discord v10 gateway',
    fmt(v10.throughput.deliveriesPerSecond, 0),
    fmt(v10.latency.p50),
    fmt(v10.latency.p99),
    `${fmt(v10.throughput.deliveriesPerSecond / bareResult.throughput.deliveriesPerSecond, 2)} (v10/v1 ${fmt(v10.throughput.deliveriesPerSecond / v1.throughput.deliveriesPerSecond, 2)})`,
  ]);

// ---- presence read ----
const info = harmony.info as { url: string; ownerId: string; ownerToken: string };
const optIn = await fetch(`${info.url}/api/v1/users/@me/presence`, {
  method: 'PUT',
  headers: { authorization: `Bearer ${info.ownerToken}`, 'content-type': 'application/json' },
  body: JSON.stringify({ shared: true }),
});
const presenceUrl = `${info.url}/user/${info.ownerId}`;
const sample = await fetch(presenceUrl);
if (optIn.ok && sample.ok) {
  const body = await sample.text();
  const read = { connections: 64, seconds: 5 };
  const bareJson = await startServer('./servers/bare-json.ts', [], body);
  const bareRead = await runLoad<{ requestsPerSecond: number; p50: number; p99: number }>('./load/http-read.ts', { url: bareJson.info.url, ...read }, 60_000);
  bareJson.proc.kill();
  const harmonyRead = await runLoad<{ requestsPerSecond: number; p50: number; p99: number }>('./load/http-read.ts', { url: presenceUrl, ...read }, 60_000);
  rows.push(['GET /user/:id, bare Bun.serve same JSON', fmt(bareRead.requestsPerSecond, 0), fmt(bareRead.p50, 2), fmt(bareRead.p99, 2), '1.00 (baseline)']);
  rows.push([
    'GET /user/:id, harmony presence API',
    fmt(harmonyRead.requestsPerSecond, 0),
    fmt(harmonyRead.p50, 2),
    fmt(harmonyRead.p99, 2),
    fmt(harmonyRead.requestsPerSecond / bareRead.requestsPerSecond, 2),
  ]);
} else {
  console.error(`presence read skipped: opt-in ${optIn.status}, GET ${sample.status}`);
}
harmony.proc.kill();

console.log(
  `\nHarmony benchmark — ${SESSIONS} sessions in one guild; fan-out latency at 100 messages/s for 5 s, throughput over a 200-message burst; reads with 64 connections for 5 s\n`,
);
console.log('| scenario | deliveries/s or requests/s | p50 ms | p99 ms | ratio to bare |');
console.log('|---|---|---|---|---|');
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
console.log(
  `\ndelivery completeness: bare ${bareResult.latency.deliveries}/${bareResult.latency.expected}, v1 ${v1.latency.deliveries}/${v1.latency.expected}${v10 ? `, v10 ${v10.latency.deliveries}/${v10.latency.expected}` : ''}`,
);
process.exit(0);

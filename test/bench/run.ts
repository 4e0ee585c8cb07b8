// `bun run bench`: every performance figure of issue 16 in ONE table, each beside its baseline measured in the
// same run (bare Bun.serve returning the same bytes for HTTP, a bare topic publish of the same frames for fan-out, bare bun:sqlite
// inserts in WAL behind Bun.serve for writes, a bare WebSocket server replaying Harmony's own READY for connects),
// the ratio, the target and pass/fail; the same table is written as JSON (bench-results.json, path printed).
// This machine is shared and noisy: figure and baseline run alternately, several times, and medians are kept;
// ratios travel, absolute numbers do not. Servers and load generators are separate processes on loopback.
//
// Environment (defaults finish in a few minutes on 2 cores; smaller counts make a quick run):
//   BENCH_SESSIONS=1000         fan-out sessions (bots in one guild)
//   BENCH_RUNS=3                alternating figure/baseline rounds for HTTP reads and writes (medians reported)
//   BENCH_SECONDS=3             seconds per HTTP measurement
//   BENCH_IDENTIFY_SESSIONS=10000  sessions of one user (IDENTIFY→READY/s, idle memory)
//   BENCH_USERS=1000 BENCH_GUILDS=50   users, each identifying once, all members of every one of the guilds
//   BENCH_LARGE_MEMBERS=10000   members of the large guild whose READY/GUILD_CREATE is timed
//   BENCH_CLUSTER_SESSIONS=200  fan-out sessions of the cluster phase (3 nodes on PostgreSQL + Redis behind nginx)
//   BENCH_CLUSTER_EVENTS=300    events per cost-per-event measurement of the cluster phase
//   BENCH_ONLY=presence,writes,fanout,connects,web,cluster   a subset of the phases (all but cluster by default)
//   BENCH_OUT=bench-results.json

import { cpus, totalmem } from 'node:os';
import { resolve } from 'node:path';
import type { Subprocess } from 'bun';
import { clusterPhase } from './cluster.ts';
import type { FanoutJob, FanoutResult } from './load/fanout.ts';
import { type HttpJob, type HttpResult, httpGenerator, httpLoad } from './load/http.ts';
import type { IdentifyJob, IdentifyResult } from './load/identify.ts';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const SESSIONS = env('BENCH_SESSIONS', 1000);
const RUNS = Math.max(1, env('BENCH_RUNS', 3));
const SECONDS = env('BENCH_SECONDS', 3);
const IDENTIFY_SESSIONS = env('BENCH_IDENTIFY_SESSIONS', 10_000);
const USERS = env('BENCH_USERS', 1000);
const GUILDS = env('BENCH_GUILDS', 50);
const LARGE_MEMBERS = env('BENCH_LARGE_MEMBERS', 10_000);
const OUT = resolve(process.env.BENCH_OUT ?? 'bench-results.json');
const CLUSTER_SESSIONS = env('BENCH_CLUSTER_SESSIONS', 200);
const CLUSTER_EVENTS = env('BENCH_CLUSTER_EVENTS', 300);
const ONLY = new Set((process.env.BENCH_ONLY ?? 'presence,writes,fanout,connects,web').split(','));
const here = (path: string) => new URL(path, import.meta.url).pathname;

// ---------------------------------------------------------------------------------------------------------------
// The table

type Row = {
  group: string;
  figure: string;
  value: number | null;
  unit: string;
  baseline: number | null;
  /** value / baseline, or baseline / value where smaller is better (`lowerIsBetter`). */
  ratio: number | null;
  target: string;
  pass: boolean | null;
  note?: string;
};
const rows: Row[] = [];

/** A row compared to its baseline; `min` is a ratio target (≥), `max` an absolute ceiling on the value. */
function row(
  r: Omit<Row, 'ratio' | 'pass' | 'target'> & { ratio?: number | null; minRatio?: number; minValue?: number; maxValue?: number; target?: string },
): void {
  const ratio = r.ratio ?? (r.value !== null && r.baseline ? r.value / r.baseline : null);
  let pass: boolean | null = null;
  const targets: string[] = [];
  if (r.minRatio !== undefined) {
    targets.push(`≥ ${r.minRatio}×`);
    pass = ratio !== null && ratio >= r.minRatio;
  }
  if (r.minValue !== undefined) {
    targets.push(`≥ ${r.minValue.toLocaleString('en')} ${r.unit}`);
    pass = (pass ?? true) && r.value !== null && r.value >= r.minValue;
  }
  if (r.maxValue !== undefined) {
    targets.push(`≤ ${r.maxValue.toLocaleString('en')} ${r.unit}`);
    pass = (pass ?? true) && r.value !== null && r.value <= r.maxValue;
  }
  rows.push({
    group: r.group,
    figure: r.figure,
    value: r.value,
    unit: r.unit,
    baseline: r.baseline,
    ratio,
    target: r.target ?? (targets.join(', ') || 'report'),
    pass,
    note: r.note,
  });
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};
const fmt = (n: number | null, digits = 0) =>
  n === null || !Number.isFinite(n) ? '—' : n.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });

// ---------------------------------------------------------------------------------------------------------------
// Processes

type Started = { proc: Subprocess<'pipe', 'pipe', 'inherit'>; info: Record<string, unknown> & { url: string } };
const started: Started[] = [];

/** Starts a script and reads the one JSON line it prints when it listens (or is ready). */
async function startProcess(script: string, args: string[] = [], stdin = '', keepStdin = false): Promise<Started> {
  const proc = Bun.spawn(['bun', here(script), ...args], { stdin: 'pipe', stdout: 'pipe', stderr: 'inherit' });
  if (stdin) proc.stdin.write(stdin);
  if (keepStdin) await proc.stdin.flush();
  else await proc.stdin.end();
  const reader = proc.stdout.getReader();
  let text = '';
  while (!text.includes('\n')) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`${script} exited before it was ready`);
    text += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  const s: Started = { proc, info: JSON.parse(text.slice(0, text.indexOf('\n'))) };
  started.push(s);
  return s;
}

const startServer = (script: string, args: string[] = [], stdin = '') => startProcess(script, args, stdin);

function stop(s: Started): Promise<number> {
  s.proc.kill();
  return s.proc.exited;
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

async function memory(controlUrl: string): Promise<number> {
  const { rss } = (await (await fetch(controlUrl)).json()) as { rss: number };
  return rss;
}

const log = (line: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);

/** CPU seconds a process has used so far (utime + stime from /proc; null where there is no /proc). */
function cpuSeconds(pid: number): number | null {
  try {
    const stat = require('node:fs').readFileSync(`/proc/${pid}/stat`, 'utf8') as string;
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

type Measured = HttpResult & { perCpuSecond: number | null };
/** One HTTP measurement, with the requests the server answered per CPU second it used meanwhile. */
async function measured(pid: number, load: () => Promise<HttpResult>): Promise<Measured> {
  const before = cpuSeconds(pid);
  const result = await load();
  const after = cpuSeconds(pid);
  const cpu = before === null || after === null ? 0 : after - before;
  return { ...result, perCpuSecond: cpu > 0 ? (result.requestsPerSecond * SECONDS) / cpu : null };
}

/**
 * Figure and baseline measured alternately RUNS times (baseline first); medians of each and of the ratios. On a
 * shared machine the wall-clock ratio swings with whatever else runs; the ratio of requests per CPU second of each
 * server (their cost per request) does not, and is the one held to the target where /proc gives it.
 */
async function alternate(figure: [number, () => Promise<HttpResult>], baseline: [number, () => Promise<HttpResult>]) {
  const f: Measured[] = [];
  const b: Measured[] = [];
  for (let i = 0; i < RUNS; i++) {
    b.push(await measured(...baseline));
    f.push(await measured(...figure));
  }
  const cpuRatios = f.every((r, i) => r.perCpuSecond !== null && b[i]?.perCpuSecond != null)
    ? f.map((r, i) => (r.perCpuSecond as number) / ((b[i] as Measured).perCpuSecond as number))
    : null;
  const ratios = f.map((r, i) => r.requestsPerSecond / (b[i] as HttpResult).requestsPerSecond);
  return {
    value: median(f.map((r) => r.requestsPerSecond)),
    baseline: median(b.map((r) => r.requestsPerSecond)),
    ratios,
    cpuRatio: cpuRatios ? median(cpuRatios) : null,
    cpuRatios,
    p99: median(f.map((r) => r.p99)),
    errors: f.reduce((n, r) => n + r.errors, 0),
  };
}

const ratiosNote = (m: { ratios: number[]; cpuRatios: number[] | null }) =>
  `req/s ratio runs ${m.ratios.map((r) => r.toFixed(2)).join(' / ')}${m.cpuRatios ? `; per-CPU-second ratio runs ${m.cpuRatios.map((r) => r.toFixed(2)).join(' / ')}` : ''}`;

// ---------------------------------------------------------------------------------------------------------------
// Phase 1: one guild of SESSIONS bots — presence reads, writes, fan-out

// (One bot when no phase here runs: BENCH_ONLY=cluster, say.)
const PHASE_1 = ['presence', 'writes', 'fanout'].some((phase) => ONLY.has(phase));
log(`seeding Harmony with ${PHASE_1 ? SESSIONS : 1} bots in one guild`);
const harmony = await startServer('./servers/harmony.ts', [String(PHASE_1 ? Math.max(SESSIONS, 1) : 1)]);
const info = harmony.info as unknown as { url: string; channelId: string; ownerId: string; ownerToken: string; tokens: string[] };
const origin = info.url;

// ---- presence reads ----
const optIn = await fetch(`${origin}/api/v1/users/@me/presence`, {
  method: 'PUT',
  headers: { authorization: `Bearer ${info.ownerToken}`, 'content-type': 'application/json' },
  body: JSON.stringify({ shared: true }),
});
if (!optIn.ok) throw new Error(`presence opt-in failed: ${optIn.status}`);

/** Harmony's answer's headers as a bare server should send them (the per-response ones left to Bun). */
function sameHeaders(response: Response): Record<string, string> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (name !== 'date' && name !== 'content-length') headers[name] = value;
  });
  return headers;
}

const reads: { figure: string; path: string; conditional?: boolean }[] = [
  { figure: 'GET /user/:id', path: `/user/${info.ownerId}` },
  { figure: 'GET /v1/users/:id (Lanyard)', path: `/v1/users/${info.ownerId}` },
  { figure: 'GET /user/:id/card.svg', path: `/user/${info.ownerId}/card.svg` },
  { figure: 'GET /user/:id, If-None-Match → 304', path: `/user/${info.ownerId}`, conditional: true },
];
for (const read of ONLY.has('presence') ? reads : []) {
  const sample = await fetch(`${origin}${read.path}`);
  const body = await sample.text();
  const headers = sameHeaders(sample);
  if (sample.status !== 200 || !headers.etag) throw new Error(`${read.path}: ${sample.status}, etag ${headers.etag}`);
  log(`${read.figure}: ${RUNS} × (bare, harmony), ${SECONDS} s each`);
  const bare = await startServer('./servers/bare-json.ts', [], JSON.stringify({ body, headers }));
  const job = (url: string): HttpJob => ({
    origin: url,
    requests: [{ method: 'GET', path: url === origin ? read.path : '/' }],
    headers: read.conditional ? { 'if-none-match': headers.etag as string } : {},
    connections: 64,
    seconds: SECONDS,
  });
  const m = await alternate([harmony.proc.pid, () => httpLoad(job(origin))], [bare.proc.pid, () => httpLoad(job(bare.info.url))]);
  await stop(bare);
  row({
    group: 'presence reads (64 connections)',
    figure: read.figure,
    value: m.value,
    unit: 'req/s',
    baseline: m.baseline,
    ratio: m.cpuRatio,
    minRatio: 0.85,
    note: `${ratiosNote(m)}; p99 ${m.p99.toFixed(2)} ms${m.errors ? `; ${m.errors} errors` : ''}`,
  });
}

// ---- writes ----
if (ONLY.has('writes')) {
  const bareWrite = await startServer('./servers/bare-write.ts');
  const channel = info.channelId;
  const botToken = info.tokens[0] as string;
  const v10Headers = { authorization: `Bot ${botToken}`, 'content-type': 'application/json' };
  const v1Headers = { authorization: `Bearer ${info.ownerToken}`, 'content-type': 'application/json' };
  const targets: Record<string, number> = {};

  // Messages to react to and edit, one per connection of the widest run.
  const own: string[] = [];
  for (let i = 0; i < 16; i++) {
    const r = await fetch(`${origin}/api/v10/channels/${channel}/messages`, {
      method: 'POST',
      headers: v10Headers,
      body: JSON.stringify({ content: `target ${i}` }),
    });
    if (r.status !== 200) throw new Error(`seed message: ${r.status} ${await r.text()}`);
    own.push(((await r.json()) as { id: string }).id);
  }
  const thumbs = encodeURIComponent('👍');
  const writes: { figure: string; headers: Record<string, string>; requests: HttpJob['requests']; minValue?: number }[] = [
    {
      figure: 'POST messages, v1',
      headers: v1Headers,
      requests: [{ method: 'POST', path: `/api/v1/channels/${channel}/messages`, body: '{"content":"bench write"}' }],
    },
    {
      figure: 'POST messages, v10',
      headers: v10Headers,
      requests: [{ method: 'POST', path: `/api/v10/channels/${channel}/messages`, body: '{"content":"bench write"}' }],
    },
    {
      figure: 'PUT/DELETE reactions, v10',
      headers: v10Headers,
      requests: own.flatMap((id) => [
        { method: 'PUT', path: `/api/v10/channels/${channel}/messages/${id}/reactions/${thumbs}/@me` },
        { method: 'DELETE', path: `/api/v10/channels/${channel}/messages/${id}/reactions/${thumbs}/@me` },
      ]),
    },
    {
      figure: 'PATCH message edits, v10',
      headers: v10Headers,
      requests: own.map((id, i) => ({ method: 'PATCH', path: `/api/v10/channels/${channel}/messages/${id}`, body: `{"content":"edited ${i}"}` })),
    },
  ];
  for (const connections of [1, 16]) {
    for (const write of writes) {
      log(`${write.figure}, ${connections} connection(s): ${RUNS} × (bare insert, harmony), ${SECONDS} s each`);
      const m = await alternate(
        [harmony.proc.pid, () => httpLoad({ origin, requests: write.requests, headers: write.headers, connections, seconds: SECONDS })],
        [
          bareWrite.proc.pid,
          () =>
            httpLoad({
              origin: bareWrite.info.url,
              requests: [{ method: 'POST', path: '/', body: '{"content":"bench write"}' }],
              connections,
              seconds: SECONDS,
            }),
        ],
      );
      targets[`${write.figure}/${connections}`] = m.value;
      row({
        group: `acknowledged writes (${connections} connection${connections > 1 ? 's' : ''}; baseline: one bun:sqlite WAL insert per request)`,
        figure: write.figure,
        value: m.value,
        unit: 'writes/s',
        baseline: m.baseline,
        ratio: m.cpuRatio,
        ...(connections === 16 ? { minValue: 10_000 } : {}),
        note: `${ratiosNote(m)}; p99 ${m.p99.toFixed(2)} ms${m.errors ? `; ${m.errors} errors` : ''}`,
      });
    }
  }
  await stop(bareWrite);
}

// ---- fan-out ----
/** Messages per throughput burst, and bursts per run: a burst of 500 lasts about half a second, long enough that a
 * moment's hiccup elsewhere on the machine does not decide the figure; figure and baseline alternate RUNS times and
 * the median of all their bursts is kept. Each run opens with one unmeasured burst (see FanoutJob.warmup). */
const FANOUT_BURST = 500;
const FANOUT_BURSTS = 5;

async function fanout(target: FanoutJob['target'], server: Started): Promise<FanoutResult> {
  const i = server.info as { url: string; channelId?: string; ownerToken?: string; tokens?: string[] };
  return runLoad<FanoutResult>(
    './load/fanout.ts',
    {
      target,
      url: i.url,
      channelId: i.channelId,
      ownerToken: i.ownerToken,
      tokens: i.tokens,
      sessions: SESSIONS,
      rate: 100,
      seconds: 5,
      burst: FANOUT_BURST,
      bursts: FANOUT_BURSTS,
      warmup: FANOUT_BURST,
    } satisfies FanoutJob,
    300_000,
  );
}

/** One MESSAGE_CREATE frame exactly as a session of the dialect receives it from Harmony (the bare publish's bytes). */
async function sampleFrame(target: 'v1' | 'v10'): Promise<string> {
  const base = origin.replace(/^http/, 'ws');
  const ws = new WebSocket(target === 'v1' ? `${base}/gateway` : `${base}/gateway/discord?v=10&encoding=json`);
  const token = info.tokens[0];
  try {
    return await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no MESSAGE_CREATE sampled from the ${target} gateway`)), 10_000);
      ws.onopen = () => {
        if (target === 'v1') ws.send(JSON.stringify({ op: 2, d: { token } }));
      };
      ws.onmessage = async (event) => {
        const text = event.data as string;
        const frame = JSON.parse(text) as { op: number; t: string | null };
        if (target === 'v10' && frame.op === 10) {
          const properties = { os: 'linux', browser: 'bench', device: 'bench' };
          ws.send(JSON.stringify({ op: 2, d: { token, intents: (1 << 0) | (1 << 9) | (1 << 15), properties } }));
        } else if ((target === 'v1' && frame.t === 'READY') || (target === 'v10' && frame.t === 'GUILD_CREATE')) {
          const posted = await fetch(`${origin}/api/v1/channels/${info.channelId}/messages`, {
            method: 'POST',
            headers: { authorization: `Bearer ${info.ownerToken}`, 'content-type': 'application/json' },
            body: JSON.stringify({ content: 'bench:0' }),
          });
          if (!posted.ok) reject(new Error(`sample post: ${posted.status}`));
        } else if (frame.t === 'MESSAGE_CREATE') {
          clearTimeout(timer);
          resolve(text);
        }
      };
    });
  } finally {
    ws.close();
  }
}

const allBursts = (results: FanoutResult[]) => results.flatMap((r) => r.throughput.runs);
const thousands = (values: number[]) => values.map((n) => `${Math.round(n / 1000)}k`).join(' / ');
if (ONLY.has('fanout')) {
  log(`fan-out to ${SESSIONS} sessions: for each of v1 and v10, ${RUNS} × (a bare publish of its MESSAGE_CREATE bytes, then Harmony)`);
  for (const target of ['v1', 'v10'] as const) {
    const frame = await sampleFrame(target);
    const bare: FanoutResult[] = [];
    const results: FanoutResult[] = [];
    for (let i = 0; i < RUNS; i++) {
      const bareFanout = await startServer('./servers/bare-fanout.ts', [], JSON.stringify({ frame }));
      bare.push(await fanout('bare', bareFanout));
      await stop(bareFanout);
      results.push(await fanout(target, harmony));
    }
    const delivered = results.reduce((n, r) => n + r.latency.deliveries, 0);
    const expected = results.reduce((n, r) => n + r.latency.expected, 0);
    const group = `fan-out (${SESSIONS} sessions; baseline: bare Bun.serve topic publish of the same frames)`;
    row({
      group,
      figure: `deliveries/s, ${target} gateway`,
      value: median(allBursts(results)),
      unit: 'deliveries/s',
      baseline: median(allBursts(bare)),
      minRatio: 0.9,
      note: `median of ${RUNS} runs × ${FANOUT_BURSTS} ${FANOUT_BURST}-message bursts: ${results.map((r) => thousands(r.throughput.runs)).join(' | ')} vs bare ${bare.map((r) => thousands(r.throughput.runs)).join(' | ')}; ${delivered}/${expected} delivered at 100 msg/s`,
    });
    row({
      group,
      figure: `p99 latency at 100 msg/s, ${target} gateway`,
      value: median(results.map((r) => r.latency.p99)),
      unit: 'ms',
      baseline: median(bare.map((r) => r.latency.p99)),
      maxValue: 25,
      note: `median of ${RUNS} runs: ${results.map((r) => r.latency.p99.toFixed(1)).join(' / ')} ms; p50 ${median(results.map((r) => r.latency.p50)).toFixed(1)} ms; ratio is figure/baseline (lower is better)`,
    });
  }
}
await stop(harmony);

// ---------------------------------------------------------------------------------------------------------------
// Phase 2: connects — one user with many sessions, many users in many guilds, one large guild

if (ONLY.has('connects')) {
  log(`seeding Harmony with ${USERS} bots in ${GUILDS} guilds and a guild of ${LARGE_MEMBERS} members`);
  const connects = await startServer('./servers/harmony.ts', [String(USERS), String(GUILDS), String(LARGE_MEMBERS)]);
  const c = connects.info as unknown as { url: string; controlUrl: string; tokens: string[]; soloToken: string; largeToken: string | null };
  const gateway = `${c.url.replace(/^http/, 'ws')}/gateway/discord?v=10&encoding=json`;
  const GUILDS_INTENT = 1 << 0;
  const GUILD_MEMBERS_INTENT = 1 << 1;
  const GUILD_PRESENCES_INTENT = 1 << 8;

  const CONNECTS = 'gateway connects (v10; baseline: bare WebSocket server replaying the same READY/GUILD_CREATE bytes)';
  type Held = { result: IdentifyResult; release: () => Promise<number> };
  /** Runs the identify loader and keeps its sessions open until released. */
  async function identify(job: IdentifyJob): Promise<Held> {
    // The loader reads its job from the first line, then holds the sessions until stdin closes.
    const s = await startProcess('./load/identify.ts', [], `${JSON.stringify(job)}\n`, true);
    return {
      result: s.info as unknown as IdentifyResult,
      release: async () => {
        await s.proc.stdin.end();
        return s.proc.exited;
      },
    };
  }

  /** A connect figure, or a row saying why it could not be measured (the rest of the bench still runs). */
  async function connectRow(figure: string, job: IdentifyJob, memoryRow: boolean): Promise<void> {
    try {
      await measureConnects(figure, job, memoryRow);
    } catch (error) {
      log(`${figure}: ${(error as Error).message}`);
      rows.push({
        group: CONNECTS,
        figure: `${figure}: IDENTIFY→READY`,
        value: null,
        unit: 'sessions/s',
        baseline: null,
        ratio: null,
        target: 'report',
        pass: false,
        note: `failed: ${(error as Error).message}`,
      });
    }
  }

  async function measureConnects(figure: string, job: IdentifyJob, memoryRow: boolean): Promise<IdentifyResult> {
    log(`${figure}: harmony, then bare replay`);
    const before = await memory(c.controlUrl);
    const h = await identify(job);
    const held = await memory(c.controlUrl);
    await h.release();
    const bare = await startServer('./servers/bare-gateway.ts', [], JSON.stringify(h.result.sample));
    const bareBefore = await memory(bare.info.controlUrl as string);
    const b = await identify({ ...job, url: bare.info.url });
    const bareHeld = await memory(bare.info.controlUrl as string);
    await b.release();
    await stop(bare);
    const group = CONNECTS;
    row({
      group,
      figure: `${figure}: IDENTIFY→READY`,
      value: h.result.readyPerSecond,
      unit: 'sessions/s',
      baseline: b.result.readyPerSecond,
      note: `${h.result.sessions} sessions in ${h.result.seconds.toFixed(1)} s; p50 ${h.result.p50.toFixed(1)} ms, p99 ${h.result.p99.toFixed(1)} ms; READY ${fmt(h.result.sample.ready.length)} B + ${h.result.sample.guildCreates.length} GUILD_CREATE`,
    });
    if (memoryRow)
      row({
        group,
        figure: `${figure}: memory per idle session`,
        value: (held - before) / job.sessions / 1024,
        unit: 'KiB',
        baseline: (bareHeld - bareBefore) / job.sessions / 1024,
        maxValue: 8,
        note: `RSS growth after a full GC, held ${fmt((held - before) / 2 ** 20, 1)} MiB; ratio is figure/baseline (lower is better)`,
      });
    return h.result;
  }

  await connectRow(
    `${IDENTIFY_SESSIONS.toLocaleString('en')} sessions of one user`,
    { url: gateway, tokens: [c.soloToken], sessions: IDENTIFY_SESSIONS, concurrency: 64, intents: GUILDS_INTENT, waitGuilds: true },
    true,
  );
  await connectRow(
    `${USERS.toLocaleString('en')} users in ${GUILDS} guilds`,
    // Fewer handshakes in flight: each brings GUILDS GUILD_CREATEs, and a HELLO queued too long misses the identify deadline.
    { url: gateway, tokens: c.tokens, sessions: USERS, concurrency: 8, intents: GUILDS_INTENT, waitGuilds: true },
    false,
  );
  if (c.largeToken)
    try {
      log(`READY of a ${LARGE_MEMBERS}-member guild`);
      const times: number[] = [];
      let last: IdentifyResult | null = null;
      for (let i = 0; i < RUNS; i++) {
        const h = await identify({
          url: gateway,
          tokens: [c.largeToken],
          sessions: 1,
          concurrency: 1,
          // With GUILD_PRESENCES a large guild's member list is built (those online, with a role or a nick): the path to watch.
          intents: GUILDS_INTENT | GUILD_MEMBERS_INTENT | GUILD_PRESENCES_INTENT,
          largeThreshold: 250,
          waitGuilds: true,
        });
        await h.release();
        times.push(h.result.guildCreateMs);
        last = h.result;
      }
      const guildCreate = last?.sample.guildCreates[0] ?? '';
      const members = (JSON.parse(guildCreate || '{"d":{}}') as { d: { member_count?: number; members?: unknown[]; large?: boolean } }).d;
      row({
        group: `large guild (${LARGE_MEMBERS.toLocaleString('en')} members, large_threshold 250, GUILD_MEMBERS + GUILD_PRESENCES)`,
        figure: 'IDENTIFY→GUILD_CREATE time',
        value: median(times),
        unit: 'ms',
        baseline: null,
        note: `runs ${times.map((t) => t.toFixed(0)).join(' / ')} ms`,
      });
      row({
        group: `large guild (${LARGE_MEMBERS.toLocaleString('en')} members, large_threshold 250, GUILD_MEMBERS + GUILD_PRESENCES)`,
        figure: 'READY + GUILD_CREATE size',
        value: (last?.sample.ready.length ?? 0) + guildCreate.length,
        unit: 'bytes',
        baseline: null,
        note: `READY ${fmt(last?.sample.ready.length ?? 0)} B, GUILD_CREATE ${fmt(guildCreate.length)} B: member_count ${members.member_count}, ${members.members?.length} members sent, large ${members.large}`,
      });
    } catch (error) {
      log(`large guild: ${(error as Error).message}`);
    }
  await stop(connects);
}

// ---------------------------------------------------------------------------------------------------------------
// Web figures (test/bench/web.ts, when it exists)

const webModule = here('./web.ts');
if (!ONLY.has('web')) {
  // not asked for
} else if (await Bun.file(webModule).exists()) {
  const { measureWeb } = (await import(webModule)) as { measureWeb: () => Promise<{ bundleBytes: number; bundleBrotliBytes: number; firstRenderMs: number }> };
  const web = await measureWeb();
  row({ group: 'web app', figure: 'bundle size', value: web.bundleBytes, unit: 'bytes', baseline: null });
  row({ group: 'web app', figure: 'bundle size, brotli', value: web.bundleBrotliBytes, unit: 'bytes', baseline: null });
  row({ group: 'web app', figure: 'first render', value: web.firstRenderMs, unit: 'ms', baseline: null });
} else {
  rows.push({
    group: 'web app',
    figure: 'bundle size, first render',
    value: null,
    unit: '',
    baseline: null,
    ratio: null,
    target: 'report',
    pass: null,
    note: 'not measured (test/bench/web.ts absent)',
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Cluster: 3 nodes on PostgreSQL + Redis behind nginx, beside one node on SQLite (test/bench/cluster.ts)

if (ONLY.has('cluster')) {
  await clusterPhase({ sessions: CLUSTER_SESSIONS, runs: RUNS, seconds: SECONDS, events: CLUSTER_EVENTS }, { row, log, runLoad, cpuSeconds, median });
}

// ---------------------------------------------------------------------------------------------------------------
// Output

const machine = {
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  bun: Bun.version,
  os: `${process.platform} ${process.arch}`,
  loadGenerator: httpGenerator,
};
const settings = { SESSIONS, RUNS, SECONDS, IDENTIFY_SESSIONS, USERS, GUILDS, LARGE_MEMBERS, CLUSTER_SESSIONS, CLUSTER_EVENTS };
const lines = [
  `Harmony benchmark, ${new Date().toISOString()} — ${machine.cores} cores, ${machine.cpu}, Bun ${machine.bun}, HTTP load by ${machine.loadGenerator}; medians of ${RUNS} alternating runs`,
  '',
  'ratio: figure/baseline; for HTTP rows, requests per CPU second of each server process (its cost per request), which the other load on a shared machine does not skew — the plain req/s ratios are in the notes',
  '',
  '| group | figure | value | baseline (same run) | ratio | target | pass | notes |',
  '|---|---|---|---|---|---|---|---|',
  ...rows.map((r) =>
    [
      r.group,
      r.figure,
      r.value === null ? 'not measured' : `${fmt(r.value, r.unit === 'KiB' || r.unit === 'ms' ? 1 : 0)} ${r.unit}`,
      r.baseline === null ? '—' : `${fmt(r.baseline, r.unit === 'KiB' || r.unit === 'ms' ? 1 : 0)} ${r.unit}`,
      r.ratio === null ? '—' : `${r.ratio.toFixed(2)}×`,
      r.target,
      r.pass === null ? '—' : r.pass ? 'pass' : 'FAIL',
      r.note ?? '',
    ]
      .join(' | ')
      .replace(/^/, '| ')
      .concat(' |'),
  ),
];
console.log(lines.join('\n'));
await Bun.write(OUT, `${JSON.stringify({ date: new Date().toISOString(), machine, settings, rows }, null, 2)}\n`);
console.log(`\nwritten: ${OUT}`);
for (const s of started) s.proc.kill();
process.exit(0);

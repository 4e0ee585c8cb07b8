// The `cluster` phase of `bun run bench` (BENCH_ONLY=cluster): three `harmony serve` nodes on PostgreSQL + Redis
// behind nginx (test/support/cluster.ts, the documented configuration), each figure beside the same figure of ONE
// node on SQLite measured in the same run (the default deployment, the baseline):
// - acknowledged message writes/s on 16 connections through nginx (so spread over the nodes);
// - fan-out latency p50/p99 (POST started → frame received) to sessions spread over the nodes by nginx;
// - the CPU one event costs a node that only receives it from another node (the Redis stream, then fan-out to its
//   sessions), beside what one event costs a single SQLite node (its write and the same fan-out).
// Everything is seeded through the public API (bots: no password hashing), on loopback; the nodes, PostgreSQL,
// Redis and nginx are separate processes, stopped at the end.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ChildServer, startChild } from '../support/child-server.ts';
import { type ClusterNode, startCluster, type TestCluster } from '../support/cluster.ts';
import type { FanoutJob, FanoutResult } from './load/fanout.ts';
import { type HttpResult, httpLoad } from './load/http.ts';

export type ClusterRow = {
  group: string;
  figure: string;
  value: number | null;
  unit: string;
  baseline: number | null;
  ratio?: number | null;
  note?: string;
};

export type ClusterTools = {
  row: (r: ClusterRow) => void;
  log: (line: string) => void;
  runLoad: <T>(script: string, job: unknown, timeoutMs: number) => Promise<T>;
  cpuSeconds: (pid: number) => number | null;
  median: (values: number[]) => number;
};

export type ClusterSettings = { sessions: number; runs: number; seconds: number; events: number };

/** `channelIds`: the guild's first channel and 15 more (writes spread over channels do not contend for one channel's rows). */
type Seeded = { url: string; channelId: string; channelIds: string[]; ownerToken: string; tokens: string[] };

async function json(url: string, method: string, path: string, token?: string, body?: unknown): Promise<any> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** An owner (the instance's first account: admin), one guild, and `bots` bots in it that may read its messages. */
async function seed(url: string, bots: number): Promise<Seeded> {
  const owner = await json(url, 'POST', '/api/v1/auth/register', undefined, { username: 'bench_owner', password: 'bench-password-123' });
  const guild = await json(url, 'POST', '/api/v1/guilds', owner.token, { name: 'Bench' });
  const tokens: string[] = [];
  for (let i = 0; i < bots; i += 10) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(10, bots - i) }, async (_, k) => {
        const created = await json(url, 'POST', '/api/v1/admin/bots', owner.token, { username: `bench_bot_${i + k}` });
        await json(url, 'PATCH', `/api/v1/admin/bots/${created.bot.id}`, owner.token, { privileged_intents: { message_content: true } });
        await json(url, 'PUT', `/api/v1/guilds/${guild.id}/bots/${created.bot.id}`, owner.token, { permissions: ['read_messages', 'read_message_history'] });
        return created.token as string;
      }),
    );
    tokens.push(...batch);
  }
  const channelIds = [guild.channels[0].id as string];
  for (let i = 1; i < 16; i++) channelIds.push((await json(url, 'POST', `/api/v1/guilds/${guild.id}/channels`, owner.token, { name: `bench-${i}` })).id);
  return { url, channelId: channelIds[0] as string, channelIds, ownerToken: owner.token as string, tokens };
}

/** `count` v1 sessions on `url` counting the MESSAGE_CREATE frames whose content starts with `mark`. */
async function listeners(url: string, tokens: string[], count: number, mark: string) {
  let received = 0;
  const needle = `"content":"${mark}`;
  const sockets = await Promise.all(
    Array.from(
      { length: count },
      (_, i) =>
        new Promise<WebSocket>((resolve, reject) => {
          const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/gateway`);
          const timer = setTimeout(() => reject(new Error(`session ${i} not ready in 30 s`)), 30_000);
          ws.onopen = () => ws.send(JSON.stringify({ op: 2, d: { token: tokens[i % tokens.length] } }));
          ws.onmessage = (event) => {
            const text = String(event.data);
            if (text.includes('"t":"READY"')) {
              clearTimeout(timer);
              resolve(ws);
            } else if (text.includes(needle)) received++;
          };
        }),
    ),
  );
  // Heartbeats keep them past the heartbeat deadline (the cost phase outlasts it).
  const beat = setInterval(() => {
    for (const ws of sockets) if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ op: 1, d: null }));
  }, 5000);
  return {
    get received() {
      return received;
    },
    reset: () => {
      received = 0;
    },
    close: () => {
      clearInterval(beat);
      for (const ws of sockets) ws.close();
    },
  };
}

/** Posts `count` messages as the owner on `url`, 8 in flight, each in-flight post in a channel of its own; how many were acknowledged. */
async function postMany(url: string, seeded: Seeded, count: number, mark: string): Promise<number> {
  let next = 0;
  let acknowledged = 0;
  await Promise.all(
    Array.from({ length: 8 }, async (_, lane) => {
      while (next < count) {
        const i = next++;
        const channel = seeded.channelIds[lane % seeded.channelIds.length] as string;
        const ok = await json(url, 'POST', `/api/v1/channels/${channel}/messages`, seeded.ownerToken, { content: `${mark}${i}` }).then(
          () => true,
          () => false,
        );
        if (ok) acknowledged++;
      }
    }),
  );
  return acknowledged;
}

async function until(check: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) return false;
    await Bun.sleep(10);
  }
  return true;
}

/** Mean fan-out lag (commit → handed to the sockets) per node from its /metrics, in ms. */
async function meanLag(node: ClusterNode | { id: string; url: string }): Promise<string> {
  const text = await (await fetch(`${node.url}/metrics`)).text();
  const sum = Number(/^harmony_fanout_lag_seconds_sum\{[^}]*\} (\S+)$/m.exec(text)?.[1] ?? Number.NaN);
  const count = Number(/^harmony_fanout_lag_seconds_count\{[^}]*\} (\S+)$/m.exec(text)?.[1] ?? Number.NaN);
  return `${node.id} ${count > 0 ? ((sum / count) * 1000).toFixed(1) : '—'} ms`;
}

export async function clusterPhase(settings: ClusterSettings, tools: ClusterTools): Promise<void> {
  const { row, log, median } = tools;
  const dir = mkdtempSync(join(tmpdir(), 'harmony-bench-single-'));
  let cluster: TestCluster | null = null;
  let single: ChildServer | null = null;
  try {
    log('cluster: PostgreSQL, Redis, S3, nginx and 3 nodes; one SQLite node as the baseline');
    [cluster, single] = await Promise.all([startCluster({ nodes: 3 }), startChild(dir, ['--node-id', 'single'])]);
    const nodes = cluster.nodes as [ClusterNode, ClusterNode, ClusterNode];
    const pids = () => nodes.map((n) => n.server?.process.pid as number);
    log(`cluster: seeding ${settings.sessions} bots in one guild, on each`);
    const [onCluster, onSingle] = await Promise.all([seed(cluster.url, settings.sessions), seed(single.url, settings.sessions)]);
    const singlePid = single.process.pid;
    const singleUrl = single.url;
    /** One figure group; when it fails, a row says why and the other groups still run. */
    const section = async (group: string, body: () => Promise<void>) => {
      try {
        await body();
      } catch (error) {
        log(`${group}: ${(error as Error).message}`);
        row({ group, figure: 'all figures', value: null, unit: '', baseline: null, note: `not measured: ${(error as Error).message}` });
      }
    };

    // ---- writes: 16 connections through nginx (round robin over the 3 nodes) vs 16 on the one node ----
    const GROUP_WRITES = 'cluster: acknowledged writes (16 connections; baseline: one node on SQLite, same run)';
    await section(GROUP_WRITES, async () => {
      const writeJob = (s: Seeded, channels: string[]) => ({
        origin: s.url,
        requests: channels.map((channel) => ({ method: 'POST', path: `/api/v1/channels/${channel}/messages`, body: '{"content":"bench write"}' })),
        headers: { authorization: `Bearer ${s.ownerToken}`, 'content-type': 'application/json' },
        connections: 16,
        seconds: settings.seconds,
      });
      const cpuOf = (list: number[]) => list.reduce((sum, pid) => sum + (tools.cpuSeconds(pid) ?? 0), 0);
      for (const [figure, channelsOf] of [
        ['POST messages, v1, all into one channel', (s: Seeded) => [s.channelId]],
        ['POST messages, v1, spread over 16 channels', (s: Seeded) => s.channelIds],
      ] as const) {
        const clusterRuns: (HttpResult & { cpuPerWrite: number })[] = [];
        const singleRuns: (HttpResult & { cpuPerWrite: number })[] = [];
        for (let i = 0; i < settings.runs; i++) {
          log(`cluster: ${figure}, 16 connections, run ${i + 1}/${settings.runs} (single node, then 3 nodes)`);
          for (const [target, list, pidList] of [
            [onSingle, singleRuns, [singlePid]],
            [onCluster, clusterRuns, pids()],
          ] as const) {
            const before = cpuOf([...pidList]);
            const result = await httpLoad(writeJob(target, channelsOf(target)));
            const cpu = cpuOf([...pidList]) - before;
            list.push({ ...result, cpuPerWrite: (cpu / Math.max(1, result.requestsPerSecond * settings.seconds)) * 1e6 });
          }
        }
        const writes = median(clusterRuns.map((r) => r.requestsPerSecond));
        const writesBase = median(singleRuns.map((r) => r.requestsPerSecond));
        log(`cluster: ${figure}: ${writes.toFixed(0)} writes/s on 3 nodes, ${writesBase.toFixed(0)} on one SQLite node`);
        const errors = clusterRuns.reduce((n, r) => n + r.errors, 0);
        row({
          group: GROUP_WRITES,
          figure: `${figure}: 3 nodes (PostgreSQL + Redis) behind nginx`,
          value: writes,
          unit: 'writes/s',
          baseline: writesBase,
          note: `runs ${clusterRuns.map((r) => r.requestsPerSecond.toFixed(0)).join(' / ')} vs ${singleRuns.map((r) => r.requestsPerSecond.toFixed(0)).join(' / ')}; p99 ${median(clusterRuns.map((r) => r.p99)).toFixed(1)} ms vs ${median(singleRuns.map((r) => r.p99)).toFixed(1)} ms; CPU per write (all nodes) ${median(clusterRuns.map((r) => r.cpuPerWrite)).toFixed(0)} µs vs ${median(singleRuns.map((r) => r.cpuPerWrite)).toFixed(0)} µs${errors ? `; ${errors} non-2xx answers on 3 nodes` : ''}`,
        });
      }
    });

    // ---- fan-out: sessions spread over the nodes by nginx, posts through nginx ----
    const GROUP_FANOUT = `cluster: fan-out (${settings.sessions} sessions spread over 3 nodes by nginx; baseline: one node on SQLite)`;
    await section(GROUP_FANOUT, async () => {
      const fanout = (s: Seeded) =>
        tools.runLoad<FanoutResult>(
          './load/fanout.ts',
          {
            target: 'v1',
            url: s.url,
            channelId: s.channelId,
            ownerToken: s.ownerToken,
            tokens: s.tokens,
            sessions: settings.sessions,
            rate: 10,
            seconds: 5,
            burst: 50,
            bursts: 1,
            warmup: 0,
          } satisfies FanoutJob,
          300_000,
        );
      log(`cluster: fan-out to ${settings.sessions} sessions (single node, then 3 nodes)`);
      const fanSingle = await fanout(onSingle);
      const fanCluster = await fanout(onCluster);
      const lags = await Promise.all(nodes.map(meanLag));
      log(
        `cluster: fan-out p50/p99 ${fanCluster.latency.p50.toFixed(1)}/${fanCluster.latency.p99.toFixed(1)} ms on 3 nodes, ${fanSingle.latency.p50.toFixed(1)}/${fanSingle.latency.p99.toFixed(1)} ms on one; lag ${lags.join(', ')}`,
      );
      for (const [figure, pick] of [
        ['p50 latency at 10 msg/s (POST → frame)', (r: FanoutResult) => r.latency.p50],
        ['p99 latency at 10 msg/s (POST → frame)', (r: FanoutResult) => r.latency.p99],
      ] as const) {
        row({
          group: GROUP_FANOUT,
          figure,
          value: pick(fanCluster),
          unit: 'ms',
          baseline: pick(fanSingle),
          note: `${fanCluster.latency.deliveries}/${fanCluster.latency.expected} delivered; mean harmony_fanout_lag_seconds (commit → sockets) ${lags.join(', ')}; single node ${await meanLag({ id: 'single', url: singleUrl })}`,
        });
      }
      row({
        group: GROUP_FANOUT,
        figure: 'deliveries/s, 50-message burst',
        value: fanCluster.throughput.deliveriesPerSecond,
        unit: 'deliveries/s',
        baseline: fanSingle.throughput.deliveriesPerSecond,
        note: `${fanCluster.throughput.deliveries}/${fanCluster.throughput.expected} delivered (single node ${fanSingle.throughput.deliveries}/${fanSingle.throughput.expected})`,
      });
    });

    // ---- cost per event: a node that only receives it vs one node that writes and fans it out ----
    const GROUP_COST = 'cluster: CPU per event (50 sessions on the measured node; baseline: one SQLite node writing and fanning out the same event)';
    await section(GROUP_COST, async () => {
      const [a, , c] = nodes;
      const per = 50;
      const onC = await listeners(c.url, onCluster.tokens, Math.min(per, onCluster.tokens.length), 'cost:');
      const onOne = await listeners(singleUrl, onSingle.tokens, Math.min(per, onSingle.tokens.length), 'cost:');
      const measure = async (pid: number, sessions: typeof onC, post: () => Promise<number>, listening: number) => {
        sessions.reset();
        await Bun.sleep(500);
        const before = tools.cpuSeconds(pid) ?? 0;
        const events = await post();
        const complete = await until(() => sessions.received >= events * listening, 60_000);
        await Bun.sleep(200);
        return { us: (((tools.cpuSeconds(pid) ?? 0) - before) / Math.max(1, events)) * 1e6, complete, events };
      };
      log(`cluster: cost per event, ${settings.events} events (posted on node A, received on node C; then the single node)`);
      const crossCosts: number[] = [];
      const originCosts: number[] = [];
      const sameCosts: number[] = [];
      const singleCosts: number[] = [];
      const listening = Math.min(per, onCluster.tokens.length);
      for (let i = 0; i < settings.runs; i++) {
        const aBefore = tools.cpuSeconds(a.server?.process.pid as number) ?? 0;
        const cross = await measure(c.server?.process.pid as number, onC, () => postMany(a.url, onCluster, settings.events, `cost:${i}:a:`), listening);
        originCosts.push((((tools.cpuSeconds(a.server?.process.pid as number) ?? 0) - aBefore) / Math.max(1, cross.events)) * 1e6);
        const same = await measure(c.server?.process.pid as number, onC, () => postMany(c.url, onCluster, settings.events, `cost:${i}:c:`), listening);
        const one = await measure(singlePid, onOne, () => postMany(singleUrl, onSingle, settings.events, `cost:${i}:s:`), listening);
        if (!cross.complete || !same.complete || !one.complete) log('cluster: some deliveries did not arrive within 60 s');
        crossCosts.push(cross.us);
        sameCosts.push(same.us);
        singleCosts.push(one.us);
      }
      onC.close();
      onOne.close();
      log(
        `cluster: CPU per event: receiving node ${median(crossCosts).toFixed(0)} µs, same-node on a cluster node ${median(sameCosts).toFixed(0)} µs, single SQLite node ${median(singleCosts).toFixed(0)} µs`,
      );
      row({
        group: GROUP_COST,
        figure: 'cross-node event: CPU on the receiving node (Redis stream → fan-out)',
        value: median(crossCosts),
        unit: 'µs/event',
        baseline: median(singleCosts),
        note: `runs ${crossCosts.map((v) => v.toFixed(0)).join(' / ')} vs ${singleCosts.map((v) => v.toFixed(0)).join(' / ')}; ratio is figure/baseline (lower is cheaper)`,
      });
      row({
        group: GROUP_COST,
        figure: 'same-node event on a cluster node (write on PostgreSQL + outbox + Redis + fan-out)',
        value: median(sameCosts),
        unit: 'µs/event',
        baseline: median(singleCosts),
        note: `runs ${sameCosts.map((v) => v.toFixed(0)).join(' / ')}; the originating node of a cross-node event (write, no sessions): ${median(originCosts).toFixed(0)} µs/event`,
      });
    });
  } finally {
    await single?.stop();
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

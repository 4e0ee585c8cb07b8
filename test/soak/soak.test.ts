// The soak: a bounded run of sustained load against a server in its own process, asserting that it holds.
// 2 000 v1 gateway sessions across SOAK_GUILDS guilds, 5% of them dropping and coming back every few seconds
// (half RESUME, half IDENTIFY), 200 messages/s posted over REST, presence updates (op 3) a few times a second.
// After a warm-up, it measures for SOAK_SECONDS: fan-out latency (POST started -> MESSAGE_CREATE received),
// errors (a non-2xx POST, a close the client did not ask for, a failed RESUME, a delivery missing from a session
// that stayed connected) and the server's RSS. Asserts zero errors and RSS growth under the bound below, and
// prints the figures. Sized to finish in about two minutes on 2 cores; SOAK_SECONDS=600 for a longer run.
import { afterAll, beforeAll, expect, it } from 'bun:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SoakServerInfo } from './soak-server.ts';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const SESSIONS = env('SOAK_SESSIONS', 2000);
const RATE = env('SOAK_RATE', 200);
const WARMUP_SECONDS = env('SOAK_WARMUP_SECONDS', 30);
const SECONDS = env('SOAK_SECONDS', 60);
const CHURN_EVERY_MS = 3000;
const CHURN_SHARE = 0.05;
const PRESENCE_EVERY_MS = 250;
/**
 * RSS may grow by at most this much between the end of warm-up and the end of the run. Steady state holds a
 * fixed amount of live data (2 000 sessions, the replay buffer of one resume window, SQLite's page cache), so
 * growth past the warm-up is garbage not yet collected at one end of the window, or a leak. A leak of one
 * message object per delivery, at 200 messages/s to 50 sessions each, would grow by gigabytes within the run.
 */
const RSS_GROWTH_BOUND_BYTES = 64 * 1024 * 1024;

type Session = {
  index: number;
  token: string;
  guild: number;
  ws: WebSocket | null;
  sessionId: string | null;
  seq: number;
  /**
   * Came back by IDENTIFY at least once: a new session, which missed what was sent in between, so its deliveries
   * are not counted exactly. Every other session (never dropped, or back by RESUME) must receive every message.
   */
  reidentified: boolean;
  /** READY or RESUMED received on the current socket: only a live session is dropped by the churn. */
  live: boolean;
  /** Messages of the measured window received. */
  received: number;
  /** Between RESUME and RESUMED: the frames are the replay of what it missed, late by design, not timed. */
  replaying: boolean;
};

let server: ReturnType<typeof Bun.spawn>;
let info: SoakServerInfo;
const sessions: Session[] = [];
const errors: string[] = [];
/** Sockets this test closed on purpose: their close is not an error. */
const leaving = new WeakSet<WebSocket>();
const error = (what: string) => {
  if (errors.length < 50) errors.push(what);
  errorCount++;
};
let errorCount = 0;

/** message number -> [POST start, guild]; deliveries are timed against the start. */
const posted = new Map<number, { t0: number; guild: number }>();
const latencies: number[] = [];
let measuring = false;
let measuredFrom = Number.POSITIVE_INFINITY;
let measuredTo = Number.POSITIVE_INFINITY;
let deliveries = 0;
const postedPerGuild: number[] = [];

const MARK = '"content":"soak:';

function onFrame(session: Session, text: string, ready: () => void): void {
  const frame = JSON.parse(text) as { op: number; t?: string; s?: number; d?: any };
  if (typeof frame.s === 'number') session.seq = frame.s;
  if (frame.op === 9) {
    error(`session ${session.index}: INVALID_SESSION on ${session.sessionId ? 'RESUME' : 'IDENTIFY'}`);
    return;
  }
  if (frame.t === 'READY') {
    session.sessionId = frame.d.session_id;
    ready();
    return;
  }
  if (frame.t === 'RESUMED') {
    session.replaying = false;
    ready();
    return;
  }
  if (frame.t !== 'MESSAGE_CREATE') return;
  const at = text.indexOf(MARK);
  if (at === -1) return;
  const n = Number.parseInt(text.slice(at + MARK.length, at + MARK.length + 12), 10);
  const sent = posted.get(n);
  if (!sent || n < measuredFrom || n >= measuredTo) return;
  deliveries++;
  session.received++;
  if (!session.replaying) latencies.push(performance.now() - sent.t0);
}

/** Opens (or reopens) a session: IDENTIFY, or RESUME when `resume` and it has one; resolves once it is live. */
function connect(session: Session, resume: boolean): Promise<void> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${info.url.replace(/^http/, 'ws')}/gateway`);
    session.ws = ws;
    let live = false;
    const timer = setTimeout(() => {
      error(`session ${session.index}: not live within 20 s`);
      resolve();
    }, 20_000);
    session.live = false;
    const ready = () => {
      live = true;
      session.live = true;
      clearTimeout(timer);
      resolve();
    };
    session.replaying = resume && session.sessionId !== null;
    ws.onopen = () => {
      ws.send(
        JSON.stringify(
          resume && session.sessionId
            ? { op: 6, d: { token: session.token, session_id: session.sessionId, seq: session.seq } }
            : { op: 2, d: { token: session.token, properties: { os: 'linux', browser: 'soak', device: 'soak' } } },
        ),
      );
    };
    ws.onmessage = (event) => onFrame(session, event.data as string, ready);
    ws.onclose = (event) => {
      if (session.ws === ws) {
        session.ws = null;
        session.live = false;
      }
      if (!leaving.has(ws)) error(`session ${session.index}: closed by the server (${event.code} ${event.reason})${live ? '' : ' before it was live'}`);
      clearTimeout(timer);
      resolve();
    };
  });
}

const rssBytes = () => {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'));
  return Number(match?.[1]) * 1024;
};
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? Number.NaN;

beforeAll(async () => {
  server = Bun.spawn(['bun', join(import.meta.dir, 'soak-server.ts')], { stdout: 'pipe', stderr: 'inherit' });
  const reader = (server.stdout as ReadableStream<Uint8Array>).getReader();
  let out = '';
  while (!out.includes('\n')) {
    const { done, value } = await reader.read();
    if (done) throw new Error(`soak server exited: ${out}`);
    out += new TextDecoder().decode(value);
  }
  info = JSON.parse(out.slice(0, out.indexOf('\n')));
  void (async () => {
    while (!(await reader.read().catch(() => ({ done: true }))).done);
  })();
  // Sessions spread over every member of every guild, several per member (people with several tabs and devices).
  const tokens = info.guilds.flatMap((g, guild) => g.tokens.map((token) => ({ token, guild })));
  for (let i = 0; i < SESSIONS; i++) {
    const { token, guild } = tokens[i % tokens.length] as { token: string; guild: number };
    sessions.push({ index: i, token, guild, ws: null, sessionId: null, seq: 0, live: false, reidentified: false, received: 0, replaying: false });
  }
  for (let i = 0; i < SESSIONS; i += 100) await Promise.all(sessions.slice(i, i + 100).map((s) => connect(s, false)));
}, 120_000);

afterAll(() => {
  for (const s of sessions) {
    if (s.ws) leaving.add(s.ws);
    s.ws?.close(1000);
  }
  server?.kill('SIGKILL');
});

it(
  `holds ${SESSIONS} sessions with reconnect churn, ${RATE} messages/s and presence updates: zero errors, flat RSS`,
  async () => {
    expect(errors).toEqual([]);
    const connected = sessions.filter((s) => s.ws).length;
    expect(connected).toBe(SESSIONS);

    // Heartbeats (the server closes a silent session after 1.5 intervals of 30 s).
    const beat = setInterval(() => {
      for (const s of sessions) if (s.ws?.readyState === WebSocket.OPEN) s.ws.send(JSON.stringify({ op: 1, d: s.seq }));
    }, 10_000);

    // Churn: every few seconds 5% of the sessions drop (a resumable close, as a network drop looks) and come back,
    // half by RESUME, half by IDENTIFY.
    let churns = 0;
    const churn = setInterval(() => {
      const picked = new Set<Session>();
      while (picked.size < Math.round(SESSIONS * CHURN_SHARE)) picked.add(sessions[Math.floor(Math.random() * SESSIONS)] as Session);
      for (const s of picked) {
        if (!s.ws || !s.live) continue;
        const byResume = Math.random() < 0.5;
        leaving.add(s.ws);
        s.live = false;
        if (!byResume) s.reidentified = true;
        // 4000 leaves the session resumable; 1000 ends it, as a client that IDENTIFYs again would.
        s.ws.close(byResume ? 4000 : 1000);
        churns++;
        setTimeout(() => void connect(s, byResume), 200 + Math.random() * 800);
      }
    }, CHURN_EVERY_MS);

    // Presence: a few updates a second from random sessions.
    const statuses = ['online', 'idle', 'dnd'] as const;
    let presences = 0;
    const presence = setInterval(() => {
      const s = sessions[Math.floor(Math.random() * SESSIONS)] as Session;
      if (s.ws?.readyState !== WebSocket.OPEN || !s.sessionId) return;
      s.ws.send(JSON.stringify({ op: 3, d: { since: null, activities: [], status: statuses[presences++ % 3], afk: false } }));
    }, PRESENCE_EVERY_MS);

    // Messages: RATE per second, round-robin over the guilds, over keep-alive REST connections.
    let n = 0;
    let inFlight = 0;
    const post = async (guild: number) => {
      const id = n++;
      posted.set(id, { t0: performance.now(), guild });
      if (id >= measuredFrom && id < measuredTo) postedPerGuild[guild] = (postedPerGuild[guild] ?? 0) + 1;
      inFlight++;
      try {
        const res = await fetch(`${info.url}/api/v1/channels/${info.guilds[guild]?.channelId}/messages`, {
          method: 'POST',
          headers: { authorization: `Bearer ${info.ownerToken}`, 'content-type': 'application/json' },
          body: JSON.stringify({ content: `soak:${id}` }),
        });
        await res.arrayBuffer();
        if (res.status !== 200) error(`POST message ${id}: ${res.status}`);
      } catch (e) {
        error(`POST message ${id}: ${e instanceof Error ? e.message : e}`);
      } finally {
        inFlight--;
      }
    };
    const rss: { at: number; bytes: number }[] = [];
    const start = performance.now();
    const end = start + (WARMUP_SECONDS + SECONDS) * 1000;
    let rssAtWarmup = 0;
    for (let i = 0; performance.now() < end; i++) {
      const due = start + (i * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 0) await Bun.sleep(wait);
      if (!measuring && performance.now() - start >= WARMUP_SECONDS * 1000) {
        measuring = true;
        measuredFrom = n;
        rssAtWarmup = rssBytes();
      }
      if (i % RATE === 0) rss.push({ at: performance.now() - start, bytes: rssBytes() });
      void post(i % info.guilds.length);
    }
    measuredTo = n;
    const rssAtEnd = rssBytes();
    clearInterval(churn);
    clearInterval(presence);
    // Let the last posts be answered and delivered.
    const drainUntil = performance.now() + 15_000;
    const exact = sessions.filter((s) => !s.reidentified);
    const missing = () => exact.reduce((sum, s) => sum + ((postedPerGuild[s.guild] ?? 0) - s.received), 0);
    while ((inFlight > 0 || missing() > 0) && performance.now() < drainUntil) await Bun.sleep(50);
    clearInterval(beat);
    if (missing() > 0) error(`${missing()} deliveries missing from ${exact.length} sessions that stayed connected or resumed`);

    const sorted = latencies.sort((a, b) => a - b);
    const figures = {
      sessions: SESSIONS,
      measuredSeconds: SECONDS,
      warmupSeconds: WARMUP_SECONDS,
      messages: measuredTo - measuredFrom,
      messagesPerSecond: Math.round((measuredTo - measuredFrom) / SECONDS),
      deliveries,
      reconnects: churns,
      sessionsCountedExactly: exact.length,
      presenceUpdates: presences,
      latencyMs: { p50: +percentile(sorted, 50).toFixed(1), p99: +percentile(sorted, 99).toFixed(1), max: +(sorted.at(-1) ?? 0).toFixed(1) },
      rss: {
        warmupEnd: mib(rssAtWarmup),
        end: mib(rssAtEnd),
        growth: mib(rssAtEnd - rssAtWarmup),
        max: mib(Math.max(...rss.map((r) => r.bytes))),
        every10s: rss.filter((_, i) => i % 10 === 0).map((r) => mib(r.bytes)),
      },
      errors: errorCount,
    };
    console.log(`soak: ${JSON.stringify(figures, null, 2)}`);
    expect(errors).toEqual([]);
    expect(figures.messagesPerSecond).toBeGreaterThanOrEqual(RATE * 0.95);
    expect(deliveries).toBeGreaterThan(0);
    expect(rssAtEnd - rssAtWarmup).toBeLessThan(RSS_GROWTH_BOUND_BYTES);
  },
  (WARMUP_SECONDS + SECONDS + 60) * 1000,
);

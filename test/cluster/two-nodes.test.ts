// Two real Harmony processes (`harmony serve --redis-url ...`) sharing one Redis and, standing in for PostgreSQL
// until that adapter lands, one SQLite data folder: a message posted on node A reaches a gateway session on node B
// through the Redis stream; both nodes mint ids under different leased worker ids; the system bot answers once; the
// login limit is one limit across both; a session resumes on A after B is killed or stopped; and when Redis stops,
// a request that needs it is answered 503 at once and the node recovers by itself when Redis is back (empty: then
// sessions are told to IDENTIFY again).
import { Database } from 'bun:sqlite';
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { join } from 'node:path';
import { type ChildServer, call } from '../support/child-server.ts';
import { type GatewayClient, openGateway } from '../support/gateway-client.ts';
import { type SharedNodes, sharedNodes } from '../support/shared-nodes.ts';

let nodes: SharedNodes;
let a: ChildServer;
let b: ChildServer;
/** The owner's session token (from the first test). */
let token = '';
let general = '';

beforeAll(async () => {
  nodes = await sharedNodes('harmony-cluster-', ['--rate-limits', 'on']);
  a = await nodes.start();
  b = await nodes.start();
}, 60_000);

afterAll(() => nodes?.stop());

async function gateway(url: string, token: string): Promise<GatewayClient> {
  const client = await openGateway(url);
  await client.identify(token);
  return client;
}

/** Posts a message, waiting out the REST rate limit (on in this file: the login limit is tested) when it answers 429. */
async function post(url: string, content: string, channel = general) {
  for (;;) {
    const res = await call(url, 'POST', `/api/v1/channels/${channel}/messages`, token, { content });
    if (res.status !== 429) return res;
    await Bun.sleep(Math.ceil(Number(res.body.retry_after) * 1000) + 20);
  }
}

const workerOf = (id: string) => Number((BigInt(id) >> 12n) & 0x3ffn);

test('a message posted on one node reaches a session on the other; the nodes mint ids under different worker ids', async () => {
  const owner = await call(a.url, 'POST', '/api/v1/auth/register', undefined, { username: 'owner', password: 'correct horse battery' });
  expect(owner.status).toBe(201);
  token = owner.body.token as string;
  const guild = await call(b.url, 'POST', '/api/v1/guilds', token, { name: 'Two nodes' });
  expect(guild.status).toBe(201);
  general = guild.body.channels[0].id as string;

  const onB = await gateway(b.url, token);
  const onA = await gateway(a.url, token);
  const sent = await post(a.url, 'from node A');
  expect(sent.status).toBe(200);
  const received = await onB.event('MESSAGE_CREATE', (d) => d.content === 'from node A');
  expect(received.d.id).toBe(sent.body.id);
  await onA.event('MESSAGE_CREATE', (d) => d.content === 'from node A');

  const other = await post(b.url, 'from node B');
  await onA.event('MESSAGE_CREATE', (d) => d.content === 'from node B');
  expect(workerOf(other.body.id)).not.toBe(workerOf(sent.body.id));
  onA.close();
  onB.close();
}, 30_000);

/** A v10 IDENTIFY as a bot asking for MESSAGE_CONTENT: 'READY', or the close code it was refused with. */
async function identifyV10(url: string, botToken: string): Promise<string | number> {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/gateway/discord?v=10&encoding=json`);
  try {
    return await new Promise<string | number>((resolve, reject) => {
      ws.onmessage = (m) => {
        const frame = JSON.parse(String(m.data));
        if (frame.op === 10)
          ws.send(JSON.stringify({ op: 2, d: { token: botToken, intents: 1 | (1 << 15), properties: { os: 'linux', browser: 'test', device: 'test' } } }));
        if (frame.op === 0 && frame.t === 'READY') resolve('READY');
      };
      ws.onclose = (event) => resolve(event.code);
      ws.onerror = () => reject(new Error('gateway socket failed'));
    });
  } finally {
    ws.close();
  }
}

test("an admin allowing a bot's privileged intents on one node lets it IDENTIFY with them on the other at once", async () => {
  const created = await call(a.url, 'POST', '/api/v1/admin/bots', token, { username: 'intentbot' });
  expect(created.status).toBe(201);
  const botToken = created.body.token as string;
  // Refused on B, which now keeps the bot (and what it may ask for) in memory for a few seconds.
  expect(await identifyV10(b.url, botToken)).toBe(4014);
  const allowed = await call(a.url, 'PATCH', `/api/v1/admin/bots/${created.body.bot.id}`, token, { privileged_intents: { message_content: true } });
  expect(allowed.status).toBe(200);
  // The change reaches B through the shared log: once B has applied a message posted after it, B has applied it
  // too (one order for every node), long before what B keeps would expire on its own (5 s).
  const onB = await gateway(b.url, token);
  await post(a.url, 'after the intents');
  await onB.event('MESSAGE_CREATE', (d) => d.content === 'after the intents');
  onB.close();
  expect(await identifyV10(b.url, botToken)).toBe('READY');
}, 30_000);

test('the system bot answers a command once, though every node sees it', async () => {
  const db = new Database(join(nodes.dir, 'harmony.db'), { readonly: true });
  const bot = db.query<{ id: string }, []>("SELECT CAST(id AS TEXT) AS id FROM users WHERE username = 'Harmy'").get();
  db.close();
  const dm = await call(a.url, 'POST', '/api/v1/users/@me/channels', token, { recipient_id: String(bot?.id) });
  expect(dm.status).toBe(200);
  const asked = await call(b.url, 'POST', `/api/v1/channels/${dm.body.id}/messages`, token, { content: '.help' });
  expect(asked.status).toBe(200);
  const deadline = Date.now() + 10_000;
  let replies: unknown[] = [];
  while (Date.now() < deadline) {
    const list = await call(a.url, 'GET', `/api/v1/channels/${dm.body.id}/messages?limit=50`, token);
    replies = (list.body as { author: { id: string } }[]).filter((m) => m.author.id === String(bot?.id));
    if (replies.length > 0) break;
    await Bun.sleep(100);
  }
  // Long enough for a second node's answer to have come, had there been one.
  await Bun.sleep(1500);
  const list = await call(a.url, 'GET', `/api/v1/channels/${dm.body.id}/messages?limit=50`, token);
  replies = (list.body as { author: { id: string } }[]).filter((m) => m.author.id === String(bot?.id));
  expect(replies).toHaveLength(1);
}, 30_000);

test('the login limit is counted across nodes', async () => {
  // 10 logins per address per minute: alternate nodes, and the 11th is refused wherever it lands. (A new account
  // name each time: the per-account backoff is another limit.)
  const statuses: number[] = [];
  for (let i = 0; i < 11; i++) {
    const node = i % 2 === 0 ? a : b;
    statuses.push((await call(node.url, 'POST', '/api/v1/auth/login', undefined, { username: `nobody${i}`, password: 'wrong password' })).status);
  }
  expect(statuses.slice(0, 10).every((s) => s !== 429)).toBe(true);
  expect(statuses[10]).toBe(429);
}, 30_000);

test('a session resumed on another node while its node still runs: that node closes its connection and lets it go', async () => {
  const onB = await gateway(b.url, token);
  const sessionId = onB.ready?.d.session_id as string;
  await post(a.url, 'both alive');
  await onB.event('MESSAGE_CREATE', (d) => d.content === 'both alive');
  const seq = onB.lastSeq as number;
  await post(a.url, 'moving');
  await onB.event('MESSAGE_CREATE', (d) => d.content === 'moving');

  const onA = await openGateway(a.url);
  onA.send({ op: 6, d: { token, session_id: sessionId, seq } });
  await onA.waitFor((f) => f.t === 'RESUMED');
  expect(onA.frames.filter((f) => f.t === 'MESSAGE_CREATE').map((f) => f.d.content)).toEqual(['moving']);
  expect(await onB.waitClosed(10_000)).toEqual({ code: 4000, reason: 'Session resumed on another connection' });
  // From now on only A delivers to it.
  await post(b.url, 'on A only');
  await onA.event('MESSAGE_CREATE', (d) => d.content === 'on A only');
  expect(onB.frames.some((f) => f.d?.content === 'on A only')).toBe(false);
  onA.close();
}, 30_000);

test('a session opened on a node killed with SIGKILL resumes on the other: every missed event in order, then RESUMED', async () => {
  const onB = await gateway(b.url, token);
  const sessionId = onB.ready?.d.session_id as string;
  await post(a.url, 'seen on B');
  await onB.event('MESSAGE_CREATE', (d) => d.content === 'seen on B');
  const seq = onB.lastSeq as number;
  onB.stopHeartbeat();
  expect(await b.stop('SIGKILL')).not.toBe(0);

  for (const content of ['missed 1', 'missed 2', 'missed 3']) {
    expect((await post(a.url, content)).status).toBe(200);
  }
  const onA = await openGateway(a.url);
  onA.send({ op: 6, d: { token, session_id: sessionId, seq } });
  const resumed = await onA.waitFor((f) => f.t === 'RESUMED');
  const replayed = onA.frames.filter((f) => f.t === 'MESSAGE_CREATE');
  expect(replayed.map((f) => f.d.content)).toEqual(['missed 1', 'missed 2', 'missed 3']);
  const seqs = [seq, ...replayed.map((f) => f.s as number), resumed.s as number];
  expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
  expect(new Set(seqs).size).toBe(seqs.length);

  // Live again on A: the next message comes once, after RESUMED.
  await post(a.url, 'after resume');
  await onA.event('MESSAGE_CREATE', (d) => d.content === 'after resume');
  onA.close();

  // A session nobody holds (or whose window passed) cannot resume anywhere: INVALID_SESSION.
  const stranger = await openGateway(a.url);
  stranger.send({ op: 6, d: { token, session_id: 'f'.repeat(32), seq } });
  expect((await stranger.waitFor((f) => f.op === 9)).op).toBe(9);
  stranger.close();
  b = await nodes.start();
}, 40_000);

test('a node stopping gracefully tells its sessions to reconnect, and they resume on another node', async () => {
  const onB = await gateway(b.url, token);
  const sessionId = onB.ready?.d.session_id as string;
  await post(a.url, 'before the stop');
  await onB.event('MESSAGE_CREATE', (d) => d.content === 'before the stop');
  const seq = onB.lastSeq as number;
  expect(await b.stop('SIGTERM')).toBe(0);
  expect(onB.frames.some((f) => f.op === 7)).toBe(true);
  await post(a.url, 'while away');

  const onA = await openGateway(a.url);
  onA.send({ op: 6, d: { token, session_id: sessionId, seq } });
  await onA.waitFor((f) => f.t === 'RESUMED');
  expect(onA.frames.filter((f) => f.t === 'MESSAGE_CREATE').map((f) => f.d.content)).toEqual(['while away']);
  onA.close();
  b = await nodes.start();
}, 40_000);

test('Redis stopped: a request that needs it is answered 503 at once; Redis back: the node serves again by itself', async () => {
  // A token of its own for the gateway: IDENTIFY and RESUME are limited per token (10 per 5 s, counted in Redis), and
  // the owner's has been used by every test above, sometimes all within one window.
  const created = await call(a.url, 'POST', '/api/v1/admin/bots', token, { username: 'redisbot' });
  expect(created.status).toBe(201);
  const botToken = created.body.token as string;
  const live = await gateway(a.url, botToken);
  const sessionId = live.ready?.d.session_id as string;
  await nodes.redis.stop();
  const started = Date.now();
  const refused = await call(b.url, 'GET', '/api/v1/users/@me', token);
  expect(Date.now() - started).toBeLessThan(3000);
  expect(refused.status).toBe(503);
  expect(refused.body).toEqual({ code: 0, message: expect.stringContaining('Service Unavailable') });

  await nodes.redis.start();
  const deadline = Date.now() + 15_000;
  let status = 0;
  while (Date.now() < deadline) {
    status = (await call(b.url, 'GET', '/api/v1/users/@me', token)).status;
    if (status === 200) break;
    await Bun.sleep(200);
  }
  expect(status).toBe(200);

  // Sessions were told to reconnect when Redis went away. Redis came back empty (no persistence): the event log is
  // lost, so their RESUME is refused (they may have missed events no node has): they IDENTIFY again. Until the node
  // has read the log again and seen that, a RESUME is told to reconnect (never resumed on a log that may be gone).
  const closed = await live.waitClosed(15_000);
  expect(closed).toEqual({ code: 4000, reason: 'Server restarting: reconnect' });
  expect(live.frames.some((f) => f.op === 7)).toBe(true);
  // One RESUME every 600 ms at most, so that the attempts themselves stay under that limit.
  let answer: number | null = null;
  for (let attempt = 0; attempt < 30 && answer !== 9; attempt++) {
    const again = await openGateway(a.url);
    again.send({ op: 6, d: { token: botToken, session_id: sessionId, seq: live.lastSeq ?? 0 } });
    const outcome = await Promise.race([again.waitFor((f) => f.op === 9 || f.t === 'RESUMED', 10_000).catch(() => null), again.closed.then(() => null)]);
    answer = outcome?.op ?? null;
    expect(outcome?.t ?? null).not.toBe('RESUMED');
    if (answer !== 9) expect(again.closeInfo).toEqual({ code: 4000, reason: 'Server restarting: reconnect' });
    again.close();
    if (answer !== 9) await Bun.sleep(600);
  }
  expect(answer).toBe(9);
}, 40_000);

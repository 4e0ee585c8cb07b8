// The end-to-end cluster scenario of issue 13: one instance on three nodes (PostgreSQL, Redis, S3, nginx; see
// test/support/cluster.ts) used by a real discord.js bot, the v1 SDK (HarmonyClient) and raw gateway WebSockets.
//
// On PostgreSQL by default; HARMONY_CLUSTER_STORAGE=shared-sqlite runs it on the test-only shared-SQLite stand-in.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { Client, GatewayIntentBits, type Message } from 'discord.js';
import { HarmonyClient } from '../../src/sdk/harmony-client.ts';
import { call, ok } from '../support/child-server.ts';
import { type ClusterNode, type ClusterStorage, crossNodeGuild, startCluster, stopCluster, type TestCluster } from '../support/cluster.ts';
import { eventually, type Frame, type GatewayClient, openGateway } from '../support/gateway-client.ts';

const STORAGE = (process.env.HARMONY_CLUSTER_STORAGE as ClusterStorage | undefined) ?? 'postgres';

let cluster: TestCluster;
let a: ClusterNode;
let b: ClusterNode;
let c: ClusterNode;
let owner = '';
let friend = '';
let ownerId = '';
let guildId = '';
let channel = '';
let botToken = '';
let bot: Client | null = null;
let sdk: HarmonyClient | null = null;
const sockets: GatewayClient[] = [];

/** A v1 gateway session on `url` (a node, or nginx), identified as `token`. */
async function session(url: string, token: string): Promise<GatewayClient> {
  const client = await bare(url);
  await client.identify(token);
  return client;
}

/** Opens a bare v1 gateway socket on `url` without identifying (to RESUME); closed after the tests. */
async function bare(url: string): Promise<GatewayClient> {
  const client = await openGateway(url);
  sockets.push(client);
  return client;
}

const post = (node: ClusterNode, content: string) => ok(node.url, 'POST', `/api/v1/channels/${channel}/messages`, owner, { content });
const workerOf = (id: string) => Number((BigInt(id) >> 12n) & 0x3ffn);

beforeAll(async () => {
  cluster = await startCluster({ nodes: 3, storage: STORAGE });
  [a, b, c] = cluster.nodes as [ClusterNode, ClusterNode, ClusterNode];
  ({ owner, ownerId, friend, guildId, channel } = await crossNodeGuild(cluster.nodes, 'Three nodes'));
  const created = await ok(c.url, 'POST', '/api/v1/admin/bots', owner, { username: 'clusterbot' });
  await ok(a.url, 'PATCH', `/api/v1/admin/bots/${created.bot.id}`, owner, { privileged_intents: { message_content: true } });
  await ok(b.url, 'PUT', `/api/v1/guilds/${guildId}/bots/${created.bot.id}`, owner, { permissions: ['read_messages', 'read_message_history'] });
  botToken = created.token as string;
}, 120_000);

afterAll(async () => {
  await bot?.destroy();
  await sdk?.destroy();
  await stopCluster(cluster, sockets);
});

describe('one instance on three nodes', () => {
  test('a message posted on node A reaches a discord.js bot and a raw session (both through nginx), a raw session on B and the SDK on C', async () => {
    bot = new Client({
      intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent],
      rest: { api: `${cluster.url}/api` },
    });
    const botSaw: string[] = [];
    bot.on('messageCreate', (message: Message) => botSaw.push(message.content));
    const botReady = new Promise<void>((resolve) => bot?.once('clientReady', () => resolve()));
    await bot.login(botToken);
    await botReady;

    const onB = await session(b.url, friend);
    const throughNginx = await session(cluster.url, friend);
    sdk = new HarmonyClient(owner, { url: `${c.url.replace(/^http/, 'ws')}/gateway`, authScheme: 'Bearer' });
    const sdkSaw: string[] = [];
    sdk.on('messageCreate', (message) => {
      sdkSaw.push(message.content);
    });
    await sdk.connect();

    const sent = await post(a, 'hello from node A');
    const frame = await onB.event('MESSAGE_CREATE', (d) => d.content === 'hello from node A', 10_000);
    expect(frame.d.id).toBe(sent.id);
    await throughNginx.event('MESSAGE_CREATE', (d) => d.content === 'hello from node A', 10_000);
    await eventually(() => sdkSaw.includes('hello from node A'), 15_000, 'the SDK on C');
    await eventually(() => botSaw.includes('hello from node A'), 15_000, 'the discord.js bot');
    // Each once.
    expect(onB.dispatches('MESSAGE_CREATE').filter((f) => f.d.content === 'hello from node A')).toHaveLength(1);
    expect(sdkSaw.filter((s) => s === 'hello from node A')).toHaveLength(1);
    expect(botSaw.filter((s) => s === 'hello from node A')).toHaveLength(1);
  }, 60_000);

  test('presence set on node A is seen on node B', async () => {
    const onA = await session(a.url, owner);
    const onB = await session(b.url, friend);
    onA.send({ op: 3, d: { since: null, activities: [], status: 'idle', afk: true } });
    const seen = await onB.event('PRESENCE_UPDATE', (d) => d.user.id === ownerId && d.status === 'idle', 10_000);
    expect(seen.d.status).toBe('idle');
  }, 30_000);

  test('an attachment uploaded through node A is downloadable through node C', async () => {
    const body = new FormData();
    body.set('payload_json', JSON.stringify({ content: 'with a file' }));
    const bytes = new TextEncoder().encode('cluster file body\n');
    body.set('files[0]', new Blob([bytes], { type: 'text/plain' }), 'notes.txt');
    const res = await fetch(`${a.url}/api/v1/channels/${channel}/messages`, { method: 'POST', headers: { authorization: `Bearer ${owner}` }, body });
    expect(res.status).toBe(200);
    const message = (await res.json()) as { attachments: { url: string }[] };
    const link = new URL(message.attachments[0]?.url as string);
    // The link names the balancer (--public-url); fetch it from node C itself.
    expect(link.origin).toBe(cluster.url);
    const download = await fetch(`${c.url}${link.pathname}${link.search}`);
    expect(download.status).toBe(200);
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(bytes);
  }, 30_000);

  test('snowflakes minted on three nodes at once are all distinct, under three different worker ids', async () => {
    const results = await Promise.all(cluster.nodes.flatMap((node) => Array.from({ length: 8 }, (_, i) => post(node, `burst ${node.id} ${i}`))));
    const ids = results.map((m) => m.id as string);
    expect(new Set(ids).size).toBe(ids.length);
    const workers = cluster.nodes.map((_, n) => new Set(ids.slice(n * 8, n * 8 + 8).map(workerOf)));
    for (const set of workers) expect(set.size).toBe(1);
    expect(new Set(workers.map((set) => [...set][0])).size).toBe(3);
  }, 30_000);

  test('/health and /metrics on every node', async () => {
    for (const node of cluster.nodes) {
      const health = await call(node.url, 'GET', '/health');
      expect(health.status).toBe(200);
      expect(health.body.node).toBe(node.id);
      for (const check of Object.values(health.body.checks as Record<string, { status: string }>)) expect(check.status).toBe('ok');
      const metrics = await fetch(`${node.url}/metrics`);
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toContain('# TYPE');
    }
  }, 30_000);

  test('RESUME on node C after node B is SIGKILLed delivers every missed event once and in order', async () => {
    const onB = await session(b.url, owner);
    const sessionId = onB.ready?.d.session_id as string;
    await post(a, 'seen on B');
    await onB.event('MESSAGE_CREATE', (d) => d.content === 'seen on B', 10_000);
    const seq = onB.lastSeq as number;
    onB.stopHeartbeat();
    expect(await b.kill('SIGKILL')).not.toBe(0);

    const missed = ['missed 1', 'missed 2', 'missed 3', 'missed 4'];
    for (const content of missed) await post(a, content);
    const onC = await bare(c.url);
    onC.send({ op: 6, d: { token: owner, session_id: sessionId, seq } });
    const resumed = await onC.waitFor((f) => f.t === 'RESUMED', 15_000);
    await post(a, 'live again');
    await onC.event('MESSAGE_CREATE', (d) => d.content === 'live again', 10_000);
    // Every missed message once, in order, BEFORE RESUMED (their POSTs returned, so they are in the shared log and
    // node C applies the log up to its head before replaying), then the live one; sequence numbers strictly
    // increasing throughout.
    const resumedAt = onC.frames.findIndex((f: Frame) => f.t === 'RESUMED');
    const replayed = onC.frames.slice(0, resumedAt).filter((f: Frame) => f.t === 'MESSAGE_CREATE');
    expect(replayed.map((f) => f.d.content)).toEqual(missed);
    const messages = onC.frames.filter((f: Frame) => f.t === 'MESSAGE_CREATE');
    expect(messages.map((f) => f.d.content)).toEqual([...missed, 'live again']);
    const seqs = [seq, ...onC.frames.filter((f) => f.op === 0).map((f) => f.s as number)];
    expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(resumed.s).toBeGreaterThan(messages[0]?.s as number);
    await b.restart();
  }, 60_000);

  test('a RESUME beyond what any node holds is answered INVALID_SESSION', async () => {
    const onA = await session(a.url, owner);
    const seq = onA.lastSeq ?? 0;
    onA.close();
    // A session id no node ever issued: nothing to replay from, wherever the client lands.
    const stranger = await bare(cluster.url);
    stranger.send({ op: 6, d: { token: owner, session_id: 'f'.repeat(32), seq } });
    const invalid = await stranger.waitFor((f) => f.op === 9, 10_000);
    expect(invalid.d).toBe(false);
  }, 30_000);

  test('with rate limits off too, no write is acknowledged while Redis is away (its events could not keep their order); back, every node writes', async () => {
    const onB = await session(b.url, friend);
    await cluster.services.redis.stop();
    try {
      // The nodes notice at once (their stream readers lose the connection); a write then is refused before it commits.
      await eventually(() => onB.closeInfo !== null, 15_000, 'the session on B told to reconnect');
      for (const node of cluster.nodes) {
        const started = performance.now();
        const refused = await call(node.url, 'POST', `/api/v1/channels/${channel}/messages`, owner, { content: `refused on ${node.id}` });
        expect(performance.now() - started).toBeLessThan(2500);
        expect([node.id, refused.status, refused.body]).toEqual([node.id, 503, { code: 0, message: expect.stringContaining('Service Unavailable') }]);
      }
    } finally {
      await cluster.services.redis.start();
    }
    for (const node of cluster.nodes) {
      const deadline = Date.now() + 20_000;
      let status = 0;
      while (status !== 200 && Date.now() < deadline) {
        status = (await call(node.url, 'POST', `/api/v1/channels/${channel}/messages`, owner, { content: `back on ${node.id}` })).status;
        if (status !== 200) await Bun.sleep(200);
      }
      expect([node.id, status]).toEqual([node.id, 200]);
    }
    const history = (await ok(a.url, 'GET', `/api/v1/channels/${channel}/messages?limit=20`, owner)) as { content: string }[];
    expect(history.filter((m) => m.content.startsWith('refused on'))).toEqual([]);
  }, 60_000);
});

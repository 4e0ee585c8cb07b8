// The READY part each node keeps per guild (src/gateway/guild-ready-cache.ts) follows changes made on the other
// node: two real Harmony processes sharing one Redis and one data folder. Node A's memory of the guild is warmed
// by an IDENTIFY there; the changes are made through node B; node A's next READY (once B's events have come through
// Redis) says what the REST API reads from the database. A node that kept its memory would never agree.
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { type ChildServer, call } from '../support/child-server.ts';
import { openGateway } from '../support/gateway-client.ts';
import { type SharedNodes, sharedNodes } from '../support/shared-nodes.ts';

let nodes: SharedNodes;
let a: ChildServer;
let b: ChildServer;

beforeAll(async () => {
  nodes = await sharedNodes('harmony-ready-cache-');
  a = await nodes.start();
  b = await nodes.start();
}, 60_000);

afterAll(() => nodes?.stop());

async function readyGuild(url: string, token: string, guildId: string): Promise<Record<string, unknown> | undefined> {
  const client = await openGateway(url);
  const ready = await client.identify(token, {}, { heartbeat: false });
  client.close();
  const guild = (ready.d.guilds as Record<string, unknown>[]).find((g) => g.id === guildId);
  if (!guild) return undefined;
  const { presences: _, threads: __, ...rest } = guild;
  return rest;
}

async function register(url: string, username: string): Promise<{ id: string; token: string }> {
  const res = await call(url, 'POST', '/api/v1/auth/register', undefined, { username, password: 'correct horse battery' });
  expect(res.status).toBe(201);
  return { id: res.body.user.id, token: res.body.token };
}

test("a join, a new channel and a rename made on node B are in node A's next READY", async () => {
  const owner = await register(a.url, 'owner');
  const bob = await register(a.url, 'bob');
  const guild = await call(a.url, 'POST', '/api/v1/guilds', owner.token, { name: 'Two Nodes' });
  expect(guild.status).toBe(201);
  const guildId = guild.body.id as string;
  const invite = await call(a.url, 'POST', `/api/v1/channels/${guild.body.channels[0].id}/invites`, owner.token, {});
  expect((await call(a.url, 'POST', `/api/v1/invites/${invite.body.code}`, bob.token)).status).toBe(200);

  // Warm: node A reads the guild for bob's READY and keeps it.
  const warm = await readyGuild(a.url, bob.token, guildId);
  expect(warm).toEqual((await call(a.url, 'GET', `/api/v1/guilds/${guildId}`, bob.token)).body);

  // Changes through node B only.
  const carol = await register(b.url, 'carol');
  expect((await call(b.url, 'POST', `/api/v1/invites/${invite.body.code}`, carol.token)).status).toBe(200);
  const channel = await call(b.url, 'POST', `/api/v1/guilds/${guildId}/channels`, owner.token, { name: 'from-b' });
  expect(channel.status).toBe(201);
  expect((await call(b.url, 'PATCH', `/api/v1/guilds/${guildId}`, owner.token, { name: 'Renamed on B' })).status).toBe(200);

  // Node A hears B's events through Redis (soon, not at once): its READY then says what its REST API reads.
  const settled = (g: Record<string, any> | undefined) =>
    g?.name === 'Renamed on B' && g.member_count === 3 && (g.channels as { id: string }[]).some((c) => c.id === channel.body.id);
  let seen: Record<string, unknown> | undefined;
  let rest: Record<string, unknown> | undefined;
  const deadline = Date.now() + 10_000;
  do {
    seen = await readyGuild(a.url, bob.token, guildId);
    rest = (await call(a.url, 'GET', `/api/v1/guilds/${guildId}`, bob.token)).body;
    if (settled(seen) && settled(rest)) break;
    await Bun.sleep(50);
  } while (Date.now() < deadline);
  expect([settled(seen), settled(rest)]).toEqual([true, true]);
  expect(seen).toEqual(rest);
}, 60_000);

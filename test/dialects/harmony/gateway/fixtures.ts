// A small world for gateway tests: alice owns a guild (and is the instance admin), bob joined it by invite,
// carol is in no guild, and a bot was added with a few permissions. REST calls go through the real API.
import type { Config } from '../../../../src/config.ts';
import type { Clock } from '../../../../src/domain/clock.ts';
import { connectAs, type GatewayClient } from '../../../support/gateway-client.ts';
import { startServer, type TestServer } from '../../../support/test-server.ts';
import { people } from '../fixtures.ts';

export type Account = { id: string; token: string };

export type World = {
  server: TestServer;
  alice: Account;
  bob: Account;
  carol: Account;
  bot: Account;
  /** Takes no part in anything; sends the DMs `sync` uses as sentinels. */
  zed: Account;
  guildId: string;
  /** #general, visible to everyone in the guild. */
  generalId: string;
  /** Calls the v1 REST API and fails the test on an unexpected status. */
  call: (token: string, method: string, path: string, body?: unknown, expected?: number) => Promise<any>;
};

export async function buildWorld(overrides: Partial<Config> = {}, clock?: Clock): Promise<World> {
  const server = await startServer({ heartbeatInterval: 1000, rateLimits: false, ...overrides }, clock);
  const call: World['call'] = async (token, method, path, body, expected) => {
    const res = await server.api(method, `/api/v1${path}`, { token, body });
    const ok = expected === undefined ? res.status >= 200 && res.status < 300 : res.status === expected;
    if (!ok) throw new Error(`${method} ${path} -> ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  // Straight into the store with one shared password hash (PASSWORD): argon2 per person would dominate run time.
  const [alice, bob, carol, zed] = (await people(server, 'alice', 'bob', 'carol', 'zed')).map(({ id, token }) => ({ id, token }));
  if (!alice || !bob || !carol || !zed) throw new Error('people not created');
  const guild = await call(alice.token, 'POST', '/guilds', { name: 'Gateway guild' });
  const generalId = guild.channels[0].id as string;
  const invite = await call(alice.token, 'POST', `/channels/${generalId}/invites`, {});
  await call(bob.token, 'POST', `/invites/${invite.code}`);
  const created = await call(alice.token, 'POST', '/admin/bots', { username: 'gatewaybot' });
  const bot = { id: created.bot.id as string, token: created.token as string };
  await call(alice.token, 'PUT', `/guilds/${guild.id}/bots/${bot.id}`, { permissions: ['read_messages', 'send_messages', 'add_reactions'] });
  return { server, alice, bob, carol, bot, zed, guildId: guild.id, generalId, call };
}

/** Invites `account` into the world's guild. */
export async function join(world: World, account: Account): Promise<void> {
  const invite = await world.call(world.alice.token, 'POST', `/channels/${world.generalId}/invites`, {});
  await world.call(account.token, 'POST', `/invites/${invite.code}`);
}

/** A connected session and whose it is. */
export type Peer = { account: Account; client: GatewayClient };

export async function connectPeer(world: World, account: Account): Promise<Peer> {
  return { account, client: await connectAs(world.server, account.token) };
}

let syncs = 0;
const dms = new Map<string, string>();

/**
 * Sentinel: zed DMs every peer's user and waits until each peer has it. Frames arrive in order, so anything
 * a peer has not received by then (from actions taken before) it will never receive.
 */
export async function sync(world: World, ...peers: Peer[]): Promise<void> {
  const mark = `sync-${++syncs}`;
  for (const { account } of peers) {
    const key = `${world.zed.id}:${account.id}`;
    let dm = dms.get(key);
    if (!dm) {
      // zed shares no guild with anyone (it must see no one's presence), so each peer lets anyone DM it.
      await world.call(account.token, 'PATCH', '/users/@me/settings', { allow_dms_from: 'everyone' });
      dm = (await world.call(world.zed.token, 'POST', '/users/@me/channels', { recipient_id: account.id })).id as string;
      dms.set(key, dm);
    }
    await world.call(world.zed.token, 'POST', `/channels/${dm}/messages`, { content: mark });
  }
  for (const { client } of peers) await client.event('MESSAGE_CREATE', (d) => d.content === mark);
}

/** Dispatches named `t` a peer received whose `d` matches. */
export function received(peer: Peer, t: string, match: (d: any) => boolean = () => true): any[] {
  return peer.client
    .dispatches(t)
    .filter((f) => match(f.d))
    .map((f) => f.d);
}

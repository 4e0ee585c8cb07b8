// A newcomer's presence reaches the guild they join: the members already there get PRESENCE_UPDATE right after
// MEMBER_JOIN (as Discord does), so an online newcomer does not show offline until their status next changes.
// alice owns the guild, bob and the bot are members; carol is in no guild and must hear nothing.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { connectAs, type GatewayClient } from '../../../support/gateway-client.ts';
import { people } from '../fixtures.ts';
import { type Account, buildWorld, connectPeer, join, type Peer, received, sync, type World } from './fixtures.ts';

let world: World;
let alice: Peer;
let bob: Peer;
let carol: Peer;
const open: GatewayClient[] = [];

const CHESS = { name: 'chess', type: 0, details: 'move 12' };

beforeAll(async () => {
  world = await buildWorld();
  alice = await connectPeer(world, world.alice);
  bob = await connectPeer(world, world.bob);
  carol = await connectPeer(world, world.carol);
  open.push(alice.client, bob.client, carol.client);
});
afterAll(async () => {
  for (const client of open) client.close();
  await world.server.stop();
});

async function register(username: string): Promise<Account> {
  const [person] = await people(world.server, username);
  return { id: person.id, token: person.token };
}

/** Connects `account` and waits until the server has put it online (its own PRESENCE_UPDATE, outside any guild). */
async function online(account: Account, extra: Record<string, unknown> = {}): Promise<Peer> {
  const client = await connectAs(world.server, account.token, extra);
  open.push(client);
  await client.event('PRESENCE_UPDATE', (d) => d.user.id === account.id && d.guild_id === null);
  return { account, client };
}

/** The dispatch `peer` received right after MEMBER_JOIN for `userId` (heartbeat ACKs in between do not count). */
async function afterJoin(peer: Peer, userId: string) {
  const join = await peer.client.event('MEMBER_JOIN', (d) => d.user_id === userId);
  await peer.client.waitFor((f) => f.op === 0 && f.s !== null && join.s !== null && f.s > join.s);
  const dispatches = peer.client.frames.filter((f) => f.op === 0);
  return dispatches[dispatches.indexOf(join) + 1];
}

/** PRESENCE_UPDATEs `peer` received about `userId` in the world's guild. */
const presencesOf = (peer: Peer, userId: string) => received(peer, 'PRESENCE_UPDATE', (d) => d.user.id === userId && d.guild_id === world.guildId);

describe('PRESENCE_UPDATE when someone joins', () => {
  it('tells every member an online newcomer’s presence right after MEMBER_JOIN, and nobody outside the guild', async () => {
    const dave = await online(await register('dave'), {
      properties: { os: 'android' },
      presence: { since: null, status: 'dnd', afk: false, activities: [CHESS] },
    });
    await join(world, dave.account);

    const shown = { status: 'dnd', activities: [{ ...CHESS, created_at: expect.any(Number) }], client_status: { mobile: 'dnd' } };
    const expected = { user: { id: dave.account.id }, guild_id: world.guildId, ...shown };
    for (const peer of [alice, bob]) {
      const next = await afterJoin(peer, dave.account.id);
      expect(next).toEqual({ op: 0, t: 'PRESENCE_UPDATE', s: expect.any(Number), d: expected });
    }
    // The newcomer has their own presence in GUILD_CREATE; nobody else hears it again.
    const created = await dave.client.event('GUILD_CREATE', (d) => d.id === world.guildId);
    expect(created.d.presences).toContainEqual({ user: { id: dave.account.id }, ...shown });
    await sync(world, alice, bob, carol, dave);
    expect(presencesOf(alice, dave.account.id)).toHaveLength(1);
    expect(presencesOf(dave, dave.account.id)).toEqual([]);
    expect(received(carol, 'PRESENCE_UPDATE', (d) => d.user.id === dave.account.id)).toEqual([]);
  });

  it('tells members a bot added while connected is online', async () => {
    const created = await world.call(world.alice.token, 'POST', '/admin/bots', { username: 'joinbot' });
    const account: Account = { id: created.bot.id, token: created.token };
    const joinbot = await online(account);
    await world.call(world.alice.token, 'PUT', `/guilds/${world.guildId}/bots/${account.id}`, { permissions: ['read_messages'] });

    const next = await afterJoin(alice, account.id);
    expect(next?.t).toBe('PRESENCE_UPDATE');
    expect(next?.d).toEqual({ user: { id: account.id }, guild_id: world.guildId, status: 'online', activities: [], client_status: { desktop: 'online' } });
    joinbot.client.close();
  });

  it('says nothing about a newcomer who is invisible or not connected: a member not mentioned is offline', async () => {
    // Invisible from IDENTIFY on: the server never reports her online, not even to herself.
    const erinAccount = await register('erin');
    const erin = await connectAs(world.server, erinAccount.token, { presence: { since: null, status: 'invisible', afk: false, activities: [] } });
    open.push(erin);
    const frank = await register('frank');
    await join(world, erinAccount);
    await join(world, frank);
    await alice.client.event('MEMBER_JOIN', (d) => d.user_id === frank.id);
    await sync(world, alice, bob);
    for (const peer of [alice, bob]) {
      expect(presencesOf(peer, erinAccount.id)).toEqual([]);
      expect(presencesOf(peer, frank.id)).toEqual([]);
    }
  });
});

// RESUME (op 6): a dropped session gets back what it missed, and only what it may see; outside the buffer,
// or for a session that is gone, the server answers INVALID_SESSION (op 9, d false) and the client identifies.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'bun:test';
import { type GatewayClient, openGateway } from '../../../support/gateway-client.ts';
import { type Account, buildWorld, connectPeer, type Peer, type World } from './fixtures.ts';

let world: World;
let bob: Peer;

beforeAll(async () => {
  world = await buildWorld();
});
beforeEach(async () => {
  bob = await connectPeer(world, world.bob);
});
afterAll(() => world.server.stop());

const post = (author: Account, channelId: string, content: string) => world.call(author.token, 'POST', `/channels/${channelId}/messages`, { content });

/** Drops the socket the way the SDK does when it means to come back (4200, not 1000). */
async function drop(client: GatewayClient): Promise<void> {
  client.close(4200);
  await client.waitClosed();
}

async function resume(account: Account, sessionId: string, seq: number | null): Promise<GatewayClient> {
  const client = await openGateway(world.server);
  client.send({ op: 6, d: { token: account.token, session_id: sessionId, seq } });
  return client;
}

const sessionOf = (peer: Peer) => peer.client.ready?.d.session_id as string;

describe('RESUME (op 6)', () => {
  it('replays missed dispatches in order, then RESUMED, then live events on the new connection', async () => {
    await post(world.alice, world.generalId, 'before the drop');
    await bob.client.event('MESSAGE_CREATE', (d) => d.content === 'before the drop');
    const seq = bob.client.lastSeq as number;
    await drop(bob.client);
    await post(world.alice, world.generalId, 'missed one');
    await post(world.alice, world.generalId, 'missed two');

    const resumed = await resume(world.bob, sessionOf(bob), seq);
    const marker = await resumed.event('RESUMED');
    expect(marker).toEqual({ op: 0, t: 'RESUMED', s: expect.any(Number), d: {} });
    const before = resumed.frames.slice(0, resumed.frames.indexOf(marker));
    expect(before.filter((f) => f.t === 'MESSAGE_CREATE').map((f) => f.d.content)).toEqual(['missed one', 'missed two']);
    expect(before.every((f) => (f.s as number) > seq)).toBe(true);
    expect((marker.s as number) > (before.at(-1)?.s as number)).toBe(true);

    resumed.startHeartbeat(500);
    await post(world.alice, world.generalId, 'live again');
    await resumed.event('MESSAGE_CREATE', (d) => d.content === 'live again');
    expect(resumed.frames.filter((f) => f.d?.content === 'before the drop')).toEqual([]);
    resumed.close();
  });

  it('replays only what the session could see when it happened', async () => {
    const secret = await world.call(world.alice.token, 'POST', `/guilds/${world.guildId}/channels`, {
      name: 'secret',
      permission_overwrites: [{ id: world.guildId, type: 0, deny: ['view_channels'] }],
    });
    const seq = bob.client.lastSeq as number;
    await drop(bob.client);
    await post(world.alice, secret.id, 'hidden while away');
    await post(world.alice, world.generalId, 'public while away');
    // bob is let in while disconnected: he gets the channel and what follows, not what came before.
    await world.call(world.alice.token, 'PUT', `/channels/${secret.id}/permissions/${world.bob.id}`, { type: 1, allow: ['view_channels'] });
    await post(world.alice, secret.id, 'after bob was let in');

    const resumed = await resume(world.bob, sessionOf(bob), seq);
    await resumed.event('RESUMED');
    const replay = resumed.frames.filter((f) => f.op === 0 && f.t !== 'RESUMED' && f.t !== 'PRESENCE_UPDATE');
    expect(replay.map((f) => [f.t, f.d.content ?? f.d.id])).toEqual([
      ['MESSAGE_CREATE', 'public while away'],
      ['CHANNEL_CREATE', secret.id],
      ['MESSAGE_CREATE', 'after bob was let in'],
    ]);
    resumed.close();
  });

  it('closes the connection the session had when it is resumed elsewhere', async () => {
    const resumed = await resume(world.bob, sessionOf(bob), bob.client.lastSeq);
    await resumed.event('RESUMED');
    expect(await bob.client.waitClosed()).toEqual({ code: 4000, reason: 'Session resumed on another connection' });
    resumed.close();
  });

  it('answers INVALID_SESSION for an unknown session, and the client may IDENTIFY on the same connection', async () => {
    const client = await resume(world.bob, 'f'.repeat(32), 1);
    const invalid = await client.waitFor((f) => f.op === 9);
    expect(invalid).toEqual({ op: 9, d: false, s: null, t: null });
    const ready = await client.identify(world.bob.token);
    expect(ready.d.user.id).toBe(world.bob.id);
    client.close();
  });

  it("answers INVALID_SESSION for someone else's session", async () => {
    await drop(bob.client);
    const client = await resume(world.alice, sessionOf(bob), bob.client.lastSeq);
    expect(await client.waitFor((f) => f.op === 9)).toEqual({ op: 9, d: false, s: null, t: null });
    client.close();
  });

  it('answers INVALID_SESSION after the client closed with 1000 (a clean goodbye ends the session)', async () => {
    bob.client.close(1000);
    await bob.client.waitClosed();
    const client = await resume(world.bob, sessionOf(bob), bob.client.lastSeq);
    expect((await client.waitFor((f) => f.op === 9)).d).toBe(false);
    client.close();
  });

  it('closes 4007 for a sequence number the session cannot have', async () => {
    await drop(bob.client);
    const client = await resume(world.bob, sessionOf(bob), (bob.client.lastSeq as number) + 1_000_000);
    expect(await client.waitClosed()).toEqual({ code: 4007, reason: 'Invalid seq: IDENTIFY again' });
    // The session is gone for good.
    const again = await resume(world.bob, sessionOf(bob), bob.client.lastSeq);
    expect((await again.waitFor((f) => f.op === 9)).d).toBe(false);
    again.close();
  });

  it('closes 4002 for a RESUME without session_id or seq', async () => {
    const client = await openGateway(world.server);
    client.send({ op: 6, d: { token: world.bob.token } });
    expect((await client.waitClosed()).code).toBe(4002);
  });

  it('closes 4004 for a RESUME with a bad token', async () => {
    await drop(bob.client);
    const client = await resume({ id: world.bob.id, token: 'x'.repeat(40) }, sessionOf(bob), bob.client.lastSeq);
    expect((await client.waitClosed()).code).toBe(4004);
  });
});

describe('the resume window', () => {
  it('answers INVALID_SESSION once the window has passed', async () => {
    let now = Date.now();
    const clock = { now: () => now };
    const local = await buildWorld({ resumeWindow: 120 }, clock);
    const peer = await connectPeer(local, local.bob);
    peer.client.close(4200);
    await peer.client.waitClosed();
    await local.call(local.alice.token, 'POST', `/channels/${local.generalId}/messages`, { content: 'long ago' });
    now += 121_000;
    const client = await openGateway(local.server);
    client.send({ op: 6, d: { token: local.bob.token, session_id: peer.client.ready?.d.session_id, seq: peer.client.lastSeq } });
    expect(await client.waitFor((f) => f.op === 9)).toEqual({ op: 9, d: false, s: null, t: null });
    client.close();
    await local.server.stop();
  });

  it('with a window of 0, no session can be resumed', async () => {
    const local = await buildWorld({ resumeWindow: 0 });
    const peer = await connectPeer(local, local.bob);
    peer.client.close(4200);
    await peer.client.waitClosed();
    const client = await openGateway(local.server);
    client.send({ op: 6, d: { token: local.bob.token, session_id: peer.client.ready?.d.session_id, seq: peer.client.lastSeq } });
    expect((await client.waitFor((f) => f.op === 9)).d).toBe(false);
    client.close();
    await local.server.stop();
  });
});

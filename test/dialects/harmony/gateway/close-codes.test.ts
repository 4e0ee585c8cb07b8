// Session hygiene: every way a v1 connection is closed, with the code docs/gateway.md documents for it.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { connectAs, openGateway } from '../../../support/gateway-client.ts';
import { PASSWORD, people } from '../fixtures.ts';
import { buildWorld, type World } from './fixtures.ts';

let world: World;
beforeAll(async () => {
  // Rate limits on: the frame and IDENTIFY limits are part of what is tested here.
  world = await buildWorld({ rateLimits: true });
});
afterAll(() => world.server.stop());

// IDENTIFY is limited to 10 per token per 5 s here, so each test identifies with a bot of its own.
let bots = 0;
async function newBot(): Promise<string> {
  const created = await world.call(world.alice.token, 'POST', '/admin/bots', { username: `closebot${++bots}` });
  return created.token;
}

describe('protocol errors', () => {
  it('closes 4002 on a frame that is not JSON', async () => {
    const client = await openGateway(world.server);
    client.send('{not json');
    expect(await client.waitClosed()).toEqual({ code: 4002, reason: 'Decode error: invalid payload' });
  });

  it('closes 4002 on JSON without an integer op', async () => {
    for (const frame of ['[1,2]', '"text"', '{"op":"2"}', '{"op":1.5}', '{"d":{}}']) {
      const client = await openGateway(world.server);
      client.send(frame);
      expect((await client.waitClosed()).code).toBe(4002);
    }
  });

  it('closes 4002 on an IDENTIFY without a token', async () => {
    const client = await openGateway(world.server);
    client.send({ op: 2, d: {} });
    expect((await client.waitClosed()).code).toBe(4002);
  });

  it('closes 4001 on an unknown opcode, including ops only the server sends', async () => {
    for (const op of [5, 11, 0, 42]) {
      const client = await connectAs(world.server, await newBot());
      client.send({ op, d: null });
      expect(await client.waitClosed()).toEqual({ code: 4001, reason: 'Unknown opcode' });
    }
  });

  it('closes 4003 on a heartbeat before IDENTIFY', async () => {
    const client = await openGateway(world.server);
    client.send({ op: 1, d: null });
    expect(await client.waitClosed()).toEqual({ code: 4003, reason: 'Not authenticated: send IDENTIFY first' });
  });

  it('closes 4003 on a presence update before IDENTIFY', async () => {
    const client = await openGateway(world.server);
    client.send({ op: 3, d: { since: null, activities: [], status: 'online', afk: false } });
    expect((await client.waitClosed()).code).toBe(4003);
  });

  it('closes 4003 when nothing is identified within the deadline (1.5 intervals here, 10 s by default)', async () => {
    const client = await openGateway(world.server);
    const opened = Date.now();
    expect(await client.waitClosed(4000)).toEqual({ code: 4003, reason: 'Not authenticated: IDENTIFY in time' });
    expect(Date.now() - opened).toBeGreaterThanOrEqual(1400);
  });

  it('closes 4004 on an unknown token', async () => {
    const client = await openGateway(world.server);
    client.send({ op: 2, d: { token: 'not-a-real-token-at-all-0123456789' } });
    expect(await client.waitClosed()).toEqual({ code: 4004, reason: 'Authentication failed' });
  });

  it('closes 4005 on a second IDENTIFY', async () => {
    const token = await newBot();
    const client = await connectAs(world.server, token);
    client.send({ op: 2, d: { token } });
    expect(await client.waitClosed()).toEqual({ code: 4005, reason: 'Already authenticated' });
  });

  it('closes 4005 on RESUME after IDENTIFY', async () => {
    const token = await newBot();
    const client = await connectAs(world.server, token);
    client.send({ op: 6, d: { token, session_id: client.ready?.d.session_id, seq: 0 } });
    expect((await client.waitClosed()).code).toBe(4005);
  });

  it('closes 4002 on an invalid presence update', async () => {
    const client = await connectAs(world.server, await newBot());
    client.send({ op: 3, d: { since: null, activities: [], status: 'sleeping', afk: false } });
    expect((await client.waitClosed()).code).toBe(4002);
  });

  it('closes 4009 when heartbeats stop for 1.5 intervals', async () => {
    const client = await openGateway(world.server);
    await client.identify(await newBot(), {}, { heartbeat: false });
    const ready = Date.now();
    expect(await client.waitClosed(4000)).toEqual({ code: 4009, reason: 'Session timed out: no heartbeat' });
    expect(Date.now() - ready).toBeGreaterThanOrEqual(1400);
  });
});

describe('limits', () => {
  it('closes 4008 on a frame over 16 KiB', async () => {
    const client = await connectAs(world.server, await newBot());
    client.send({ op: 1, d: 'x'.repeat(16 * 1024) });
    expect(await client.waitClosed()).toEqual({ code: 4008, reason: 'Frame too large (16 KiB at most)' });
  });

  it('accepts a frame just under 16 KiB', async () => {
    const client = await connectAs(world.server, await newBot());
    const padding = 'x'.repeat(16 * 1024 - 30);
    const frame = JSON.stringify({ op: 1, d: null, pad: padding });
    expect(frame.length).toBeLessThanOrEqual(16 * 1024);
    client.send(frame);
    await client.waitFor((f) => f.op === 11);
    expect(client.closeInfo).toBeNull();
    client.close();
  });

  it('closes 4008 past 120 frames a minute', async () => {
    const client = await connectAs(world.server, await newBot());
    client.stopHeartbeat();
    for (let i = 0; i < 121; i++) client.send({ op: 1, d: null });
    expect(await client.waitClosed()).toEqual({ code: 4008, reason: 'Rate limited: too many frames' });
    // IDENTIFY was frame 1, so 119 heartbeats fit in the 120 and the 120th heartbeat (frame 121) closed it.
    expect(client.frames.filter((f) => f.op === 11)).toHaveLength(119);
  });

  it('closes 4008 when one token IDENTIFYs more than 10 times in 5 seconds', async () => {
    const created = await world.call(world.alice.token, 'POST', '/admin/bots', { username: 'floodbot' });
    const clients = [];
    for (let i = 0; i < 10; i++) clients.push(await connectAs(world.server, created.token));
    const eleventh = await openGateway(world.server);
    eleventh.send({ op: 2, d: { token: created.token } });
    expect(await eleventh.waitClosed()).toEqual({ code: 4008, reason: 'Rate limited: too many IDENTIFY/RESUME for this token' });
    for (const c of clients) c.close();
  });
});

describe('revoked credentials', () => {
  it('closes every session of a bot with 4004 when its token is regenerated, and refuses the old token', async () => {
    const created = await world.call(world.alice.token, 'POST', '/admin/bots', { username: 'regenbot' });
    const one = await connectAs(world.server, created.token);
    const two = await connectAs(world.server, created.token);
    const bystander = await connectAs(world.server, await newBot());
    const regenerated = await world.call(world.alice.token, 'POST', `/admin/bots/${created.bot.id}/token`);
    expect(await one.waitClosed()).toEqual({ code: 4004, reason: 'Authentication failed: credentials revoked' });
    expect((await two.waitClosed()).code).toBe(4004);
    // The old token cannot RESUME or IDENTIFY; the new one can.
    const resume = await openGateway(world.server);
    resume.send({ op: 6, d: { token: created.token, session_id: one.ready?.d.session_id, seq: one.lastSeq } });
    expect((await resume.waitClosed()).code).toBe(4004);
    const fresh = await connectAs(world.server, regenerated.token);
    expect(fresh.ready?.d.bot.id).toBe(created.bot.id);
    // Someone else's session is untouched.
    bystander.send({ op: 1, d: null });
    await bystander.waitFor((f) => f.op === 11);
    expect(bystander.closeInfo).toBeNull();
    fresh.close();
    bystander.close();
  });

  it('closes only the sessions of the token that logged out', async () => {
    const login = async () => (await world.server.api('POST', '/api/v1/auth/login', { body: { username: 'carol', password: PASSWORD } })).body.token as string;
    const first = await login();
    const second = await login();
    const a = await connectAs(world.server, first);
    const b = await connectAs(world.server, second);
    await world.call(first, 'POST', '/auth/logout');
    expect((await a.waitClosed()).code).toBe(4004);
    b.send({ op: 1, d: null });
    await b.waitFor((f) => f.op === 11);
    expect(b.closeInfo).toBeNull();
    b.close();
  });

  it('closes every session of a disabled account with 4004', async () => {
    const [dave] = await people(world.server, 'dave');
    const client = await connectAs(world.server, dave.token);
    await world.call(world.alice.token, 'PATCH', `/admin/users/${dave.id}`, { disabled: true });
    expect((await client.waitClosed()).code).toBe(4004);
  });
});

describe('shutdown', () => {
  it('sends RECONNECT (op 7) to every session, then closes every connection with 4000 so clients reconnect and RESUME', async () => {
    const local = await buildWorld();
    const client = await connectAs(local.server, local.bot.token);
    const fresh = await openGateway(local.server);
    await local.server.stop();
    expect(await client.waitClosed()).toEqual({ code: 4000, reason: 'Server restarting: reconnect' });
    expect(client.raw.at(-1)).toBe('{"op":7,"d":null,"s":null,"t":null}');
    expect((await fresh.waitClosed()).code).toBe(4000);
  });
});

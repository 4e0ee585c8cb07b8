// IDENTIFY, READY and heartbeats on the v1 gateway, checked against a live server with a real WebSocket.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { connectAs, eventually, openGateway } from '../../../support/gateway-client.ts';
import { buildWorld, type World } from './fixtures.ts';

let world: World;
beforeAll(async () => {
  world = await buildWorld();
});
afterAll(() => world.server.stop());

const ISO = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
const SNOWFLAKE = expect.stringMatching(/^\d{17,20}$/);

describe('IDENTIFY (op 2)', () => {
  it('answers a bot token with READY carrying bot, session_id, heartbeat_interval and its guilds in full', async () => {
    const client = await openGateway(world.server);
    const ready = await client.identify(world.bot.token);
    expect(Object.keys(ready).sort()).toEqual(['d', 'op', 's', 't']);
    expect(ready.op).toBe(0);
    expect(ready.t).toBe('READY');
    expect(ready.s).toBeGreaterThan(0);
    expect(Object.keys(ready.d)).toEqual(['bot', 'session_id', 'heartbeat_interval', 'guilds', 'private_channels', 'read_state', 'user_guild_settings']);
    expect(ready.d.bot).toEqual({ id: world.bot.id, username: 'gatewaybot', global_name: null, avatar: null, bot: true, admin: false, created_at: ISO });
    expect(ready.d.session_id).toMatch(/^[0-9a-f]{32}$/);
    expect(ready.d.heartbeat_interval).toBe(1000);
    expect(ready.d.private_channels).toEqual([]);
    expect(ready.d.guilds).toHaveLength(1);
    const guild = ready.d.guilds[0];
    expect(Object.keys(guild)).toEqual([
      'id',
      'name',
      'owner_id',
      'icon',
      'description',
      'created_at',
      'system_channel_id',
      'system_channel_flags',
      'member_count',
      'roles',
      'channels',
      'threads',
      'presences',
    ]);
    expect(guild).toMatchObject({ id: world.guildId, name: 'Gateway guild', owner_id: world.alice.id, member_count: 3 });
    expect(guild.roles.map((r: { name: string }) => r.name)).toEqual(['@everyone', 'gatewaybot']);
    expect(guild.channels).toEqual([
      {
        id: world.generalId,
        guild_id: world.guildId,
        name: 'general',
        type: 0,
        position: 0,
        topic: null, // Members arrived through an invite: the last message is a join announcement.
        last_message_id: expect.stringMatching(/^\d+$/),
        permission_overwrites: [],
      },
    ]);
    client.close();
  });

  it('answers a user session token with READY carrying user (not bot)', async () => {
    const client = await connectAs(world.server, world.carol.token);
    const d = client.ready?.d;
    expect(d.bot).toBeUndefined();
    expect(d.user).toEqual({ id: world.carol.id, username: 'carol', global_name: null, avatar: null, bot: false, admin: false, created_at: ISO });
    expect(d.guilds).toEqual([]);
    client.close();
  });

  it('lists DM channels in READY.private_channels', async () => {
    // carol is in no guild: bob takes DMs from anyone, or she could not open one.
    await world.call(world.bob.token, 'PATCH', '/users/@me/settings', { allow_dms_from: 'everyone' });
    const dm = await world.call(world.carol.token, 'POST', '/users/@me/channels', { recipient_id: world.bob.id });
    const client = await connectAs(world.server, world.carol.token);
    expect(client.ready?.d.private_channels).toEqual([
      { id: dm.id, type: 1, guild_id: null, recipient_ids: expect.arrayContaining([world.bob.id, world.carol.id]), last_message_id: null },
    ]);
    client.close();
  });

  it('gives every session its own session_id, even for one token', async () => {
    const one = await connectAs(world.server, world.bot.token);
    const two = await connectAs(world.server, world.bot.token);
    expect(one.ready?.d.session_id).not.toBe(two.ready?.d.session_id);
    one.close();
    two.close();
  });

  it('accepts properties and presence, and shows the presence to guild members', async () => {
    const watcher = await connectAs(world.server, world.alice.token);
    const client = await openGateway(world.server);
    await client.identify(world.bob.token, {
      properties: { os: 'android', browser: 'harmony-app', device: 'phone' },
      presence: { since: null, status: 'dnd', afk: false, activities: [{ name: 'chess', type: 0 }] },
    });
    const update = await watcher.event('PRESENCE_UPDATE', (d) => d.user.id === world.bob.id && d.status === 'dnd');
    expect(update.d).toEqual({
      user: { id: world.bob.id },
      guild_id: world.guildId,
      status: 'dnd',
      activities: [{ name: 'chess', type: 0, created_at: expect.any(Number) }],
      client_status: { mobile: 'dnd' },
    });
    client.close();
    watcher.close();
  });
});

describe('every frame', () => {
  it('has exactly the keys op, d, s and t, with s and t null unless it is a dispatch', async () => {
    const client = await connectAs(world.server, world.bot.token);
    client.send({ op: 1, d: null });
    await client.waitFor((f) => f.op === 11);
    await world.call(world.alice.token, 'POST', `/channels/${world.generalId}/messages`, { content: 'shape check' });
    await client.event('MESSAGE_CREATE', (d) => d.content === 'shape check');
    for (const text of client.raw) {
      const frame = JSON.parse(text);
      expect(Object.keys(frame).sort()).toEqual(['d', 'op', 's', 't']);
      if (frame.op === 0) {
        expect(typeof frame.t).toBe('string');
        expect(typeof frame.s).toBe('number');
      } else {
        expect(frame.t).toBeNull();
        expect(frame.s).toBeNull();
      }
    }
    client.close();
  });

  it('carries increasing sequence numbers on dispatches', async () => {
    const client = await connectAs(world.server, world.alice.token);
    for (const content of ['one', 'two', 'three']) await world.call(world.alice.token, 'POST', `/channels/${world.generalId}/messages`, { content });
    await client.event('MESSAGE_CREATE', (d) => d.content === 'three');
    const seqs = client.frames.filter((f) => f.op === 0).map((f) => f.s as number);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    client.close();
  });
});

describe('HEARTBEAT (op 1)', () => {
  it('is answered with op 11 HEARTBEAT_ACK', async () => {
    const client = await connectAs(world.server, world.bot.token);
    client.stopHeartbeat();
    client.send({ op: 1, d: client.lastSeq });
    const ack = await client.waitFor((f) => f.op === 11);
    expect(ack).toEqual({ op: 11, d: null, s: null, t: null });
    client.close();
  });

  it('keeps a session open past the heartbeat window as long as heartbeats come', async () => {
    const client = await connectAs(world.server, world.bot.token);
    const started = Date.now();
    // Heartbeats go every 500 ms; five ACKs take 2.5 intervals, past the 1.5-interval deadline.
    await eventually(() => client.frames.filter((f) => f.op === 11).length >= 5, 5000, 'five ACKs');
    expect(Date.now() - started).toBeGreaterThan(1500);
    expect(client.closeInfo).toBeNull();
    client.close();
  });
});

describe('message ids', () => {
  it('are strings on the wire', async () => {
    const client = await connectAs(world.server, world.bob.token);
    await world.call(world.alice.token, 'POST', `/channels/${world.generalId}/messages`, { content: 'ids' });
    const frame = await client.event('MESSAGE_CREATE', (d) => d.content === 'ids');
    expect(frame.d.id).toEqual(SNOWFLAKE);
    expect(frame.d.channel_id).toBe(world.generalId);
    client.close();
  });
});

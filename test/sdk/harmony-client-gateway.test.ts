import { afterEach, describe, expect, it } from 'bun:test';
import type { CloseInfo, DispatchPayload, HarmonyEvents, Message } from '../../src/sdk/events.ts';
import { HarmonyClient, HarmonyGatewayError } from '../../src/sdk/harmony-client.ts';
import { BOT, FakeHarmonyServer } from './fake-harmony-server.ts';

const FAST = { reconnect: { baseDelay: 10, maxDelay: 40 } };
/** IDENTIFY from Bun: the token and what the client runs on (the server shows desktop in client_status). */
const IDENTIFY = { op: 2, d: { token: 'good-token', properties: { os: process.platform, browser: 'harmony-sdk', device: 'harmony-sdk' } } };

const servers: FakeHarmonyServer[] = [];
const clients: HarmonyClient[] = [];

function startServer(): FakeHarmonyServer {
  const server = new FakeHarmonyServer();
  servers.push(server);
  return server;
}

function clientFor(server: FakeHarmonyServer, token = 'good-token'): HarmonyClient {
  const client = new HarmonyClient(token, { url: server.url, ...FAST });
  clients.push(client);
  return client;
}

/** Collects the payloads of one event. */
function record<K extends keyof HarmonyEvents>(client: HarmonyClient, event: K): HarmonyEvents[K][] {
  const seen: HarmonyEvents[K][] = [];
  client.on(event, (payload) => {
    seen.push(payload);
  });
  return seen;
}

function message(id: string, content: string): Message {
  return {
    id,
    channel_id: '300000000000000001',
    author: { id: '400000000000000001', username: 'alice', avatar: null },
    content,
    timestamp: '2024-01-01T00:00:00.000Z',
    mentions: [],
  };
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.disconnect()));
  for (const server of servers.splice(0)) server.stop();
});

describe('HarmonyClient gateway: IDENTIFY and READY', () => {
  it('sends IDENTIFY with the token and properties first and resolves connect() with READY d', async () => {
    const server = startServer();
    const client = clientFor(server);
    const readyEvents = record(client, 'ready');

    const ready = await client.connect();

    expect(server.lastConnection.frames[0]).toEqual(IDENTIFY);
    expect(ready).toEqual({
      bot: BOT,
      session_id: 'session-1',
      heartbeat_interval: 1000,
      guilds: [{ id: '200000000000000001', name: 'Lobby' }],
    });
    expect(readyEvents).toEqual([ready]);
    expect(client.user).toEqual(BOT);
    expect(client.sessionId).toBe('session-1');
  });

  it('returns the same promise when connect() is called twice before READY', async () => {
    const server = startServer();
    const client = clientFor(server);
    const first = client.connect();
    expect(client.connect()).toBe(first);
    await first;
    expect(server.connections.length).toBe(1);
  });

  it('takes user from READY d.user when there is no d.bot (user sessions)', async () => {
    const server = startServer();
    const user = { id: '500000000000000001', username: 'alice' };
    server.identity = { user };
    const client = clientFor(server);
    const ready = await client.connect();
    expect(ready.bot).toBeUndefined();
    expect(client.user).toEqual(user);
  });
});

describe('HarmonyClient gateway: heartbeat', () => {
  it('sends {op:1, d:<last seq>} every heartbeat_interval and stays on one socket while ACKed', async () => {
    const server = startServer();
    server.heartbeatInterval = 30;
    const client = clientFor(server);
    await client.connect();
    const s = server.dispatch('MESSAGE_CREATE', message('600000000000000001', 'hi'));

    await Bun.sleep(200);

    const beats = server.lastConnection.frames.filter((frame) => frame.op === 1);
    expect(beats.length).toBeGreaterThanOrEqual(3);
    expect(beats.at(-1)).toEqual({ op: 1, d: s });
    expect(server.connections.length).toBe(1);
  });

  it('treats a missing ACK as a dead connection: closes it and RESUMEs on a new socket', async () => {
    const server = startServer();
    server.heartbeatInterval = 30;
    server.ackHeartbeats = false;
    const client = clientFor(server);
    const closes = record(client, 'close');
    const resumed = record(client, 'resumed');
    await client.connect();

    await server.waitFor('a second socket', () => server.connections.length >= 2);
    server.ackHeartbeats = true;
    await server.waitFor('RESUMED', () => resumed.length === 1);

    expect(server.connections[0]?.frames.filter((frame) => frame.op === 1).length).toBe(1);
    expect(closes[0]).toEqual({ code: 4200, reason: 'Heartbeat ACK not received', reconnecting: true });
    expect(server.connections[1]?.frames[0]).toEqual({
      op: 6,
      d: { token: 'good-token', session_id: 'session-1', seq: 1 },
    });
  });
});

describe('HarmonyClient gateway: dispatch mapping', () => {
  const table: [string, keyof HarmonyEvents][] = [
    ['MESSAGE_CREATE', 'messageCreate'],
    ['MESSAGE_UPDATE', 'messageUpdate'],
    ['MESSAGE_DELETE', 'messageDelete'],
    ['MEMBER_JOIN', 'memberJoin'],
    ['MEMBER_LEAVE', 'memberLeave'],
    ['CHANNEL_CREATE', 'channelCreate'],
    ['CHANNEL_UPDATE', 'channelUpdate'],
    ['CHANNEL_DELETE', 'channelDelete'],
    ['MESSAGE_REACTION_ADD', 'reactionAdd'],
    ['MESSAGE_REACTION_REMOVE', 'reactionRemove'],
    ['TYPING_START', 'typingStart'],
    ['PRESENCE_UPDATE', 'presenceUpdate'],
    ['GUILD_CREATE', 'guildCreate'],
    ['GUILD_UPDATE', 'guildUpdate'],
    ['GUILD_DELETE', 'guildDelete'],
  ];

  it('emits each named event with d, and `dispatch` with {t, d, s} for every dispatch', async () => {
    const server = startServer();
    const client = clientFor(server);
    const received: [string, unknown][] = [];
    for (const [, event] of table) {
      client.on(event, (payload) => {
        received.push([event, payload]);
      });
    }
    const dispatches = record(client, 'dispatch');
    await client.connect();

    const expected: [string, unknown][] = [];
    const expectedDispatches: DispatchPayload[] = [];
    for (const [t, event] of table) {
      const d = { marker: t };
      const s = server.dispatch(t, d);
      expected.push([event, d]);
      expectedDispatches.push({ t, d, s });
    }
    const unknown = server.dispatch('SOMETHING_NEW', { x: 1 });
    await server.waitFor('every dispatch', () => dispatches.length === table.length + 2);

    expect(received).toEqual(expected);
    expect(dispatches[0]?.t).toBe('READY');
    expect(dispatches.slice(1)).toEqual([...expectedDispatches, { t: 'SOMETHING_NEW', d: { x: 1 }, s: unknown }]);
  });

  it('types listeners by event: messageCreate gets a Message', async () => {
    const server = startServer();
    const client = clientFor(server);
    const contents: string[] = [];
    client.on('messageCreate', (m) => {
      contents.push(m.content.toUpperCase());
    });
    await client.connect();
    server.dispatch('MESSAGE_CREATE', message('600000000000000002', 'pong'));
    await server.waitFor('message', () => contents.length === 1);
    expect(contents).toEqual(['PONG']);
  });

  it('turns a throwing or rejecting handler into an `error` event and keeps delivering', async () => {
    const server = startServer();
    const client = clientFor(server);
    const errors = record(client, 'error');
    const delivered: string[] = [];
    client.on('messageCreate', () => {
      throw new Error('sync boom');
    });
    client.on('messageCreate', async (m) => {
      delivered.push(m.id);
      await Bun.sleep(1);
      throw new Error('async boom');
    });
    await client.connect();

    server.dispatch('MESSAGE_CREATE', message('600000000000000003', 'a'));
    server.dispatch('MESSAGE_CREATE', message('600000000000000004', 'b'));
    await server.waitFor('four errors', () => errors.length === 4);

    expect(delivered).toEqual(['600000000000000003', '600000000000000004']);
    expect(errors.map((error) => error.message).sort()).toEqual(['async boom', 'async boom', 'sync boom', 'sync boom']);
    expect(server.connections.length).toBe(1);
  });

  it('once() fires a single time and off() removes a listener', async () => {
    const server = startServer();
    const client = clientFor(server);
    const onceSeen: string[] = [];
    const offSeen: string[] = [];
    const removed = (m: Message) => {
      offSeen.push(m.id);
    };
    client.once('messageCreate', (m) => {
      onceSeen.push(m.id);
    });
    client.on('messageCreate', removed).off('messageCreate', removed);
    const all = record(client, 'messageCreate');
    await client.connect();
    server.dispatch('MESSAGE_CREATE', message('1', 'a'));
    server.dispatch('MESSAGE_CREATE', message('2', 'b'));
    await server.waitFor('two messages', () => all.length === 2);
    expect(onceSeen).toEqual(['1']);
    expect(offSeen).toEqual([]);
  });
});

describe('HarmonyClient gateway: reconnect and RESUME', () => {
  it('RESUMEs with the last seq after the server drops the socket and receives the replayed dispatches', async () => {
    const server = startServer();
    const client = clientFor(server);
    const messages = record(client, 'messageCreate');
    const resumed = record(client, 'resumed');
    const closes = record(client, 'close');
    const readies = record(client, 'ready');
    await client.connect();
    const s = server.dispatch('MESSAGE_CREATE', message('700000000000000001', 'before'));
    await server.waitFor('first message', () => messages.length === 1);

    server.closeAll(4000, 'Unknown error');
    await server.waitFor('close event', () => closes.length === 1);
    // Missed while the client was away: the server replays these after RESUME.
    server.dispatch('MESSAGE_CREATE', message('700000000000000002', 'missed 1'));
    server.dispatch('MESSAGE_CREATE', message('700000000000000003', 'missed 2'));
    await server.waitFor('RESUMED', () => resumed.length === 1);

    expect(closes).toEqual([{ code: 4000, reason: 'Unknown error', reconnecting: true }]);
    expect(server.connections[1]?.frames[0]).toEqual({
      op: 6,
      d: { token: 'good-token', session_id: 'session-1', seq: s },
    });
    expect(messages.map((m) => m.content)).toEqual(['before', 'missed 1', 'missed 2']);
    expect(readies.length).toBe(1);
    expect(client.sessionId).toBe('session-1');
  });

  it('RESUMEs after an abrupt drop without a close frame (1006)', async () => {
    const server = startServer();
    const client = clientFor(server);
    const closes = record(client, 'close');
    const resumed = record(client, 'resumed');
    await client.connect();
    server.lastConnection.ws.terminate();
    await server.waitFor('RESUMED', () => resumed.length === 1);
    expect(closes[0]?.code).toBe(1006);
    expect(closes[0]?.reconnecting).toBe(true);
    expect(server.connections[1]?.frames[0]?.op).toBe(6);
  });

  it('drops the session and IDENTIFYs fresh when RESUME is answered with INVALID_SESSION d:false', async () => {
    const server = startServer();
    const client = clientFor(server);
    const readies = record(client, 'ready');
    await client.connect();
    server.resumeMode = 'invalid';

    server.closeAll(4000);
    await server.waitFor('second READY', () => readies.length === 2);

    expect(server.connections.map((c) => c.frames[0]?.op)).toEqual([2, 6, 2]);
    expect(server.connections[2]?.frames[0]).toEqual(IDENTIFY);
    expect(client.sessionId).toBe('session-2');
  });

  it('RESUMEs on a new socket when the server sends RECONNECT (op 7) or INVALID_SESSION d:true', async () => {
    const server = startServer();
    const client = clientFor(server);
    const resumed = record(client, 'resumed');
    const closes = record(client, 'close');
    await client.connect();

    server.send(server.lastConnection, { op: 7, d: null });
    await server.waitFor('first RESUMED', () => resumed.length === 1);
    server.send(server.lastConnection, { op: 9, d: true });
    await server.waitFor('second RESUMED', () => resumed.length === 2);

    expect(server.connections.map((c) => c.frames[0]?.op)).toEqual([2, 6, 6]);
    expect(server.connections.map((c) => c.closed?.code)).toEqual([4200, 4200, undefined]);
    expect(closes).toEqual([
      { code: 4200, reason: 'Server asked to reconnect', reconnecting: true },
      { code: 4200, reason: 'Invalid session', reconnecting: true },
    ]);
  });

  it('answers a server heartbeat request (op 1) at once and reports undecodable frames as errors', async () => {
    const server = startServer();
    const client = clientFor(server);
    const errors = record(client, 'error');
    await client.connect();
    server.send(server.lastConnection, { op: 1, d: null });
    server.lastConnection.ws.send('not json');
    await server.waitFor('heartbeat and error', () => server.lastConnection.frames.length === 2 && errors.length === 1);
    expect(server.lastConnection.frames[1]).toEqual({ op: 1, d: 1 });
    expect(errors[0]?.message).toBe('Ignored a gateway frame that is not a JSON object with a numeric op');
    expect(server.connections.length).toBe(1);
  });

  it('IDENTIFYs fresh (no RESUME) after close code 4009 session timed out', async () => {
    const server = startServer();
    const client = clientFor(server);
    const readies = record(client, 'ready');
    await client.connect();
    server.closeAll(4009, 'Session timed out');
    await server.waitFor('second READY', () => readies.length === 2);
    expect(server.connections.map((c) => c.frames[0]?.op)).toEqual([2, 2]);
  });

  it('keeps retrying with backoff while the server is unreachable, then connects', async () => {
    const probe = startServer();
    const { url, port } = probe;
    probe.stop();
    const client = new HarmonyClient('good-token', { url, ...FAST });
    clients.push(client);
    const closes = record(client, 'close');
    const ready = client.connect();
    await Bun.sleep(120);
    expect(closes.length).toBeGreaterThanOrEqual(2);
    expect(closes.every((info) => info.reconnecting)).toBe(true);

    const server = new FakeHarmonyServer({ port });
    servers.push(server);
    expect((await ready).session_id).toBe('session-1');
  });

  it('rejects a pending connect() when disconnect() is called before READY', async () => {
    const probe = startServer();
    const url = probe.url;
    probe.stop();
    const client = new HarmonyClient('good-token', { url, ...FAST });
    clients.push(client);
    const ready = client.connect();
    await Bun.sleep(30);
    await client.disconnect();
    await expect(ready).rejects.toThrow('HarmonyClient was disconnected before READY');
  });
});

describe('HarmonyClient gateway: fatal close codes and disconnect()', () => {
  it('on 4004 rejects connect(), emits error and close, and never reconnects', async () => {
    const server = startServer();
    const client = clientFor(server, 'bad-token');
    const errors = record(client, 'error');
    const closes = record(client, 'close');

    const error = await client.connect().then(
      () => null,
      (e: unknown) => e,
    );
    await Bun.sleep(100);

    expect(error).toBeInstanceOf(HarmonyGatewayError);
    expect((error as HarmonyGatewayError).code).toBe(4004);
    expect(errors).toEqual([error as Error]);
    expect(closes).toEqual<CloseInfo[]>([{ code: 4004, reason: 'Authentication failed', reconnecting: false }]);
    expect(server.connections.length).toBe(1);
  });

  it.each([4010, 4011, 4012, 4013, 4014])('does not reconnect after close code %d', async (code) => {
    const server = startServer();
    const client = clientFor(server);
    const closes = record(client, 'close');
    record(client, 'error');
    await client.connect();
    server.closeAll(code, 'fatal');
    await Bun.sleep(100);
    expect(closes).toEqual([{ code, reason: 'fatal', reconnecting: false }]);
    expect(server.connections.length).toBe(1);
  });

  it('disconnect() closes with 1000, emits close once and does not reconnect', async () => {
    const server = startServer();
    const client = clientFor(server);
    const closes = record(client, 'close');
    await client.connect();

    await client.disconnect();
    await Bun.sleep(80);

    expect(server.lastConnection.closed).toEqual({ code: 1000, reason: 'Client disconnected' });
    expect(closes).toEqual([{ code: 1000, reason: 'Client disconnected', reconnecting: false }]);
    expect(server.connections.length).toBe(1);
    expect(client.sessionId).toBeNull();
  });

  it('connect() after disconnect() IDENTIFYs a new session', async () => {
    const server = startServer();
    const client = clientFor(server);
    await client.connect();
    await client.destroy();
    const ready = await client.connect();
    expect(ready.session_id).toBe('session-2');
    expect(server.connections.map((c) => c.frames[0]?.op)).toEqual([2, 2]);
  });
});

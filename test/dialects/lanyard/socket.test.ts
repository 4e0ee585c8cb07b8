// The Lanyard-compatible /socket, black box with real WebSocket clients: Hello, Initialize in its three
// forms, updates within 100 ms of a change, unsubscribe, close codes, zlib_json, idle close, shutdown.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { type Account, type Frame, isUpdate, movableClock, SocketClient } from '../../support/presence.ts';
import { register, startServer, type TestServer } from '../../support/test-server.ts';

const clock = movableClock();
let server: TestServer;
let admin: Account & { apiToken: string };
let alice: Account & { apiToken: string };
let bob: Account & { apiToken: string };
let quiet: Account;
const open: SocketClient[] = [];

async function optIn(s: TestServer, name: string) {
  const account = await register(s, name);
  const res = await s.api('POST', '/api/v1/users/@me/presence/token', { token: account.token });
  return { ...account, apiToken: res.body.token as string };
}

function connect(query = '', s: TestServer = server): SocketClient {
  const client = new SocketClient(s, query);
  open.push(client);
  return client;
}

const initState = (f: Frame) => f.op === 0 && f.t === 'INIT_STATE';
const putKv = (user: { id: string; apiToken: string }, key: string, value: string) =>
  server.api('PUT', `/user/${user.id}/kv/${key}`, { raw: value, headers: { authorization: user.apiToken } });

beforeAll(async () => {
  server = await startServer({ rateLimits: false }, clock);
  admin = await optIn(server, 'admin'); // the first account is the instance admin
  alice = await optIn(server, 'alice');
  bob = await optIn(server, 'bob');
  quiet = await register(server, 'quiet');
});

afterAll(async () => {
  for (const c of open) c.close();
  await server.stop();
});

describe('/socket', () => {
  it('says Hello with a 30 s heartbeat interval first', async () => {
    const socket = connect();
    expect(await socket.next()).toEqual({ op: 1, d: { heartbeat_interval: 30000 } });
  });

  it('subscribe_to_id: INIT_STATE is the bare presence, then PRESENCE_UPDATE within 100 ms of each change', async () => {
    const socket = connect();
    socket.send({ op: 2, d: { subscribe_to_id: alice.id } });
    const init = await socket.next(initState);
    expect(init.d.discord_user.id).toBe(alice.id);
    expect(init.d.discord_status).toBe('offline');
    expect(init.d.kv).toEqual({});

    // A K/V write over REST.
    let started = performance.now();
    const writing = putKv(alice, 'song', 'So What');
    let update = await socket.next(isUpdate(alice.id), 1000);
    expect(performance.now() - started).toBeLessThan(100);
    expect(update).toMatchObject({ op: 0, t: 'PRESENCE_UPDATE', d: { discord_user: { id: alice.id }, kv: { song: 'So What' } } });
    expect((await writing).status).toBe(204);

    // A live presence change (what a gateway session's op 3 feeds in).
    started = performance.now();
    server.harmony.core.services.presence.setExternal(alice.id, 'test', 'web', { status: 'idle', activities: [], afk: true, since: null });
    update = await socket.next(isUpdate(alice.id), 1000);
    expect(performance.now() - started).toBeLessThan(100);
    expect(update.d.discord_status).toBe('idle');
    expect(update.d.active_on_discord_web).toBe(true);
    server.harmony.core.services.presence.setExternal(alice.id, 'test', 'web', null);
    expect((await socket.next(isUpdate(alice.id))).d.discord_status).toBe('offline');

    // A profile change.
    await server.api('PATCH', '/api/v1/users/@me', { token: alice.token, body: { global_name: 'Alice!' } });
    expect((await socket.next(isUpdate(alice.id))).d.discord_user.global_name).toBe('Alice!');
  });

  it('never pushes private keys', async () => {
    const socket = connect();
    socket.send({ op: 2, d: { subscribe_to_id: bob.id } });
    await socket.next(initState);
    await putKv(bob, '_secret', 'psst');
    await putKv(bob, 'public', 'hi');
    const frames = [await socket.next(isUpdate(bob.id)), await socket.next(isUpdate(bob.id))];
    expect(frames.map((f) => f.d.kv)).toEqual([{}, { public: 'hi' }]);
  });

  it('subscribe_to_ids: INIT_STATE maps each monitored id to its presence; accepted before Hello and repeatable', async () => {
    const socket = connect();
    // Sent the moment the connection opens, without waiting for Hello.
    socket.send({ op: 2, d: { subscribe_to_ids: [alice.id, quiet.id] } });
    const first = await socket.next(initState);
    expect(Object.keys(first.d)).toEqual([alice.id]);
    expect(first.d[alice.id].discord_user.username).toBe('alice');
    socket.send({ op: 2, d: { subscribe_to_ids: [bob.id] } });
    expect(Object.keys((await socket.next(initState)).d)).toEqual([bob.id]);
    await putKv(bob, 'x', '1');
    await putKv(alice, 'x', '2');
    expect((await socket.next((f) => f.t === 'PRESENCE_UPDATE')).d.discord_user.id).toBe(bob.id);
    expect((await socket.next((f) => f.t === 'PRESENCE_UPDATE')).d.discord_user.id).toBe(alice.id);
  });

  it('subscribe_to_id of someone not sharing answers {} and starts pushing once they opt in', async () => {
    const later = await register(server, 'later');
    const socket = connect();
    socket.send({ op: 2, d: { subscribe_to_id: later.id } });
    expect((await socket.next(initState)).d).toEqual({});
    await server.api('PUT', '/api/v1/users/@me/presence', { token: later.token, body: { shared: true } });
    expect((await socket.next(isUpdate(later.id))).d.discord_user.username).toBe('later');
  });

  it('op 4 unsubscribes: no more updates for that id, updates for the others go on', async () => {
    const socket = connect();
    socket.send({ op: 2, d: { subscribe_to_ids: [alice.id, bob.id] } });
    await socket.next(initState);
    socket.send({ op: 4, d: { unsubscribe_from_id: alice.id } });
    await putKv(alice, 'after', 'unsubscribe');
    await putKv(bob, 'still', 'here');
    // Frames arrive in order: had alice's update been sent, it would come before bob's.
    const next = await socket.next((f) => f.t === 'PRESENCE_UPDATE');
    expect(next.d.discord_user.id).toBe(bob.id);
    expect(socket.frames.filter((f) => f.t === 'PRESENCE_UPDATE')).toEqual([]);
  });

  it('heartbeats (op 3) get no answer and keep the connection', async () => {
    const socket = connect();
    await socket.next();
    socket.send({ op: 3 });
    socket.send({ op: 2, d: { subscribe_to_id: alice.id } });
    expect((await socket.next()).t).toBe('INIT_STATE');
    expect(socket.ws.readyState).toBe(WebSocket.OPEN);
  });

  describe('closes bad clients with the documented code', () => {
    const cases: [string, unknown, number, string][] = [
      ['an unknown opcode', { op: 9 }, 4004, 'unknown_opcode'],
      ['a frame without op', { d: {} }, 4004, 'unknown_opcode'],
      ['Initialize without d', { op: 2 }, 4005, 'requires_data_object'],
      ['Initialize with an empty d', { op: 2, d: {} }, 4005, 'requires_data_object'],
      ['Initialize with d not an object', { op: 2, d: [1] }, 4005, 'requires_data_object'],
      ['a frame that is not JSON', 'hello?', 4006, 'invalid_payload'],
      ['a JSON frame that is not an object', '[2]', 4006, 'invalid_payload'],
      ['an id sent as a number', { op: 2, d: { subscribe_to_id: 1234 } }, 4006, 'invalid_payload'],
      ['ids that are not a list of snowflakes', { op: 2, d: { subscribe_to_ids: ['1', 'abc'] } }, 4006, 'invalid_payload'],
      ['an Initialize that subscribes to nothing', { op: 2, d: { hello: true } }, 4006, 'invalid_payload'],
      ['more than 1000 ids', { op: 2, d: { subscribe_to_ids: Array.from({ length: 1001 }, (_, i) => String(i + 1)) } }, 4006, 'too_many_ids'],
    ];
    for (const [what, frame, code, reason] of cases) {
      it(`${what}: ${code} ${reason}`, async () => {
        const socket = connect();
        socket.send(frame);
        expect(await socket.closed).toEqual({ code, reason });
      });
    }
  });

  describe('subscribe_to_all (default: instance admins only)', () => {
    it("refuses a connection without an admin's API key with 4006", async () => {
      for (const d of [{ subscribe_to_all: true }, { subscribe_to_all: true, api_key: alice.apiToken }, { subscribe_to_all: true, api_key: 'nope' }]) {
        const socket = connect();
        socket.send({ op: 2, d });
        expect(await socket.closed).toEqual({ code: 4006, reason: 'subscribe_to_all_not_allowed' });
      }
    });

    it("with an admin's API key: INIT_STATE holds every monitored user, then everyone's updates arrive once", async () => {
      const socket = connect();
      socket.send({ op: 2, d: { subscribe_to_id: alice.id } });
      await socket.next(initState);
      socket.send({ op: 2, d: { subscribe_to_all: true, api_key: admin.apiToken } });
      const all = await socket.next(initState);
      expect(Object.keys(all.d).sort()).toEqual(server.harmony.core.services.presenceDirectory.monitoredIds().sort());
      expect(Object.keys(all.d)).toContain(bob.id);
      expect(Object.keys(all.d)).not.toContain(quiet.id);
      await putKv(alice, 'once', '1');
      await putKv(bob, 'once', '2');
      expect((await socket.next((f) => f.t === 'PRESENCE_UPDATE')).d.discord_user.id).toBe(alice.id);
      expect((await socket.next((f) => f.t === 'PRESENCE_UPDATE')).d.discord_user.id).toBe(bob.id);
      // Subscribed to alice twice over (her id and everyone): her update came once (a copy would precede bob's).
      expect(socket.frames.filter((f) => f.op === 0)).toEqual([]);
    });

    it('is refused to everyone when HARMONY_SOCKET_SUBSCRIBE_ALL=off', async () => {
      const closed = await startServer({ rateLimits: false, socketSubscribeAll: 'off' });
      try {
        const boss = await optIn(closed, 'boss');
        const socket = new SocketClient(closed);
        socket.send({ op: 2, d: { subscribe_to_all: true, api_key: boss.apiToken } });
        expect(await socket.closed).toEqual({ code: 4006, reason: 'subscribe_to_all_not_allowed' });
      } finally {
        await closed.stop();
      }
    });
  });

  it('?compression=zlib_json sends every frame as zlib-compressed binary', async () => {
    const socket = connect('?compression=zlib_json');
    const raw: unknown[] = [];
    socket.ws.addEventListener('message', (e) => raw.push(e.data));
    expect(await socket.next()).toEqual({ op: 1, d: { heartbeat_interval: 30000 } });
    socket.send({ op: 2, d: { subscribe_to_id: alice.id } });
    await socket.next(initState);
    await putKv(alice, 'zipped', 'yes');
    expect((await socket.next(isUpdate(alice.id))).d.kv.zipped).toBe('yes');
    expect(raw).toHaveLength(3);
    for (const data of raw) {
      expect(data).toBeInstanceOf(ArrayBuffer);
      expect(new Uint8Array(data as ArrayBuffer)[0]).toBe(0x78); // a zlib stream header
    }
  });

  it('closes a connection that sent nothing for 60 s, and keeps one that heartbeats', async () => {
    const silent = connect();
    const beating = connect();
    await silent.next();
    await beating.next();
    clock.advance(45_000);
    beating.send({ op: 3 });
    beating.send({ op: 2, d: { subscribe_to_id: alice.id } });
    await beating.next(initState); // the heartbeat was processed
    clock.advance(30_000); // silent: 75 s without a frame; beating: 30 s
    expect(await silent.closed).toEqual({ code: 1000, reason: 'idle_timeout' });
    expect(beating.ws.readyState).toBe(WebSocket.OPEN);
  });
});

describe('/socket on shutdown', () => {
  it('closes connections with 1001 so clients reconnect', async () => {
    const other = await startServer({ rateLimits: false });
    const socket = new SocketClient(other);
    await socket.next();
    await other.stop();
    expect((await socket.closed).code).toBe(1001);
  });
});

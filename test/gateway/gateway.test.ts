// The gateway core with fake sockets and a fake publisher over an in-memory domain: fan-out cost (one
// serialization per stream), streams, direct delivery for transformed connections, deadlines, slow
// consumers, expiry and revocation — the parts a second dialect relies on.
import { afterEach, beforeEach, describe, expect, it } from 'bun:test';
import { defaultConfig } from '../../src/config.ts';
import { type Core, createCore } from '../../src/core.ts';
import { openDatabase } from '../../src/db/database.ts';
import type { GatewayConnection, GatewaySocket } from '../../src/gateway/connection.ts';
import type { CloseSpec, CoreCloses, GatewayDialect } from '../../src/gateway/dialect.ts';
import type { Dispatch } from '../../src/gateway/dispatch.ts';
import { Gateway, gatewayOptions } from '../../src/gateway/gateway.ts';
import { SEND_HIGH_WATER_BYTES, SLOW_CONSUMER_BYTES } from '../../src/gateway/limits.ts';
import { MemoryResumeStore } from '../../src/gateway/resume-store.ts';
import { RateLimiter } from '../../src/http/rate-limit.ts';

class FakeSocket implements GatewaySocket {
  readonly topics = new Set<string>();
  readonly sent: (string | Uint8Array)[] = [];
  closed: { code?: number; reason?: string } | null = null;
  buffered = 0;
  status = 1;
  terminate?: () => void;
  send(data: string | Uint8Array): number {
    if (this.closed) return 0;
    this.sent.push(data);
    return this.status;
  }
  close(code?: number, reason?: string): void {
    this.closed = { code, reason };
  }
  subscribe(topic: string): void {
    this.topics.add(topic);
  }
  unsubscribe(topic: string): void {
    this.topics.delete(topic);
  }
  getBufferedAmount(): number {
    return this.buffered;
  }
  frames(): { t: string; stream: string; s?: number; d: any }[] {
    return this.sent.map((data) => JSON.parse(typeof data === 'string' ? data.replace(/^z:/, '') : ''));
  }
}

/** Delivers a publish to every fake socket subscribed to the topic, as Bun does. */
class FakeServer {
  readonly sockets = new Set<FakeSocket>();
  publishes = 0;
  publish(topic: string, data: string): void {
    this.publishes++;
    for (const socket of this.sockets) if (socket.topics.has(topic) && !socket.closed) socket.sent.push(data);
  }
}

const close = (code: number, reason: string, resumable = true): CloseSpec => ({ code, reason, resumable });
const CLOSES: CoreCloses = {
  restart: close(4900, 'restart'),
  superseded: close(4901, 'superseded'),
  revoked: close(4902, 'revoked', false),
  slowConsumer: close(4903, 'slow'),
  heartbeatTimeout: close(4904, 'heartbeat', false),
  identifyTimeout: close(4905, 'identify', false),
  frameTooLarge: close(4906, 'large'),
  rateLimited: close(4907, 'rate'),
  unknownError: close(4908, 'error'),
};

/** A dialect with two payload variants: `full` carries message content, `lite` does not and gets only messages. */
function testDialect(id: string) {
  const calls: Dispatch['type'][] = [];
  const dialect: GatewayDialect = {
    id,
    closes: CLOSES,
    encode(dispatch, seq) {
      calls.push(dispatch.type);
      const full = JSON.stringify({
        t: dispatch.type,
        stream: 'full',
        s: seq,
        d: dispatch.type === 'message.create' ? { content: dispatch.message.content } : {},
      });
      if (dispatch.type !== 'message.create') return [[`${id}.full`, full]];
      return [
        [`${id}.full`, full],
        [`${id}.lite`, JSON.stringify({ t: dispatch.type, stream: 'lite', s: seq, d: {} })],
      ];
    },
  };
  return { dialect, calls };
}

let now = 1_700_000_000_000;
let core: Core;
let gateway: Gateway;
let server: FakeServer;
let test: ReturnType<typeof testDialect>;
let ownerId: string;
let guildId: string;
let channelId: string;
let ids = 0;

beforeEach(async () => {
  core = await createCore({ db: openDatabase(':memory:'), config: defaultConfig(), clock: { now: () => now } });
  gateway = new Gateway(core, new RateLimiter(core.clock, { enabled: false }), gatewayOptions({ heartbeatInterval: 1000, resumeWindow: 60 }));
  test = testDialect('t');
  gateway.register(test.dialect);
  server = new FakeServer();
  gateway.attach(server);
  const owner = await core.services.users.createBot({ username: 'owner', createdBy: null });
  await gateway.idle();
  ownerId = owner.bot.id;
  const guild = await core.services.guilds.create(ownerId, { name: 'Fan-out' });
  await gateway.idle();
  guildId = guild.id;
  channelId = (await core.services.channels.list(guildId, ownerId))[0]?.id as string;
});
afterEach(() => gateway.shutdown());

/** A bot in the guild with a connected session on `streams`. */
async function member(streams: string[], options: { transform?: (frame: string) => string; dialect?: GatewayDialect } = {}) {
  const { bot, token } = await core.services.users.createBot({ username: `m${++ids}`, createdBy: null });
  await gateway.idle();
  await core.services.guildBots.put(guildId, ownerId, bot.id, 1024n);
  await gateway.idle();
  const socket = new FakeSocket();
  server.sockets.add(socket);
  const connection = gateway.connect(`c${ids}`, socket, options.dialect ?? test.dialect, {});
  if (options.transform) connection.transform = options.transform;
  const caller = await core.services.users.authenticate(token);
  if (!caller) throw new Error('no caller');
  const session = await gateway.openSession(connection, { caller, streams, platform: 'desktop' }, () => {});
  if (!session) throw new Error('no session');
  return { userId: bot.id, token, socket, connection, session };
}

/** Sends a message and waits until its dispatches went out (fan-out runs off the request's stack). */
async function send(content: string) {
  const message = await core.services.messages.send(channelId, ownerId, { content });
  await gateway.idle();
  return message;
}
const messages = (socket: FakeSocket) => socket.frames().filter((f) => f.t === 'message.create');

describe('fan-out', () => {
  it('serializes each dispatch once per dialect, however many sessions receive it', async () => {
    const full = await Promise.all(Array.from({ length: 20 }, () => member(['t.full'])));
    const lite = await Promise.all(Array.from({ length: 20 }, () => member(['t.lite'])));
    // The sessions' own presence updates were queued as they opened: they are applied before counting.
    await gateway.idle();
    test.calls.length = 0;
    server.publishes = 0;
    await send('hello');
    expect(test.calls).toEqual(['message.create']);
    // One publish per stream, not per session.
    expect(server.publishes).toBe(2);
    for (const m of full) expect(messages(m.socket)).toEqual([{ t: 'message.create', stream: 'full', s: expect.any(Number), d: { content: 'hello' } }]);
    for (const m of lite) expect(messages(m.socket)).toEqual([{ t: 'message.create', stream: 'lite', s: expect.any(Number), d: {} }]);
  });

  it('never encodes for a dialect that has no sessions', async () => {
    const idle = testDialect('idle');
    gateway.register(idle.dialect);
    await member(['t.full']);
    await send('only t');
    expect(idle.calls).toEqual([]);
  });

  it('does nothing at all while nobody is connected', async () => {
    test.calls.length = 0;
    await send('to nobody');
    expect(test.calls).toEqual([]);
    expect(gateway.replay.size).toBe(0);
  });

  it('delivers topic traffic to a connection with a transform by direct, transformed sends', async () => {
    const plain = await member(['t.full']);
    const zipped = await member(['t.full'], { transform: (frame) => `z:${frame}` });
    expect(zipped.socket.topics.size).toBe(0);
    await send('compressed');
    expect(zipped.socket.sent.filter((d) => typeof d === 'string' && d.includes('compressed'))).toEqual([expect.stringMatching(/^z:\{/)]);
    expect(messages(plain.socket)).toHaveLength(1);
    // Once it goes, it gets nothing more.
    gateway.disconnected(zipped.connection.id, 4200);
    await send('after');
    expect(zipped.socket.sent.some((d) => typeof d === 'string' && d.includes('after'))).toBe(false);
  });

  it('handles events raised while handling another (revocation closes a session, which changes presence)', async () => {
    const watcher = await member(['t.full']);
    const doomed = await member(['t.full']);
    await core.services.users.regenerateBotToken(doomed.userId);
    await gateway.idle();
    expect(doomed.socket.closed).toEqual({ code: 4902, reason: 'revoked' });
    expect(gateway.registry.get(doomed.session.id)).toBeUndefined();
    expect(watcher.socket.frames().filter((f) => f.t === 'presence.update').length).toBeGreaterThan(0);
  });
});

describe('opening a session (subscribe, then read READY)', () => {
  /** A connected bot in the guild whose session is not open yet, and a way to open it with a given greet. */
  async function stranger() {
    const { bot, token } = await core.services.users.createBot({ username: `s${++ids}`, createdBy: null });
    await core.services.guildBots.put(guildId, ownerId, bot.id, 1024n);
    await gateway.idle();
    const socket = new FakeSocket();
    server.sockets.add(socket);
    const connection = gateway.connect(`c${ids}`, socket, test.dialect, {});
    const caller = await core.services.users.authenticate(token);
    if (!caller) throw new Error('no caller');
    const open = (greet: () => void | Promise<void>) => gateway.openSession(connection, { caller, streams: ['t.full'], platform: 'desktop' }, greet);
    return { socket, connection, open };
  }
  const ready = (connection: GatewayConnection) => gateway.sendDispatch(connection, (seq) => JSON.stringify({ t: 'READY', stream: 'x', s: seq, d: {} }));

  it('holds what is committed while READY is being read and sends it after READY, in order, with higher numbers', async () => {
    await member(['t.full']); // someone already connected: events are fanned out
    const { socket, connection, open } = await stranger();
    const session = await open(async () => {
      // Committed while this session's READY is read: must come after READY, not before it, and not be lost.
      await core.services.messages.send(channelId, ownerId, { content: 'during' });
      await core.services.messages.send(channelId, ownerId, { content: 'during 2' });
      ready(connection);
    });
    expect(session).not.toBeNull();
    await gateway.idle();
    const frames = socket.frames().filter((f) => f.t === 'READY' || f.t === 'message.create');
    expect(frames.map((f) => (f.t === 'READY' ? 'READY' : f.d.content))).toEqual(['READY', 'during', 'during 2']);
    const seqs = socket.frames().map((f) => f.s as number);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });

  it('does not tell a new session what its READY already showed (an event committed just before the read)', async () => {
    await member(['t.full']);
    const { socket, connection, open } = await stranger();
    // Committed, its event queued but not applied yet, when the session starts reading.
    const channel = await core.services.channels.create(guildId, ownerId, { name: 'fresh' });
    const session = await open(() => void ready(connection));
    await gateway.idle();
    expect(socket.frames().filter((f) => f.t === 'channel.visible')).toEqual([]);
    expect(session?.guilds.get(guildId)?.has(channel.id)).toBe(true);
    expect(socket.topics.has(`t.full:channel:${channel.id}`) || [...socket.topics].some((t) => t.endsWith(channel.id))).toBe(true);
  });

  it('loses nothing when nobody was connected while the first session opens', async () => {
    const { socket, connection, open } = await stranger();
    await open(async () => {
      await core.services.messages.send(channelId, ownerId, { content: 'first words' });
      ready(connection);
    });
    await gateway.idle();
    expect(messages(socket).map((f) => f.d.content)).toEqual(['first words']);
  });
});

describe('targeted frames', () => {
  /** Like v10 without MESSAGE_CONTENT: everyone on the stream gets the lean frame, except `target`, who gets the full one. */
  function targetingDialect(target: () => string): GatewayDialect {
    return {
      id: 'v',
      closes: CLOSES,
      encode(dispatch, seq) {
        if (dispatch.type !== 'message.create') return [];
        const frame = (variant: string) => JSON.stringify({ t: dispatch.type, stream: variant, s: seq, d: {} });
        return [['v.lean', frame('lean'), new Map([[target(), frame('full')]])]];
      },
    };
  }

  it('give the targeted users exactly their own frame and everyone else the shared one, live and on RESUME', async () => {
    let targetId = '';
    const dialect = targetingDialect(() => targetId);
    gateway.register(dialect);
    const target = await member(['v.lean'], { dialect });
    const other = await member(['v.lean'], { dialect });
    targetId = target.userId;
    const seq = gateway.sequence.current;
    await send('targeted');
    expect(messages(target.socket).map((f) => f.stream)).toEqual(['full']);
    expect(messages(other.socket).map((f) => f.stream)).toEqual(['lean']);
    // The target stays subscribed for what follows.
    expect(target.socket.topics.has(`v.lean|c:${channelId}`)).toBe(true);

    gateway.disconnected(target.connection.id, 1006);
    const socket = new FakeSocket();
    const connection = gateway.connect('back', socket, dialect, {});
    const caller = await core.services.users.authenticate(target.token);
    if (!caller) throw new Error('no caller');
    expect(gateway.resumeSession(connection, caller, target.session.id, seq, () => {})).toMatchObject({ ok: true, replayed: 1 });
    expect(messages(socket).map((f) => f.stream)).toEqual(['full']);
  });
});

describe('deadlines and limits', () => {
  it('closes a connection that never identifies, and one that stops heartbeating', async () => {
    const idle = new FakeSocket();
    gateway.connect('idle', idle, test.dialect, {});
    const beating = await member(['t.full']);
    const silent = await member(['t.full']);
    now += 1499;
    gateway.heartbeat(beating.connection);
    gateway.tick();
    expect([idle.closed, silent.socket.closed, beating.socket.closed]).toEqual([null, null, null]);
    now += 1; // 1.5 intervals since connecting (identify deadline) and since READY (heartbeat deadline)
    gateway.tick();
    expect(idle.closed).toEqual({ code: 4905, reason: 'identify' });
    expect(silent.socket.closed).toEqual({ code: 4904, reason: 'heartbeat' });
    expect(beating.socket.closed).toBeNull();
    // A heartbeat timeout ends the session: it cannot be resumed.
    expect(gateway.registry.get(silent.session.id)).toBeUndefined();
  });

  it('queues direct sends past the high-water mark and streams them, topic traffic included, in order on drain', async () => {
    const m = await member(['t.full']);
    m.socket.sent.length = 0; // its own presence update
    m.socket.buffered = SEND_HIGH_WATER_BYTES;
    gateway.send(m.connection, JSON.stringify({ t: 'first', stream: 'x', d: {} }));
    expect(m.connection.native).toBe(false);
    expect(m.socket.topics.size).toBe(0);
    await send('queued behind it');
    expect(m.socket.sent).toEqual([]);
    m.socket.buffered = 0;
    gateway.drained(m.connection.id);
    expect(m.socket.frames().map((f) => f.t)).toEqual(['first', 'message.create']);
    // Drained: back on Bun topics.
    expect(m.connection.native).toBe(true);
    expect(m.socket.topics.size).toBeGreaterThan(0);
    await send('live');
    expect(messages(m.socket).map((f) => f.d.content)).toEqual(['queued behind it', 'live']);
  });

  it('drops a connection whose live traffic backs up past the slow-consumer limit, keeping its session resumable', async () => {
    const m = await member(['t.full']);
    m.socket.buffered = SEND_HIGH_WATER_BYTES;
    gateway.send(m.connection, 'x'.repeat(gateway.options.slowConsumerBytes));
    expect(m.socket.closed).toBeNull();
    gateway.send(m.connection, 'one more');
    expect(m.socket.closed).toEqual({ code: 4903, reason: 'slow' });
    expect(gateway.registry.get(m.session.id)).toBeDefined();
  });

  it('lets a RESUME replay back up by its own size on top of the limit, never past the backlog cap', async () => {
    const m = await member(['t.full']);
    m.socket.buffered = SEND_HIGH_WATER_BYTES;
    m.connection.replayAllowance = 1_000_000;
    gateway.send(m.connection, 'x'.repeat(gateway.options.slowConsumerBytes + 1_000_000));
    expect(m.socket.closed).toBeNull();
    gateway.send(m.connection, 'one more');
    expect(m.socket.closed).toEqual({ code: 4903, reason: 'slow' });
  });

  it('drops a connection whose Bun buffer passes the slow-consumer limit at the next tick', async () => {
    const m = await member(['t.full']);
    m.socket.buffered = SLOW_CONSUMER_BYTES + 1;
    gateway.tick();
    expect(m.socket.closed).toEqual({ code: 4903, reason: 'slow' });
  });

  it('cuts off a socket that does not complete a close in time', async () => {
    const m = await member(['t.full']);
    let terminated = 0;
    m.socket.terminate = () => {
      terminated++;
    };
    gateway.close(m.connection, CLOSES.restart);
    now += gateway.options.closeGraceMs - 1;
    gateway.tick();
    expect(terminated).toBe(0);
    now += 1;
    gateway.tick();
    expect(terminated).toBe(1);
  });

  it('marks a connection congested under backpressure until Bun says it drained', async () => {
    const m = await member(['t.full']);
    m.socket.status = -1;
    gateway.send(m.connection, 'x');
    expect(m.connection.congested).toBe(true);
    gateway.drained(m.connection.id);
    expect(m.connection.congested).toBe(false);
  });

  it('forgets a disconnected session once the resume window has passed', async () => {
    const m = await member(['t.full']);
    gateway.disconnected(m.connection.id, 1006);
    expect(gateway.registry.get(m.session.id)).toBeDefined();
    now += 59_000;
    gateway.tick();
    expect(gateway.registry.get(m.session.id)).toBeDefined();
    now += 1_000;
    gateway.tick();
    expect(gateway.registry.get(m.session.id)).toBeUndefined();
  });

  it('ends the session on a clean client close (1000)', async () => {
    const m = await member(['t.full']);
    gateway.disconnected(m.connection.id, 1000);
    expect(gateway.registry.get(m.session.id)).toBeUndefined();
  });
});

describe('resumeSession', () => {
  it('replays on the stream the session listens on, only what its user could see then', async () => {
    const m = await member(['t.lite']);
    const seq = gateway.sequence.current;
    gateway.disconnected(m.connection.id, 1006);
    await send('missed');
    const hidden = await core.services.channels.create(guildId, ownerId, { name: 'hidden', overwrites: [{ id: guildId, type: 0, allow: 0n, deny: 1024n }] });
    await gateway.idle();
    await core.services.messages.send(hidden.id, ownerId, { content: 'not for you' });
    await gateway.idle();
    const socket = new FakeSocket();
    const connection: GatewayConnection = gateway.connect('again', socket, test.dialect, {});
    const caller = await core.services.users.authenticate(m.token);
    if (!caller) throw new Error('no caller');
    const outcome = gateway.resumeSession(connection, caller, m.session.id, seq, () => socket.send(JSON.stringify({ t: 'RESUMED', stream: 'x', d: {} })));
    expect(outcome).toMatchObject({ ok: true, replayed: 1 });
    expect(socket.frames().map((f) => [f.t, f.stream])).toEqual([
      ['message.create', 'lite'],
      ['RESUMED', 'x'],
    ]);
  });

  it('refuses a seq from the future and an unknown session', async () => {
    const m = await member(['t.full']);
    const caller = await core.services.users.authenticate(m.token);
    if (!caller) throw new Error('no caller');
    const connection = gateway.connect('x', new FakeSocket(), test.dialect, {});
    expect(gateway.resumeSession(connection, caller, 'nope', 0, () => {})).toEqual({ ok: false, reason: 'unknown' });
    expect(gateway.resumeSession(connection, caller, m.session.id, gateway.sequence.current + 1, () => {})).toEqual({ ok: false, reason: 'invalid-seq' });
  });
});

describe('across a restart (a ResumeStore)', () => {
  /** Stops `gateway` as a graceful shutdown does and starts a new one over the same domain and store. */
  function restart(store: MemoryResumeStore, resumeWindow = 60, downForMs = 0): { next: Gateway; server: FakeServer } {
    gateway.shutdown();
    now += downForMs;
    const next = new Gateway(core, new RateLimiter(core.clock, { enabled: false }), gatewayOptions({ heartbeatInterval: 1000, resumeWindow }), store);
    next.register(test.dialect);
    const nextServer = new FakeServer();
    next.attach(nextServer);
    return { next, server: nextServer };
  }

  it('replays, on the next gateway, only what the session could see, before and after the restart; the sequence goes on', async () => {
    const store = new MemoryResumeStore();
    gateway = new Gateway(core, new RateLimiter(core.clock, { enabled: false }), gatewayOptions({ heartbeatInterval: 1000, resumeWindow: 60 }), store);
    gateway.register(test.dialect);
    gateway.attach(server);
    const m = await member(['t.lite']);
    const seq = gateway.sequence.current;
    gateway.disconnected(m.connection.id, 1006);
    await send('before');
    const hidden = await core.services.channels.create(guildId, ownerId, { name: 'hidden', overwrites: [{ id: guildId, type: 0, allow: 0n, deny: 1024n }] });
    await gateway.idle();
    await core.services.messages.send(hidden.id, ownerId, { content: 'not for you' });
    await gateway.idle();
    const last = gateway.sequence.current;
    const old = gateway;
    const { next } = restart(store);
    gateway = next;
    expect(old.registry.get(m.session.id)).toBeDefined();
    // Above the old numbers (telling resumed sessions who went offline with the old process takes some).
    expect(next.sequence.current).toBeGreaterThanOrEqual(last);
    now += 1_000;
    await send('after');
    const socket = new FakeSocket();
    const connection = next.connect('again', socket, test.dialect, {});
    const caller = await core.services.users.authenticate(m.token);
    if (!caller) throw new Error('no caller');
    const outcome = next.resumeSession(connection, caller, m.session.id, seq, () => {});
    expect(outcome).toMatchObject({ ok: true, replayed: 2 });
    expect(messages(socket).map((f) => f.stream)).toEqual(['lite', 'lite']);
    expect(messages(socket).every((f) => (f.s as number) > seq)).toBe(true);
    expect((messages(socket).at(-1)?.s as number) > last).toBe(true);
    // The store was taken: a second start finds nothing.
    expect(store.take()).toBeNull();
  });

  it('drops sessions whose resume window ran out while it was down, and keeps none with RESUME turned off', async () => {
    const store = new MemoryResumeStore();
    gateway = new Gateway(core, new RateLimiter(core.clock, { enabled: false }), gatewayOptions({ heartbeatInterval: 1000, resumeWindow: 60 }), store);
    gateway.register(test.dialect);
    gateway.attach(server);
    const m = await member(['t.full']);
    await send('one');
    const late = restart(store, 60, 60_000);
    gateway = late.next;
    expect(late.next.registry.get(m.session.id)).toBeUndefined();
    expect(late.next.sequence.current).toBeGreaterThan(0);

    const n = await member(['t.full']);
    const off = restart(store, 0);
    gateway = off.next;
    expect(off.next.registry.get(n.session.id)).toBeUndefined();
    expect(off.next.registry.size).toBe(0);
  });
});

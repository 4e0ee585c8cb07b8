// HarmonyClient.setPresence(): gateway op 3 on the live session, remembered by the client, and carried in every
// IDENTIFY so a new session starts with it (an invisible or dnd user never shows online in between); not sent again
// after RESUME (the server kept it) unless it changed while away. Against the fake server.
import { afterEach, describe, expect, it } from 'bun:test';
import type { HarmonyEvents, PresenceData } from '../../src/sdk/events.ts';
import { HarmonyClient } from '../../src/sdk/harmony-client.ts';
import { type ClientFrame, type FakeConnection, FakeHarmonyServer } from './fake-harmony-server.ts';

const FAST = { reconnect: { baseDelay: 10, maxDelay: 40 } };

const servers: FakeHarmonyServer[] = [];
const clients: HarmonyClient[] = [];

function setup(): { server: FakeHarmonyServer; client: HarmonyClient } {
  const server = new FakeHarmonyServer();
  servers.push(server);
  const client = new HarmonyClient('good-token', { url: server.url, ...FAST });
  clients.push(client);
  return { server, client };
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.disconnect()));
  for (const server of servers.splice(0)) server.stop();
});

/** What the client sent on one socket, heartbeats left out (their timing is not under test). */
const sent = (connection: FakeConnection | undefined): ClientFrame[] => (connection?.frames ?? []).filter((f) => f.op !== 1);
/** What Bun (and Node) report: the operating system, and the SDK's own name where a browser's would go. */
const PROPERTIES = { os: process.platform, browser: 'harmony-sdk', device: 'harmony-sdk' };
const IDENTIFY = { op: 2, d: { token: 'good-token', properties: PROPERTIES } };
const CHESS = { name: 'chess', type: 0, state: 'move 12' };
type PresenceFrame = { since: number | null; activities: unknown[]; status: string; afk: boolean };
const op3 = (d: PresenceFrame) => ({ op: 3, d });
const identifyWith = (presence: PresenceFrame) => ({ op: 2, d: { token: 'good-token', properties: PROPERTIES, presence } });
const ONLINE = op3({ since: null, activities: [], status: 'online', afk: false });

/** Collects the payloads of one event. */
function record<K extends keyof HarmonyEvents>(client: HarmonyClient, event: K): HarmonyEvents[K][] {
  const seen: HarmonyEvents[K][] = [];
  client.on(event, (payload) => {
    seen.push(payload);
  });
  return seen;
}

async function waitForFrames(server: FakeHarmonyServer, index: number, count: number): Promise<void> {
  await server.waitFor(`${count} frames on socket ${index}`, () => sent(server.connections[index]).length >= count);
}

describe('HarmonyClient.setPresence()', () => {
  it('sends op 3 {since, activities, status, afk} on the live session, filling in the defaults, and returns true', async () => {
    const { server, client } = setup();
    await client.connect();

    expect(client.setPresence({ status: 'dnd', activities: [CHESS] })).toBe(true);
    expect(client.setPresence({ status: 'idle', afk: true, since: 1767225600000 })).toBe(true);
    await waitForFrames(server, 0, 3);

    expect(sent(server.connections[0])).toEqual([
      IDENTIFY,
      op3({ since: null, activities: [CHESS], status: 'dnd', afk: false }),
      op3({ since: 1767225600000, activities: [], status: 'idle', afk: true }),
    ]);
  });

  it('called before connect(), returns false, sends nothing, and goes out in IDENTIFY, not as op 3 after READY', async () => {
    const { server, client } = setup();
    expect(client.setPresence({ status: 'invisible' })).toBe(false);

    await client.connect();
    // A sentinel: an op 3 sent after READY would come before this one.
    expect(client.setPresence({ status: 'online' })).toBe(true);
    await waitForFrames(server, 0, 2);

    expect(sent(server.connections[0])).toEqual([identifyWith({ since: null, activities: [], status: 'invisible', afk: false }), ONLINE]);
  });

  it('sends one set between IDENTIFY and READY as op 3 right after READY', async () => {
    const { server, client } = setup();
    let release!: () => void;
    server.holdReady = new Promise((resolve) => {
      release = resolve;
    });
    client.setPresence({ status: 'dnd' });
    const connected = client.connect();
    await waitForFrames(server, 0, 1);

    expect(client.setPresence({ status: 'idle', activities: [CHESS] })).toBe(false);
    release();
    await connected;
    await waitForFrames(server, 0, 2);

    expect(sent(server.connections[0])).toEqual([
      identifyWith({ since: null, activities: [], status: 'dnd', afk: false }),
      op3({ since: null, activities: [CHESS], status: 'idle', afk: false }),
    ]);
  });

  it('carries the latest presence in every fresh IDENTIFY, without op 3: a session timeout, disconnect() then connect()', async () => {
    const { server, client } = setup();
    const readies: unknown[] = [];
    client.on('ready', (ready) => {
      readies.push(ready);
    });
    await client.connect();
    client.setPresence({ status: 'dnd' });
    client.setPresence({ status: 'idle', activities: [CHESS] });
    const latest = identifyWith({ since: null, activities: [CHESS], status: 'idle', afk: false });

    server.closeAll(4009, 'Session timed out');
    await server.waitFor('second READY', () => readies.length === 2);
    client.setPresence({ status: 'online' });
    await waitForFrames(server, 1, 2);
    expect(sent(server.connections[1])).toEqual([latest, ONLINE]);

    client.setPresence({ status: 'idle', activities: [CHESS] });
    await client.disconnect();
    await client.connect();
    client.setPresence({ status: 'online' });
    await waitForFrames(server, 2, 2);
    expect(sent(server.connections[2])).toEqual([latest, ONLINE]);
  });

  it('does not send it again after RESUME: the resumed session still holds it', async () => {
    const { server, client } = setup();
    const resumed: unknown[] = [];
    client.on('resumed', (d) => {
      resumed.push(d);
    });
    await client.connect();
    client.setPresence({ status: 'dnd' });
    await waitForFrames(server, 0, 2);

    server.closeAll(4000, 'Unknown error');
    await server.waitFor('RESUMED', () => resumed.length === 1);
    // A sentinel: had the old presence been sent again on RESUMED, it would come before this one.
    expect(client.setPresence({ status: 'online' })).toBe(true);
    await waitForFrames(server, 1, 2);

    expect(sent(server.connections[1])).toEqual([
      { op: 6, d: { token: 'good-token', session_id: 'session-1', seq: 1 } },
      op3({ since: null, activities: [], status: 'online', afk: false }),
    ]);
  });

  it('keeps a presence set while the connection is down and sends it once RESUMED', async () => {
    const { server, client } = setup();
    const results: boolean[] = [];
    await client.connect();
    client.once('close', () => {
      results.push(client.setPresence({ status: 'dnd', activities: [CHESS] }));
    });

    server.closeAll(4000, 'Unknown error');
    await waitForFrames(server, 1, 2);

    expect(results).toEqual([false]);
    expect(sent(server.connections[1])).toEqual([
      { op: 6, d: { token: 'good-token', session_id: 'session-1', seq: 1 } },
      op3({ since: null, activities: [CHESS], status: 'dnd', afk: false }),
    ]);
    // The first session started without it: it was set after that IDENTIFY went out.
    expect(sent(server.connections[0])).toEqual([IDENTIFY]);
  });

  it('keeps a presence set while the session is gone and IDENTIFYs with it when RESUME is refused', async () => {
    const { server, client } = setup();
    const readies = record(client, 'ready');
    await client.connect();
    server.resumeMode = 'invalid';
    client.once('close', () => {
      client.setPresence({ status: 'invisible' });
    });

    server.closeAll(4000, 'Unknown error');
    await server.waitFor('second READY', () => readies.length === 2);
    client.setPresence({ status: 'online' });
    await waitForFrames(server, 2, 2);

    expect(sent(server.connections[1])).toEqual([{ op: 6, d: { token: 'good-token', session_id: 'session-1', seq: 1 } }]);
    expect(sent(server.connections[2])).toEqual([identifyWith({ since: null, activities: [], status: 'invisible', afk: false }), ONLINE]);
  });

  it('drops a presence the server refuses in IDENTIFY (4002), reports it, and connects without it', async () => {
    const { server, client } = setup();
    server.refusePresence = true;
    const errors = record(client, 'error');
    client.setPresence({ status: 'dnd', activities: [CHESS] });

    await client.connect();

    expect(server.connections.map((c) => sent(c)[0])).toEqual([identifyWith({ since: null, activities: [CHESS], status: 'dnd', afk: false }), IDENTIFY]);
    expect(errors.map((e) => e.message)).toEqual([
      'The server refused the presence sent in IDENTIFY (Gateway closed with 4002: Decode error: invalid payload); connecting without it',
    ]);
  });

  it('throws TypeError for an unknown status and sends nothing', async () => {
    const { server, client } = setup();
    await client.connect();

    expect(() => client.setPresence({ status: 'away' } as unknown as PresenceData)).toThrow(new TypeError('Unknown presence status: away'));
    client.setPresence({ status: 'online' });
    await waitForFrames(server, 0, 2);

    expect(sent(server.connections[0])).toEqual([IDENTIFY, op3({ since: null, activities: [], status: 'online', afk: false })]);
  });
});

// HarmonyClient.setPresence(): gateway op 3 on the live session, remembered by the client and sent again after
// every fresh IDENTIFY (a new session starts online), not after RESUME (the server kept it). Against the fake server.
import { afterEach, describe, expect, it } from 'bun:test';
import type { PresenceData } from '../../src/sdk/events.ts';
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
const IDENTIFY = { op: 2, d: { token: 'good-token' } };
const CHESS = { name: 'chess', type: 0, state: 'move 12' };
const op3 = (d: { since: number | null; activities: unknown[]; status: string; afk: boolean }) => ({ op: 3, d });

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

  it('called before connect(), returns false, sends nothing, and goes out right after READY', async () => {
    const { server, client } = setup();
    expect(client.setPresence({ status: 'invisible' })).toBe(false);

    await client.connect();
    await waitForFrames(server, 0, 2);

    expect(sent(server.connections[0])).toEqual([IDENTIFY, op3({ since: null, activities: [], status: 'invisible', afk: false })]);
  });

  it('sends the latest presence again after every fresh IDENTIFY: a session timeout, disconnect() then connect()', async () => {
    const { server, client } = setup();
    const readies: unknown[] = [];
    client.on('ready', (ready) => {
      readies.push(ready);
    });
    await client.connect();
    client.setPresence({ status: 'dnd' });
    client.setPresence({ status: 'idle', activities: [CHESS] });
    const latest = op3({ since: null, activities: [CHESS], status: 'idle', afk: false });

    server.closeAll(4009, 'Session timed out');
    await server.waitFor('second READY', () => readies.length === 2);
    await waitForFrames(server, 1, 2);
    expect(sent(server.connections[1])).toEqual([IDENTIFY, latest]);

    await client.disconnect();
    await client.connect();
    await waitForFrames(server, 2, 2);
    expect(sent(server.connections[2])).toEqual([IDENTIFY, latest]);
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
    expect(sent(server.connections[0])).toEqual([IDENTIFY]);
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

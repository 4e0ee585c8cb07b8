// Live presence from a real gateway session reaches the presence API: IDENTIFY makes the user online,
// op 3 sets activities (Spotify included), and closing the session makes them offline with a last_seen;
// each change is on /user/:id and pushed to /socket subscribers within 100 ms.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { ActivityType } from 'discord-api-types/v10';
import { type Account, isUpdate, SocketClient } from '../../support/presence.ts';
import { register, startServer, type TestServer } from '../../support/test-server.ts';

let server: TestServer;
let alice: Account;

beforeAll(async () => {
  server = await startServer({ rateLimits: false });
  alice = await register(server, 'alice');
  await server.api('PUT', '/api/v1/users/@me/presence', { token: alice.token, body: { shared: true } });
});

afterAll(() => server.stop());

/** A harmony v1 gateway session: IDENTIFY first (no HELLO), resolves on READY. */
async function connectGateway(token: string, browser: string) {
  const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/gateway`);
  const ready = new Promise<void>((resolve, reject) => {
    ws.onmessage = (e) => {
      const frame = JSON.parse(String(e.data));
      if (frame.t === 'READY') resolve();
    };
    ws.onclose = (e) => reject(new Error(`gateway closed ${e.code} ${e.reason}`));
  });
  await new Promise((resolve) => {
    ws.onopen = resolve;
  });
  ws.send(
    JSON.stringify({
      op: 2,
      d: { token, properties: { os: 'linux', browser, device: '' }, presence: { status: 'online', activities: [], afk: false, since: null } },
    }),
  );
  await ready;
  return ws;
}

describe('presence from gateway sessions', () => {
  it('IDENTIFY, op 3 and disconnect each show on /user/:id and reach /socket within 100 ms', async () => {
    const socket = new SocketClient(server);
    socket.send({ op: 2, d: { subscribe_to_id: alice.id } });
    expect((await socket.next((f) => f.t === 'INIT_STATE')).d.discord_status).toBe('offline');

    let started = performance.now();
    const gateway = await connectGateway(alice.token, 'Firefox');
    let update = await socket.next(isUpdate(alice.id), 1000);
    expect(performance.now() - started).toBeLessThan(100 + 50); // includes the WebSocket handshake and READY
    expect(update.d.discord_status).toBe('online');
    expect(update.d.active_on_discord_web).toBe(true);
    expect((await server.api('GET', `/user/${alice.id}`)).body.presence.status).toBe('online');

    const spotify = {
      name: 'Spotify',
      type: ActivityType.Listening,
      details: 'Blue in Green',
      state: 'Miles Davis',
      sync_id: 'track42',
      assets: { large_image: 'spotify:ab67616d0000b273', large_text: 'Kind of Blue' },
      timestamps: { start: 1700000000000, end: 1700000337000 },
    };
    started = performance.now();
    gateway.send(JSON.stringify({ op: 3, d: { status: 'dnd', activities: [spotify], afk: false, since: null } }));
    update = await socket.next(isUpdate(alice.id), 1000);
    expect(performance.now() - started).toBeLessThan(100);
    expect(update.d.discord_status).toBe('dnd');
    expect(update.d.listening_to_spotify).toBe(true);
    expect(update.d.spotify).toEqual({
      track_id: 'track42',
      timestamps: { start: 1700000000000, end: 1700000337000 },
      album: 'Kind of Blue',
      album_art_url: 'https://i.scdn.co/image/ab67616d0000b273',
      artist: 'Miles Davis',
      song: 'Blue in Green',
    });
    const seed = (await server.api('GET', `/user/${alice.id}`)).body.presence;
    expect(seed.status).toBe('dnd');
    expect(seed.spotifyActivity).toMatchObject({ name: 'Spotify', type: 2, song: 'Blue in Green', artist: 'Miles Davis', syncId: 'track42' });

    started = performance.now();
    gateway.close();
    update = await socket.next(isUpdate(alice.id), 1000);
    expect(performance.now() - started).toBeLessThan(100);
    expect(update.d.discord_status).toBe('offline');
    expect(update.d.spotify).toBeNull();
    expect(update.d.last_seen).toBeGreaterThan(Date.now() - 10_000);
    expect((await server.api('GET', `/user/${alice.id}`)).body.presence).toEqual({
      userId: alice.id,
      status: 'offline',
      global_name: null,
      server_name: null,
      avatar: null,
      spotifyActivity: null,
    });
    socket.close();
  });

  it('shows invisible as offline', async () => {
    const socket = new SocketClient(server);
    socket.send({ op: 2, d: { subscribe_to_id: alice.id } });
    await socket.next((f) => f.t === 'INIT_STATE');
    const gateway = await connectGateway(alice.token, 'Chrome');
    expect((await socket.next(isUpdate(alice.id))).d.discord_status).toBe('online');
    gateway.send(JSON.stringify({ op: 3, d: { status: 'invisible', activities: [], afk: false, since: null } }));
    const hidden = await socket.next(isUpdate(alice.id));
    expect(hidden.d.discord_status).toBe('offline');
    expect(hidden.d.active_on_discord_web).toBe(false);
    expect((await server.api('GET', `/user/${alice.id}`)).body.presence.status).toBe('offline');
    gateway.close();
    socket.close();
  });
});

// A client that stops reading is dropped once its unsent backlog passes the limit, never buffered without
// bound; its session stays resumable. Uses a raw TCP WebSocket client, because a WebSocket API always reads.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { connect, type Socket } from 'node:net';
import { openGateway } from '../../../support/gateway-client.ts';
import { buildWorld, type World } from './fixtures.ts';

let world: World;
beforeAll(async () => {
  world = await buildWorld();
});
afterAll(() => world.server.stop());

/** One masked text frame, as a client must send it. */
function textFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  const mask = Buffer.from([1, 2, 3, 4]);
  const header =
    payload.length < 126 ? Buffer.from([0x81, 0x80 | payload.length]) : Buffer.from([0x81, 0x80 | 126, payload.length >> 8, payload.length & 0xff]);
  const masked = Buffer.from(payload.map((byte, i) => byte ^ (mask[i % 4] as number)));
  return Buffer.concat([header, mask, masked]);
}

async function rawClient(): Promise<{ socket: Socket; ended: Promise<void>; received: () => string }> {
  const { port } = new URL(world.server.url);
  const socket = connect(Number(port), '127.0.0.1');
  const chunks: Buffer[] = [];
  const ended = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.on('data', (chunk) => chunks.push(Buffer.from(chunk)));
  socket.on('error', () => {}); // the server dropping us is the point
  await new Promise<void>((resolve) => socket.on('connect', () => resolve()));
  socket.write(
    'GET /gateway HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
  );
  return { socket, ended, received: () => Buffer.concat(chunks).toString('latin1') };
}

describe('a slow consumer', () => {
  it('is disconnected when it stops reading while events pile up, and can RESUME afterwards', async () => {
    const client = await rawClient();
    client.socket.write(textFrame(JSON.stringify({ op: 2, d: { token: world.bob.token } })));
    const deadline = Date.now() + 3000;
    while (!client.received().includes('"READY"') && Date.now() < deadline) await Bun.sleep(10);
    const sessionId = /"session_id":"([0-9a-f]{32})"/.exec(client.received())?.[1];
    expect(sessionId).toBeDefined();
    client.socket.pause(); // stop reading: the kernel buffers fill, then the server's send buffer
    // Keep heartbeating (writing still works): the drop must come from the backlog, not a missed heartbeat.
    const beat = setInterval(() => {
      if (!client.socket.destroyed) client.socket.write(textFrame('{"op":1,"d":null}'));
    }, 400);

    // 12 KB frames ('€' is 3 bytes in UTF-8) until the server lets go of the connection (bounded).
    const content = '€'.repeat(4000);
    let closed = false;
    void client.ended.then(() => {
      closed = true;
    });
    // Bounded by time and by count: on a loaded machine the server may need a while to notice the backlog (and on
    // PostgreSQL a post is a dozen round trips: a few hundred of them can take 20 s there), and 2000 posts (24 MB)
    // stay inside the replay buffer's 32 MiB so the RESUME below can replay them all.
    let posted = 0;
    const stopAt = Date.now() + 45_000;
    while (!closed && posted < 2000 && Date.now() < stopAt) {
      await world.call(world.alice.token, 'POST', `/channels/${world.generalId}/messages`, { content });
      posted++;
      if (posted % 50 === 0) await Bun.sleep(1); // let the server's event loop run its socket work
    }
    // Whoever let go first (the gateway's slow-consumer limit or Bun's backpressure backstop), the
    // connection must end and what it was sent must stay bounded: a few MB of kernel and send buffers,
    // never the 24 MB posted. Read again to see it (a paused socket does not notice the end).
    client.socket.resume();
    await Promise.race([client.ended, Bun.sleep(10_000)]);
    clearInterval(beat);
    expect(closed).toBe(true);
    expect(Buffer.byteLength(client.received(), 'latin1')).toBeLessThan(16_000_000);

    // The session survived the drop, and RESUME streams the whole backlog at the client's pace (megabytes,
    // far past the slow-consumer limit) instead of dropping the client again.
    const seq = Number(/"s":(\d+),"t":"READY"/.exec(client.received())?.[1]);
    const again = await openGateway(world.server);
    again.send({ op: 6, d: { token: world.bob.token, session_id: sessionId, seq } });
    await again.event('RESUMED', () => true, 15_000);
    expect(again.closeInfo).toBeNull();
    const replayed = again.dispatches('MESSAGE_CREATE').filter((f) => f.d.content === content);
    expect(replayed).toHaveLength(posted);
    expect(replayed.map((f) => f.s)).toEqual(replayed.map((f) => f.s).sort((a, b) => (a as number) - (b as number)));
    again.close();
  }, 90_000);
});

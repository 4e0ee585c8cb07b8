// --max-connections-per-address: open WebSockets per trusted client address, /gateway, /gateway/discord and
// /socket together; one more upgrade is refused with 429 JSON, and closing a socket frees its slot.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'bun:test';
import WebSocket from 'ws';
import { startServer, type TestServer } from '../support/test-server.ts';

let server: TestServer;
const open: WebSocket[] = [];

beforeAll(async () => {
  server = await startServer({ maxConnectionsPerAddress: 3, trustedProxies: ['127.0.0.1'] });
});
afterEach(async () => {
  await Promise.all(open.splice(0).map(close));
});
afterAll(() => server.stop());

type Outcome = { opened: true; ws: WebSocket } | { opened: false; status: number; contentType: string | undefined; body: unknown };

/** Opens a socket on `path` (as client `address`, told to the server through X-Forwarded-For). */
function connect(path: string, address = '203.0.113.1'): Promise<Outcome> {
  const ws = new WebSocket(server.url.replace('http', 'ws') + path, { headers: { 'x-forwarded-for': address } });
  return new Promise((resolve, reject) => {
    ws.on('open', () => {
      open.push(ws);
      resolve({ opened: true, ws });
    });
    ws.on('unexpected-response', (_req, res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => {
        text += chunk.toString();
      });
      res.on('end', () => resolve({ opened: false, status: res.statusCode ?? 0, contentType: res.headers['content-type'], body: JSON.parse(text) }));
    });
    ws.on('error', (error) => {
      if (!/Unexpected server response/.test(error.message)) reject(error);
    });
  });
}

function close(ws: WebSocket): Promise<void> {
  if (ws.readyState === WebSocket.CLOSED) return Promise.resolve();
  return new Promise((resolve) => {
    ws.on('close', () => resolve());
    ws.close();
  });
}

const REFUSED: Outcome = {
  opened: false,
  status: 429,
  contentType: 'application/json',
  body: { code: 0, message: 'Too many open connections from this address (3 at most)' },
};

describe('WebSocket upgrades per client address', () => {
  it('counts every socket endpoint together and refuses one more with 429 JSON', async () => {
    for (const path of ['/gateway', '/gateway/discord?v=10&encoding=json', '/socket']) expect((await connect(path)).opened).toBe(true);
    expect(await connect('/gateway')).toEqual(REFUSED);
    expect(await connect('/socket')).toEqual(REFUSED);
  });

  it('frees a slot when a socket closes', async () => {
    for (let i = 0; i < 3; i++) expect((await connect('/gateway')).opened).toBe(true);
    expect((await connect('/gateway')).opened).toBe(false);
    await close(open.shift()!);
    // The server hears the close a moment after the client does.
    let outcome = await connect('/gateway');
    for (let i = 0; i < 20 && !outcome.opened; i++) {
      await Bun.sleep(25);
      outcome = await connect('/gateway');
    }
    expect(outcome.opened).toBe(true);
    expect(await connect('/gateway')).toEqual(REFUSED);
  });

  it('counts each trusted client address on its own', async () => {
    for (let i = 0; i < 3; i++) expect((await connect('/gateway', '203.0.113.1')).opened).toBe(true);
    expect((await connect('/gateway', '203.0.113.1')).opened).toBe(false);
    expect((await connect('/gateway', '203.0.113.2')).opened).toBe(true);
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy (the default), so forging it frees nothing', async () => {
    const direct = await startServer({ maxConnectionsPerAddress: 2 });
    const sockets: WebSocket[] = [];
    try {
      const url = `${direct.url.replace('http', 'ws')}/gateway`;
      const statusOf = (address: string) =>
        new Promise<number>((resolve) => {
          const ws = new WebSocket(url, { headers: { 'x-forwarded-for': address } });
          ws.on('open', () => {
            sockets.push(ws);
            resolve(101);
          });
          ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
          ws.on('error', () => {});
        });
      expect([await statusOf('203.0.113.1'), await statusOf('203.0.113.2'), await statusOf('203.0.113.3')]).toEqual([101, 101, 429]);
    } finally {
      await Promise.all(sockets.map(close));
      await direct.stop();
    }
  });
});

describe('--rate-limits off', () => {
  it('lifts the cap', async () => {
    const free = await startServer({ maxConnectionsPerAddress: 1, rateLimits: false });
    const sockets: WebSocket[] = [];
    try {
      for (let i = 0; i < 3; i++) {
        const ws = new WebSocket(`${free.url.replace('http', 'ws')}/gateway`);
        await new Promise<void>((resolve, reject) => {
          ws.on('open', () => resolve());
          ws.on('error', reject);
        });
        sockets.push(ws);
      }
      expect(sockets).toHaveLength(3);
    } finally {
      await Promise.all(sockets.map(close));
      await free.stop();
    }
  });
});

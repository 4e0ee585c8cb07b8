// WebSocket endpoints answer on their path with or without a trailing slash: libraries build the gateway URL as
// `<url>/?v=10&encoding=json` (discord.py's yarl URLs, Lanyard clients), and Discord takes both.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { servesPath } from '../../src/http/socket-endpoint.ts';
import { startServer, type TestServer } from '../support/test-server.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.stop());

/** Opens a socket and resolves with its first frame, or with the close if it is refused. */
function firstFrame(path: string): Promise<{ frame: any } | { closed: number }> {
  const ws = new WebSocket(server.url.replace(/^http/, 'ws') + path);
  return new Promise((resolve) => {
    ws.onmessage = (event) => {
      resolve({ frame: JSON.parse(String(event.data)) });
      ws.close();
    };
    ws.onclose = (event) => resolve({ closed: event.code });
  });
}

describe('WebSocket paths', () => {
  it.each(['/gateway/discord?v=10&encoding=json', '/gateway/discord/?v=10&encoding=json', '/gateway/discord/'])(
    'the discord gateway says HELLO on %s',
    async (path) => {
      expect(await firstFrame(path)).toEqual({ frame: { t: null, s: null, op: 10, d: { heartbeat_interval: 30000 } } });
    },
  );

  it.each(['/socket', '/socket/'])('the Lanyard socket says Hello on %s', async (path) => {
    expect(await firstFrame(path)).toEqual({ frame: { op: 1, d: { heartbeat_interval: 30000 } } });
  });

  it.each(['/gateway', '/gateway/'])('the v1 gateway accepts an upgrade on %s (closing 4003 for a heartbeat before IDENTIFY)', async (path) => {
    const ws = new WebSocket(server.url.replace(/^http/, 'ws') + path);
    const closed = new Promise<number>((resolve) => {
      ws.onclose = (event) => resolve(event.code);
    });
    await new Promise((resolve) => {
      ws.onopen = resolve;
    });
    ws.send(JSON.stringify({ op: 1, d: null }));
    expect(await closed).toBe(4003);
  });

  it('answers 404 JSON on a path that only looks like a gateway', async () => {
    const res = await fetch(`${server.url}/gateway/discord//`, { headers: { upgrade: 'websocket', connection: 'upgrade' } });
    expect(res.status).toBe(404);
  });
});

describe('servesPath', () => {
  it('matches the path itself and the path with one trailing slash, nothing else', () => {
    const endpoint = { path: '/gateway/discord' };
    expect(['/gateway/discord', '/gateway/discord/', '/gateway/discord//', '/gateway/discordx', '/gateway'].map((p) => servesPath(endpoint, p))).toEqual([
      true,
      true,
      false,
      false,
      false,
    ]);
  });
});

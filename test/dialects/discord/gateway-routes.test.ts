// GET /gateway and /gateway/bot: the one call discord.js makes before opening its socket.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { gatewayUrlFor } from '../../../src/dialects/discord/gateway-url.ts';
import { startServer, type TestServer } from '../../support/test-server.ts';
import { type Bot, createBot, expectDiscordError, people, restFor } from './fixtures.ts';

let server: TestServer;
let bot: Bot;

beforeAll(async () => {
  server = await startServer({ rateLimits: false });
  const [admin] = await people(server, 'admin');
  bot = await createBot(server, admin!, 'gatewaybot');
});

afterAll(() => server.stop());

const host = () => new URL(server.url).host;

describe('GET /api/v10/gateway/bot', () => {
  it('answers the gateway URL, one shard and a full session start bucket', async () => {
    expect(await bot.rest.get('/gateway/bot')).toEqual({
      url: `ws://${host()}/gateway/discord`,
      shards: 1,
      session_start_limit: { total: 1000, remaining: 1000, reset_after: 86400000, max_concurrency: 1 },
    });
  });

  it('is the same under /api/v9', async () => {
    const res = await server.api('GET', '/api/v9/gateway/bot', { token: bot.token, scheme: 'Bot' });
    expect(res.status).toBe(200);
    expect(res.body.url).toBe(`ws://${host()}/gateway/discord`);
  });

  it('rejects a missing or wrong token with 401 and code 0, as login() expects', async () => {
    await expectDiscordError(restFor(server, 'not-a-real-token-but-long-enough').get('/gateway/bot'), 401, 0, '401: Unauthorized');
    const bare = await server.api('GET', '/api/v10/gateway/bot');
    expect({ status: bare.status, body: bare.body }).toEqual({ status: 401, body: { message: '401: Unauthorized', code: 0 } });
  });
});

describe('GET /api/v10/gateway', () => {
  it('needs no token and answers only the URL', async () => {
    const res = await server.api('GET', '/api/v10/gateway');
    expect({ status: res.status, body: res.body }).toEqual({ status: 200, body: { url: `ws://${host()}/gateway/discord` } });
  });

  it('uses the public URL (scheme, host and path prefix) when one is configured', async () => {
    const proxied = await startServer({ rateLimits: false, publicUrl: 'https://chat.example.com/harmony' });
    try {
      const res = await proxied.api('GET', '/api/v10/gateway');
      expect(res.body).toEqual({ url: 'wss://chat.example.com/harmony/gateway/discord' });
    } finally {
      await proxied.stop();
    }
  });
});

describe('GET /api/v10/gateway without a public URL', () => {
  it('ignores a forged Host and X-Forwarded-Proto, answering the address the server listens on', async () => {
    const forged: Record<string, string>[] = [
      { host: 'evil.example' },
      { host: `evil.example:${new URL(server.url).port}` },
      { host: host(), 'x-forwarded-proto': 'https' },
    ];
    for (const headers of forged) {
      const res = await server.api('GET', '/api/v10/gateway', { headers });
      expect({ headers, body: res.body }).toEqual({ headers, body: { url: `ws://${host()}/gateway/discord` } });
    }
    const withBot = await server.api('GET', '/api/v10/gateway/bot', { token: bot.token, scheme: 'Bot', headers: { host: 'evil.example' } });
    expect(withBot.body.url).toBe(`ws://${host()}/gateway/discord`);
  });

  it('follows a Host that names this machine on its port (localhost)', async () => {
    const res = await server.api('GET', '/api/v10/gateway', { headers: { host: `localhost:${new URL(server.url).port}` } });
    expect(res.body).toEqual({ url: `ws://localhost:${new URL(server.url).port}/gateway/discord` });
  });
});

describe('gatewayUrlFor', () => {
  const listening = { hostname: '0.0.0.0', port: 3002 };
  const local = new Set(['192.168.1.5', 'fd00::5']);
  const url = (host: string | null, on = listening) => gatewayUrlFor({ publicUrl: null }, host, on, () => local);

  it("follows a Host naming one of this machine's addresses, or loopback, on the listening port", () => {
    expect(url('192.168.1.5:3002')).toBe('ws://192.168.1.5:3002/gateway/discord');
    expect(url('[fd00::5]:3002')).toBe('ws://[fd00::5]:3002/gateway/discord');
    expect(url('127.0.0.1:3002')).toBe('ws://127.0.0.1:3002/gateway/discord');
    expect(url('[::1]:3002')).toBe('ws://[::1]:3002/gateway/discord');
    expect(url('LOCALHOST:3002')).toBe('ws://LOCALHOST:3002/gateway/discord');
  });

  it('answers the listening address for any other Host (a name, another address, another port, garbage)', () => {
    for (const host of ['chat.example.com', 'bots.example.org:3002', '203.0.113.9:3002', '192.168.1.5:8080', '192.168.1.5', 'evil.example/?a=', null]) {
      expect({ host, url: url(host) }).toEqual({ host, url: 'ws://127.0.0.1:3002/gateway/discord' });
    }
  });

  it('names the bound address when bound to one, bracketing IPv6', () => {
    expect(url('evil.example', { hostname: '10.0.0.2', port: 80 })).toBe('ws://10.0.0.2:80/gateway/discord');
    expect(url(null, { hostname: '::', port: 3002 })).toBe('ws://[::1]:3002/gateway/discord');
    expect(url(null, { hostname: 'fd00::5', port: 3002 })).toBe('ws://[fd00::5]:3002/gateway/discord');
  });

  it('keeps an http public URL as ws and drops its trailing slash, whatever the Host', () => {
    expect(gatewayUrlFor({ publicUrl: 'http://lan.local:3002/' }, 'evil.example', listening, () => local)).toBe('ws://lan.local:3002/gateway/discord');
  });
});

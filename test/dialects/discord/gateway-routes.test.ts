// GET /gateway and /gateway/bot: the one call discord.js makes before opening its socket.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { discordGatewayUrl } from '../../../src/dialects/discord/gateway-url.ts';
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

describe('discordGatewayUrl', () => {
  const request = (url: string, headers: Record<string, string> = {}) => new Request(url, { headers });

  it('follows the Host header when no public URL is set', () => {
    expect(discordGatewayUrl({ publicUrl: null }, request('http://127.0.0.1:3002/api/v10/gateway', { host: 'bots.example.org:8080' }))).toBe(
      'ws://bots.example.org:8080/gateway/discord',
    );
  });

  it('follows a container host name with an underscore (request.url carries no host of its own)', () => {
    expect(discordGatewayUrl({ publicUrl: null }, request('http://localhost/api/v10/gateway', { host: 'harmony_app:3002' }))).toBe(
      'ws://harmony_app:3002/gateway/discord',
    );
  });

  it('answers wss behind a TLS proxy that sets X-Forwarded-Proto', () => {
    expect(discordGatewayUrl({ publicUrl: null }, request('http://10.0.0.2/api/v10/gateway', { host: 'chat.example.com', 'x-forwarded-proto': 'https' }))).toBe(
      'wss://chat.example.com/gateway/discord',
    );
  });

  it('ignores a Host header that is not a host, so the URL can always take a query string', () => {
    expect(discordGatewayUrl({ publicUrl: null }, request('http://127.0.0.1:3002/x', { host: 'evil.example/?a=' }))).toBe(
      'ws://127.0.0.1:3002/gateway/discord',
    );
  });

  it('keeps an http public URL as ws and drops its trailing slash', () => {
    expect(discordGatewayUrl({ publicUrl: 'http://lan.local:3002/' }, request('http://x/'))).toBe('ws://lan.local:3002/gateway/discord');
  });
});

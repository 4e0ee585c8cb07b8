// Rate limits as @discordjs/rest reads them (compat notes §4): X-RateLimit-* on every answer, 429s with
// Retry-After and Discord's body, and the real client queueing a burst instead of failing.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import type { RateLimitData } from '@discordjs/rest';
import { startServer, type TestServer } from '../../support/test-server.ts';
import { botIn, createGuild, type Guild, type Person, people, v10 } from './fixtures.ts';

let server: TestServer;
let admin: Person;
let guild: Guild;

const TALK = ['read_messages', 'send_messages', 'read_message_history'];
type Json = Record<string, any>;

beforeAll(async () => {
  server = await startServer({ rateLimits: true });
  [admin] = (await people(server, 'admin')) as [Person];
  guild = await createGuild(server, admin);
});
afterAll(() => server.stop());

describe('X-RateLimit-* headers', () => {
  it('come with every rate-limited answer, in the units @discordjs/rest parses', async () => {
    const bot = await botIn(server, admin, guild, 'headerbot', TALK);
    const first = await v10(server, bot, 'POST', `/channels/${guild.generalId}/messages`, { content: 'one' });
    const second = await v10(server, bot, 'POST', `/channels/${guild.generalId}/messages`, { content: 'two' });
    expect(first.status).toBe(200);
    const h = first.headers;
    expect({ limit: h.get('x-ratelimit-limit'), remaining: h.get('x-ratelimit-remaining'), bucket: h.get('x-ratelimit-bucket') }).toEqual({
      limit: '5',
      remaining: '4',
      bucket: expect.stringMatching(/^[0-9a-f]{8}$/),
    });
    expect(second.headers.get('x-ratelimit-remaining')).toBe('3');
    expect(second.headers.get('x-ratelimit-bucket')).toBe(h.get('x-ratelimit-bucket'));
    // Seconds as a float (discord.js multiplies by 1000), and an epoch-seconds reset.
    const resetAfter = Number(h.get('x-ratelimit-reset-after'));
    expect(resetAfter).toBeGreaterThan(0);
    expect(resetAfter).toBeLessThanOrEqual(1);
    expect(Math.abs(Number(h.get('x-ratelimit-reset')) - (Date.now() / 1000 + resetAfter))).toBeLessThan(2);
    // The same route on /api/v9 is the same bucket.
    const v9 = await server.api('POST', `/api/v9/channels/${guild.generalId}/messages`, { token: bot.token, scheme: 'Bot', body: { content: 'three' } });
    expect(v9.headers.get('x-ratelimit-remaining')).toBe('2');
  });
});

describe('429 Too Many Requests', () => {
  it("answers a route limit with Retry-After, scope user and Discord's body {message, retry_after, global, code}", async () => {
    const bot = await botIn(server, admin, guild, 'burstbot', TALK);
    let limited: Awaited<ReturnType<typeof v10>> | undefined;
    for (let i = 0; i < 10 && !limited; i++) {
      const res = await v10(server, bot, 'POST', `/channels/${guild.generalId}/messages`, { content: `burst ${i}` });
      if (res.status === 429) limited = res;
    }
    if (!limited) throw new Error('no 429 after 10 messages in a burst');
    expect(limited.headers.get('content-type')).toStartWith('application/json');
    expect(limited.body).toEqual({ message: 'You are being rate limited.', retry_after: expect.any(Number), global: false, code: 0 });
    expect(limited.body.retry_after).toBeGreaterThan(0);
    expect(limited.body.retry_after).toBeLessThanOrEqual(1);
    expect(Number(limited.headers.get('retry-after'))).toBe(limited.body.retry_after);
    expect({
      scope: limited.headers.get('x-ratelimit-scope'),
      global: limited.headers.get('x-ratelimit-global'),
      remaining: limited.headers.get('x-ratelimit-remaining'),
    }).toEqual({
      scope: 'user',
      global: null,
      remaining: '0',
    });
  });

  it('marks the global limit with X-RateLimit-Global and scope global', async () => {
    const bot = await botIn(server, admin, guild, 'globalbot', TALK);
    const routes = ['/users/@me', '/gateway/bot', '/applications/@me', '/users/@me/guilds', `/users/${admin.id}`, `/guilds/${guild.id}`];
    let global: Awaited<ReturnType<typeof v10>> | undefined;
    for (let i = 0; i < 300 && !global; i++) {
      const res = await v10(server, bot, 'GET', routes[i % routes.length] as string);
      if (res.status === 429 && res.headers.get('x-ratelimit-global')) global = res;
    }
    if (!global) throw new Error('no global 429');
    expect(global.body).toEqual({ message: 'You are being rate limited.', retry_after: expect.any(Number), global: true, code: 0 });
    expect({ scope: global.headers.get('x-ratelimit-scope'), flag: global.headers.get('x-ratelimit-global') }).toEqual({ scope: 'global', flag: 'true' });
    expect(Number(global.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('@discordjs/rest against the limits', () => {
  it('delivers 30 messages sent at once, all of them, in order, waiting out a 429', async () => {
    const bot = await botIn(server, admin, guild, 'queuebot', TALK);
    const channel = (await server.api('POST', `/api/v1/guilds/${guild.id}/channels`, { token: admin.token, body: { name: 'burst' } })).body;
    // Spend the route bucket first, so the client's first request meets a 429 it has to honour.
    for (let i = 0; i < 5; i++) await v10(server, bot, 'POST', `/channels/${channel.id}/messages`, { content: `pre ${i}` });
    const statuses: number[] = [];
    const limited: RateLimitData[] = [];
    bot.rest.on('response', (_request, response) => statuses.push(response.status));
    bot.rest.on('rateLimited', (info) => limited.push(info));

    const contents = Array.from({ length: 30 }, (_, i) => `queued ${i}`);
    const sent = (await Promise.all(
      contents.map((content) => bot.rest.post(`/channels/${channel.id}/messages`, { body: { content, tts: false, enforce_nonce: false } })),
    )) as Json[];

    expect(sent.map((m) => m.content)).toEqual(contents);
    const ids = sent.map((m) => BigInt(m.id));
    expect(ids.every((id, i) => i === 0 || id > (ids[i - 1] as bigint))).toBe(true);
    expect(statuses).toContain(429);
    expect(statuses.filter((s) => s === 200)).toHaveLength(30);
    expect(limited.length).toBeGreaterThan(0);

    const history = (await bot.rest.get(`/channels/${channel.id}/messages`, { query: new URLSearchParams({ limit: '30' }) })) as Json[];
    expect(history.map((m) => m.content).reverse()).toEqual(contents);
  }, 30000);
});

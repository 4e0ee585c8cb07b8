// Rate limits (issue #2 item 10): the seed's table per caller, route and major parameter, the global bucket, the
// headers, the 429 body; login and register per address, logins also backed off per account (issue #17 item 2);
// rateLimits: false lifts them all.
// The server's clock stands still unless a test moves it, so every window is exact.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { startServer, type TestServer } from '../../support/test-server.ts';
import { type Account, addBot, as, createBot, createGuild, type GuildFixture, people } from './fixtures.ts';

let server: TestServer;
let now = Date.now();
const clock = { now: () => now };
let owner: Account;
let bot: Account;
let otherBot: Account;
let guild: GuildFixture;
let secondChannel: string;

beforeAll(async () => {
  server = await startServer({}, clock);
  [owner] = await people(server, 'owner');
  guild = await createGuild(server, owner, 'Limits');
  bot = await createBot(server, owner, 'busybot');
  otherBot = await createBot(server, owner, 'otherbot');
  for (const b of [bot, otherBot]) await addBot(server, owner, guild, b, ['read_messages', 'send_messages', 'read_message_history']);
  secondChannel = (await server.api('POST', `/api/v1/guilds/${guild.id}/channels`, as(owner, { name: 'second' }))).body.id;
  now += 61_000;
}, 30_000);
afterAll(() => server.stop());

/** Moves the server's clock past every window the previous test used (the global one is a minute). */
const nextMinute = () => {
  now += 61_000;
};
const post = (caller: Account, channelId = guild.generalId) => server.api('POST', `/api/v1/channels/${channelId}/messages`, as(caller, { content: 'spam' }));
const header = (res: { headers: Headers }, name: string) => res.headers.get(name);

describe('POST /api/v1/channels/:id/messages: 5 per second per bot and channel', () => {
  it('allows 5 messages in a second, counting down X-RateLimit-Remaining', async () => {
    nextMinute();
    for (let i = 0; i < 5; i++) {
      const res = await post(bot);
      expect(res.status).toBe(200);
      expect({
        limit: header(res, 'X-RateLimit-Limit'),
        remaining: header(res, 'X-RateLimit-Remaining'),
        reset: Number(header(res, 'X-RateLimit-Reset')),
        resetAfter: header(res, 'X-RateLimit-Reset-After'),
        bucket: header(res, 'X-RateLimit-Bucket'),
      }).toEqual({ limit: '5', remaining: String(4 - i), reset: (now + 1000) / 1000, resetAfter: '1', bucket: expect.stringMatching(/^[0-9a-f]{8}$/) });
    }
  });

  it('answers the 6th message in the same second with 429 {message, retry_after, global} and Retry-After', async () => {
    nextMinute();
    for (let i = 0; i < 5; i++) expect((await post(bot)).status).toBe(200);
    now += 400;
    const res = await post(bot);
    expect(res.status).toBe(429);
    expect(res.body).toEqual({ code: 0, message: 'You are being rate limited.', retry_after: 0.6, global: false });
    expect({
      retryAfter: header(res, 'Retry-After'),
      scope: header(res, 'X-RateLimit-Scope'),
      global: header(res, 'X-RateLimit-Global'),
      limit: header(res, 'X-RateLimit-Limit'),
      remaining: header(res, 'X-RateLimit-Remaining'),
      resetAfter: header(res, 'X-RateLimit-Reset-After'),
    }).toEqual({ retryAfter: '0.6', scope: 'user', global: null, limit: '5', remaining: '0', resetAfter: '0.6' });
    expect(res.headers.get('content-type')).toStartWith('application/json');
  });

  it('lets the bot send again once the window has passed; refused attempts do not count', async () => {
    nextMinute();
    for (let i = 0; i < 5; i++) await post(bot);
    for (let i = 0; i < 3; i++) expect((await post(bot)).status).toBe(429);
    now += 1000;
    for (let i = 0; i < 5; i++) expect((await post(bot)).status).toBe(200);
    expect((await post(bot)).status).toBe(429);
  });

  it('counts each channel separately (the major parameter)', async () => {
    nextMinute();
    for (let i = 0; i < 5; i++) await post(bot);
    expect((await post(bot)).status).toBe(429);
    expect((await post(bot, secondChannel)).status).toBe(200);
  });

  it('counts each caller separately', async () => {
    nextMinute();
    for (let i = 0; i < 5; i++) await post(bot);
    expect((await post(bot)).status).toBe(429);
    expect((await post(otherBot)).status).toBe(200);
  });

  it('limits people the same way', async () => {
    nextMinute();
    for (let i = 0; i < 5; i++) expect((await post(owner)).status).toBe(200);
    expect((await post(owner)).status).toBe(429);
  });
});

describe('other routes', () => {
  it('GET /channels/:id/messages allows 10 per second, in a bucket of its own', async () => {
    nextMinute();
    for (let i = 0; i < 5; i++) await post(bot);
    for (let i = 0; i < 10; i++) {
      const res = await server.api('GET', `/api/v1/channels/${guild.generalId}/messages?limit=1`, as(bot));
      expect([res.status, header(res, 'X-RateLimit-Limit')]).toEqual([200, '10']);
    }
    expect((await server.api('GET', `/api/v1/channels/${guild.generalId}/messages?limit=1`, as(bot))).status).toBe(429);
  });

  it('any other route allows 10 per second, each route counted on its own', async () => {
    nextMinute();
    for (let i = 0; i < 10; i++) expect((await server.api('GET', '/api/v1/users/@me', as(bot))).status).toBe(200);
    const refused = await server.api('GET', '/api/v1/users/@me', as(bot));
    expect(refused.status).toBe(429);
    expect(refused.body.global).toBe(false);
    expect((await server.api('GET', '/api/v1/users/@me/guilds', as(bot))).status).toBe(200);
  });

  it('gives different routes different buckets', async () => {
    nextMinute();
    const a = await server.api('GET', '/api/v1/users/@me', as(bot));
    const b = await server.api('GET', `/api/v1/guilds/${guild.id}`, as(bot));
    const c = await post(bot);
    const buckets = [a, b, c].map((r) => header(r, 'X-RateLimit-Bucket'));
    expect(new Set(buckets).size).toBe(3);
  });
});

describe('the global limit: 50 requests a minute per bot', () => {
  it('refuses the 51st request of a minute with 429, global: true and X-RateLimit-Global', async () => {
    nextMinute();
    const started = now;
    for (let i = 0; i < 50; i++) {
      if (i % 10 === 0) now += 1000;
      const res = await server.api('GET', '/api/v1/users/@me', as(bot));
      expect({ i, status: res.status }).toEqual({ i, status: 200 });
    }
    now += 1000;
    const res = await server.api('GET', `/api/v1/guilds/${guild.id}`, as(bot));
    expect(res.status).toBe(429);
    const retryAfter = (started + 1000 + 60_000 - now) / 1000;
    expect(res.body).toEqual({ code: 0, message: 'You are being rate limited.', retry_after: retryAfter, global: true });
    expect([header(res, 'X-RateLimit-Global'), header(res, 'X-RateLimit-Scope'), header(res, 'Retry-After')]).toEqual(['true', 'global', String(retryAfter)]);
    expect((await server.api('GET', '/api/v1/users/@me', as(otherBot))).status).toBe(200);
    now = started + 1000 + 60_000;
    expect((await server.api('GET', `/api/v1/guilds/${guild.id}`, as(bot))).status).toBe(200);
  }, 30_000);
});

describe('POST /api/v1/auth/login: 10 a minute per address', () => {
  it('refuses the 11th attempt in a minute with 429 and Retry-After, whatever the outcome of the first ten', async () => {
    nextMinute();
    const first = await server.api('POST', '/api/v1/auth/login', { body: { username: 'owner', password: 'correct horse battery' } });
    expect(first.status).toBe(200);
    // Password checks are slow; the other nine may run at once, from an address that just logged in to the account
    // (which the per-account backoff does not slow).
    const attempts = await Promise.all(
      Array.from({ length: 9 }, () => server.api('POST', '/api/v1/auth/login', { body: { username: 'owner', password: 'wrong password' } })),
    );
    expect(attempts.map((r) => r.status)).toEqual(Array(9).fill(401));
    now += 30_000;
    const refused = await server.api('POST', '/api/v1/auth/login', { body: { username: 'owner', password: 'correct horse battery' } });
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({ code: 0, message: 'You are being rate limited.', retry_after: 30, global: false });
    expect(header(refused, 'Retry-After')).toBe('30');
    now += 30_000;
    expect((await server.api('POST', '/api/v1/auth/login', { body: { username: 'owner', password: 'correct horse battery' } })).status).toBe(200);
  }, 30_000);
});

describe('POST /api/v1/auth/register: 10 an hour per address, apart from logins', () => {
  it('still signs up after logins used up their bucket, and refuses the 11th sign-up in an hour with 429', async () => {
    nextMinute();
    const logins = await Promise.all(
      Array.from({ length: 11 }, (_, i) => server.api('POST', '/api/v1/auth/login', { body: { username: `nobody${i}`, password: 'wrong password' } })),
    );
    expect(logins.filter((r) => r.status === 429)).toHaveLength(1);
    // `owner` signed up an hour-bucket ago at start-up; this hour's ten are all free.
    const signups = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        server.api('POST', '/api/v1/auth/register', { body: { username: `signup${i}`, password: 'correct horse battery' } }),
      ),
    );
    expect(signups.map((r) => r.status)).toEqual(Array(10).fill(201));
    now += 59 * 60_000;
    const refused = await server.api('POST', '/api/v1/auth/register', { body: { username: 'signup10', password: 'correct horse battery' } });
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({ code: 0, message: 'You are being rate limited.', retry_after: 60, global: false });
    expect(header(refused, 'Retry-After')).toBe('60');
    now += 60_000;
    expect((await server.api('POST', '/api/v1/auth/register', { body: { username: 'signup10', password: 'correct horse battery' } })).status).toBe(201);
  }, 30_000);
});

describe('POST /api/v1/auth/login: per-account backoff (behind a trusted proxy, so X-Forwarded-For names each client)', () => {
  let proxied: TestServer;
  const from = (address: string, username: string, password: string) =>
    proxied.api('POST', '/api/v1/auth/login', { body: { username, password }, headers: { 'x-forwarded-for': address } });

  beforeAll(async () => {
    proxied = await startServer({ trustedProxies: ['127.0.0.1'] }, clock);
    const res = await proxied.api('POST', '/api/v1/auth/register', {
      body: { username: 'alice', password: 'correct horse battery' },
      headers: { 'x-forwarded-for': '203.0.113.1' },
    });
    expect(res.status).toBe(201);
  });
  afterAll(() => proxied.stop());

  /** `count` wrong guesses at `username`, each from a new address that first waits out its delay. */
  async function guess(username: string, count: number, prefix: string) {
    for (let i = 0; i < count; i++) {
      const address = `${prefix}.${i}`;
      let res = await from(address, username, 'wrong password');
      if (res.status === 429) {
        now += res.body.retry_after * 1000;
        res = await from(address, username, 'wrong password');
      }
      expect(res.status).toBe(401);
    }
  }

  it('makes a fresh address wait a growing delay, then lets the right password in', async () => {
    nextMinute();
    // Three failures: 1 s, 2 s, then 4 s for the next address.
    await guess('alice', 3, '198.51.100');
    const waited = await from('203.0.113.77', 'alice', 'correct horse battery');
    expect(waited.status).toBe(429);
    expect(waited.body).toEqual({
      code: 0,
      message: 'Too many failed logins for this account; try again after retry_after seconds.',
      retry_after: 4,
      global: false,
    });
    expect(header(waited, 'Retry-After')).toBe('4');
    now += 3000;
    expect((await from('203.0.113.77', 'alice', 'correct horse battery')).body.retry_after).toBe(1);
    now += 1000;
    expect((await from('203.0.113.77', 'alice', 'correct horse battery')).status).toBe(200);
  }, 30_000);

  it('caps the delay at 30 s however many addresses keep guessing, and never locks the owner out', async () => {
    nextMinute();
    await guess('alice', 8, '198.51.101');
    const waited = await from('203.0.113.78', 'alice', 'correct horse battery');
    expect(waited.body.retry_after).toBe(30);
    // More guessing from yet more addresses while the owner waits does not move the owner's turn.
    now += 15_000;
    for (let i = 0; i < 5; i++) expect((await from(`198.51.102.${i}`, 'alice', 'wrong password')).body.retry_after).toBe(30);
    now += 15_000;
    expect((await from('203.0.113.78', 'alice', 'correct horse battery')).status).toBe(200);
  }, 60_000);

  it('lets an address that recently logged in skip the delay', async () => {
    nextMinute();
    await guess('alice', 5, '198.51.103');
    expect((await from('203.0.113.1', 'alice', 'correct horse battery')).status).toBe(200);
  }, 30_000);

  it('answers a name with no account exactly as it answers a real one', async () => {
    nextMinute();
    await guess('nobody', 3, '198.51.104');
    const waited = await from('203.0.113.79', 'nobody', 'correct horse battery');
    expect({ status: waited.status, body: waited.body, retryAfter: header(waited, 'Retry-After') }).toEqual({
      status: 429,
      body: { code: 0, message: 'Too many failed logins for this account; try again after retry_after seconds.', retry_after: 4, global: false },
      retryAfter: '4',
    });
    now += 4000;
    const refused = await from('203.0.113.79', 'nobody', 'correct horse battery');
    expect({ status: refused.status, body: refused.body }).toEqual({ status: 401, body: { code: 0, message: 'Invalid username or password' } });
  }, 30_000);
});

describe('startServer({ rateLimits: false })', () => {
  it('lifts every limit and sends no rate-limit headers', async () => {
    const free = await startServer({ rateLimits: false }, clock);
    try {
      const [person] = await people(free, 'free');
      const freeGuild = await createGuild(free, person, 'Free');
      for (let i = 0; i < 60; i++) {
        const res = await free.api('POST', `/api/v1/channels/${freeGuild.generalId}/messages`, as(person, { content: `m${i}` }));
        expect({ i, status: res.status }).toEqual({ i, status: 200 });
        expect(header(res, 'X-RateLimit-Limit')).toBeNull();
      }
      const logins = await Promise.all(
        Array.from({ length: 11 }, () => free.api('POST', '/api/v1/auth/login', { body: { username: 'free', password: 'nope-nope' } })),
      );
      expect(logins.map((r) => r.status)).toEqual(Array(11).fill(401));
    } finally {
      await free.stop();
    }
  }, 30_000);
});

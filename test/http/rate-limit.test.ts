import { beforeEach, describe, expect, it } from 'bun:test';
import { bucketHash, RateLimiter, type RateLimitRule } from '../../src/http/rate-limit.ts';
import {
  DEFAULT_RATE_LIMITS,
  DEFAULT_USER_RATE_LIMITS,
  GATEWAY_FRAME_RATE_LIMIT,
  IDENTIFY_RATE_LIMIT,
  LOGIN_RATE_LIMIT,
  REGISTER_RATE_LIMIT,
  type RestRateLimits,
} from '../../src/http/rate-limit-rules.ts';
import { checkRequest, routeKey } from '../../src/http/rest-rate-limit.ts';

const T0 = 1_700_000_000_123; // a ms part, so epoch-second headers show their fraction
let now = T0;
const clock = { now: () => now };
const advance = (ms: number) => {
  now += ms;
};

const BOT = '1100000000000000001';
const OTHER_BOT = '1100000000000000002';
const CHANNEL = '1200000000000000001';
const OTHER_CHANNEL = '1200000000000000002';
const POST_MESSAGES = 'POST /channels/:id/messages';
const GET_MESSAGES = 'GET /channels/:id/messages';
const THREE_PER_SECOND: RateLimitRule = { limit: 3, windowMs: 1000, name: 'three' };

beforeEach(() => {
  now = T0;
});

describe('bucketHash', () => {
  it('is 32-bit FNV-1a as 8 hex digits', () => {
    expect(bucketHash('')).toBe('811c9dc5');
    expect(bucketHash('a')).toBe('e40c292c');
    expect(bucketHash('foobar')).toBe('bf9cf968');
  });
});

describe('RateLimiter.take', () => {
  it('allows limit takes per window, counting remaining down', () => {
    const limiter = new RateLimiter(clock);
    expect(limiter.take('k', THREE_PER_SECOND)).toStrictEqual({
      allowed: true,
      limit: 3,
      remaining: 2,
      resetAt: T0 + 1000,
      resetAfter: 1,
      bucket: bucketHash('three'),
    });
    advance(250);
    expect(limiter.take('k', THREE_PER_SECOND)).toMatchObject({ allowed: true, remaining: 1, resetAfter: 0.75 });
    expect(limiter.take('k', THREE_PER_SECOND)).toMatchObject({ allowed: true, remaining: 0, resetAt: T0 + 1000 });
  });

  it('denies the take past the limit with remaining 0 and the time left in the window', () => {
    const limiter = new RateLimiter(clock);
    for (let i = 0; i < 3; i++) limiter.take('k', THREE_PER_SECOND);
    advance(401);
    expect(limiter.take('k', THREE_PER_SECOND)).toStrictEqual({
      allowed: false,
      limit: 3,
      remaining: 0,
      resetAt: T0 + 1000,
      resetAfter: 0.599,
      bucket: bucketHash('three'),
    });
  });

  it('neither moves the window nor stretches the wait on denied takes', () => {
    const limiter = new RateLimiter(clock);
    for (let i = 0; i < 3; i++) limiter.take('k', THREE_PER_SECOND);
    for (let i = 0; i < 10; i++) expect(limiter.take('k', THREE_PER_SECOND).resetAt).toBe(T0 + 1000);
    advance(1000);
    const remaining = [1, 2, 3].map(() => limiter.take('k', THREE_PER_SECOND).remaining);
    expect(remaining).toEqual([2, 1, 0]);
  });

  it('starts a fresh window exactly when the old one ends', () => {
    const limiter = new RateLimiter(clock);
    for (let i = 0; i < 3; i++) limiter.take('k', THREE_PER_SECOND);
    advance(999);
    expect(limiter.take('k', THREE_PER_SECOND).allowed).toBe(false);
    advance(1);
    expect(limiter.take('k', THREE_PER_SECOND)).toMatchObject({ allowed: true, remaining: 2, resetAt: T0 + 2000 });
  });

  it('keeps separate windows per key and per rule name for the same key', () => {
    const limiter = new RateLimiter(clock);
    const other: RateLimitRule = { limit: 1, windowMs: 1000, name: 'other' };
    for (let i = 0; i < 3; i++) limiter.take('a', THREE_PER_SECOND);
    expect(limiter.take('a', THREE_PER_SECOND).allowed).toBe(false);
    expect(limiter.take('b', THREE_PER_SECOND)).toMatchObject({ allowed: true, remaining: 2 });
    expect(limiter.take('a', other)).toMatchObject({ allowed: true, remaining: 0, bucket: bucketHash('other') });
  });

  it('reports a bucket that depends on the rule name only, never on the key', () => {
    const limiter = new RateLimiter(clock);
    const a = limiter.take('token-abc', THREE_PER_SECOND).bucket;
    const b = limiter.take(BOT, THREE_PER_SECOND).bucket;
    expect(a).toBe(b);
    expect(a).toMatch(/^[0-9a-f]{8}$/);
  });

  it('rejects a cap below one bucket', () => {
    expect(() => new RateLimiter(clock, { maxBuckets: 0 })).toThrow(RangeError);
  });
});

describe('RateLimiter.peek', () => {
  it('shows the bucket without taking or storing anything', () => {
    const limiter = new RateLimiter(clock);
    expect(limiter.peek('k', THREE_PER_SECOND)).toStrictEqual({
      allowed: true,
      limit: 3,
      remaining: 3,
      resetAt: T0 + 1000,
      resetAfter: 1,
      bucket: bucketHash('three'),
    });
    expect(limiter.size).toBe(0);
    for (let i = 0; i < 3; i++) limiter.take('k', THREE_PER_SECOND);
    advance(100);
    expect(limiter.peek('k', THREE_PER_SECOND)).toMatchObject({ allowed: false, remaining: 0, resetAfter: 0.9 });
  });
});

describe('RateLimiter memory', () => {
  it('sweeps ended windows by itself after sweepEvery takes', () => {
    const limiter = new RateLimiter(clock, { sweepEvery: 4 });
    for (const key of ['a', 'b', 'c']) limiter.take(key, THREE_PER_SECOND);
    expect(limiter.size).toBe(3);
    advance(1000);
    limiter.take('d', THREE_PER_SECOND); // the 4th take: a, b and c have ended
    expect(limiter.size).toBe(1);
    expect(limiter.peek('d', THREE_PER_SECOND).remaining).toBe(2);
  });

  it('keeps live windows when sweeping and says how many it dropped', () => {
    const limiter = new RateLimiter(clock);
    const long: RateLimitRule = { limit: 3, windowMs: 60_000, name: 'long' };
    limiter.take('a', THREE_PER_SECOND);
    limiter.take('b', THREE_PER_SECOND);
    limiter.take('a', long);
    advance(1000);
    expect(limiter.sweep()).toBe(2);
    expect(limiter.size).toBe(1);
    expect(limiter.peek('a', long).remaining).toBe(2);
  });

  it('evicts the least recently used window beyond the cap', () => {
    const limiter = new RateLimiter(clock, { maxBuckets: 3 });
    for (const key of ['a', 'b', 'c']) limiter.take(key, THREE_PER_SECOND);
    limiter.take('a', THREE_PER_SECOND); // a is now the most recent; b the least
    limiter.take('d', THREE_PER_SECOND);
    expect(limiter.size).toBe(3);
    expect(limiter.peek('a', THREE_PER_SECOND).remaining).toBe(1);
    expect(limiter.peek('b', THREE_PER_SECOND).remaining).toBe(3); // forgotten
    expect(limiter.peek('c', THREE_PER_SECOND).remaining).toBe(2);
    expect(limiter.peek('d', THREE_PER_SECOND).remaining).toBe(2);
  });

  it('never holds more than the cap under a flood of new keys', () => {
    const limiter = new RateLimiter(clock, { maxBuckets: 100 });
    for (let i = 0; i < 10_000; i++) limiter.take(`ip-${i}`, LOGIN_RATE_LIMIT);
    expect(limiter.size).toBe(100);
  });
});

describe('RateLimiter disabled (HARMONY_RATE_LIMITS=off)', () => {
  it('allows every take, stores nothing and reports nothing used', () => {
    const limiter = new RateLimiter(clock, { enabled: false });
    for (let i = 0; i < 10; i++) {
      expect(limiter.take('k', THREE_PER_SECOND)).toStrictEqual({
        allowed: true,
        limit: 3,
        remaining: 3,
        resetAt: T0,
        resetAfter: 0,
        bucket: bucketHash('three'),
      });
    }
    expect(limiter.size).toBe(0);
  });
});

describe('default rules', () => {
  it('are the seed table for bots', () => {
    expect(DEFAULT_RATE_LIMITS).toStrictEqual({
      routes: {
        [POST_MESSAGES]: { limit: 5, windowMs: 1000, name: POST_MESSAGES },
        [GET_MESSAGES]: { limit: 10, windowMs: 1000, name: GET_MESSAGES },
      },
      fallback: { limit: 10, windowMs: 1000, name: 'route' },
      global: { limit: 50, windowMs: 60_000, name: 'global' },
    });
  });

  it('give humans the same routes and a 50 per second global bucket', () => {
    expect(DEFAULT_USER_RATE_LIMITS.routes).toBe(DEFAULT_RATE_LIMITS.routes);
    expect(DEFAULT_USER_RATE_LIMITS.global).toStrictEqual({ limit: 50, windowMs: 1000, name: 'global-user' });
  });

  it('limit login and registration (in separate buckets), gateway frames and IDENTIFY', () => {
    expect(LOGIN_RATE_LIMIT).toStrictEqual({ limit: 10, windowMs: 60_000, name: 'login' });
    expect(REGISTER_RATE_LIMIT).toStrictEqual({ limit: 10, windowMs: 3_600_000, name: 'register' });
    expect(GATEWAY_FRAME_RATE_LIMIT).toStrictEqual({ limit: 120, windowMs: 60_000, name: 'gateway-frame' });
    expect(IDENTIFY_RATE_LIMIT).toStrictEqual({ limit: 10, windowMs: 5000, name: 'gateway-identify' });
  });
});

describe('routeKey', () => {
  it('drops the API prefix and names every parameter :id', () => {
    expect(routeKey('post', '/api/v10/channels/:channel_id/messages')).toBe(POST_MESSAGES);
    expect(routeKey('GET', '/api/v1/channels/:id/messages')).toBe(GET_MESSAGES);
    expect(routeKey('PUT', '/channels/:channelId/messages/:messageId/reactions/:emoji/@me')).toBe('PUT /channels/:id/messages/:id/reactions/:id/@me');
    expect(routeKey('GET', '/users/@me')).toBe('GET /users/@me');
  });
});

describe('checkRequest', () => {
  const post = (limiter: RateLimiter, caller = BOT, channel: string | null = CHANNEL) => checkRequest(limiter, caller, POST_MESSAGES, channel);

  it('answers an allowed request with the route bucket headers', () => {
    const limiter = new RateLimiter(clock);
    expect(post(limiter)).toStrictEqual({
      allowed: true,
      headers: {
        'X-RateLimit-Limit': '5',
        'X-RateLimit-Remaining': '4',
        'X-RateLimit-Reset': '1700000001.123',
        'X-RateLimit-Reset-After': '1',
        'X-RateLimit-Bucket': bucketHash(POST_MESSAGES),
      },
    });
  });

  it('denies the 6th POST message in one second with Retry-After until the window ends', () => {
    const limiter = new RateLimiter(clock);
    for (let i = 0; i < 5; i++) expect(post(limiter).allowed).toBe(true);
    advance(400);
    expect(post(limiter)).toStrictEqual({
      allowed: false,
      global: false,
      retryAfter: 0.6,
      headers: {
        'X-RateLimit-Limit': '5',
        'X-RateLimit-Remaining': '0',
        'X-RateLimit-Reset': '1700000001.123',
        'X-RateLimit-Reset-After': '0.6',
        'X-RateLimit-Bucket': bucketHash(POST_MESSAGES),
        'Retry-After': '0.6',
        'X-RateLimit-Scope': 'user',
      },
    });
  });

  it('allows POSTs again once the window resets', () => {
    const limiter = new RateLimiter(clock);
    for (let i = 0; i < 6; i++) post(limiter);
    advance(1000);
    expect(post(limiter)).toStrictEqual({
      allowed: true,
      headers: {
        'X-RateLimit-Limit': '5',
        'X-RateLimit-Remaining': '4',
        'X-RateLimit-Reset': '1700000002.123',
        'X-RateLimit-Reset-After': '1',
        'X-RateLimit-Bucket': bucketHash(POST_MESSAGES),
      },
    });
  });

  it('keeps a separate bucket per channel (major parameter)', () => {
    const limiter = new RateLimiter(clock);
    for (let i = 0; i < 5; i++) post(limiter, BOT, CHANNEL);
    expect(post(limiter, BOT, CHANNEL).allowed).toBe(false);
    const other = post(limiter, BOT, OTHER_CHANNEL);
    expect(other.allowed).toBe(true);
    expect(other.headers?.['X-RateLimit-Remaining']).toBe('4');
    expect(other.headers?.['X-RateLimit-Bucket']).toBe(bucketHash(POST_MESSAGES));
  });

  it('keeps a separate bucket per caller', () => {
    const limiter = new RateLimiter(clock);
    for (let i = 0; i < 5; i++) post(limiter, BOT);
    expect(post(limiter, BOT).allowed).toBe(false);
    expect(post(limiter, OTHER_BOT)).toMatchObject({ allowed: true, headers: { 'X-RateLimit-Remaining': '4' } });
  });

  it('gives GET messages 10 per second and every other route its own 10 per second bucket', () => {
    const limiter = new RateLimiter(clock);
    for (let i = 0; i < 10; i++) expect(checkRequest(limiter, BOT, GET_MESSAGES, CHANNEL).allowed).toBe(true);
    expect(checkRequest(limiter, BOT, GET_MESSAGES, CHANNEL).allowed).toBe(false);

    for (let i = 0; i < 10; i++) checkRequest(limiter, BOT, 'GET /users/@me', null);
    const me = checkRequest(limiter, BOT, 'GET /users/@me', null);
    expect(me).toMatchObject({ allowed: false, global: false, headers: { 'X-RateLimit-Limit': '10' } });
    const guild = checkRequest(limiter, BOT, 'GET /guilds/:id', '1300000000000000001');
    expect(guild).toMatchObject({ allowed: true, headers: { 'X-RateLimit-Remaining': '9' } });
    expect(guild.headers?.['X-RateLimit-Bucket']).toBe(bucketHash('route GET /guilds/:id'));
    expect(me.headers?.['X-RateLimit-Bucket']).toBe(bucketHash('route GET /users/@me'));
  });

  it('denies the 51st request in a minute with the global flag, and the route bucket untouched', () => {
    const limiter = new RateLimiter(clock);
    // 50 requests over 10 s, never more than 5 a second on the route.
    for (let s = 0; s < 10; s++) {
      for (let i = 0; i < 5; i++) expect(post(limiter).allowed).toBe(true);
      advance(1000);
    }
    expect(post(limiter)).toStrictEqual({
      allowed: false,
      global: true,
      retryAfter: 50,
      headers: {
        'X-RateLimit-Limit': '5',
        'X-RateLimit-Remaining': '5',
        'X-RateLimit-Reset': '1700000011.123',
        'X-RateLimit-Reset-After': '1',
        'X-RateLimit-Bucket': bucketHash(POST_MESSAGES),
        'Retry-After': '50',
        'X-RateLimit-Global': 'true',
        'X-RateLimit-Scope': 'global',
      },
    });
    advance(49_999);
    expect(post(limiter)).toMatchObject({ allowed: false, global: true, retryAfter: 0.001 });
    advance(1);
    expect(post(limiter).allowed).toBe(true);
  });

  it('does not consume the route bucket when the global bucket denies', () => {
    const limiter = new RateLimiter(clock);
    const rules: RestRateLimits = {
      routes: { [POST_MESSAGES]: { limit: 2, windowMs: 60_000, name: 'post' } },
      fallback: DEFAULT_RATE_LIMITS.fallback,
      global: { limit: 3, windowMs: 10_000, name: 'g3' },
    };
    const send = (channel: string) => checkRequest(limiter, BOT, POST_MESSAGES, channel, rules);
    send('1');
    send('2');
    send('3');
    expect(send('1')).toMatchObject({ allowed: false, global: true, headers: { 'X-RateLimit-Remaining': '1' } });
    advance(10_000);
    expect(send('1')).toMatchObject({ allowed: true, headers: { 'X-RateLimit-Remaining': '0' } });
  });

  it('does not consume the global bucket when the route bucket denies', () => {
    const limiter = new RateLimiter(clock);
    const rules: RestRateLimits = {
      routes: { [POST_MESSAGES]: { limit: 1, windowMs: 60_000, name: 'post' } },
      fallback: DEFAULT_RATE_LIMITS.fallback,
      global: { limit: 3, windowMs: 60_000, name: 'g3' },
    };
    const send = (channel: string) => checkRequest(limiter, BOT, POST_MESSAGES, channel, rules);
    expect(send('1').allowed).toBe(true);
    for (let i = 0; i < 5; i++) expect(send('1')).toMatchObject({ allowed: false, global: false });
    expect(send('2').allowed).toBe(true);
    expect(send('3').allowed).toBe(true);
    expect(send('4')).toMatchObject({ allowed: false, global: true });
  });

  it('lets a human make 50 requests a second where a bot waits for the minute', () => {
    const limiter = new RateLimiter(clock);
    const channels = ['1', '2', '3', '4', '5', '6'];
    const get = (caller: string, channel: string, rules?: RestRateLimits) => checkRequest(limiter, caller, GET_MESSAGES, channel, rules);
    for (let i = 0; i < 50; i++) expect(get('human', channels[i % 6] as string, DEFAULT_USER_RATE_LIMITS).allowed).toBe(true);
    expect(get('human', '6', DEFAULT_USER_RATE_LIMITS)).toMatchObject({ allowed: false, global: true, retryAfter: 1 });
    advance(1000);
    expect(get('human', '6', DEFAULT_USER_RATE_LIMITS).allowed).toBe(true);

    for (let i = 0; i < 50; i++) get('bot', channels[i % 6] as string);
    advance(1000);
    expect(get('bot', '6')).toMatchObject({ allowed: false, global: true, retryAfter: 59 });
  });

  it('never puts the caller id in a header', () => {
    const limiter = new RateLimiter(clock);
    for (let i = 0; i < 6; i++) {
      const result = post(limiter);
      expect(JSON.stringify(result.headers)).not.toContain(BOT);
    }
  });

  it('allows everything and produces no headers when rate limits are off', () => {
    const limiter = new RateLimiter(clock, { enabled: false });
    for (let i = 0; i < 100; i++) expect(post(limiter)).toStrictEqual({ allowed: true, headers: null });
    expect(limiter.size).toBe(0);
  });
});

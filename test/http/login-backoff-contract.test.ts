// The per-account login backoff as a port: the same scenarios run against LoginBackoff (one process) and
// SharedLoginBackoff (Redis, a throwaway redis-server), on one fake clock, and must answer alike. The finer rules
// of the in-process engine are in login-backoff.test.ts.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { Redis } from '../../src/cluster/redis.ts';
import { LoginBackoff } from '../../src/http/login-backoff.ts';
import { type LoginAttempts, SharedLoginBackoff } from '../../src/http/shared-login-backoff.ts';
import { startRedis, type TestRedis } from '../support/redis-server.ts';

let server: TestRedis;
let redis: Redis;
let run = 0;
let now = 1_700_000_000_000;
const clock = { now: () => now };

beforeAll(async () => {
  server = await startRedis();
  redis = new Redis(server.url);
  await redis.connect();
});
afterAll(async () => {
  redis.close();
  await server.close();
});

const adapters: [string, () => LoginAttempts][] = [
  ['memory', () => new LoginBackoff(clock)],
  ['redis', () => new SharedLoginBackoff(redis, clock, {}, `lb${++run}:`)],
];

describe.each(adapters)('login backoff (%s)', (_name, make) => {
  test('failures make other addresses wait 1 s, then 2 s; each address serves its own wait; case does not matter', async () => {
    const backoff = make();
    expect(await backoff.admit('Alice', '10.0.0.1')).toBeNull();
    await backoff.settle('alice', '10.0.0.1', 'failed');
    expect(await backoff.admit('ALICE', '10.0.0.2')).toBe(1);
    now += 400;
    expect(await backoff.admit('alice', '10.0.0.2')).toBe(0.6);
    now += 600;
    expect(await backoff.admit('alice', '10.0.0.2')).toBeNull();
    await backoff.settle('alice', '10.0.0.2', 'failed');
    expect(await backoff.admit('alice', '10.0.0.3')).toBe(2);
    // Another account is untouched.
    expect(await backoff.admit('bob', '10.0.0.3')).toBeNull();
  });

  test('an attempt being checked counts as a failure until it settles, so a burst cannot slip through', async () => {
    const backoff = make();
    await backoff.settle('carol', '10.0.0.1', 'failed');
    expect(await backoff.admit('carol', '10.0.0.1')).toBe(1);
    now += 1000;
    expect(await backoff.admit('carol', '10.0.0.1')).toBeNull();
    // Still being checked: the next address is told 2 s, as if it had failed.
    expect(await backoff.admit('carol', '10.0.0.9')).toBe(2);
    await backoff.settle('carol', '10.0.0.1', 'aborted');
  });

  test('an address that logged in (or created the account) skips the wait; success forgets the failures', async () => {
    const backoff = make();
    await backoff.trust('dave', '10.0.0.7');
    await backoff.settle('dave', '10.0.0.1', 'failed');
    await backoff.settle('dave', '10.0.0.1', 'failed');
    expect(await backoff.admit('dave', '10.0.0.7')).toBeNull();
    await backoff.settle('dave', '10.0.0.7', 'succeeded');
    expect(await backoff.admit('dave', '10.0.0.2')).toBeNull();
  });

  test('failures are forgotten 15 minutes after the last one', async () => {
    const backoff = make();
    expect(await backoff.admit('erin', '10.0.0.1')).toBeNull();
    await backoff.settle('erin', '10.0.0.1', 'failed');
    now += 15 * 60_000;
    expect(await backoff.admit('erin', '10.0.0.2')).toBeNull();
  });
});

test('two nodes on one Redis back off one account together', async () => {
  const prefix = `lb${++run}:`;
  const one = new SharedLoginBackoff(redis, clock, {}, prefix);
  const two = new SharedLoginBackoff(redis, clock, {}, prefix);
  expect(await one.admit('frank', '10.0.0.1')).toBeNull();
  await one.settle('frank', '10.0.0.1', 'failed');
  expect(await two.admit('frank', '10.0.0.2')).toBe(1);
});

// The per-account login backoff on a fake clock: the delay grows with failures, is served per address, spares
// addresses that logged in recently, and cannot be stretched by other addresses into a lockout.
import { beforeEach, describe, expect, it } from 'bun:test';
import { LoginBackoff } from '../../src/http/login-backoff.ts';

let now = 1_700_000_000_000;
const clock = { now: () => now };
const advance = (ms: number) => {
  now += ms;
};
let backoff: LoginBackoff;

beforeEach(() => {
  backoff = new LoginBackoff(clock);
});

/** One checked attempt with the given outcome; fails the test if the attempt had to wait. */
function attempt(account: string, address: string, outcome: 'succeeded' | 'failed') {
  expect(backoff.admit(account, address)).toBeNull();
  backoff.settle(account, address, outcome);
}

/** Serves whatever wait the address is told, then makes one checked attempt. */
function waitThenAttempt(account: string, address: string, outcome: 'succeeded' | 'failed'): number {
  const wait = backoff.admit(account, address);
  if (wait === null) {
    backoff.settle(account, address, outcome);
    return 0;
  }
  advance(wait * 1000);
  attempt(account, address, outcome);
  return wait;
}

describe('LoginBackoff', () => {
  it('doubles the delay from 1 s with each failure, up to 30 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 20].map((f) => backoff.delayAfter(f))).toEqual([0, 1000, 2000, 4000, 8000, 16000, 30000, 30000]);
  });

  it('makes an address wait the delay before its next attempt on a failing account', () => {
    attempt('alice', '203.0.113.1', 'failed');
    expect(backoff.admit('alice', '203.0.113.1')).toBe(1);
    advance(400);
    expect(backoff.admit('alice', '203.0.113.1')).toBe(0.6);
    advance(600);
    attempt('alice', '203.0.113.1', 'failed');
    expect(backoff.admit('alice', '203.0.113.1')).toBe(2);
  });

  it('counts names case-insensitively, as accounts are', () => {
    attempt('Alice', '203.0.113.1', 'failed');
    expect(backoff.admit('ALICE', '203.0.113.2')).toBe(1);
  });

  it('lets the right password from a fresh address in within 30 s while many addresses keep failing', () => {
    for (let i = 0; i < 40; i++) waitThenAttempt('alice', `198.51.100.${i}`, 'failed');
    const wait = backoff.admit('alice', '203.0.113.50');
    expect(wait).toBe(30);
    // Attackers go on failing during the wait; they cannot push the waiting address's turn back.
    for (let i = 0; i < 30; i++) {
      advance(1000);
      const attackerWait = backoff.admit('alice', `192.0.2.${i}`);
      expect(attackerWait).toBe(30);
    }
    expect(backoff.admit('alice', '203.0.113.50')).toBeNull();
    backoff.settle('alice', '203.0.113.50', 'succeeded');
    expect(backoff.admit('alice', '192.0.2.99')).toBeNull();
  });

  it('gives each address one check per served delay, however many attempts it sends', () => {
    for (let i = 0; i < 6; i++) waitThenAttempt('alice', '198.51.100.1', 'failed');
    expect(backoff.admit('alice', '198.51.100.1')).toBe(30);
    for (let i = 0; i < 29; i++) {
      advance(1000);
      expect(backoff.admit('alice', '198.51.100.1')).toBe(30 - i - 1);
    }
    advance(1000);
    expect(backoff.admit('alice', '198.51.100.1')).toBeNull();
  });

  it('lets an address that logged in recently skip the delay', () => {
    attempt('alice', '203.0.113.1', 'succeeded');
    for (let i = 0; i < 10; i++) waitThenAttempt('alice', `198.51.100.${i}`, 'failed');
    expect(backoff.admit('alice', '203.0.113.1')).toBeNull();
    backoff.settle('alice', '203.0.113.1', 'succeeded');
  });

  it('lets the address that created the account skip the delay', () => {
    backoff.trust('alice', '203.0.113.1');
    waitThenAttempt('alice', '198.51.100.1', 'failed');
    expect(backoff.admit('alice', '203.0.113.1')).toBeNull();
  });

  it('counts attempts being checked, so a burst of parallel guesses gets one check', () => {
    expect(backoff.admit('alice', '198.51.100.1')).toBeNull();
    expect(backoff.admit('alice', '198.51.100.2')).toBe(1);
    expect(backoff.admit('alice', '198.51.100.3')).toBe(1);
  });

  it('resets on success and forgets failures 15 minutes after the last', () => {
    for (let i = 0; i < 3; i++) waitThenAttempt('alice', '198.51.100.1', 'failed');
    waitThenAttempt('alice', '198.51.100.1', 'succeeded');
    expect(backoff.admit('alice', '198.51.100.2')).toBeNull();
    backoff.settle('alice', '198.51.100.2', 'failed');
    advance(15 * 60_000);
    expect(backoff.admit('alice', '198.51.100.3')).toBeNull();
  });

  it('does not count an attempt that neither succeeded nor failed', () => {
    expect(backoff.admit('alice', '198.51.100.1')).toBeNull();
    backoff.settle('alice', '198.51.100.1', 'aborted');
    expect(backoff.admit('alice', '198.51.100.2')).toBeNull();
  });

  it('makes a served wait stale after a minute unused', () => {
    attempt('alice', '198.51.100.1', 'failed');
    expect(backoff.admit('alice', '198.51.100.2')).toBe(1);
    advance(1000 + 60_001);
    expect(backoff.admit('alice', '198.51.100.2')).toBe(1);
  });

  it('holds at most maxAccounts accounts under a flood of names', () => {
    const small = new LoginBackoff(clock, { maxAccounts: 100 });
    for (let i = 0; i < 1000; i++) {
      small.admit(`name${i}`, '198.51.100.1');
      small.settle(`name${i}`, '198.51.100.1', 'failed');
    }
    expect(small.size).toBe(100);
  });

  it('checks every attempt at once when rate limits are off', () => {
    const off = new LoginBackoff(clock, { enabled: false });
    for (let i = 0; i < 20; i++) {
      expect(off.admit('alice', '198.51.100.1')).toBeNull();
      off.settle('alice', '198.51.100.1', 'failed');
    }
  });
});

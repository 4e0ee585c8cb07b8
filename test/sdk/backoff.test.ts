import { describe, expect, it } from 'bun:test';
import { backoffDelay, DEFAULT_BACKOFF } from '../../src/sdk/backoff.ts';

describe('backoffDelay', () => {
  it('doubles from 1s and caps at 30s by default (upper bound of the jitter)', () => {
    const ceilings = [0, 1, 2, 3, 4, 5, 6, 50].map((attempt) => backoffDelay(attempt, DEFAULT_BACKOFF, () => 1));
    expect(ceilings).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });

  it('jitters within the upper half of the ceiling', () => {
    expect(backoffDelay(2, DEFAULT_BACKOFF, () => 0)).toBe(2000);
    expect(backoffDelay(2, DEFAULT_BACKOFF, () => 0.5)).toBe(3000);
    for (let i = 0; i < 100; i++) {
      const delay = backoffDelay(1, DEFAULT_BACKOFF);
      expect(delay).toBeGreaterThanOrEqual(1000);
      expect(delay).toBeLessThanOrEqual(2000);
    }
  });

  it('honours custom base and cap', () => {
    expect([0, 1, 2, 3].map((a) => backoffDelay(a, { baseDelay: 10, maxDelay: 40 }, () => 1))).toEqual([10, 20, 40, 40]);
  });
});

// A session's topic history: replay asks whether it was subscribed when each buffered dispatch went out.
import { describe, expect, it } from 'bun:test';
import { reaches, toTopic, toUsers } from '../../src/gateway/audience.ts';
import type { GatewayDialect } from '../../src/gateway/dialect.ts';
import { GatewaySession } from '../../src/gateway/session.ts';

const dialect = { id: 'test' } as unknown as GatewayDialect;
const session = () =>
  new GatewaySession({ id: 's1', userId: 'u1', kind: 'bot', tokenHash: 'ab', dialect, streams: ['x'], startSeq: 0, platform: 'desktop', presence: undefined });

describe('GatewaySession.wasSubscribed', () => {
  it('answers for dispatches before and after each change', () => {
    const s = session();
    s.setTopic('c:1', true, 0); // before dispatch 1
    s.setTopic('c:1', false, 3); // after dispatch 3, before 4
    s.setTopic('c:1', true, 6); // after dispatch 6
    expect([1, 2, 3, 4, 5, 6, 7].map((seq) => s.wasSubscribed('c:1', seq))).toEqual([true, true, true, false, false, false, true]);
    expect(s.wasSubscribed('c:2', 5)).toBe(false);
  });

  it('ignores changes that change nothing', () => {
    const s = session();
    expect(s.setTopic('g:1', true, 1)).toBe(true);
    expect(s.setTopic('g:1', true, 2)).toBe(false);
    expect(s.pendingChanges).toBe(1);
  });

  it('forgets changes no replayable dispatch can be affected by', () => {
    const s = session();
    s.setTopic('c:1', true, 1);
    s.setTopic('c:2', true, 5);
    s.setTopic('c:1', false, 9);
    s.forgetChangesBefore(6);
    expect(s.pendingChanges).toBe(1);
    // Dispatches 6.. are answered exactly as before.
    expect([6, 9, 10].map((seq) => s.wasSubscribed('c:1', seq))).toEqual([true, true, false]);
    expect(s.wasSubscribed('c:2', 6)).toBe(true);
  });
});

describe("a session's own subscriptions at IDENTIFY", () => {
  it('are not remembered as changes (no replayable dispatch precedes them), and answer as before', () => {
    const s = new GatewaySession({
      id: 's2',
      userId: 'u1',
      kind: 'bot',
      tokenHash: 'ab',
      dialect,
      streams: ['x'],
      startSeq: 5,
      platform: 'desktop',
      presence: undefined,
    });
    s.setTopic('g:1', true, 5);
    s.setTopic('c:1', true, 5);
    expect(s.pendingChanges).toBe(0);
    s.setTopic('c:1', false, 7);
    expect(s.pendingChanges).toBe(1);
    expect([6, 7, 8].map((seq) => s.wasSubscribed('c:1', seq))).toEqual([true, true, false]);
    expect(s.wasSubscribed('g:1', 6)).toBe(true);
  });
});

describe('reaches', () => {
  it('checks topic audiences against the topic history and user audiences against the user', () => {
    const s = session();
    s.setTopic('c:1', true, 4);
    expect(reaches(toTopic('c:1'), s, 4)).toBe(false);
    expect(reaches(toTopic('c:1'), s, 5)).toBe(true);
    expect(reaches(toUsers(['u2', 'u1']), s, 1)).toBe(true);
    expect(reaches(toUsers(['u2']), s, 9)).toBe(false);
  });
});

// The token caches (bots' and sessions'): an entry lives TTL_MS (5 s) at most, and goes at once when the holder's
// account or credentials change by an event, or when a bot's intents change on this node.
import { describe, expect, it } from 'bun:test';
import { TokenCallers } from '../../src/domain/token-callers.ts';
import type { User } from '../../src/domain/users.ts';
import type { DomainEvent } from '../../src/events/domain-events.ts';
import { EventHub } from '../../src/events/event-hub.ts';

const bot = (id: string) => ({ id, username: `bot${id}`, bot: true }) as User;

function setUp() {
  let now = 1_000;
  const callers = new TokenCallers<User>(
    { now: () => now },
    (b) => b.id,
    (b) => !b.disabled,
  );
  const hub = new EventHub();
  callers.watch(hub);
  return { callers, hub, advance: (ms: number) => (now += ms) };
}

describe('TokenCallers', () => {
  it('answers a remembered bot for five seconds, then asks again', async () => {
    const { callers, advance } = setUp();
    expect(callers.get('aa')).toBeNull();
    await callers.resolve('aa', async () => bot('1'));
    expect(callers.get('aa')?.id).toBe('1');
    advance(4_999);
    expect(callers.get('aa')?.id).toBe('1');
    advance(1);
    expect(callers.get('aa')).toBeNull();
  });

  it('keeps neither a disabled bot nor one whose account changed while it was read', async () => {
    const { callers, hub } = setUp();
    expect((await callers.resolve('aa', async () => ({ ...bot('1'), disabled: true }) as User))?.id).toBe('1');
    expect(callers.get('aa')).toBeNull();
    const answer = await callers.resolve('aa', async () => {
      hub.publish([{ type: 'credentials.revoked', userId: '1', tokenHash: null } as DomainEvent]);
      return bot('1');
    });
    expect(answer?.id).toBe('1');
    expect(callers.get('aa')).toBeNull();
  });

  it('forgets every token of a bot whose credentials are revoked or whose account changes, and only that bot', async () => {
    const { callers, hub } = setUp();
    await callers.resolve('aa', async () => bot('1'));
    await callers.resolve('bb', async () => bot('1'));
    await callers.resolve('cc', async () => bot('2'));
    hub.publish([{ type: 'credentials.revoked', userId: '1', tokenHash: null } as DomainEvent]);
    expect([callers.get('aa'), callers.get('bb'), callers.get('cc')?.id]).toEqual([null, null, '2']);
    hub.publish([{ type: 'user.update', user: bot('2') } as DomainEvent]);
    expect(callers.get('cc')).toBeNull();
  });

  it('forgets a bot when asked (a change that carries no event)', async () => {
    const { callers } = setUp();
    await callers.resolve('aa', async () => bot('1'));
    callers.forget('1');
    expect(callers.get('aa')).toBeNull();
  });

  it('holds sessions by their user: an update of what is kept stays, an event about the user forgets it', async () => {
    let now = 1_000;
    const sessions = new TokenCallers<{ session: { id: string; lastUsedAt: number }; user: User }>(
      { now: () => now },
      ({ user }) => user.id,
      ({ user }) => !user.disabled,
    );
    const hub = new EventHub();
    sessions.watch(hub);
    await sessions.resolve('aa', async () => ({ session: { id: 's1', lastUsedAt: 0 }, user: bot('7') }));
    sessions.update('aa', (kept) => ({ ...kept, session: { ...kept.session, lastUsedAt: 900 } }));
    now += 1_000;
    expect(sessions.get('aa')?.session).toEqual({ id: 's1', lastUsedAt: 900 });
    hub.publish([{ type: 'user.update', user: bot('7') } as DomainEvent]);
    expect(sessions.get('aa')).toBeNull();
  });
});

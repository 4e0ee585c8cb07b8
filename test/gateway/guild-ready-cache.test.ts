// The READY cache's bounds (src/gateway/guild-ready-cache.ts), against repositories that count their reads: the
// least recently read guilds are let go once the parts held name too many members or are too many guilds, joins
// and leaves keep the count of held member ids exact, and a read an event overtook is used but never kept.
import { describe, expect, test } from 'bun:test';
import type { ChannelsRepo, GuildsRepo } from '../../src/domain/ports/index.ts';
import type { DomainEvent } from '../../src/events/domain-events.ts';
import { EventHub } from '../../src/events/event-hub.ts';
import { GuildReadyCache, type GuildReadyCacheLimits } from '../../src/gateway/guild-ready-cache.ts';

/** Guild `g<n>` has `members[n]` members; `reads` counts the guild reads; `hold()` makes the next read wait. */
function world(members: Record<string, number>) {
  const reads: string[] = [];
  let gate: Promise<void> | null = null;
  const guilds = {
    guild: async (id: string) => {
      reads.push(id);
      await gate;
      return id in members ? { id, name: id } : null;
    },
    roles: async () => [],
    memberIds: async (id: string) => Array.from({ length: members[id] ?? 0 }, (_, i) => `${id}-u${i}`),
  } as unknown as GuildsRepo;
  const channels = { ofGuild: async () => [], threadsOfGuild: async () => [] } as unknown as ChannelsRepo;
  const hub = new EventHub();
  return {
    reads,
    hub,
    cache: (limits: GuildReadyCacheLimits) => new GuildReadyCache(guilds, channels, hub, limits),
    hold() {
      let release: () => void = () => {};
      gate = new Promise<void>((resolve) => {
        release = () => {
          gate = null;
          resolve();
        };
      });
      return release;
    },
  };
}

const join = (guildId: string, userId: string): DomainEvent =>
  ({ type: 'member.join', member: { guildId, userId, nick: null, roleIds: [], joinedAt: 1 } }) as unknown as DomainEvent;
const leave = (guildId: string, userId: string): DomainEvent => ({ type: 'member.leave', guildId, userId, reason: 'leave' }) as DomainEvent;

describe('GuildReadyCache bounds', () => {
  test('lets the least recently read guild go once the parts held name more members than the budget', async () => {
    const w = world({ a: 40, b: 40, c: 40 });
    const cache = w.cache({ maxMemberIds: 100 });
    await cache.part('a');
    await cache.part('b');
    expect(cache.heldMemberIds).toBe(80);
    // Reading a again makes b the least recently read.
    await cache.part('a');
    await cache.part('c');
    expect(cache.size).toBe(2);
    expect(cache.heldMemberIds).toBe(80);
    expect(w.reads).toEqual(['a', 'b', 'c']);
    await cache.part('a');
    await cache.part('c');
    expect(w.reads).toEqual(['a', 'b', 'c']);
    await cache.part('b');
    expect(w.reads).toEqual(['a', 'b', 'c', 'b']);
    cache.stop();
  });

  test('counts joins and leaves into the budget, and a join past it lets the least recently read guild go', async () => {
    const w = world({ a: 50, b: 49 });
    const cache = w.cache({ maxMemberIds: 100 });
    await cache.part('a');
    await cache.part('b');
    w.hub.publish([leave('a', 'a-u0'), leave('a', 'a-u0'), join('b', 'new1')]);
    expect(cache.heldMemberIds).toBe(99);
    expect((await cache.part('b'))?.memberIds.size).toBe(50);
    w.hub.publish([join('a', 'new2'), join('a', 'new3')]);
    // 101 ids: a was read least recently, so it goes, even though the join was its own.
    expect(cache.size).toBe(1);
    expect(cache.heldMemberIds).toBe(50);
    expect((await cache.part('a'))?.memberIds.size).toBe(50);
    expect(w.reads).toEqual(['a', 'b', 'a']);
    cache.stop();
  });

  test('holds at most maxGuilds guilds, and always the one just read even when it alone is over the budget', async () => {
    const w = world({ a: 1, b: 1, c: 1, big: 500 });
    const cache = w.cache({ maxGuilds: 2, maxMemberIds: 100 });
    for (const id of ['a', 'b', 'c']) await cache.part(id);
    expect(cache.size).toBe(2);
    await cache.part('big');
    expect(cache.size).toBe(1);
    expect(cache.heldMemberIds).toBe(500);
    await cache.part('big');
    expect(w.reads.filter((id) => id === 'big')).toHaveLength(1);
    cache.stop();
  });

  test('a read that a join overtook is handed to its IDENTIFY but not kept, and is not shared with later ones', async () => {
    const w = world({ a: 3 });
    const cache = w.cache({});
    const release = w.hold();
    const first = cache.part('a');
    w.hub.publish([join('a', 'late')]);
    const second = cache.part('a');
    release();
    expect((await first)?.memberIds.size).toBe(3);
    // The second IDENTIFY read on its own (this fake database never learns of the join) and that read is kept.
    expect(await second).not.toBe(await first);
    expect(cache.size).toBe(1);
    expect(await cache.part('a')).toBe(await second);
    expect(w.reads).toEqual(['a', 'a']);
    cache.stop();
  });
});

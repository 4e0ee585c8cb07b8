// Repository contract: users, sessions and settings behave the same on SQLite and PostgreSQL.
import { expect, test } from 'bun:test';
import { tombstone } from '../../../src/domain/users.ts';
import { forEachEngine } from './engines.ts';
import { addUser, snowflake } from './fixtures.ts';

const digest = (n: number) => new Uint8Array(32).fill(n);

forEachEngine('users', (stores) => {
  test('insert and read back by id, ids and name (case-insensitive), with unicode intact', async () => {
    const s = stores();
    const id = await addUser(s, { username: 'Zoë_🎧' });
    const user = await s.users.byId(id);
    expect(user).toEqual({
      id,
      username: 'Zoë_🎧',
      globalName: null,
      avatar: null,
      bot: false,
      system: false,
      admin: false,
      disabled: false,
      deleted: false,
      description: null,
      createdBy: null,
      botIntents: 0,
      createdAt: 1_700_000_000_000,
    });
    expect(await s.users.byUsername('zoë_🎧')).toEqual({ ...user!, passwordHash: 'argon2-hash' });
    expect(await s.users.usernameTaken('ZOË_🎧')).toBe(true);
    expect(await s.users.usernameTaken('nobody')).toBe(false);
    expect(await s.users.byId(snowflake())).toBeNull();
    const other = await addUser(s);
    const map = await s.users.byIds([other, id, other, '42']);
    expect([...map.keys()]).toEqual([other, id]);
    expect(map.get(id)).toEqual(user!);
  });

  test('a duplicate username (any case) is refused by the unique key', async () => {
    const s = stores();
    await addUser(s, { username: 'alice' });
    expect(async () => await addUser(s, { username: 'ALICE' })).toThrow();
  });

  test('update changes only the given fields; list pages by id and filters by name and kind', async () => {
    const s = stores();
    const a = await addUser(s, { username: 'alpha' });
    const b = await addUser(s, { username: 'beta' });
    const bot = await addUser(s, { username: 'robot', bot: true });
    await s.users.update(a, { globalName: 'Alpha One', botIntents: 3, admin: true });
    await s.users.update(a, {});
    const alpha = await s.users.byId(a);
    expect(alpha?.globalName).toBe('Alpha One');
    expect(alpha?.botIntents).toBe(3);
    expect(alpha?.admin).toBe(true);
    expect(alpha?.username).toBe('alpha');
    await s.users.update(b, { username: 'Bravo' });
    expect((await s.users.byUsername('bravo'))?.id).toBe(b);
    expect(await s.users.usernameTaken('beta')).toBe(false);
    expect((await s.users.list({ bots: false, limit: 10 })).map((u) => u.id)).toEqual([a, b]);
    expect((await s.users.list({ bots: false, limit: 10, after: a })).map((u) => u.id)).toEqual([b]);
    expect((await s.users.list({ bots: false, limit: 1 })).map((u) => u.id)).toEqual([a]);
    expect((await s.users.list({ bots: false, limit: 10, query: 'RAV' })).map((u) => u.id)).toEqual([b]);
    // LIKE wildcards in the query are literal characters.
    expect(await s.users.list({ bots: false, limit: 10, query: '%' })).toEqual([]);
    expect((await s.users.list({ bots: true, limit: 10 })).map((u) => u.id)).toEqual([bot]);
    expect(await s.users.countHumans()).toBe(2);
    expect(await s.users.countAdmins()).toBe(1);
  });

  test('markDeleted leaves a tombstone, frees the name and ends its sessions', async () => {
    const s = stores();
    const id = await addUser(s, { username: 'gone' });
    await s.sessions.insert(digest(1), { id: '1', userId: id, createdAt: 1, lastUsedAt: 1, device: null, address: null });
    await s.users.markDeleted(id, 1_800_000_000_000);
    expect(await s.users.byId(id)).toEqual(tombstone(id, false));
    expect(await s.users.usernameTaken('gone')).toBe(false);
    expect(await s.users.byUsername(`deleted:${id}`)).not.toBeNull();
    expect(await s.sessions.byHash(digest(1))).toBeNull();
    expect(await s.users.passwordHash(id)).toBeNull();
    expect(await s.users.list({ bots: false, limit: 10 })).toEqual([]);
  });

  test('bot token digest, password hash and DM audience', async () => {
    const s = stores();
    const bot = await addUser(s, { bot: true });
    await s.users.setBotTokenHash(bot, digest(7));
    expect((await s.users.byBotTokenHash(digest(7)))?.id).toBe(bot);
    expect(await s.users.byBotTokenHash(digest(8))).toBeNull();
    const human = await addUser(s);
    expect(await s.users.passwordHash(human)).toBe('argon2-hash');
    await s.users.setPasswordHash(human, 'new-hash');
    expect(await s.users.passwordHash(human)).toBe('new-hash');
    expect(await s.users.allowDmsFrom(human)).toBe('members');
    await s.users.setAllowDmsFrom(human, 'everyone');
    expect(await s.users.allowDmsFrom(human)).toBe('everyone');
    expect(await s.users.allowDmsFrom(snowflake())).toBe('members');
  });

  test('delete removes the row, its sessions (cascade) and its presence rows (trigger)', async () => {
    const s = stores();
    const id = await addUser(s);
    await s.sessions.insert(digest(2), { id: '2', userId: id, createdAt: 1, lastUsedAt: 1, device: null, address: null });
    await s.presence.putUser(id, true, null, 5);
    await s.presence.putKv(id, { a: '1' });
    await s.users.delete(id);
    expect(await s.users.byId(id)).toBeNull();
    expect(await s.sessions.listOf(id)).toEqual([]);
    expect(await s.presence.allKv()).toEqual([]);
  });
});

forEachEngine('sessions', (stores) => {
  test('byHash joins the user; listOf orders by last use then id, newest first', async () => {
    const s = stores();
    const u = await addUser(s, { username: 'sam' });
    await s.sessions.insert(digest(1), { id: '10', userId: u, createdAt: 100, lastUsedAt: 300, device: 'Firefox', address: '::1' });
    await s.sessions.insert(digest(2), { id: '11', userId: u, createdAt: 200, lastUsedAt: 300, device: null, address: null });
    await s.sessions.insert(digest(3), { id: '12', userId: u, createdAt: 250, lastUsedAt: 250, device: null, address: '10.0.0.1' });
    const found = await s.sessions.byHash(digest(1));
    expect(found?.session).toEqual({ id: '10', userId: u, createdAt: 100, lastUsedAt: 300, device: 'Firefox', address: '::1' });
    expect(found?.user).toEqual((await s.users.byId(u))!);
    expect(await s.sessions.byHash(digest(9))).toBeNull();
    expect((await s.sessions.listOf(u)).map((x) => x.id)).toEqual(['11', '10', '12']);
    await s.sessions.touch(digest(3), 400);
    expect((await s.sessions.listOf(u)).map((x) => x.id)).toEqual(['12', '11', '10']);
  });

  test('deleteById, deleteAllOf (keeping one) and deleteExpired return the digests, as Uint8Array', async () => {
    const s = stores();
    const u = await addUser(s);
    const v = await addUser(s);
    for (const [n, user, created, used] of [
      [1, u, 100, 100],
      [2, u, 100, 900],
      [3, u, 800, 900],
      [4, v, 100, 900],
    ] as const) {
      await s.sessions.insert(digest(n), { id: String(n), userId: user, createdAt: created, lastUsedAt: used, device: null, address: null });
    }
    expect(await s.sessions.deleteById(v, '1')).toBeNull();
    const one = await s.sessions.deleteById(u, '1');
    expect(one).toBeInstanceOf(Uint8Array);
    expect(Array.from(one!)).toEqual(Array.from(digest(1)));
    const expired = await s.sessions.deleteExpired(0, 500);
    expect(expired.map((e) => [e.userId, e.hash[0]]).sort()).toEqual([
      [u, 2],
      [v, 4],
    ]);
    await s.sessions.insert(digest(5), { id: '5', userId: u, createdAt: 900, lastUsedAt: 900, device: null, address: null });
    const all = await s.sessions.deleteAllOf(u, digest(3));
    expect(all.map((h) => h[0])).toEqual([5]);
    expect((await s.sessions.listOf(u)).map((x) => x.id)).toEqual(['3']);
    expect((await s.sessions.deleteAllOf(u)).map((h) => h[0])).toEqual([3]);
  });
});

forEachEngine('settings', (stores) => {
  test('get, set (upsert) and setIfAbsent', async () => {
    const s = stores();
    expect(await s.settings.get('registration')).toBeNull();
    await s.settings.setIfAbsent('registration', 'open');
    await s.settings.setIfAbsent('registration', 'closed');
    expect(await s.settings.get('registration')).toBe('open');
    await s.settings.set('registration', 'closed');
    expect(await s.settings.get('registration')).toBe('closed');
    await s.settings.set('motd', 'héllo ✨');
    expect(await s.settings.get('motd')).toBe('héllo ✨');
  });
});

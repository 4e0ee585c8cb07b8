// Repository contract: guilds (roles, members, bans), channels (overwrites, DMs, group DMs) and threads behave the
// same on SQLite and PostgreSQL, cascades included.
import { expect, test } from 'bun:test';
import type { Overwrite } from '../../../src/domain/permissions.ts';
import { forEachEngine } from './engines.ts';
import { addChannel, addGuild, addMessage, addUser, everyoneRole, snowflake } from './fixtures.ts';

/** Above 2^63: a BIGINT cannot hold it, a Discord client may still send it. */
const U64_MAX = '18446744073709551615';

forEachEngine('guilds', (stores) => {
  test('guild round trip, guildsOf by id, partial update, and the u64 bound finds nothing', async () => {
    const s = stores();
    const owner = await addUser(s);
    const g1 = await addGuild(s, owner, 'Ünïcode 🌍');
    const g2 = await addGuild(s, owner, 'Second');
    expect(await s.guilds.guild(g1)).toEqual({
      id: g1,
      name: 'Ünïcode 🌍',
      ownerId: owner,
      icon: null,
      description: null,
      createdAt: 1_700_000_000_000,
      systemChannelId: null,
      systemChannelFlags: 0,
    });
    expect((await s.guilds.guildsOf(owner)).map((g) => g.id)).toEqual([g1, g2]);
    const other = await addUser(s);
    await s.guilds.updateGuild(g1, { description: 'about', icon: 'abc123', ownerId: other });
    await s.guilds.updateGuild(g1, {});
    expect(await s.guilds.guild(g1)).toMatchObject({ name: 'Ünïcode 🌍', description: 'about', icon: 'abc123', ownerId: other });
    expect(await s.guilds.guild(U64_MAX)).toBeNull();
    expect(await s.guilds.guildsOf(U64_MAX)).toEqual([]);
  });

  test('roles: ordered by position then id, bitfields above 2^31 intact, bot role, delete drops overwrites', async () => {
    const s = stores();
    const owner = await addUser(s);
    const bot = await addUser(s, { bot: true });
    const g = await addGuild(s, owner);
    const high = { ...everyoneRole(g), id: snowflake(), name: 'Mods', permissions: (1n << 50n) | (1n << 31n) | 8n, position: 2, color: 0xff00ff, hoist: true };
    const low = { ...everyoneRole(g), id: snowflake(), name: 'Bot', position: 1, botId: bot, mentionable: true };
    await s.guilds.insertRole(high);
    await s.guilds.insertRole(low);
    expect(await s.guilds.roles(g)).toEqual([everyoneRole(g), low, high]);
    expect(await s.guilds.role(g, high.id)).toEqual(high);
    expect(await s.guilds.role(snowflake(), high.id)).toBeNull();
    expect(await s.guilds.botRole(g, bot)).toEqual(low);
    await s.guilds.updateRole({ ...high, name: 'Moderators', permissions: 1n << 62n, position: 0 });
    expect((await s.guilds.role(g, high.id))?.permissions).toBe(1n << 62n);
    const channel = await addChannel(s, g);
    await s.channels.putOverwrite(channel, { id: high.id, type: 0, allow: 1024n, deny: 0n });
    await s.channels.putOverwrite(channel, { id: owner, type: 1, allow: 0n, deny: 2048n });
    await s.guilds.deleteRole(high.id);
    expect(await s.guilds.role(g, high.id)).toBeNull();
    expect(await s.channels.overwrites(channel)).toEqual([{ id: owner, type: 1, allow: 0n, deny: 2048n }]);
  });

  test('members: role ids, paging by user id, counts, nick, shared guilds; removing a member drops its roles', async () => {
    const s = stores();
    const owner = await addUser(s);
    const g = await addGuild(s, owner);
    const a = await addUser(s);
    const b = await addUser(s);
    await s.guilds.insertMember(g, a, 5);
    await s.guilds.insertMember(g, b, 6);
    const r1 = snowflake();
    const r2 = snowflake();
    await s.guilds.insertRole({ ...everyoneRole(g), id: r2, name: 'r2' });
    await s.guilds.insertRole({ ...everyoneRole(g), id: r1, name: 'r1' });
    await s.guilds.addMemberRole(g, a, r2);
    await s.guilds.addMemberRole(g, a, r1);
    await s.guilds.addMemberRole(g, a, r1);
    await s.guilds.setNick(g, a, 'Ay ✨');
    expect(await s.guilds.member(g, a)).toEqual({ guildId: g, userId: a, nick: 'Ay ✨', joinedAt: 5, roleIds: [r1, r2] });
    expect(await s.guilds.member(g, snowflake())).toBeNull();
    expect((await s.guilds.members(g, 10, '0')).map((m) => m.userId)).toEqual([owner, a, b]);
    expect((await s.guilds.members(g, 1, owner)).map((m) => m.userId)).toEqual([a]);
    expect((await s.guilds.members(g, 10, U64_MAX)).map((m) => m.userId)).toEqual([]);
    expect((await s.guilds.memberIds(g)).sort()).toEqual([owner, a, b].sort());
    expect(await s.guilds.memberCount(g)).toBe(3);
    expect(await s.guilds.sharesGuild(a, b)).toBe(true);
    const loner = await addUser(s);
    expect(await s.guilds.sharesGuild(a, loner)).toBe(false);
    await s.guilds.removeMemberRole(g, a, r2);
    expect((await s.guilds.member(g, a))?.roleIds).toEqual([r1]);
    await s.guilds.deleteMember(g, a);
    expect(await s.guilds.member(g, a)).toBeNull();
    await s.guilds.insertMember(g, a, 7);
    expect((await s.guilds.member(g, a))?.roleIds).toEqual([]);
    expect(async () => await s.guilds.insertMember(g, a, 8)).toThrow();
  });

  test('bans: upsert keeps one row with the new reason, ordered by user id; deleteBan says whether there was one', async () => {
    const s = stores();
    const owner = await addUser(s);
    const g = await addGuild(s, owner);
    const a = await addUser(s);
    const b = await addUser(s);
    await s.guilds.insertBan(g, b, null, 1);
    await s.guilds.insertBan(g, a, 'spam', 1);
    await s.guilds.insertBan(g, a, 'spam again', 2);
    expect(await s.guilds.bans(g)).toEqual([
      { userId: a, reason: 'spam again' },
      { userId: b, reason: null },
    ]);
    expect(await s.guilds.isBanned(g, a)).toBe(true);
    expect(await s.guilds.deleteBan(g, a)).toBe(true);
    expect(await s.guilds.deleteBan(g, a)).toBe(false);
    expect(await s.guilds.isBanned(g, a)).toBe(false);
  });

  test('deleting a guild cascades to roles, members, channels, messages and invites', async () => {
    const s = stores();
    const owner = await addUser(s);
    const g = await addGuild(s, owner);
    const c = await addChannel(s, g);
    const m = await addMessage(s, c, g, owner);
    await s.invites.insert({ code: 'abc', guildId: g, channelId: c, inviterId: owner, maxUses: 0, uses: 0, expiresAt: null, createdAt: 1 });
    await s.guilds.deleteGuild(g);
    expect(await s.guilds.guild(g)).toBeNull();
    expect(await s.guilds.roles(g)).toEqual([]);
    expect(await s.guilds.member(g, owner)).toBeNull();
    expect(await s.channels.byId(c)).toBeNull();
    expect(await s.messages.byId(m.id)).toBeNull();
    expect(await s.invites.byCode('abc')).toBeNull();
    expect(await s.users.byId(owner)).not.toBeNull();
  });
});

forEachEngine('channels', (stores) => {
  test('guild channels by position then id, with their overwrites; count leaves threads out', async () => {
    const s = stores();
    const owner = await addUser(s);
    const g = await addGuild(s, owner);
    const second = await addChannel(s, g, { name: 'b', position: 1 });
    const first = await addChannel(s, g, { name: 'a', position: 0, topic: 'tópico' });
    const third = await addChannel(s, g, { name: 'c', position: 1 });
    await s.channels.putOverwrite(second, { id: g, type: 0, allow: 0n, deny: 1024n });
    await s.channels.putOverwrite(second, { id: g, type: 0, allow: 2048n, deny: 0n });
    await s.channels.putOverwrite(second, { id: owner, type: 1, allow: 1n << 40n, deny: 0n });
    const list = await s.channels.ofGuild(g);
    expect(list.map((c) => c.id)).toEqual([first, second, third]);
    expect(list[0]).toEqual({
      id: first,
      guildId: g,
      type: 0,
      name: 'a',
      topic: 'tópico',
      position: 0,
      lastMessageId: null,
      createdAt: 1_700_000_000_000,
      overwrites: [],
      recipientIds: [],
      thread: null,
      group: null,
    });
    const expected: Overwrite[] = [
      { id: g, type: 0 as const, allow: 2048n, deny: 0n },
      { id: owner, type: 1 as const, allow: 1n << 40n, deny: 0n },
    ].sort((x, y) => (BigInt(x.id) < BigInt(y.id) ? -1 : 1));
    expect(list[1]?.overwrites).toEqual(expected);
    expect((await s.channels.byId(second))?.overwrites).toEqual(expected);
    expect(await s.channels.deleteOverwrite(second, g)).toBe(true);
    expect(await s.channels.deleteOverwrite(second, g)).toBe(false);
    await s.channels.deleteOverwritesFor(g, owner);
    expect(await s.channels.overwrites(second)).toEqual([]);
    await s.channels.update(first, { name: 'renamed', topic: null, position: 5 });
    // last_message_id is the newest message's id, read from the messages themselves (no row every message updates).
    expect((await s.channels.byId(first))?.lastMessageId).toBeNull();
    const older = await addMessage(s, first, g, owner);
    const newer = await addMessage(s, first, g, owner);
    expect(await s.channels.byId(first)).toMatchObject({ name: 'renamed', topic: null, position: 5, lastMessageId: newer.id });
    expect((await s.channels.ofGuild(g)).find((c) => c.id === first)?.lastMessageId).toBe(newer.id);
    await s.messages.delete(newer.id);
    expect((await s.channels.byId(first))?.lastMessageId).toBe(older.id);
    expect(await s.channels.count(g)).toBe(3);
  });

  test('DMs: one per pair whatever the order, listed for both; group DMs list recipients in the order added', async () => {
    const s = stores();
    const a = await addUser(s);
    const b = await addUser(s);
    const c = await addUser(s);
    const dm = await addChannel(s, null);
    await s.channels.insertDm(dm, b, a);
    expect(async () => await s.channels.insertDm(await addChannel(s, null), a, b)).toThrow();
    const found = await s.channels.dmBetween(b, a);
    expect(found?.id).toBe(dm);
    expect(found?.recipientIds).toEqual([a, b]);
    expect(found?.overwrites).toEqual([]);
    const group = await addChannel(s, null, { type: 3, name: 'trio' });
    await s.channels.insertGroup(group, c, null);
    await s.channels.addGroupRecipient(group, c, 30);
    await s.channels.addGroupRecipient(group, a, 10);
    await s.channels.addGroupRecipient(group, b, 10);
    await s.channels.addGroupRecipient(group, b, 99);
    const g = await s.channels.byId(group);
    expect(g?.recipientIds).toEqual([a, b, c]);
    expect(g?.group).toEqual({ ownerId: c, icon: null });
    await s.channels.updateGroup(group, { ownerId: a, icon: 'hash' });
    expect((await s.channels.byId(group))?.group).toEqual({ ownerId: a, icon: 'hash' });
    await s.channels.removeGroupRecipient(group, b);
    expect((await s.channels.byId(group))?.recipientIds).toEqual([a, c]);
    expect((await s.channels.dmsOf(a)).map((x) => x.id)).toEqual([dm, group]);
    expect((await s.channels.dmsOf(b)).map((x) => x.id)).toEqual([dm]);
    expect((await s.channels.dmsOf(c)).map((x) => x.id)).toEqual([group]);
  });

  test('deleting a channel deletes its threads, their messages and members', async () => {
    const s = stores();
    const owner = await addUser(s);
    const g = await addGuild(s, owner);
    const parent = await addChannel(s, g);
    const starter = await addMessage(s, parent, g, owner);
    const thread = starter.id;
    await s.channels.insert({ id: thread, guildId: g, type: 11, name: 't', topic: null, position: 0, lastMessageId: null, createdAt: 1 });
    await s.threads.insert({ channelId: thread, parentId: parent, ownerId: owner, invitable: true, autoArchiveMinutes: 60, rateLimitPerUser: 0, at: 1000 });
    await s.threads.addMember(thread, owner, 1000);
    const inThread = await addMessage(s, thread, g, owner);
    await s.channels.delete(parent);
    expect(await s.channels.byId(parent)).toBeNull();
    expect(await s.channels.byId(thread)).toBeNull();
    expect(await s.messages.byId(inThread.id)).toBeNull();
    expect(await s.threads.member(thread, owner)).toBeNull();
  });
});

forEachEngine('threads', (stores) => {
  async function setUp() {
    const s = stores();
    const owner = await addUser(s);
    const g = await addGuild(s, owner);
    const parent = await addChannel(s, g);
    const makeThread = async (at: number, minutes = 60) => {
      const id = snowflake();
      await s.channels.insert({ id, guildId: g, type: 11, name: `t${at}`, topic: null, position: 0, lastMessageId: null, createdAt: at });
      await s.threads.insert({ channelId: id, parentId: parent, ownerId: owner, invitable: false, autoArchiveMinutes: minutes, rateLimitPerUser: 5, at });
      return id;
    };
    return { s, owner, g, parent, makeThread };
  }

  test('a thread reads as a channel with its state; counters, members and updates', async () => {
    const { s, owner, g, parent, makeThread } = await setUp();
    const t = await makeThread(1000);
    const other = await addUser(s);
    expect(await s.threads.addMember(t, owner, 1000)).toBe(true);
    expect(await s.threads.addMember(t, owner, 2000)).toBe(false);
    expect(await s.threads.addMember(t, other, 1500)).toBe(true);
    await s.threads.countMessage(t, 5000);
    await s.threads.countMessage(t, 6000);
    await s.threads.uncountMessage(t);
    await s.threads.uncountMessage(t);
    await s.threads.uncountMessage(t);
    const channel = await s.channels.byId(t);
    expect(channel?.overwrites).toEqual([]);
    expect(channel?.thread).toEqual({
      parentId: parent,
      ownerId: owner,
      archived: false,
      locked: false,
      invitable: false,
      autoArchiveMinutes: 60,
      archiveChangedAt: 1000,
      lastActivityAt: 6000,
      messageCount: 0,
      totalMessageSent: 2,
      rateLimitPerUser: 5,
      memberCount: 2,
    });
    await s.threads.update(t, { archived: true, locked: true, archiveChangedAt: 7000, autoArchiveMinutes: 1440 });
    expect((await s.channels.byId(t))?.thread).toMatchObject({ archived: true, locked: true, archiveChangedAt: 7000, autoArchiveMinutes: 1440 });
    expect(await s.threads.member(t, other)).toEqual({ threadId: t, userId: other, joinedAt: 1500 });
    expect((await s.threads.members(t, 10)).map((m) => m.userId)).toEqual([owner, other]);
    expect((await s.threads.members(t, 10, owner)).map((m) => m.userId)).toEqual([other]);
    expect((await s.threads.membershipsIn(g, other)).map((m) => m.threadId)).toEqual([t]);
    expect(await s.threads.removeMember(t, other)).toBe(true);
    expect(await s.threads.removeMember(t, other)).toBe(false);
    expect(await s.channels.count(g)).toBe(1);
  });

  test('listing threads: by guild, by parent (archive time desc), idle ones, and which messages started one', async () => {
    const { s, owner, g, parent, makeThread } = await setUp();
    const t1 = await makeThread(1000, 60);
    const t2 = await makeThread(2000, 1440);
    const t3 = await makeThread(3000, 60);
    await s.threads.update(t3, { archived: true, archiveChangedAt: 9000 });
    expect((await s.channels.threadsOfGuild(g)).map((c) => c.id)).toEqual([t1, t2, t3]);
    expect((await s.channels.ofGuild(g)).map((c) => c.id)).toEqual([parent]);
    expect((await s.channels.threadsOfParent(parent, false)).map((c) => c.id)).toEqual([t2, t1]);
    expect((await s.channels.threadsOfParent(parent, true)).map((c) => c.id)).toEqual([t3]);
    expect((await s.channels.threadsIdleAt(1000 + 60 * 60_000 - 1)).map((c) => c.id)).toEqual([]);
    expect((await s.channels.threadsIdleAt(1000 + 60 * 60_000)).map((c) => c.id)).toEqual([t1]);
    const started = await s.channels.threadsStartedFrom([t2, snowflake(), parent, U64_MAX]);
    expect([...started.keys()]).toEqual([t2]);
    expect(started.get(t2)?.thread?.ownerId).toBe(owner);
    expect((await s.channels.threadsStartedFrom([])).size).toBe(0);
  });
});

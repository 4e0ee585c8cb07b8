// Repository contract: the presence API's rows, one-time token links, saved presence and resume state, and read
// states with notification settings and closed DMs behave the same on SQLite and PostgreSQL.
import { expect, test } from 'bun:test';
import type { PresenceRecord } from '../../../src/domain/presence/presence-service.ts';
import type { ResumeSnapshot } from '../../../src/gateway/resume-store.ts';
import { forEachEngine } from './engines.ts';
import { addChannel, addGuild, addMessage, addUser, everyoneRole, snowflake } from './fixtures.ts';

const digest = (n: number) => new Uint8Array(32).fill(n);

forEachEngine('presence', (stores) => {
  test('opt-in rows with the user and their nickname in the sharing guild; putUser keeps or changes the guild', async () => {
    const s = stores();
    const a = await addUser(s, { username: 'ann' });
    const g = await addGuild(s, a);
    await s.guilds.setNick(g, a, 'Annie ✿');
    await s.presence.putUser(a, true, g, 10);
    await s.presence.setLastSeen(a, 99);
    expect(await s.presence.users()).toEqual([
      { userId: a, shared: true, guildId: g, lastSeen: 99, username: 'ann', globalName: null, avatar: null, bot: false, disabled: false, nick: 'Annie ✿' },
    ]);
    await s.presence.putUser(a, false, undefined, 20);
    expect((await s.presence.users())[0]).toMatchObject({ shared: false, guildId: g });
    await s.presence.putUser(a, true, null, 30);
    expect((await s.presence.users())[0]).toMatchObject({ shared: true, guildId: null, nick: null });
    // The sharing guild going away leaves the row, without a guild.
    await s.presence.putUser(a, true, g, 40);
    await s.guilds.deleteGuild(g);
    expect((await s.presence.users())[0]).toMatchObject({ guildId: null });
  });

  test('K/V reads back in first-write order across users, upserts keep the place; tokens and GitHub links', async () => {
    const s = stores();
    const a = await addUser(s);
    const b = await addUser(s);
    await s.presence.putUser(a, true, null, 1);
    await s.presence.putUser(b, true, null, 1);
    await s.presence.putKv(a, { zeta: '1', alpha: 'ä' });
    await s.presence.putKv(b, { k: 'v' });
    await s.presence.putKv(a, { zeta: 'updated', mid: '🎵' });
    expect(await s.presence.allKv()).toEqual([
      { userId: a, key: 'zeta', value: 'updated' },
      { userId: a, key: 'alpha', value: 'ä' },
      { userId: b, key: 'k', value: 'v' },
      { userId: a, key: 'mid', value: '🎵' },
    ]);
    expect(await s.presence.deleteKv(a, 'alpha')).toBe(true);
    expect(await s.presence.deleteKv(a, 'alpha')).toBe(false);
    await s.presence.putToken(a, digest(1), 5);
    await s.presence.putToken(a, digest(2), 6);
    const tokens = await s.presence.allTokens();
    expect(tokens.map((t) => [t.userId, t.tokenHash[0]])).toEqual([[a, 2]]);
    expect(tokens[0]?.tokenHash).toBeInstanceOf(Uint8Array);
    expect(async () => await s.presence.putToken(b, digest(2), 7)).toThrow();
    expect(await s.presence.deleteToken(a)).toBe(true);
    expect(await s.presence.deleteToken(a)).toBe(false);
    await s.presence.putGithub(a, 'octo', '{"login":"octo"}', 100);
    await s.presence.refreshGithub(a, '{"login":"octo","bio":"é"}', 200);
    expect(await s.presence.allGithub()).toEqual([{ userId: a, username: 'octo', profileJson: '{"login":"octo","bio":"é"}', fetchedAt: 200 }]);
    expect(await s.presence.deleteGithub(a)).toBe(true);
    expect(await s.presence.allGithub()).toEqual([]);
  });

  test('mirrored members: put, update, leave keeps data; deleting a Harmony account with the same id keeps it too', async () => {
    const s = stores();
    const discordId = '81384788765712384';
    const profile = {
      userId: discordId,
      source: 'discord',
      guildId: '41771983423143937',
      username: 'mirror',
      globalName: 'Mírror',
      avatar: 'a_hash',
      bot: false,
      nick: null,
    };
    await s.presence.putExternal(profile, 1);
    await s.presence.putKv(discordId, { song: 'x' });
    await s.presence.putExternal({ ...profile, nick: 'Nick', bot: true }, 2);
    await s.presence.leaveExternal(discordId, 3);
    expect(await s.presence.externalUsers()).toEqual([{ ...profile, nick: 'Nick', bot: true, shared: true, lastSeen: null, member: false }]);
    await s.presence.putExternal(profile, 4);
    expect((await s.presence.externalUsers())[0]?.member).toBe(true);
    expect(await s.presence.users()).toEqual([]);
    expect(await s.presence.allKv()).toEqual([{ userId: discordId, key: 'song', value: 'x' }]);
  });

  test('systemBotId is the lowest system bot', async () => {
    const s = stores();
    expect(await s.presence.systemBotId()).toBeNull();
    await addUser(s, { bot: true });
    expect(await s.presence.systemBotId()).toBeNull();
    const id = snowflake();
    await s.users.insert({ id, username: 'Harmony', passwordHash: null, bot: true, system: true, admin: false, createdAt: 1 });
    expect(await s.presence.systemBotId()).toBe(id);
  });
});

forEachEngine('token reveals', (stores) => {
  test('only the latest link works, once, before it expires; purge forgets expired ones; cascades with the subject', async () => {
    const s = stores();
    const u = await addUser(s);
    await s.presence.putUser(u, true, null, 1);
    await s.tokenReveals.put(digest(1), u, 100, 1000);
    await s.tokenReveals.put(digest(2), u, 200, 2000);
    expect(await s.tokenReveals.get(digest(1))).toBeNull();
    expect(await s.tokenReveals.get(digest(2))).toEqual({ userId: u, expiresAt: 2000, usedAt: null });
    expect(await s.tokenReveals.use(digest(2), 2000)).toBeNull();
    expect(await s.tokenReveals.use(digest(2), 500)).toBe(u);
    expect(await s.tokenReveals.use(digest(2), 600)).toBeNull();
    expect(await s.tokenReveals.get(digest(2))).toEqual({ userId: u, expiresAt: 2000, usedAt: 500 });
    await s.tokenReveals.purge(2000);
    expect(await s.tokenReveals.get(digest(2))).not.toBeNull();
    await s.tokenReveals.purge(2001);
    expect(await s.tokenReveals.get(digest(2))).toBeNull();
    await s.tokenReveals.put(digest(3), u, 1, 10);
    await s.tokenReveals.delete(digest(3));
    expect(await s.tokenReveals.get(digest(3))).toBeNull();
    await s.tokenReveals.put(digest(4), u, 1, 10);
    await s.users.delete(u);
    expect(await s.tokenReveals.get(digest(4))).toBeNull();
  });
});

forEachEngine('saved state', (stores) => {
  test('presence records: save replaces everything, load reads them back', async () => {
    const s = stores();
    const records = [
      { userId: '2', status: 'online', custom: 'ünï' },
      { userId: '1', status: 'idle', custom: null },
    ] as unknown as PresenceRecord[];
    await s.presenceState.save(records);
    const byId = (list: PresenceRecord[]) => [...list].sort((a, b) => (a.userId < b.userId ? -1 : 1));
    expect(byId(await s.presenceState.load())).toEqual(byId(records));
    await s.presenceState.save(records.slice(0, 1));
    expect(await s.presenceState.load()).toEqual(records.slice(0, 1));
    await s.presenceState.save([]);
    expect(await s.presenceState.load()).toEqual([]);
  });

  test('resume snapshot: take returns what was saved (entries in sequence order) once, then null', async () => {
    const s = stores();
    expect(await s.resumeSnapshot.take()).toBeNull();
    const snapshot = {
      savedAt: 1234,
      sequence: 120,
      evictedThrough: 7,
      sessions: [{ id: 'b-session' }, { id: 'a-session' }],
      entries: [
        { seq: 100, frame: '{"t":"X"}' },
        { seq: 9, frame: 'é' },
        { seq: 11, frame: '' },
      ],
    } as unknown as ResumeSnapshot;
    await s.resumeSnapshot.save(snapshot);
    await s.resumeSnapshot.save(snapshot);
    const taken = await s.resumeSnapshot.take();
    expect(taken).toEqual({
      ...snapshot,
      sessions: [{ id: 'a-session' }, { id: 'b-session' }],
      entries: [
        { seq: 9, frame: 'é' },
        { seq: 11, frame: '' },
        { seq: 100, frame: '{"t":"X"}' },
      ],
    } as unknown as ResumeSnapshot);
    expect(await s.resumeSnapshot.take()).toBeNull();
  });
});

forEachEngine('read states', (stores) => {
  test('ack, mentions for users, the guild and roles (with exceptions), ordered by channel', async () => {
    const s = stores();
    const owner = await addUser(s);
    const a = await addUser(s);
    const b = await addUser(s);
    const g = await addGuild(s, owner);
    await s.guilds.insertMember(g, a, 1);
    await s.guilds.insertMember(g, b, 1);
    const role = snowflake();
    await s.guilds.insertRole({ ...everyoneRole(g), id: role, name: 'r' });
    await s.guilds.addMemberRole(g, a, role);
    await s.guilds.addMemberRole(g, b, role);
    const c1 = await addChannel(s, g);
    const c2 = await addChannel(s, g);
    const m = await addMessage(s, c1, g, owner);
    expect(await s.readStates.ofUser(a)).toEqual([]);
    await s.readStates.mentionUsers(c2, [a]);
    await s.readStates.mentionUsers(c2, []);
    const c3 = await addChannel(s, g);
    await s.readStates.mentionUsers(c3, [owner, owner]);
    await s.readStates.mentionUsers(c3, [owner]);
    expect(await s.readStates.ofUser(owner)).toEqual([{ channelId: c3, lastReadMessageId: null, mentionCount: 3 }]);
    await s.channels.delete(c3);
    await s.readStates.mentionGuild(c2, g, [owner]);
    await s.readStates.mentionRoles(c2, g, [role], [b]);
    await s.readStates.mentionRoles(c2, g, [], []);
    await s.readStates.ack(a, c1, m.id, 0);
    expect(await s.readStates.ofUser(a)).toEqual([
      { channelId: c1, lastReadMessageId: m.id, mentionCount: 0 },
      { channelId: c2, lastReadMessageId: null, mentionCount: 3 },
    ]);
    expect(await s.readStates.ofUser(b)).toEqual([{ channelId: c2, lastReadMessageId: null, mentionCount: 1 }]);
    expect(await s.readStates.ofUser(owner)).toEqual([]);
    await s.readStates.ack(a, c2, m.id, 1);
    expect((await s.readStates.ofUser(a))[1]).toEqual({ channelId: c2, lastReadMessageId: m.id, mentionCount: 1 });
    await s.channels.delete(c2);
    expect((await s.readStates.ofUser(a)).map((r) => r.channelId)).toEqual([c1]);
  });

  test('notification settings per guild and channel; a setting back at defaults is removed', async () => {
    const s = stores();
    const u = await addUser(s);
    const g1 = await addGuild(s, u);
    const g2 = await addGuild(s, u);
    const c = await addChannel(s, g1);
    await s.readStates.putSetting(u, g1, { channelId: c, level: 1, muted: false });
    await s.readStates.putSetting(u, g1, { channelId: null, level: null, muted: true });
    await s.readStates.putSetting(u, g2, { channelId: null, level: 2, muted: false });
    await s.readStates.putSetting(u, g2, { channelId: null, level: 0, muted: true });
    const settings = await s.readStates.settingsOf(u);
    expect([...settings.keys()]).toEqual([g1, g2]);
    expect(settings.get(g1)).toEqual([
      { channelId: null, level: null, muted: true },
      { channelId: c, level: 1, muted: false },
    ]);
    expect(settings.get(g2)).toEqual([{ channelId: null, level: 0, muted: true }]);
    await s.readStates.putSetting(u, g1, { channelId: c, level: null, muted: false });
    expect((await s.readStates.settingsOf(u)).get(g1)).toEqual([{ channelId: null, level: null, muted: true }]);
  });

  test('closing and reopening DMs per participant', async () => {
    const s = stores();
    const a = await addUser(s);
    const b = await addUser(s);
    const dm = await addChannel(s, null);
    await s.channels.insertDm(dm, a, b);
    expect(await s.readStates.reopenDm(dm)).toEqual([]);
    await s.readStates.closeDm(dm, b);
    expect([...(await s.readStates.closedDms(b))]).toEqual([dm]);
    expect([...(await s.readStates.closedDms(a))]).toEqual([]);
    expect(await s.readStates.openDmFor(dm, a)).toBe(false);
    expect(await s.readStates.openDmFor(dm, b)).toBe(true);
    expect(await s.readStates.openDmFor(dm, b)).toBe(false);
    await s.readStates.closeDm(dm, a);
    await s.readStates.closeDm(dm, b);
    const low = BigInt(a) < BigInt(b) ? a : b;
    const high = low === a ? b : a;
    expect(await s.readStates.reopenDm(dm)).toEqual([low, high]);
    expect((await s.readStates.closedDms(a)).size).toBe(0);
  });
});

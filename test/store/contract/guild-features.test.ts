// Repository contract: invites, webhooks, application commands, custom emoji, images, the audit log and
// interactions behave the same on SQLite and PostgreSQL.
import { expect, test } from 'bun:test';
import type { AuditAction, AuditEntry } from '../../../src/domain/audit-log.ts';
import type { ApplicationCommand } from '../../../src/domain/commands/command-model.ts';
import type { CustomEmoji } from '../../../src/domain/custom-emoji.ts';
import type { Interaction } from '../../../src/domain/interactions/interaction-model.ts';
import { forEachEngine } from './engines.ts';
import { addChannel, addGuild, addUser, everyoneRole, snowflake } from './fixtures.ts';

const digest = (n: number) => new Uint8Array(32).fill(n);

forEachEngine('invites', (stores) => {
  test('insert, by code, per guild and channel oldest first, use counts up, delete', async () => {
    const s = stores();
    const owner = await addUser(s);
    const g = await addGuild(s, owner);
    const c1 = await addChannel(s, g);
    const c2 = await addChannel(s, g);
    const late = { code: 'Late', guildId: g, channelId: c1, inviterId: owner, maxUses: 5, uses: 0, expiresAt: 9_999_999_999_999, createdAt: 20 };
    const early = { code: 'early', guildId: g, channelId: c2, inviterId: null, maxUses: 0, uses: 0, expiresAt: null, createdAt: 10 };
    await s.invites.insert(late);
    await s.invites.insert(early);
    expect(await s.invites.byCode('Late')).toEqual(late);
    expect(await s.invites.byCode('late')).toBeNull();
    expect((await s.invites.ofGuild(g)).map((i) => i.code)).toEqual(['early', 'Late']);
    expect((await s.invites.ofChannel(c1)).map((i) => i.code)).toEqual(['Late']);
    await s.invites.use('Late');
    await s.invites.use('Late');
    expect((await s.invites.byCode('Late'))?.uses).toBe(2);
    expect(async () => await s.invites.insert({ ...early, channelId: c1 })).toThrow();
    await s.invites.delete('Late');
    expect(await s.invites.byCode('Late')).toBeNull();
    // The inviter's account going away keeps the invite, without an inviter.
    const inviter = await addUser(s);
    await s.invites.insert({ ...late, code: 'kept', inviterId: inviter });
    await s.users.delete(inviter);
    expect((await s.invites.byCode('kept'))?.inviterId).toBeNull();
  });
});

forEachEngine('webhooks', (stores) => {
  test('insert with digest, lists by id, count, update moves channel, channel deletion cascades', async () => {
    const s = stores();
    const owner = await addUser(s);
    const g = await addGuild(s, owner);
    const c1 = await addChannel(s, g);
    const c2 = await addChannel(s, g);
    const w1 = { id: snowflake(), guildId: g, channelId: c1, creatorId: owner, name: 'Hook ⚓', avatar: null, createdAt: 5 };
    const w2 = { id: snowflake(), guildId: g, channelId: c1, creatorId: null, name: 'Two', avatar: 'hash', createdAt: 6 };
    await s.webhooks.insert(w2, digest(2));
    await s.webhooks.insert(w1, digest(1));
    expect(await s.webhooks.byId(w1.id)).toEqual(w1);
    const withDigest = await s.webhooks.withDigest(w1.id);
    expect(withDigest?.webhook).toEqual(w1);
    expect(withDigest?.tokenHash).toBeInstanceOf(Uint8Array);
    expect(Array.from(withDigest?.tokenHash ?? [])).toEqual(Array.from(digest(1)));
    expect(await s.webhooks.withDigest(snowflake())).toBeNull();
    expect((await s.webhooks.ofChannel(c1)).map((w) => w.id)).toEqual([w1.id, w2.id]);
    expect(await s.webhooks.countInChannel(c1)).toBe(2);
    await s.webhooks.update({ ...w2, channelId: c2, name: 'Moved', avatar: null });
    expect(await s.webhooks.byId(w2.id)).toEqual({ ...w2, channelId: c2, name: 'Moved', avatar: null });
    expect((await s.webhooks.ofGuild(g)).map((w) => w.id)).toEqual([w1.id, w2.id]);
    await s.channels.delete(c1);
    expect(await s.webhooks.byId(w1.id)).toBeNull();
    await s.webhooks.delete(w2.id);
    expect(await s.webhooks.ofGuild(g)).toEqual([]);
  });
});

forEachEngine('application commands', (stores) => {
  const command = (applicationId: string, guildId: string | null, name: string, fields: Partial<ApplicationCommand> = {}): ApplicationCommand => ({
    id: snowflake(),
    applicationId,
    guildId,
    type: 1,
    name,
    nameLocalizations: { fr: 'nom' },
    description: 'Décrit ✓',
    descriptionLocalizations: null,
    options: [],
    defaultMemberPermissions: (1n << 40n) | 8n,
    dmPermission: true,
    contexts: null,
    integrationTypes: [0],
    nsfw: false,
    version: snowflake(),
    ...fields,
  });

  test('scopes (global vs guild), uniqueness per scope and type, usable commands of member bots', async () => {
    const s = stores();
    const owner = await addUser(s);
    const bot = await addUser(s, { bot: true });
    const outsider = await addUser(s, { bot: true });
    const g = await addGuild(s, owner);
    await s.guilds.insertMember(g, bot, 1);
    const global = command(bot, null, 'ping');
    const local = command(bot, g, 'ping', { defaultMemberPermissions: null });
    const menu = command(bot, null, 'ping', { type: 2, description: '' });
    const elsewhere = command(outsider, null, 'other');
    for (const c of [global, local, menu, elsewhere]) await s.applicationCommands.insert(c);
    expect(await s.applicationCommands.list(bot, null)).toEqual([global, menu]);
    expect(await s.applicationCommands.list(bot, g)).toEqual([local]);
    expect(await s.applicationCommands.byId(bot, null, global.id)).toEqual(global);
    expect(await s.applicationCommands.byId(bot, g, global.id)).toBeNull();
    expect(async () => await s.applicationCommands.insert(command(bot, null, 'ping'))).toThrow();
    expect(async () => await s.applicationCommands.insert(command(bot, g, 'ping'))).toThrow();
    expect((await s.applicationCommands.usableIn(g)).map((c) => c.id)).toEqual([global.id, local.id, menu.id]);
    const changed = { ...global, name: 'pong', description: 'new', version: snowflake() };
    await s.applicationCommands.update(changed);
    expect(await s.applicationCommands.byId(bot, null, global.id)).toEqual(changed);
    await s.applicationCommands.delete(menu.id);
    expect((await s.applicationCommands.list(bot, null)).map((c) => c.id)).toEqual([global.id]);
    // A bot turned into a tombstone loses its commands (trigger); a deleted guild takes its own.
    await s.guilds.deleteGuild(g);
    expect(await s.applicationCommands.list(bot, g)).toEqual([]);
    await s.users.markDeleted(bot, 1);
    expect(await s.applicationCommands.list(bot, null)).toEqual([]);
    expect(await s.applicationCommands.list(outsider, null)).toEqual([elsewhere]);
  });
});

forEachEngine('emojis and images', (stores) => {
  test('emoji with roles (sorted), count per kind, rename, role deletion cascades, guild deletion cascades', async () => {
    const s = stores();
    const owner = await addUser(s);
    const g = await addGuild(s, owner);
    const r1 = snowflake();
    const r2 = snowflake();
    await s.guilds.insertRole({ ...everyoneRole(g), id: r1, name: 'one' });
    await s.guilds.insertRole({ ...everyoneRole(g), id: r2, name: 'two' });
    const uploader = await addUser(s);
    const emoji = (name: string, animated: boolean, roleIds: string[]): CustomEmoji => ({
      id: snowflake(),
      guildId: g,
      name,
      userId: uploader,
      animated,
      roleIds,
      fileKey: `emoji/${name}`,
      contentType: animated ? 'image/gif' : 'image/png',
      size: 1234,
      createdAt: 7,
    });
    const still = emoji('blob', false, [r2, r1]);
    const moving = emoji('party', true, []);
    await s.emojis.insert(still);
    await s.emojis.insert(moving);
    expect(await s.emojis.byId(still.id)).toEqual({ ...still, roleIds: [r1, r2].sort() });
    expect((await s.emojis.list(g)).map((e) => e.id)).toEqual([still.id, moving.id]);
    expect(await s.emojis.count(g, true)).toBe(1);
    expect(await s.emojis.count(g, false)).toBe(1);
    await s.emojis.rename(moving.id, 'fête');
    await s.emojis.setRoles(moving.id, [r1, r1]);
    expect(await s.emojis.byId(moving.id)).toMatchObject({ name: 'fête', roleIds: [r1] });
    await s.guilds.deleteRole(r1);
    expect((await s.emojis.byId(still.id))?.roleIds).toEqual([r2]);
    await s.users.delete(uploader);
    expect((await s.emojis.byId(still.id))?.userId).toBeNull();
    await s.emojis.delete(still.id);
    expect(await s.emojis.byId(still.id)).toBeNull();
    await s.guilds.deleteGuild(g);
    expect(await s.emojis.list(g)).toEqual([]);
  });

  test('images: insert replaces the same (kind, owner, hash), find, delete', async () => {
    const s = stores();
    const owner = snowflake();
    const image = { hash: 'a1b2', fileKey: 'avatars/a1b2', contentType: 'image/png', size: 100, width: 128, height: 128 };
    await s.images.insert('avatar', owner, image, 1);
    await s.images.insert('avatar', owner, { ...image, size: 200, fileKey: 'avatars/again' }, 2);
    expect(await s.images.find('avatar', owner, 'a1b2')).toEqual({ ...image, size: 200, fileKey: 'avatars/again' });
    expect(await s.images.find('icon', owner, 'a1b2')).toBeNull();
    await s.images.delete('avatar', owner, 'a1b2');
    expect(await s.images.find('avatar', owner, 'a1b2')).toBeNull();
  });
});

forEachEngine('audit log', (stores) => {
  test('filters by user and action, pages back (newest first) and forward (oldest first), prunes', async () => {
    const s = stores();
    const owner = await addUser(s);
    const other = await addUser(s);
    const g = await addGuild(s, owner);
    const actions: AuditAction[] = ['channel.create', 'member.kick', 'channel.create', 'channel.update'];
    const entries: AuditEntry[] = [];
    for (const [i, action] of actions.entries()) {
      const entry: AuditEntry = {
        id: snowflake(),
        guildId: g,
        userId: i === 1 ? other : owner,
        targetId: i === 3 ? null : snowflake(),
        action,
        changes: [{ key: 'name', old: null, new: `né ${i}` }],
        options: i === 1 ? { count: 2 } : null,
        reason: i === 1 ? 'räson' : null,
        createdAt: i,
      };
      entries.push(entry);
      await s.auditLog.insert(entry);
    }
    const ids = (list: AuditEntry[]) => list.map((e) => e.id);
    const [e0, e1, e2, e3] = entries as [AuditEntry, AuditEntry, AuditEntry, AuditEntry];
    expect(await s.auditLog.list(g, { limit: 50 })).toEqual([e3, e2, e1, e0]);
    expect(ids(await s.auditLog.list(g, { limit: 2 }))).toEqual([e3.id, e2.id]);
    expect(ids(await s.auditLog.list(g, { limit: 50, userId: other }))).toEqual([e1.id]);
    expect(ids(await s.auditLog.list(g, { limit: 50, actions: ['channel.create'] }))).toEqual([e2.id, e0.id]);
    expect(ids(await s.auditLog.list(g, { limit: 50, actions: [] }))).toEqual([]);
    expect(ids(await s.auditLog.list(g, { limit: 50, before: e2.id }))).toEqual([e1.id, e0.id]);
    expect(ids(await s.auditLog.list(g, { limit: 2, after: e0.id }))).toEqual([e1.id, e2.id]);
    expect(ids(await s.auditLog.list(g, { limit: 50, after: e0.id, before: e3.id }))).toEqual([e2.id, e1.id]);
    expect(ids(await s.auditLog.list(g, { limit: 50, before: '18446744073709551615' }))).toEqual([e3.id, e2.id, e1.id, e0.id]);
    await s.auditLog.deleteBefore(e2.id);
    expect(ids(await s.auditLog.list(g, { limit: 50 }))).toEqual([e3.id, e2.id]);
  });
});

forEachEngine('interactions', (stores) => {
  test('insert, by id with digest, by token, live ones newest first, pending ones, expiry', async () => {
    const s = stores();
    const bot = await addUser(s, { bot: true });
    const user = await addUser(s);
    const g = await addGuild(s, user);
    const c = await addChannel(s, g);
    const make = (expiresAt: number, state: Interaction['state']) =>
      ({
        id: snowflake(),
        type: 2,
        applicationId: bot,
        userId: user,
        guildId: g,
        channelId: c,
        expiresAt,
        state,
        data: { name: 'ping', options: [{ name: 'text', value: 'ünï 🎉' }] },
      }) as unknown as Interaction;
    const old = make(100, 'answered');
    const live = make(5000, 'pending');
    const newest = make(6000, 'failed');
    await s.interactions.insert(old, digest(1));
    await s.interactions.insert(live, digest(2));
    await s.interactions.insert(newest, digest(3));
    const found = await s.interactions.byId(live.id);
    expect(found?.interaction).toEqual(live);
    expect(Array.from(found?.tokenHash ?? [])).toEqual(Array.from(digest(2)));
    expect(await s.interactions.byToken(digest(3))).toEqual(newest);
    expect(await s.interactions.byToken(digest(9))).toBeNull();
    expect((await s.interactions.liveOf(user, 1000)).map((i) => i.id)).toEqual([newest.id, live.id]);
    expect((await s.interactions.pending()).map((i) => i.id)).toEqual([live.id]);
    await s.interactions.update({ ...live, state: 'answered' });
    expect(await s.interactions.pending()).toEqual([]);
    expect(async () => await s.interactions.insert(make(1, 'pending'), digest(1))).toThrow();
    expect(await s.interactions.deleteExpired(5500)).toBe(2);
    expect(await s.interactions.deleteExpired(5500)).toBe(0);
    expect((await s.interactions.liveOf(user, 0)).map((i) => i.id)).toEqual([newest.id]);
  });

  test('files an interaction holds: listed while live, dropped at expiry and with the row, queued for the janitor', async () => {
    const s = stores();
    const bot = await addUser(s, { bot: true });
    const user = await addUser(s);
    const g = await addGuild(s, user);
    const c = await addChannel(s, g);
    const file = (key: string) => ({ id: snowflake(), filename: `${key}.png`, fileKey: `interactions/${c}/${key}` });
    const make = (expiresAt: number, files: unknown[]) =>
      ({ id: snowflake(), type: 2, applicationId: bot, userId: user, guildId: g, channelId: c, expiresAt, state: 'answered', files }) as unknown as Interaction;
    const expired = make(100, [file('a'), file('b')]);
    const live = make(5000, [file('c')]);
    const empty = make(5000, []);
    await s.interactions.insert(expired, digest(11));
    await s.interactions.insert(live, digest(12));
    await s.interactions.insert(empty, digest(13));
    expect((await s.interactions.holdingFiles(100)).map((i) => i.id).sort()).toEqual([expired.id, live.id].sort());
    expect(await s.interactions.dropExpiredFiles(1000)).toBe(1);
    expect(await s.interactions.dropExpiredFiles(1000)).toBe(0);
    expect((await s.interactions.holdingFiles(100)).map((i) => i.id)).toEqual([live.id]);
    expect((await s.interactions.byId(expired.id))?.interaction.files ?? []).toEqual([]);
    await s.interactions.queueFileDeletions([`interactions/${c}/x`, `interactions/${c}/x`]);
    // The channel goes: the live record cascades, and its file is queued by the trigger in the same transaction.
    await s.channels.delete(c);
    expect((await s.attachments.pendingFileDeletions()).sort()).toEqual(
      [`interactions/${c}/a`, `interactions/${c}/b`, `interactions/${c}/c`, `interactions/${c}/x`].sort(),
    );
  });
});

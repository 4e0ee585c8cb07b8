// Mirrored members (the Discord bridge's people) in the presence directory: shown under their Discord id with
// the profile the bridge gives, hidden when they leave (data kept), refused when the id is a Harmony account,
// written to SQLite only when their profile changes, and after a restart hidden until a bridge claims them.
import { afterEach, describe, expect, it } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig } from '../../../src/config.ts';
import { type Core, createCore } from '../../../src/core.ts';
import { openDatabase } from '../../../src/db/database.ts';
import type { ExternalProfile } from '../../../src/domain/presence/presence-directory.ts';

const GUILD = '1100000000000000000';
const vaq: ExternalProfile = {
  id: '470320681905684500',
  source: 'discord',
  guildId: GUILD,
  username: 'vaq',
  globalName: 'Vaq',
  avatar: '5c11d7292c91e510c2b4f07946ea6d72',
  bot: false,
  nick: 'Vaq in here',
};
const other: ExternalProfile = { ...vaq, id: '470320681905684501', username: 'other', globalName: null, avatar: null, nick: null };

const dirs: string[] = [];
const cores: Core[] = [];

/** A core over a database file in `dir` (a new one unless given), recording the SQL it runs after start-up. */
async function boot(dir = mkdtempSync(join(tmpdir(), 'harmony-external-'))) {
  if (!dirs.includes(dir)) dirs.push(dir);
  const db = openDatabase(join(dir, 'harmony.db'));
  const core = await createCore({ db, config: defaultConfig({ dataDir: dir }), clock: { now: () => Date.now() } });
  cores.push(core);
  const statements: string[] = [];
  const query = db.query.bind(db);
  db.query = ((sql: string) => {
    statements.push(sql.replace(/\s+/g, ' ').trim());
    return query(sql);
  }) as typeof db.query;
  const directory = core.services.presenceDirectory;
  const changes: string[] = [];
  directory.onChange((id) => changes.push(id));
  return { dir, core, directory, statements, changes, close: () => stop(core) };
}

async function stop(core: Core) {
  const at = cores.indexOf(core);
  if (at < 0) return;
  cores.splice(at, 1);
  // What the events so far asked for (last-seen writes) is written before the database closes.
  await core.services.presenceDirectory.idle();
  core.services.systemBot.stop();
  core.services.presenceDirectory.stop();
  await core.uow.close();
  core.db.close(false);
}

afterEach(async () => {
  for (const core of [...cores]) await stop(core);
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('PresenceDirectory.putExternal', () => {
  it('shows a member under their Discord id, with the avatar hash and their nickname as server_name', async () => {
    const { directory, changes } = await boot();
    expect(directory.isMonitored(vaq.id)).toBe(false);
    expect(await directory.putExternal(vaq)).toBe(true);
    const snapshot = directory.snapshot(vaq.id, false);
    expect(snapshot?.user).toEqual({ id: vaq.id, username: 'vaq', globalName: 'Vaq', avatar: '5c11d7292c91e510c2b4f07946ea6d72', bot: false });
    expect(snapshot?.serverName).toBe('Vaq in here');
    expect(snapshot?.kv).toEqual({});
    expect(snapshot?.presence.status).toBe('offline');
    expect(changes).toEqual([vaq.id]);
    expect(directory.isExternalMember('discord', vaq.id)).toBe(true);
    expect(directory.externalCount('discord')).toBe(1);
  });

  it('writes only when the profile changes, and announces only real changes', async () => {
    const { directory, statements, changes } = await boot();
    await directory.putExternal(vaq);
    const writes = statements.length;
    expect(writes).toBeGreaterThan(0);
    await directory.putExternal({ ...vaq });
    expect(statements.length).toBe(writes);
    expect(changes).toEqual([vaq.id]);
    await directory.putExternal({ ...vaq, nick: 'renamed' });
    expect(statements.length).toBeGreaterThan(writes);
    expect(directory.snapshot(vaq.id, false)?.serverName).toBe('renamed');
    expect(changes).toEqual([vaq.id, vaq.id]);
  });

  it('refuses the id of a Harmony account, which keeps its own profile', async () => {
    const { core, directory } = await boot();
    const { user } = await core.services.users.createUser({ username: 'alice', password: 'correct horse battery', admin: false });
    expect(await directory.putExternal({ ...vaq, id: user.id })).toBe(false);
    expect(directory.snapshot(user.id, false)).toBeNull();
    await directory.setShared(user.id, true);
    expect(await directory.putExternal({ ...vaq, id: user.id })).toBe(false);
    expect(directory.snapshot(user.id, false)?.user.username).toBe('alice');
  });

  it('takes K/V, an API token and .presence off like anyone, without touching server_name', async () => {
    const { directory } = await boot();
    await directory.putExternal(vaq);
    expect(await directory.setKv(vaq.id, 'hi', 'no')).toMatchObject({ ok: true });
    const token = await directory.issueToken(vaq.id);
    expect(token).not.toBeNull();
    expect(directory.userForToken(token)).toBe(vaq.id);
    // `.presence on` in a Discord channel passes the Discord guild id: it is not a Harmony guild.
    expect(await directory.setShared(vaq.id, true, GUILD, true)).toBe(true);
    expect(directory.snapshot(vaq.id, false)?.serverName).toBe('Vaq in here');
    expect(await directory.setShared(vaq.id, false)).toBe(true);
    expect(directory.snapshot(vaq.id, false)).toBeNull();
    // A later profile update does not override the member's own choice.
    await directory.putExternal({ ...vaq, globalName: 'New' });
    expect(directory.isMonitored(vaq.id)).toBe(false);
  });
});

describe('PresenceDirectory.removeExternal', () => {
  it('hides a member who left at once and keeps their data for when they return', async () => {
    const { directory, changes } = await boot();
    await directory.putExternal(vaq);
    await directory.setKv(vaq.id, 'hi', 'no');
    const token = await directory.issueToken(vaq.id);
    changes.length = 0;
    expect(await directory.removeExternal('discord', vaq.id)).toBe(true);
    expect(directory.snapshot(vaq.id, false)).toBeNull();
    expect(directory.isExternalMember('discord', vaq.id)).toBe(false);
    expect(directory.externalCount('discord')).toBe(0);
    expect(changes).toEqual([vaq.id]);
    expect(await directory.removeExternal('discord', vaq.id)).toBe(false);
    await directory.putExternal(vaq);
    expect(directory.snapshot(vaq.id, false)?.kv).toEqual({ hi: 'no' });
    expect(directory.userForToken(token)).toBe(vaq.id);
  });

  it('ignores ids that are not members of that source', async () => {
    const { core, directory } = await boot();
    const { user } = await core.services.users.createUser({ username: 'alice', password: 'correct horse battery', admin: false });
    await directory.setShared(user.id, true);
    expect(await directory.removeExternal('discord', user.id)).toBe(false);
    expect(directory.isMonitored(user.id)).toBe(true);
    await directory.putExternal(vaq);
    expect(await directory.removeExternal('elsewhere', vaq.id)).toBe(false);
  });
});

describe('PresenceDirectory.syncExternal', () => {
  it('puts everyone in one go and hides the members missing from the list', async () => {
    const { directory } = await boot();
    await directory.putExternal(vaq);
    await directory.putExternal(other);
    const sync = await directory.syncExternal('discord', [{ ...vaq, nick: null }]);
    expect(sync).toEqual({ tracked: 1, refused: [], left: [other.id] });
    expect(directory.snapshot(vaq.id, false)?.serverName).toBeNull();
    expect(directory.snapshot(other.id, false)).toBeNull();
    expect(directory.externalCount('discord')).toBe(1);
  });

  it('reports ids of Harmony accounts as refused', async () => {
    const { core, directory } = await boot();
    const { user } = await core.services.users.createUser({ username: 'alice', password: 'correct horse battery', admin: false });
    expect(await directory.syncExternal('discord', [vaq, { ...other, id: user.id }])).toEqual({ tracked: 1, refused: [user.id], left: [] });
  });
});

describe('after a restart', () => {
  it('keeps mirrored members hidden until a bridge restores their server, then serves the last known profile', async () => {
    const first = await boot();
    await first.directory.putExternal(vaq);
    await first.directory.putExternal(other);
    await first.directory.removeExternal('discord', other.id);
    await first.directory.setKv(vaq.id, 'zeta', '1');
    await first.directory.setKv(vaq.id, 'alpha', '2');
    const token = await first.directory.issueToken(vaq.id);
    first.core.services.presence.setMirrored(vaq.id, 'discord', { status: 'online', activities: [], clientStatus: { desktop: 'online' } });
    first.core.services.presence.setMirrored(vaq.id, 'discord', null);
    const lastSeen = first.core.services.presence.get(vaq.id).lastSeen;
    await first.close();

    const second = await boot(first.dir);
    // Bridge off: nobody from Discord is shown, but their data is there.
    expect(second.directory.snapshot(vaq.id, false)).toBeNull();
    expect(second.directory.userForToken(token)).toBe(vaq.id);
    expect(second.directory.restoreExternal('discord', '999')).toBe(0);
    expect(second.directory.snapshot(vaq.id, false)).toBeNull();
    expect(second.directory.restoreExternal('discord', GUILD)).toBe(1);
    const snapshot = second.directory.snapshot(vaq.id, false);
    expect(snapshot?.user.avatar).toBe(vaq.avatar);
    expect(snapshot?.serverName).toBe('Vaq in here');
    expect(Object.keys(snapshot?.kv ?? {})).toEqual(['zeta', 'alpha']);
    expect(snapshot?.lastSeen).toBe(lastSeen);
    // The member who had left stays hidden.
    expect(second.directory.snapshot(other.id, false)).toBeNull();
  });
});

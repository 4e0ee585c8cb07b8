// The presence directory changes from events only: two cores over one database and one hub (two nodes on one bus,
// in one process) each keep their own directory in memory, and what one writes (K/V, sharing, the API token, a
// mirrored member) the other shows, with no read of its own. The writer reads its own write at once.
import { afterEach, describe, expect, it } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig } from '../../../src/config.ts';
import { type Core, createCore } from '../../../src/core.ts';
import { openDatabase } from '../../../src/db/database.ts';
import type { ExternalProfile } from '../../../src/domain/presence/presence-directory.ts';
import { EventHub } from '../../../src/events/event-hub.ts';

const cores: Core[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const core of cores.splice(0)) {
    await core.services.presenceDirectory.idle();
    core.services.systemBot.stop();
    core.services.presenceDirectory.stop();
    await core.uow.close();
    core.db.close(false);
  }
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Two nodes: cores over one database file, sharing one hub. */
async function twoNodes() {
  const dir = mkdtempSync(join(tmpdir(), 'harmony-directory-events-'));
  dirs.push(dir);
  const hub = new EventHub();
  const boot = async () => {
    const core = await createCore({
      db: openDatabase(join(dir, 'harmony.db')),
      config: defaultConfig({ dataDir: dir }),
      clock: { now: () => Date.now() },
      hub,
    });
    cores.push(core);
    return core;
  };
  const a = await boot();
  const b = await boot();
  const user = await a.services.users.register('sharer', 'correct horse battery');
  return { a: a.services.presenceDirectory, b: b.services.presenceDirectory, userId: user.user.id };
}

const mirrored: ExternalProfile = {
  id: '470320681905684500',
  source: 'discord',
  guildId: '1100000000000000000',
  username: 'vaq',
  globalName: 'Vaq',
  avatar: null,
  bot: false,
  nick: 'Vaq here',
};

describe('presence directory events', () => {
  it('sharing and K/V written on one node show on the other', async () => {
    const { a, b, userId } = await twoNodes();
    await a.setShared(userId, true);
    await a.setKv(userId, 'mood', 'sunny');
    expect(a.kv(userId)).toEqual({ mood: 'sunny' });
    expect(b.isMonitored(userId)).toBe(true);
    expect(b.snapshot(userId, false)?.kv).toEqual({ mood: 'sunny' });
    await b.deleteKv(userId, 'mood');
    expect(a.kv(userId)).toEqual({});
  });

  it('an API token issued on one node is known to the other, and forgotten there once revoked', async () => {
    const { a, b, userId } = await twoNodes();
    const token = (await a.issueToken(userId)) as string;
    expect(a.userForToken(token)).toBe(userId);
    expect(b.userForToken(token)).toBe(userId);
    const next = (await b.issueToken(userId)) as string;
    expect(a.userForToken(token)).toBeNull();
    expect(a.userForToken(next)).toBe(userId);
    await a.revokeToken(userId);
    expect(b.userForToken(next)).toBeNull();
    expect(b.settings(userId).hasToken).toBe(false);
  });

  it('a mirrored member put by the bridge on one node shows on the other, and is hidden there when they leave', async () => {
    const { a, b } = await twoNodes();
    expect(await a.putExternal(mirrored)).toBe(true);
    expect(b.snapshot(mirrored.id, false)?.user).toEqual({ id: mirrored.id, username: 'vaq', globalName: 'Vaq', avatar: null, bot: false });
    expect(b.snapshot(mirrored.id, false)?.serverName).toBe('Vaq here');
    expect(b.isExternalMember('discord', mirrored.id)).toBe(true);
    await a.syncExternal('discord', []);
    expect(b.snapshot(mirrored.id, false)).toBeNull();
    expect(b.isExternalMember('discord', mirrored.id)).toBe(false);
  });
});

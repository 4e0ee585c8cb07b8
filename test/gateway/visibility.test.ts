// Bulk visibility must agree with AccessService.permissionsIn for every member and channel: the gateway
// computes it in bulk for speed, REST checks it one at a time, and they must never disagree on who sees what.
import { describe, expect, it } from 'bun:test';
import { defaultConfig } from '../../src/config.ts';
import { createCore } from '../../src/core.ts';
import { openDatabase } from '../../src/db/database.ts';
import { has, Permission } from '../../src/domain/permissions.ts';
import { Visibility } from '../../src/gateway/visibility.ts';

/** Small deterministic PRNG so a failure reproduces. */
function lcg(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const FLAGS = [
  Permission.ViewChannel,
  Permission.SendMessages,
  Permission.ManageMessages,
  Permission.Administrator,
  Permission.ReadMessageHistory,
  Permission.ManageThreads,
];

describe('Visibility.guildViews', () => {
  it('matches access.permissionsIn for every member and channel (threads included) of a randomized guild', async () => {
    for (const seed of [1, 2, 3]) {
      const random = lcg(seed);
      const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
      const bits = () => FLAGS.filter(() => random() < 0.3).reduce((a, b) => a | b, 0n);
      const core = await createCore({ db: openDatabase(':memory:'), config: defaultConfig(), clock: { now: () => Date.now() } });
      const { users, guilds, roles, members, channels, guildBots, access } = core.services;
      const owner = (await users.createBot({ username: `owner${seed}`, createdBy: null })).bot;
      // A human owner is not needed: ownership is what matters, and bots are quick to create.
      const guild = await guilds.create(owner.id, { name: 'Random guild' });
      await roles.update(guild.id, owner.id, guild.id, { permissions: pick([0n, Permission.ViewChannel, Permission.ViewChannel | Permission.SendMessages]) });
      const roleIds: string[] = [];
      for (let i = 0; i < 4; i++) roleIds.push((await roles.create(guild.id, owner.id, { name: `r${i}`, permissions: bits() & ~Permission.Administrator })).id);
      const adminRole = await roles.create(guild.id, owner.id, { name: 'admin', permissions: Permission.Administrator });
      const memberIds: string[] = [];
      for (let i = 0; i < 12; i++) {
        const bot = (await users.createBot({ username: `m${seed}x${i}`, createdBy: null })).bot;
        await guildBots.put(guild.id, owner.id, bot.id, bits() & ~Permission.Administrator);
        for (const roleId of roleIds) if (random() < 0.4) await members.addRole(guild.id, owner.id, bot.id, roleId);
        if (random() < 0.1) await members.addRole(guild.id, owner.id, bot.id, adminRole.id);
        memberIds.push(bot.id);
      }
      for (let i = 0; i < 6; i++) {
        const overwrites = [];
        if (random() < 0.6) overwrites.push({ id: guild.id, type: 0 as const, allow: bits(), deny: bits() });
        for (const roleId of roleIds) if (random() < 0.3) overwrites.push({ id: roleId, type: 0 as const, allow: bits(), deny: bits() });
        for (const memberId of memberIds) if (random() < 0.1) overwrites.push({ id: memberId, type: 1 as const, allow: bits(), deny: bits() });
        await channels.create(guild.id, owner.id, { name: `c${i}`, overwrites });
      }
      // A public and a private thread under each channel, the private one with a few members who can see the parent.
      for (const parent of await channels.list(guild.id, owner.id)) {
        await core.services.threads.start(parent.id, owner.id, { name: `pub-${parent.name}`, type: 11 });
        const secret = await core.services.threads.start(parent.id, owner.id, { name: `priv-${parent.name}`, type: 12 });
        for (const memberId of memberIds) {
          if (random() < 0.4) await core.services.threads.add(secret.id, owner.id, memberId).catch(() => {});
        }
      }
      const outsider = (await users.createBot({ username: `out${seed}`, createdBy: null })).bot;

      const visibility = new Visibility(core.uow.repos.guilds, core.uow.repos.channels, core.uow.repos.threads);
      const everyone = [owner.id, ...memberIds, outsider.id];
      const { channels: all, views } = await visibility.guildViews(guild.id, everyone);
      expect(all.length).toBe(7 * 3);
      let visiblePairs = 0;
      let hiddenPairs = 0;
      for (const userId of everyone) {
        const view = views.get(userId);
        if (userId === outsider.id) {
          expect(view).toBeNull();
          continue;
        }
        for (const channel of all) {
          const expected = has(await access.permissionsIn(channel, userId), Permission.ViewChannel);
          expect({ userId, channel: channel.id, visible: view?.has(channel.id) }).toEqual({ userId, channel: channel.id, visible: expected });
          if (expected) visiblePairs++;
          else hiddenPairs++;
        }
      }
      // The guild is random enough to test both answers.
      expect(visiblePairs).toBeGreaterThan(0);
      expect(hiddenPairs).toBeGreaterThan(0);
    }
  });

  it('restricts the answer to the channels asked about', async () => {
    const core = await createCore({ db: openDatabase(':memory:'), config: defaultConfig(), clock: { now: () => Date.now() } });
    const owner = (await core.services.users.createBot({ username: 'owner', createdBy: null })).bot;
    const guild = await core.services.guilds.create(owner.id, { name: 'Two channels' });
    const extra = await core.services.channels.create(guild.id, owner.id, { name: 'extra' });
    const visibility = new Visibility(core.uow.repos.guilds, core.uow.repos.channels, core.uow.repos.threads);
    const { views } = await visibility.guildViews(guild.id, [owner.id], [extra]);
    expect([...(views.get(owner.id) ?? [])]).toEqual([extra.id]);
    const snapshot = await visibility.snapshot(guild.id, owner.id);
    expect(snapshot?.channels.map((c) => c.name)).toEqual(['general', 'extra']);
    expect(snapshot?.memberCount).toBe(1);
  });
});

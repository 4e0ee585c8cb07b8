// Events carry what the gateways show, read at commit (src/domain/event-views.ts): a dispatch shows the event as it
// was when its write committed, never a row a later write changed, and fan-out and the encoders read no repository
// for them (test: every repository method records a call made while the fan-out handles an event).

import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { AsyncLocalStorage } from 'node:async_hooks';
import { GatewayIntentBits as Intent } from 'discord-api-types/v10';
import type { DomainEvent } from '../../src/events/domain-events.ts';
import { Fanout } from '../../src/gateway/fanout.ts';
import { type Account, buildWorld, closeSockets, connectV10, createBot, type V10Client, type World } from '../dialects/discord/gateway/fixtures.ts';
import { connectAs, type GatewayClient } from '../support/gateway-client.ts';
import { watchRepositoryCalls } from '../support/repository-calls.ts';

const ALL_INTENTS = Object.values(Intent)
  .filter((v): v is number => typeof v === 'number')
  .reduce((all, bit) => all | bit, 0);

/** Repository calls made while the fan-out handled an event, as `repo.method`. */
const fanoutReads: string[] = [];
const inFanout = new AsyncLocalStorage<DomainEvent>();
const handle = Fanout.prototype.handle;

let world: World;
let watcher: Account;
let bot: V10Client;
let alice: GatewayClient;

beforeAll(async () => {
  Fanout.prototype.handle = function (this: Fanout, event: DomainEvent) {
    return inFanout.run(event, () => handle.call(this, event));
  };
  world = await buildWorld();
  watchRepositoryCalls(world.server, (call) => {
    const event = inFanout.getStore();
    if (event) fanoutReads.push(`${call} (fan-out of ${event.type})`);
  });
  watcher = await createBot(world, 'watcher');
  bot = await connectV10(world.server, watcher.token, ALL_INTENTS);
  await bot.dispatch('GUILD_CREATE');
  alice = await connectAs(world.server, world.alice.token);
  // Connecting changed presences (their fan-out looks up the user's guilds, which the event does not carry yet).
  await Bun.sleep(200);
  fanoutReads.length = 0;
}, 60_000);

afterAll(async () => {
  Fanout.prototype.handle = handle;
  closeSockets();
  alice?.close();
  await world?.server.stop();
});

describe('events enriched at commit', () => {
  it('a member update committed with a later rename of the same user shows the name as it was at the first write', async () => {
    const { core } = world.server.harmony;
    const { bob, guildId } = world;
    // Hold the write queue so that both writes run in one batch: both commit before either event is fanned out.
    let release!: () => void;
    const held = core.uow.write(
      () =>
        new Promise<void>((resolve) => {
          release = resolve;
        }),
    );
    // In this order: each service reads (permissions) before it queues its write.
    await Bun.sleep(10);
    const nick = core.services.members.update(guildId, bob.id, bob.id, { nick: 'bobby' });
    await Bun.sleep(50);
    const rename = core.services.users.updateProfile(bob.id, { username: 'robert' });
    await Bun.sleep(50);
    release();
    await Promise.all([held, nick, rename]);

    const nickChange = await bot.dispatch('GUILD_MEMBER_UPDATE', (d) => d.user.id === bob.id && d.nick === 'bobby');
    expect(nickChange.d.user.username).toBe('bob');
    const renamed = await bot.dispatch('GUILD_MEMBER_UPDATE', (d) => d.user.id === bob.id && d.user.username === 'robert');
    expect(renamed.d.nick).toBe('bobby');
    const v1First = await alice.event('MEMBER_UPDATE', (d) => d.user_id === bob.id && d.nick === 'bobby');
    expect(v1First.d.user.username).toBe('bob');
    await alice.event('MEMBER_UPDATE', (d) => d.user_id === bob.id && d.user.username === 'robert');
    await core.services.users.updateProfile(bob.id, { username: 'bob' });
  });

  it('reaction, typing, message, member, user and DM events reach their sessions with no repository read during fan-out', async () => {
    const { core } = world.server.harmony;
    const { bob, alice: owner, guildId, generalId } = world;
    fanoutReads.length = 0;
    const sent = await core.services.messages.send(generalId, owner.id, { content: 'enriched' });
    const created = await bot.dispatch('MESSAGE_CREATE', (d) => d.id === sent.id);
    expect(created.d.member.roles).toEqual([]);
    expect(created.d.author.id).toBe(owner.id);

    await core.services.messages.react(sent.id, bob.id, '👍');
    const reaction = await bot.dispatch('MESSAGE_REACTION_ADD', (d) => d.message_id === sent.id);
    expect(reaction.d.member.user.id).toBe(bob.id);
    expect(reaction.d.member.user.username).toBe('bob');

    await core.services.messages.typing(generalId, bob.id);
    const typing = await bot.dispatch('TYPING_START', (d) => d.user_id === bob.id);
    expect(typing.d.member.user.id).toBe(bob.id);

    await core.services.members.update(guildId, bob.id, bob.id, { nick: 'b.' });
    const member = await bot.dispatch('GUILD_MEMBER_UPDATE', (d) => d.user.id === bob.id && d.nick === 'b.');
    expect(member.d.user.username).toBe('bob');

    await core.services.users.updateProfile(bob.id, { globalName: 'Bob B.' });
    const user = await bot.dispatch('GUILD_MEMBER_UPDATE', (d) => d.user.id === bob.id && d.user.global_name === 'Bob B.');
    expect(user.d.nick).toBe('b.');

    const dm = await core.services.channels.openDm(owner.id, watcher.id);
    const dmCreate = await bot.dispatch('CHANNEL_CREATE', (d) => d.id === dm.id);
    expect(dmCreate.d.recipients.map((r: { id: string }) => r.id)).toEqual([owner.id]);
    const v1Dm = await alice.event('CHANNEL_CREATE', (d) => d.id === dm.id);
    expect(v1Dm.d.id).toBe(dm.id);

    expect(fanoutReads).toEqual([]);
  });
});

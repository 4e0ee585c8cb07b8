// Authorization on the wire: a session receives an event only if its user may see it at that moment, and
// changing an overwrite, a role, a membership or a bot changes delivery at once, without reconnecting.
import { afterEach, beforeEach, describe, expect, it } from 'bun:test';
import { type Account, buildWorld, connectPeer, join, type Peer, received, sync, type World } from './fixtures.ts';

let world: World;
let alice: Peer;
let bob: Peer;
let bot: Peer;

beforeEach(async () => {
  world = await buildWorld();
  alice = await connectPeer(world, world.alice);
  bob = await connectPeer(world, world.bob);
  bot = await connectPeer(world, world.bot);
});
afterEach(() => world.server.stop());

const post = (author: Account, channelId: string, content: string) => world.call(author.token, 'POST', `/channels/${channelId}/messages`, { content });
const contents = (peer: Peer) => received(peer, 'MESSAGE_CREATE').map((d) => d.content as string);

/** A channel only alice (the owner) can view: @everyone is denied VIEW_CHANNEL. */
async function privateChannel(name = 'secret'): Promise<string> {
  const channel = await world.call(world.alice.token, 'POST', `/guilds/${world.guildId}/channels`, {
    name,
    permission_overwrites: [{ id: world.guildId, type: 0, deny: ['view_channels'] }],
  });
  return channel.id;
}

describe('a channel the user cannot view', () => {
  it('never delivers its messages, edits, reactions, typing or deletes', async () => {
    const secret = await privateChannel();
    const message = await post(world.alice, secret, 'for alice only');
    await world.call(world.alice.token, 'PATCH', `/messages/${message.id}`, { content: 'still alice only' });
    await world.call(world.alice.token, 'PUT', `/messages/${message.id}/reactions/${encodeURIComponent('🔒')}`);
    await world.call(world.alice.token, 'POST', `/channels/${secret}/typing`);
    await world.call(world.alice.token, 'DELETE', `/messages/${message.id}`);
    await alice.client.event('MESSAGE_DELETE', (d) => d.id === message.id);
    await sync(world, alice, bob, bot);
    expect(received(alice, 'MESSAGE_CREATE', (d) => d.channel_id === secret)).toHaveLength(1);
    for (const peer of [bob, bot]) {
      for (const t of ['CHANNEL_CREATE', 'MESSAGE_CREATE', 'MESSAGE_UPDATE', 'MESSAGE_REACTION_ADD', 'TYPING_START', 'MESSAGE_DELETE']) {
        expect(received(peer, t, (d) => d.channel_id === secret || d.id === secret)).toEqual([]);
      }
    }
  });

  it('is left out of READY', async () => {
    const secret = await privateChannel();
    const fresh = await connectPeer(world, world.bob);
    const channels = fresh.client.ready?.d.guilds[0].channels.map((c: { id: string }) => c.id);
    expect(channels).toEqual([world.generalId]);
    const owner = await connectPeer(world, world.alice);
    expect(owner.client.ready?.d.guilds[0].channels.map((c: { id: string }) => c.id)).toEqual([world.generalId, secret]);
  });
});

describe('changing an overwrite', () => {
  it('lets a member in (CHANNEL_CREATE, then messages) and shuts them out again (CHANNEL_DELETE, then silence)', async () => {
    const secret = await privateChannel();
    await world.call(world.alice.token, 'PUT', `/channels/${secret}/permissions/${world.bob.id}`, { type: 1, allow: ['view_channels'] });
    const shown = await bob.client.event('CHANNEL_CREATE', (d) => d.id === secret);
    expect(shown.d.permission_overwrites).toEqual(expect.arrayContaining([{ id: world.bob.id, type: 1, allow: '1024', deny: '0' }]));
    await post(world.alice, secret, 'welcome bob');
    await bob.client.event('MESSAGE_CREATE', (d) => d.content === 'welcome bob');

    await world.call(world.alice.token, 'DELETE', `/channels/${secret}/permissions/${world.bob.id}`);
    await bob.client.event('CHANNEL_DELETE', (d) => d.id === secret);
    await post(world.alice, secret, 'bob is gone');
    await sync(world, alice, bob, bot);
    expect(contents(bob)).toContain('welcome bob');
    expect(contents(bob)).not.toContain('bob is gone');
    expect(contents(alice)).toContain('bob is gone');
    // The bot was never let in, and never heard a thing.
    expect(contents(bot).filter((c) => c === 'welcome bob' || c === 'bob is gone')).toEqual([]);
    expect(received(bot, 'CHANNEL_UPDATE', (d) => d.id === secret)).toEqual([]);
  });

  it('sends CHANNEL_UPDATE (not CREATE) to members who could already see the channel', async () => {
    await world.call(world.alice.token, 'PUT', `/channels/${world.generalId}/permissions/${world.bob.id}`, { type: 1, deny: ['add_reactions'] });
    const update = await alice.client.event('CHANNEL_UPDATE', (d) => d.id === world.generalId);
    expect(update.d.permission_overwrites).toEqual([{ id: world.bob.id, type: 1, allow: '0', deny: '64' }]);
    await bob.client.event('CHANNEL_UPDATE', (d) => d.id === world.generalId);
    await sync(world, bob);
    expect(received(bob, 'CHANNEL_CREATE', (d) => d.id === world.generalId)).toEqual([]);
  });

  it('hiding #general from @everyone stops its traffic for everyone but the owner', async () => {
    await world.call(world.alice.token, 'PUT', `/channels/${world.generalId}/permissions/${world.guildId}`, { type: 0, deny: ['view_channels'] });
    await bob.client.event('CHANNEL_DELETE', (d) => d.id === world.generalId);
    await bot.client.event('CHANNEL_DELETE', (d) => d.id === world.generalId);
    await post(world.alice, world.generalId, 'owner only now');
    await alice.client.event('MESSAGE_CREATE', (d) => d.content === 'owner only now');
    await sync(world, bob, bot);
    expect(contents(bob)).not.toContain('owner only now');
    expect(contents(bot)).not.toContain('owner only now');
  });
});

describe('changing roles', () => {
  it('giving and taking a role that is allowed into a channel changes delivery at once', async () => {
    const role = await world.call(world.alice.token, 'POST', `/guilds/${world.guildId}/roles`, { name: 'insiders' });
    const secret = await world.call(world.alice.token, 'POST', `/guilds/${world.guildId}/channels`, {
      name: 'insiders',
      permission_overwrites: [
        { id: world.guildId, type: 0, deny: ['view_channels'] },
        { id: role.id, type: 0, allow: ['view_channels'] },
      ],
    });
    await world.call(world.alice.token, 'PUT', `/guilds/${world.guildId}/members/${world.bob.id}/roles/${role.id}`);
    await bob.client.event('CHANNEL_CREATE', (d) => d.id === secret.id);
    await post(world.alice, secret.id, 'insiders only');
    await bob.client.event('MESSAGE_CREATE', (d) => d.content === 'insiders only');

    await world.call(world.alice.token, 'DELETE', `/guilds/${world.guildId}/members/${world.bob.id}/roles/${role.id}`);
    await bob.client.event('CHANNEL_DELETE', (d) => d.id === secret.id);
    await post(world.alice, secret.id, 'not for bob any more');
    await sync(world, bob, bot);
    expect(contents(bob)).not.toContain('not for bob any more');
    expect(contents(bot)).not.toContain('insiders only');
  });

  it("changing a role's permissions re-evaluates everyone who has it", async () => {
    // @everyone loses VIEW_CHANNEL: bob (only @everyone) loses #general; the bot keeps it through its own
    // role (read_messages); giving it back restores bob.
    await world.call(world.alice.token, 'PATCH', `/guilds/${world.guildId}/roles/${world.guildId}`, { permissions: ['send_messages'] });
    await bob.client.event('CHANNEL_DELETE', (d) => d.id === world.generalId);
    await post(world.alice, world.generalId, 'bot and alice');
    await bot.client.event('MESSAGE_CREATE', (d) => d.content === 'bot and alice');
    await world.call(world.alice.token, 'PATCH', `/guilds/${world.guildId}/roles/${world.guildId}`, { permissions: ['view_channels', 'send_messages'] });
    await bob.client.event('CHANNEL_CREATE', (d) => d.id === world.generalId);
    await post(world.alice, world.generalId, 'everyone again');
    await bob.client.event('MESSAGE_CREATE', (d) => d.content === 'everyone again');
    expect(contents(bob)).not.toContain('bot and alice');
    expect(received(bot, 'CHANNEL_DELETE', (d) => d.id === world.generalId)).toEqual([]);
    expect(received(bot, 'CHANNEL_CREATE', (d) => d.id === world.generalId)).toEqual([]);
  });

  it("a bot's permissions are its managed role: changing them changes what it receives", async () => {
    const secret = await privateChannel('bot-room');
    await world.call(world.alice.token, 'PUT', `/guilds/${world.guildId}/bots/${world.bot.id}`, { permissions: ['administrator'] });
    await bot.client.event('CHANNEL_CREATE', (d) => d.id === secret);
    await post(world.alice, secret, 'admins see all');
    await bot.client.event('MESSAGE_CREATE', (d) => d.content === 'admins see all');
    await world.call(world.alice.token, 'PUT', `/guilds/${world.guildId}/bots/${world.bot.id}`, { permissions: ['send_messages'] });
    await bot.client.event('CHANNEL_DELETE', (d) => d.id === secret);
  });
});

describe('changing membership', () => {
  for (const [how, reason] of [
    ['kicked', 'kick'],
    ['banned', 'ban'],
  ] as const) {
    it(`a member who is ${how} gets GUILD_DELETE (reason ${reason}) and nothing from the guild after`, async () => {
      if (reason === 'kick') await world.call(world.alice.token, 'DELETE', `/guilds/${world.guildId}/members/${world.bob.id}`);
      else await world.call(world.alice.token, 'PUT', `/guilds/${world.guildId}/bans/${world.bob.id}`, {});
      const deleted = await bob.client.event('GUILD_DELETE');
      expect(deleted.d).toEqual({ id: world.guildId, unavailable: false, reason });
      await alice.client.event('MEMBER_LEAVE', (d) => d.user_id === world.bob.id);
      await post(world.alice, world.generalId, `after ${how}`);
      await world.call(world.alice.token, 'PATCH', `/guilds/${world.guildId}`, { name: 'Renamed guild' });
      await alice.client.event('GUILD_UPDATE');
      await sync(world, bob);
      expect(contents(bob)).not.toContain(`after ${how}`);
      expect(received(bob, 'GUILD_UPDATE')).toEqual([]);
      expect(received(bob, 'MEMBER_LEAVE')).toEqual([]);
    });
  }

  it('a member invited back gets GUILD_CREATE and the guild again, on the same session', async () => {
    await world.call(world.alice.token, 'DELETE', `/guilds/${world.guildId}/members/${world.bob.id}`);
    await bob.client.event('GUILD_DELETE');
    await join(world, world.bob);
    const created = await bob.client.event('GUILD_CREATE', (d) => d.id === world.guildId);
    expect(created.d.channels.map((c: { id: string }) => c.id)).toEqual([world.generalId]);
    await post(world.alice, world.generalId, 'welcome back');
    await bob.client.event('MESSAGE_CREATE', (d) => d.content === 'welcome back');
  });

  it('a bot added to a guild gets GUILD_CREATE; removed, GUILD_DELETE (reason bot_removed) and silence', async () => {
    const created = await world.call(world.alice.token, 'POST', '/admin/bots', { username: 'newcomer' });
    const newcomer = await connectPeer(world, { id: created.bot.id, token: created.token });
    expect(newcomer.client.ready?.d.guilds).toEqual([]);
    await world.call(world.alice.token, 'PUT', `/guilds/${world.guildId}/bots/${created.bot.id}`, { permissions: ['read_messages'] });
    const guild = await newcomer.client.event('GUILD_CREATE');
    expect(guild.d).toMatchObject({ id: world.guildId, member_count: 4, channels: [expect.objectContaining({ id: world.generalId })] });
    expect(guild.d.roles.map((r: { name: string }) => r.name)).toContain('newcomer');
    await post(world.alice, world.generalId, 'hello newcomer');
    await newcomer.client.event('MESSAGE_CREATE', (d) => d.content === 'hello newcomer');

    await world.call(world.alice.token, 'DELETE', `/guilds/${world.guildId}/bots/${created.bot.id}`);
    const removed = await newcomer.client.event('GUILD_DELETE');
    expect(removed.d).toEqual({ id: world.guildId, unavailable: false, reason: 'bot_removed' });
    await post(world.alice, world.generalId, 'bye newcomer');
    await sync(world, newcomer);
    expect(contents(newcomer)).not.toContain('bye newcomer');
  });

  it('deleting the guild sends GUILD_DELETE (reason deleted) to every member, the owner included', async () => {
    await world.call(world.alice.token, 'DELETE', `/guilds/${world.guildId}`);
    for (const peer of [alice, bob, bot]) {
      const frame = await peer.client.event('GUILD_DELETE');
      expect(frame.d).toEqual({ id: world.guildId, unavailable: false, reason: 'deleted' });
    }
  });

  it('creating a guild sends GUILD_CREATE to the owner', async () => {
    const guild = await world.call(world.bob.token, 'POST', '/guilds', { name: 'Bob place' });
    const frame = await bob.client.event('GUILD_CREATE', (d) => d.id === guild.id);
    expect(frame.d).toMatchObject({ id: guild.id, name: 'Bob place', owner_id: world.bob.id, member_count: 1 });
    await sync(world, alice);
    expect(received(alice, 'GUILD_CREATE', (d) => d.id === guild.id)).toEqual([]);
  });
});

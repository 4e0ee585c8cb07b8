// Every v1 event reaches the sessions that may see it, with the documented shape, and no one else.
// alice owns the guild, bob and the bot are members, carol is in no guild.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { connectAs } from '../../../support/gateway-client.ts';
import { people } from '../fixtures.ts';
import { type Account, buildWorld, connectPeer, join, type Peer, received, sync, type World } from './fixtures.ts';

let world: World;
let alice: Peer;
let bob: Peer;
let carol: Peer;
let bot: Peer;
let everyone: Peer[];

beforeAll(async () => {
  world = await buildWorld();
  alice = await connectPeer(world, world.alice);
  bob = await connectPeer(world, world.bob);
  carol = await connectPeer(world, world.carol);
  bot = await connectPeer(world, world.bot);
  everyone = [alice, bob, carol, bot];
});
afterAll(() => world.server.stop());

const ISO = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
const members = () => [alice, bob, bot];
const post = (author: Account, channelId: string, content: string) => world.call(author.token, 'POST', `/channels/${channelId}/messages`, { content });

async function register(username: string): Promise<Account> {
  const [person] = await people(world.server, username);
  return { id: person.id, token: person.token };
}

describe('MESSAGE_CREATE', () => {
  it('reaches every member who can view the channel, in the seed shape, and not outsiders', async () => {
    const sent = await post(world.alice, world.generalId, `hello <@${world.bob.id}>`);
    for (const peer of members()) {
      const frame = await peer.client.event('MESSAGE_CREATE', (d) => d.id === sent.id);
      expect(frame.d).toEqual({
        id: sent.id,
        channel_id: world.generalId,
        guild_id: world.guildId,
        author: { id: world.alice.id, username: 'alice', global_name: null, avatar: null, bot: false },
        webhook_id: null,
        content: `hello <@${world.bob.id}>`,
        timestamp: ISO,
        edited_timestamp: null,
        mentions: [world.bob.id],
        mention_everyone: false,
        mention_roles: [],
        reply_to: null,
        pinned: false,
        nonce: null,
        embeds: [],
        components: [],
        attachments: [],
        suppress_embeds: false,
      });
    }
    await sync(world, ...everyone);
    expect(received(carol, 'MESSAGE_CREATE', (d) => d.id === sent.id)).toEqual([]);
  });

  it('carries reply_to for replies', async () => {
    const first = await post(world.alice, world.generalId, 'question');
    const reply = await world.call(world.bob.token, 'POST', `/channels/${world.generalId}/messages`, { content: 'answer', reply_to: first.id });
    const frame = await alice.client.event('MESSAGE_CREATE', (d) => d.id === reply.id);
    expect(frame.d.reply_to).toBe(first.id);
  });
});

describe('MESSAGE_UPDATE, MESSAGE_DELETE and MESSAGE_DELETE_BULK', () => {
  it('tell members about edits with the new content and edited_timestamp', async () => {
    const sent = await post(world.bob, world.generalId, 'typo');
    await world.call(world.bob.token, 'PATCH', `/messages/${sent.id}`, { content: 'fixed' });
    for (const peer of members()) {
      const frame = await peer.client.event('MESSAGE_UPDATE', (d) => d.id === sent.id);
      expect(frame.d).toMatchObject({ id: sent.id, channel_id: world.generalId, guild_id: world.guildId, content: 'fixed', edited_timestamp: ISO });
    }
    await sync(world, ...everyone);
    expect(received(carol, 'MESSAGE_UPDATE')).toEqual([]);
  });

  it('tell members about deletions as {id, channel_id, guild_id}', async () => {
    const sent = await post(world.bob, world.generalId, 'oops');
    await world.call(world.bob.token, 'DELETE', `/messages/${sent.id}`);
    for (const peer of members()) {
      const frame = await peer.client.event('MESSAGE_DELETE', (d) => d.id === sent.id);
      expect(frame.d).toEqual({ id: sent.id, channel_id: world.generalId, guild_id: world.guildId });
    }
    await sync(world, ...everyone);
    expect(received(carol, 'MESSAGE_DELETE')).toEqual([]);
  });

  it('tell members about bulk deletions as {ids, channel_id, guild_id}', async () => {
    const one = await post(world.bob, world.generalId, 'bulk one');
    const two = await post(world.bob, world.generalId, 'bulk two');
    await world.call(world.alice.token, 'POST', `/channels/${world.generalId}/messages/bulk-delete`, { messages: [one.id, two.id] });
    const frame = await bot.client.event('MESSAGE_DELETE_BULK', (d) => d.ids.includes(one.id));
    expect(frame.d).toEqual({ ids: [one.id, two.id], channel_id: world.generalId, guild_id: world.guildId });
  });
});

describe('MESSAGE_REACTION_ADD / MESSAGE_REACTION_REMOVE', () => {
  it('reach channel viewers with the emoji as the API takes it', async () => {
    const sent = await post(world.alice, world.generalId, 'react to me');
    await world.call(world.bob.token, 'PUT', `/messages/${sent.id}/reactions/${encodeURIComponent('👍')}`);
    for (const peer of members()) {
      const frame = await peer.client.event('MESSAGE_REACTION_ADD', (d) => d.message_id === sent.id);
      expect(frame.d).toEqual({
        message_id: sent.id,
        channel_id: world.generalId,
        guild_id: world.guildId,
        user_id: world.bob.id,
        emoji: '👍',
        message_author_id: world.alice.id,
      });
    }
    await world.call(world.bob.token, 'DELETE', `/messages/${sent.id}/reactions/${encodeURIComponent('👍')}`);
    const removed = await alice.client.event('MESSAGE_REACTION_REMOVE', (d) => d.message_id === sent.id);
    expect(removed.d).toEqual({ message_id: sent.id, channel_id: world.generalId, guild_id: world.guildId, user_id: world.bob.id, emoji: '👍' });
    await sync(world, ...everyone);
    expect(received(carol, 'MESSAGE_REACTION_ADD')).toEqual([]);
    expect(received(carol, 'MESSAGE_REACTION_REMOVE')).toEqual([]);
  });
});

describe('TYPING_START', () => {
  it('reaches channel viewers with an ISO timestamp', async () => {
    await world.call(world.bob.token, 'POST', `/channels/${world.generalId}/typing`);
    const frame = await alice.client.event('TYPING_START', (d) => d.user_id === world.bob.id);
    expect(frame.d).toEqual({ channel_id: world.generalId, guild_id: world.guildId, user_id: world.bob.id, timestamp: ISO });
    await sync(world, ...everyone);
    expect(received(carol, 'TYPING_START')).toEqual([]);
  });
});

describe('MEMBER_JOIN, MEMBER_UPDATE, MEMBER_LEAVE', () => {
  it('tell members who joined (seed shape + user) and give the newcomer GUILD_CREATE', async () => {
    const dave = await register('dave');
    const daveClient = await connectAs(world.server, dave.token);
    await join(world, dave);
    for (const peer of members()) {
      const frame = await peer.client.event('MEMBER_JOIN', (d) => d.user_id === dave.id);
      expect(frame.d).toEqual({
        user_id: dave.id,
        guild_id: world.guildId,
        user: { id: dave.id, username: 'dave', global_name: null, avatar: null, bot: false },
        nick: null,
        roles: [],
        joined_at: ISO,
      });
    }
    const created = await daveClient.event('GUILD_CREATE', (d) => d.id === world.guildId);
    expect(created.d).toMatchObject({
      id: world.guildId,
      name: 'Gateway guild',
      member_count: 4,
      channels: [expect.objectContaining({ id: world.generalId })],
    });
    expect(created.d.roles.map((r: { name: string }) => r.name)).toEqual(['@everyone', 'gatewaybot']);

    await world.call(world.alice.token, 'PATCH', `/guilds/${world.guildId}/members/${dave.id}`, { nick: 'Davey' });
    const updated = await bob.client.event('MEMBER_UPDATE', (d) => d.user_id === dave.id);
    expect(updated.d).toMatchObject({ user_id: dave.id, guild_id: world.guildId, nick: 'Davey', roles: [] });

    await world.call(dave.token, 'DELETE', `/users/@me/guilds/${world.guildId}`);
    for (const peer of members()) {
      const frame = await peer.client.event('MEMBER_LEAVE', (d) => d.user_id === dave.id);
      expect(frame.d).toEqual({
        guild_id: world.guildId,
        user_id: dave.id,
        user: { id: dave.id, username: 'dave', global_name: null, avatar: null, bot: false },
      });
    }
    const deleted = await daveClient.event('GUILD_DELETE');
    expect(deleted.d).toEqual({ id: world.guildId, unavailable: false, reason: 'leave' });
    await sync(world, ...everyone);
    for (const t of ['MEMBER_JOIN', 'MEMBER_UPDATE', 'MEMBER_LEAVE']) expect(received(carol, t)).toEqual([]);
    // The leaver hears nothing more from the guild.
    const after = await post(world.alice, world.generalId, 'after dave left');
    await sync(world, alice, { account: dave, client: daveClient });
    expect(received({ account: dave, client: daveClient }, 'MESSAGE_CREATE', (d) => d.id === after.id)).toEqual([]);
    daveClient.close();
  });
});

describe('CHANNEL_CREATE, CHANNEL_UPDATE, CHANNEL_DELETE', () => {
  it('reach members who can view the channel', async () => {
    const channel = await world.call(world.alice.token, 'POST', `/guilds/${world.guildId}/channels`, { name: 'News' });
    for (const peer of members()) {
      const frame = await peer.client.event('CHANNEL_CREATE', (d) => d.id === channel.id);
      expect(frame.d).toEqual({
        id: channel.id,
        guild_id: world.guildId,
        name: 'news',
        type: 0,
        position: 1,
        topic: null,
        last_message_id: null,
        permission_overwrites: [],
      });
    }
    await world.call(world.alice.token, 'PATCH', `/channels/${channel.id}`, { topic: 'Announcements' });
    for (const peer of members()) {
      const frame = await peer.client.event('CHANNEL_UPDATE', (d) => d.id === channel.id);
      expect(frame.d).toMatchObject({ id: channel.id, topic: 'Announcements' });
    }
    await world.call(world.alice.token, 'DELETE', `/channels/${channel.id}`);
    for (const peer of members()) {
      const frame = await peer.client.event('CHANNEL_DELETE', (d) => d.id === channel.id);
      expect(frame.d).toMatchObject({ id: channel.id, guild_id: world.guildId, name: 'news' });
    }
    await sync(world, ...everyone);
    for (const t of ['CHANNEL_CREATE', 'CHANNEL_UPDATE', 'CHANNEL_DELETE']) expect(received(carol, t, (d) => d.id === channel.id)).toEqual([]);
  });
});

describe('GUILD_UPDATE and GUILD_ROLE_*', () => {
  it('reach every member and no one else', async () => {
    await world.call(world.alice.token, 'PATCH', `/guilds/${world.guildId}`, { description: 'A place for tests' });
    for (const peer of members()) {
      const frame = await peer.client.event('GUILD_UPDATE', (d) => d.description === 'A place for tests');
      expect(frame.d).toEqual({
        id: world.guildId,
        name: 'Gateway guild',
        owner_id: world.alice.id,
        icon: null,
        description: 'A place for tests',
        created_at: ISO,
        system_channel_id: world.generalId,
        system_channel_flags: 0,
      });
    }
    const role = await world.call(world.alice.token, 'POST', `/guilds/${world.guildId}/roles`, { name: 'Mods', permissions: ['kick_members'] });
    const created = await bob.client.event('GUILD_ROLE_CREATE', (d) => d.role.id === role.id);
    expect(created.d).toEqual({ guild_id: world.guildId, role: expect.objectContaining({ id: role.id, name: 'Mods', permissions: '2', managed: false }) });
    await world.call(world.alice.token, 'PATCH', `/guilds/${world.guildId}/roles/${role.id}`, { name: 'Moderators' });
    const updated = await bot.client.event('GUILD_ROLE_UPDATE', (d) => d.role.id === role.id);
    expect(updated.d.role.name).toBe('Moderators');
    await world.call(world.alice.token, 'DELETE', `/guilds/${world.guildId}/roles/${role.id}`);
    const deleted = await alice.client.event('GUILD_ROLE_DELETE', (d) => d.role_id === role.id);
    expect(deleted.d).toEqual({ guild_id: world.guildId, role_id: role.id });
    await sync(world, ...everyone);
    for (const t of ['GUILD_UPDATE', 'GUILD_ROLE_CREATE', 'GUILD_ROLE_UPDATE', 'GUILD_ROLE_DELETE']) expect(received(carol, t)).toEqual([]);
  });
});

describe('USER_UPDATE', () => {
  it("goes to the user's own sessions; guild members see a MEMBER_UPDATE", async () => {
    await world.call(world.bob.token, 'PATCH', '/users/@me', { global_name: 'Bobby' });
    const own = await bob.client.event('USER_UPDATE');
    expect(own.d).toEqual({ id: world.bob.id, username: 'bob', global_name: 'Bobby', avatar: null, bot: false, admin: false, created_at: ISO });
    const seen = await alice.client.event('MEMBER_UPDATE', (d) => d.user_id === world.bob.id && d.user.global_name === 'Bobby');
    expect(seen.d.guild_id).toBe(world.guildId);
    await sync(world, ...everyone);
    expect(received(alice, 'USER_UPDATE')).toEqual([]);
    expect(received(carol, 'USER_UPDATE')).toEqual([]);
    expect(received(carol, 'MEMBER_UPDATE')).toEqual([]);
  });
});

describe('PRESENCE_UPDATE', () => {
  it('reaches users who share a guild and the user themself, not strangers', async () => {
    bob.client.send({ op: 3, d: { since: null, status: 'idle', afk: true, activities: [{ name: 'Listening', type: 2, details: 'a song' }] } });
    for (const peer of [alice, bot, bob]) {
      const frame = await peer.client.event('PRESENCE_UPDATE', (d) => d.user.id === world.bob.id && d.status === 'idle');
      expect(frame.d).toEqual({
        user: { id: world.bob.id },
        guild_id: world.guildId,
        status: 'idle',
        activities: [{ name: 'Listening', type: 2, details: 'a song', created_at: expect.any(Number) }],
        client_status: { desktop: 'idle' },
      });
    }
    await sync(world, ...everyone);
    expect(received(carol, 'PRESENCE_UPDATE', (d) => d.user.id === world.bob.id)).toEqual([]);
  });

  it('says offline when the last session goes away', async () => {
    const erin = await register('erin');
    await join(world, erin);
    const erinClient = await connectAs(world.server, erin.token);
    await alice.client.event('PRESENCE_UPDATE', (d) => d.user.id === erin.id && d.status === 'online');
    erinClient.close();
    const offline = await alice.client.event('PRESENCE_UPDATE', (d) => d.user.id === erin.id && d.status === 'offline');
    expect(offline.d).toEqual({ user: { id: erin.id }, guild_id: world.guildId, status: 'offline', activities: [], client_status: {} });
  });

  it('goes to a user in no guild on their own sessions only', async () => {
    carol.client.send({ op: 3, d: { since: null, status: 'dnd', afk: false, activities: [] } });
    const frame = await carol.client.event('PRESENCE_UPDATE', (d) => d.user.id === world.carol.id && d.status === 'dnd');
    expect(frame.d.guild_id).toBeNull();
    await sync(world, ...everyone);
    for (const peer of members()) expect(received(peer, 'PRESENCE_UPDATE', (d) => d.user.id === world.carol.id)).toEqual([]);
  });
});

describe('DMs', () => {
  it('reach both participants and nobody else', async () => {
    // carol is in no guild: the bot takes DMs from anyone, or she could not open one.
    await world.call(world.bot.token, 'PATCH', '/users/@me/settings', { allow_dms_from: 'everyone' });
    const dm = await world.call(world.carol.token, 'POST', '/users/@me/channels', { recipient_id: world.bot.id });
    for (const peer of [carol, bot]) {
      const frame = await peer.client.event('CHANNEL_CREATE', (d) => d.id === dm.id);
      expect(frame.d).toEqual({
        id: dm.id,
        type: 1,
        guild_id: null,
        recipient_ids: expect.arrayContaining([world.carol.id, world.bot.id]),
        last_message_id: null,
      });
    }
    const sent = await post(world.carol, dm.id, 'psst');
    for (const peer of [carol, bot]) {
      const frame = await peer.client.event('MESSAGE_CREATE', (d) => d.id === sent.id);
      expect(frame.d).toMatchObject({ channel_id: dm.id, guild_id: null, content: 'psst' });
    }
    await sync(world, ...everyone);
    for (const peer of [alice, bob]) {
      expect(received(peer, 'CHANNEL_CREATE', (d) => d.id === dm.id)).toEqual([]);
      expect(received(peer, 'MESSAGE_CREATE', (d) => d.id === sent.id)).toEqual([]);
    }
  });
});

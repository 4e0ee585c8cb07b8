// Issue #4 item 7: an unmodified discord.js 14 bot, configured with nothing but `rest: { api }`, logs in to
// Harmony and does what a typical bot does, driven by people using the v1 API and the v1 gateway.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'bun:test';
import {
  ActivityType,
  ChannelType,
  type Client,
  DiscordAPIError,
  type GuildMember,
  GatewayIntentBits as Intent,
  type Message,
  type MessageReaction,
  type PartialGuildMember,
  Partials,
  type Presence,
  type TextChannel,
  type Typing,
  type User,
} from 'discord.js';
import { connectAs, type GatewayClient } from '../../../support/gateway-client.ts';
import { register } from '../../../support/test-server.ts';
import { type Account, buildWorld, createBot, destroyClients, discordClient, join, loginReady, nextEvent, type World } from './fixtures.ts';

const EVERYTHING = [
  Intent.Guilds,
  Intent.GuildMembers,
  Intent.GuildPresences,
  Intent.GuildMessages,
  Intent.GuildMessageReactions,
  Intent.GuildMessageTyping,
  Intent.DirectMessages,
  Intent.DirectMessageReactions,
  Intent.DirectMessageTyping,
  Intent.MessageContent,
];

let world: World;
let bot: Account;
let v1: GatewayClient[] = [];

beforeAll(async () => {
  world = await buildWorld();
  bot = await createBot(world, 'compatbot');
}, 30_000);
afterAll(async () => {
  await world.server.stop();
});
afterEach(async () => {
  await destroyClients();
  for (const c of v1) c.close();
  v1 = [];
});

async function ready(intents = EVERYTHING, partials: Partials[] = []): Promise<Client<true>> {
  return loginReady(discordClient(world, intents, { partials }), bot.token);
}

async function v1Session(account: Account): Promise<GatewayClient> {
  const session = await connectAs(world.server, account.token);
  v1.push(session);
  return session;
}

const general = (client: Client<true>) => client.channels.cache.get(world.generalId) as TextChannel;

async function post(account: Account, content: string, channelId = world.generalId, extra: Record<string, unknown> = {}) {
  return world.call(account.token, 'POST', `/channels/${channelId}/messages`, { content, ...extra });
}

describe('discord.js login', () => {
  it('logs in with only rest.api changed and is ready with its guild, channels, roles and own member cached', async () => {
    const client = await ready();
    expect(client.user.id).toBe(bot.id);
    expect({ username: client.user.username, bot: client.user.bot, discriminator: client.user.discriminator }).toEqual({
      username: 'compatbot',
      bot: true,
      discriminator: '0',
    });
    expect(client.application.id).toBe(bot.id);
    expect(client.guilds.cache.size).toBe(1);
    const guild = client.guilds.cache.get(world.guildId);
    expect(guild?.available).toBe(true);
    expect(guild?.name).toBe('Compat Guild');
    expect(guild?.ownerId).toBe(world.alice.id);
    expect(guild?.memberCount).toBe(3);
    expect(guild?.roles.everyone.id).toBe(world.guildId);
    expect(guild?.members.me?.id).toBe(bot.id);
    expect(guild?.members.me?.permissions.has('SendMessages')).toBe(true);
    const channel = general(client);
    expect({ name: channel.name, type: channel.type, guildId: channel.guildId }).toEqual({
      name: 'general',
      type: ChannelType.GuildText,
      guildId: world.guildId,
    });
    expect(channel.permissionsFor(client.user)?.has('ViewChannel')).toBe(true);
  });
});

describe('discord.js messages', () => {
  it('gets messageCreate for a v1 post and answers with message.reply and channel.send, which the v1 session sees', async () => {
    const client = await ready();
    const alice = await v1Session(world.alice);
    const created = nextEvent<[Message]>(client, 'messageCreate', (m) => m.content === '!ping');
    const posted = await post(world.alice, '!ping');
    const [message] = await created;
    expect({ id: message.id, author: message.author.id, guild: message.guildId, channel: message.channelId }).toEqual({
      id: posted.id,
      author: world.alice.id,
      guild: world.guildId,
      channel: world.generalId,
    });
    expect(message.member?.id).toBe(world.alice.id);
    expect(message.createdTimestamp).toBe(Date.parse(posted.timestamp));

    const reply = await message.reply('pong');
    expect(reply.reference?.messageId).toBe(posted.id);
    const sent = await (message.channel as TextChannel).send('plain send');
    expect(sent.author.id).toBe(bot.id);
    const seenReply = await alice.event('MESSAGE_CREATE', (d) => d.id === reply.id);
    expect(seenReply.d.content).toBe('pong');
    expect(seenReply.d.author.id).toBe(bot.id);
    await alice.event('MESSAGE_CREATE', (d) => d.id === sent.id && d.content === 'plain send');
  });

  it('reacts to, edits and deletes its own message, and the v1 session sees each', async () => {
    const client = await ready();
    const alice = await v1Session(world.alice);
    const message = await general(client).send('draft');
    await message.react('👍');
    const reaction = await alice.event('MESSAGE_REACTION_ADD', (d) => d.message_id === message.id);
    expect({ user: reaction.d.user_id, emoji: reaction.d.emoji }).toEqual({ user: bot.id, emoji: '👍' });
    const edited = await message.edit('final');
    expect(edited.content).toBe('final');
    expect((await alice.event('MESSAGE_UPDATE', (d) => d.id === message.id)).d.content).toBe('final');
    await message.delete();
    await alice.event('MESSAGE_DELETE', (d) => d.id === message.id);
  });

  it("emits messageUpdate, messageReactionAdd and messageDelete for a v1 user's edits, reactions and deletes", async () => {
    const client = await ready();
    const created = nextEvent<[Message]>(client, 'messageCreate', (m) => m.content === 'to change');
    const posted = await post(world.alice, 'to change');
    await created;

    const updated = nextEvent<[Message, Message]>(client, 'messageUpdate', (_, after) => after.id === posted.id);
    await world.call(world.alice.token, 'PATCH', `/messages/${posted.id}`, { content: 'changed' });
    const [before, after] = await updated;
    expect([before.content, after.content]).toEqual(['to change', 'changed']);
    expect(after.editedTimestamp).not.toBeNull();

    const reacted = nextEvent<[MessageReaction, User]>(client, 'messageReactionAdd', (r) => r.message.id === posted.id);
    await world.call(world.alice.token, 'PUT', `/messages/${posted.id}/reactions/${encodeURIComponent('🎉')}`, undefined, 204);
    const [reaction, user] = await reacted;
    expect({ emoji: reaction.emoji.name, id: reaction.emoji.id, user: user.id, count: reaction.count }).toEqual({
      emoji: '🎉',
      id: null,
      user: world.alice.id,
      count: 1,
    });

    const deleted = nextEvent<[Message]>(client, 'messageDelete', (m) => m.id === posted.id);
    await world.call(world.alice.token, 'DELETE', `/messages/${posted.id}`, undefined, 204);
    const [gone] = await deleted;
    expect(gone.content).toBe('changed');
  });

  it('sends typing that the v1 session sees, and sees a v1 user typing', async () => {
    const client = await ready();
    const alice = await v1Session(world.alice);
    await general(client).sendTyping();
    expect((await alice.event('TYPING_START', (d) => d.user_id === bot.id)).d.channel_id).toBe(world.generalId);

    const typing = nextEvent<[Typing]>(client, 'typingStart', (t) => t.user.id === world.bob.id);
    const before = Math.floor(Date.now() / 1000) * 1000;
    await world.call(world.bob.token, 'POST', `/channels/${world.generalId}/typing`, undefined, 204);
    const [t] = await typing;
    expect(t.channel.id).toBe(world.generalId);
    expect(t.member?.id).toBe(world.bob.id);
    expect(t.startedTimestamp).toBeGreaterThanOrEqual(before);
    expect(t.startedTimestamp).toBeLessThanOrEqual(Date.now());
  });

  it('fetches history with channel.messages.fetch({ limit: 50 }), newest first', async () => {
    const client = await ready();
    const ids: string[] = [];
    for (const content of ['one', 'two', 'three']) ids.push((await post(world.bob, `history ${content}`)).id);
    const fetched = await general(client).messages.fetch({ limit: 50 });
    expect(fetched.size).toBeLessThanOrEqual(50);
    const newest = [...fetched.values()].slice(0, 3);
    expect(newest.map((m) => m.id)).toEqual([...ids].reverse());
    expect(newest.map((m) => m.content)).toEqual(['history three', 'history two', 'history one']);
  });

  it('a v1 session and a discord.js bot in the same guild see the same messages, in the same order', async () => {
    const client = await ready();
    const bob = await v1Session(world.bob);
    const seen: Message[] = [];
    client.on('messageCreate', (m) => {
      if (m.content.startsWith('same ')) seen.push(m);
    });
    const posted: any[] = [];
    for (let i = 0; i < 5; i++) posted.push(await post(i % 2 === 0 ? world.alice : world.bob, `same ${i}`));
    await bob.event('MESSAGE_CREATE', (d) => d.id === posted[4].id);
    const deadline = Date.now() + 3000;
    while (seen.length < posted.length && Date.now() < deadline) await Bun.sleep(10);
    const v1Seen = bob.dispatches('MESSAGE_CREATE').filter((f) => String(f.d.content).startsWith('same '));
    expect(v1Seen.map((f) => [f.d.id, f.d.content, f.d.author.id])).toEqual(posted.map((p) => [p.id, p.content, p.author.id]));
    expect(seen.map((m) => [m.id, m.content, m.author.id])).toEqual(posted.map((p) => [p.id, p.content, p.author.id]));
  });

  it('surfaces a permission failure as DiscordAPIError with code 50013', async () => {
    const client = await ready();
    const created = nextEvent<[Message]>(client, 'messageCreate', (m) => m.content === 'not yours to delete');
    await post(world.alice, 'not yours to delete');
    const [message] = await created;
    const error = await message.delete().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect({ code: (error as DiscordAPIError).code, status: (error as DiscordAPIError).status }).toEqual({ code: 50013, status: 403 });
  });
});

describe('discord.js guilds, members, channels and users', () => {
  it('fetches every member over the gateway (op 8), the channels and a user over REST', async () => {
    const client = await ready();
    const guild = client.guilds.cache.get(world.guildId);
    if (!guild) throw new Error('guild not cached');
    const members = await guild.members.fetch();
    expect([...members.keys()].sort()).toEqual([world.alice.id, world.bob.id, bot.id].sort());
    expect(members.get(world.alice.id)?.user.username).toBe('alice');
    const channels = await guild.channels.fetch();
    expect(channels.get(world.generalId)?.name).toBe('general');
    const user = await client.users.fetch(world.bob.id);
    expect({ id: user.id, username: user.username, bot: user.bot }).toEqual({ id: world.bob.id, username: 'bob', bot: false });
  });

  it('sees guildMemberAdd when someone joins and guildMemberRemove when they are kicked', async () => {
    const client = await ready();
    const carol = await register(world.server, 'carol');
    const carolAccount = { id: carol.id, token: carol.token, username: 'carol' };
    const added = nextEvent<[GuildMember]>(client, 'guildMemberAdd', (m) => m.id === carol.id);
    await join(world, carolAccount);
    const [member] = await added;
    expect({ guild: member.guild.id, username: member.user.username }).toEqual({ guild: world.guildId, username: 'carol' });
    expect(member.guild.memberCount).toBe(4);

    const removed = nextEvent<[GuildMember | PartialGuildMember]>(client, 'guildMemberRemove', (m) => m.id === carol.id);
    await world.call(world.alice.token, 'DELETE', `/guilds/${world.guildId}/members/${carol.id}`, undefined, 204);
    await removed;
    expect(member.guild.memberCount).toBe(3);
  }, 15_000);

  it('sees channelCreate for a channel a v1 user creates, cached with its guild', async () => {
    const client = await ready();
    const created = nextEvent<[TextChannel]>(client, 'channelCreate', (c) => c.name === 'announcements');
    const channel = await world.call(world.alice.token, 'POST', `/guilds/${world.guildId}/channels`, { name: 'announcements' });
    const [seen] = await created;
    expect({ id: seen.id, guild: seen.guild.id, type: seen.type }).toEqual({ id: channel.id, guild: world.guildId, type: ChannelType.GuildText });
    expect(client.channels.cache.has(channel.id)).toBe(true);
  });

  it('opens a DM with user.send and gets the answer (Partials.Channel, as discord.js requires for DMs)', async () => {
    const client = await ready(EVERYTHING, [Partials.Channel]);
    const alice = await v1Session(world.alice);
    const user = await client.users.fetch(world.alice.id);
    const sent = await user.send('hello in private');
    expect(sent.channel.type).toBe(ChannelType.DM);
    const seen = await alice.event('MESSAGE_CREATE', (d) => d.id === sent.id);
    expect(seen.d.guild_id).toBeNull();

    const answered = nextEvent<[Message]>(client, 'messageCreate', (m) => m.content === 'hello back');
    await post(world.alice, 'hello back', sent.channelId);
    const [answer] = await answered;
    expect({ type: answer.channel.type, author: answer.author.id, guild: answer.guildId }).toEqual({
      type: ChannelType.DM,
      author: world.alice.id,
      guild: null,
    });
  });
});

describe('discord.js presence', () => {
  it('emits presenceUpdate when a v1 user sets a status and an activity with gateway op 3', async () => {
    const client = await ready();
    const alice = await v1Session(world.alice);
    const updated = nextEvent<[Presence | null, Presence]>(client, 'presenceUpdate', (_, p) => p.userId === world.alice.id && p.status === 'dnd');
    alice.send({ op: 3, d: { status: 'dnd', afk: false, since: null, activities: [{ name: 'chess', type: 0 }] } });
    const [, presence] = await updated;
    expect(presence.guild?.id).toBe(world.guildId);
    expect(presence.activities.map((a) => [a.name, a.type])).toEqual([['chess', ActivityType.Playing]]);
    expect(presence.clientStatus?.desktop).toBe('dnd');
  });

  it('client.user.setPresence changes the bot presence everywhere: v1 sessions and the presence service', async () => {
    const client = await ready();
    const alice = await v1Session(world.alice);
    client.user.setPresence({ status: 'idle', activities: [{ name: 'the logs', type: ActivityType.Watching }] });
    const seen = await alice.event('PRESENCE_UPDATE', (d) => d.user.id === bot.id && d.status === 'idle');
    expect(seen.d.activities.map((a: any) => [a.name, a.type])).toEqual([['the logs', ActivityType.Watching]]);
    const live = world.server.harmony.core.services.presence.get(bot.id);
    expect({ status: live.status, activity: live.activities[0]?.name }).toEqual({ status: 'idle', activity: 'the logs' });
  });
});

describe('discord.js RESUME', () => {
  it('resumes after the server drops its socket and receives the messages posted meanwhile', async () => {
    const client = await ready();
    const shard = (client.ws as any)._ws.strategy.shards.get(0);
    const seen: string[] = [];
    client.on('messageCreate', (m) => {
      if (m.content.startsWith('meanwhile ')) seen.push(m.content);
    });
    const resumed = nextEvent<[number, number]>(client, 'shardResume', () => true, 10_000);
    const reconnecting = nextEvent<[number]>(client, 'shardReconnecting');
    let identified = 0;
    client.on('shardReady', () => identified++);
    // Hold discord.js's reconnect until the posts are in, so they can only come back as a replay.
    const connect = shard.internalConnect;
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    shard.internalConnect = async () => {
      await gate;
      shard.internalConnect = connect;
      return connect.call(shard);
    };
    // An unknown opcode makes the server close with 4001, after which Discord libraries resume.
    await shard.send({ op: 99, d: null });
    await reconnecting;
    for (let i = 0; i < 3; i++) await post(world.bob, `meanwhile ${i}`);
    release();
    const [, replayed] = await resumed;
    // The three messages, plus what else happened meanwhile (the bot shown offline) and RESUMED itself.
    expect(replayed).toBeGreaterThanOrEqual(3);
    const deadline = Date.now() + 3000;
    while (seen.length < 3 && Date.now() < deadline) await Bun.sleep(20);
    expect(seen).toEqual(['meanwhile 0', 'meanwhile 1', 'meanwhile 2']);
    expect(identified).toBe(0);
    // Still live afterwards.
    const after = nextEvent<[Message]>(client, 'messageCreate', (m) => m.content === 'after resume');
    await post(world.bob, 'after resume');
    await after;
  }, 20_000);
});

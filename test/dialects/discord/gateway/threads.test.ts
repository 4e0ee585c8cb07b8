// Issue 11 item 9: threads with an unmodified discord.js 14 bot — started from a message and on their own, posted
// in, joined, archived, locked, listed and deleted — while people use the v1 API, and the THREAD_* events it gets.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'bun:test';
import {
  ChannelType,
  type Client,
  GatewayIntentBits as Intent,
  type Message,
  MessageFlags,
  type TextChannel,
  type ThreadChannel,
  type ThreadMember,
} from 'discord.js';
import { connectAs, type GatewayClient } from '../../../support/gateway-client.ts';
import { type Account, BOT_PERMISSIONS, buildWorld, createBot, destroyClients, discordClient, loginReady, nextEvent, type World } from './fixtures.ts';

const INTENTS = [Intent.Guilds, Intent.GuildMembers, Intent.GuildMessages, Intent.MessageContent];
const THREAD_PERMISSIONS = [...BOT_PERMISSIONS, 'create_public_threads', 'create_private_threads', 'send_messages_in_threads', 'manage_threads'];

let world: World;
let bot: Account;
let v1: GatewayClient[] = [];

beforeAll(async () => {
  world = await buildWorld();
  bot = await createBot(world, 'threadbot', undefined, THREAD_PERMISSIONS);
}, 30_000);
afterAll(async () => {
  await world.server.stop();
});
afterEach(async () => {
  await destroyClients();
  for (const c of v1) c.close();
  v1 = [];
});

const ready = () => loginReady(discordClient(world, INTENTS), bot.token);
const general = (client: Client<true>) => client.channels.cache.get(world.generalId) as TextChannel;
const post = (account: Account, channelId: string, content: string) => world.call(account.token, 'POST', `/channels/${channelId}/messages`, { content });
/** Raw v10 as a person (people use the Discord dialect with their Bearer token too). */
const v10 = (account: Account, method: string, path: string, body?: unknown) => world.server.api(method, `/api/v10${path}`, { token: account.token, body });

describe('discord.js threads', () => {
  it('starts a public thread from a message: same id, threadCreate, starter message flagged HAS_THREAD, 160004 for a second one', async () => {
    const client = await ready();
    const posted = await post(world.alice, world.generalId, 'let us discuss');
    const message = await general(client).messages.fetch(posted.id);
    // discord.js emits threadCreate for whichever comes first, its REST answer or THREAD_CREATE (newly_created is checked raw below).
    const created = nextEvent<[ThreadChannel, boolean]>(client, 'threadCreate', (t) => t.id === posted.id);
    const thread = await message.startThread({ name: 'Discussion' });
    expect({ id: thread.id, type: thread.type, parentId: thread.parentId, name: thread.name, ownerId: thread.ownerId }).toEqual({
      id: posted.id,
      type: ChannelType.PublicThread,
      parentId: world.generalId,
      name: 'Discussion',
      ownerId: bot.id,
    });
    expect({ archived: thread.archived, locked: thread.locked, autoArchiveDuration: thread.autoArchiveDuration }).toEqual({
      archived: false,
      locked: false,
      autoArchiveDuration: 1440,
    });
    const [seen] = await created;
    expect({ id: seen.id, isThread: seen.isThread() }).toEqual({ id: posted.id, isThread: true });

    const starter = await general(client).messages.fetch({ message: posted.id, force: true });
    expect(starter.flags.has(MessageFlags.HasThread)).toBe(true);
    expect(starter.hasThread).toBe(true);
    expect(starter.thread?.id).toBe(posted.id);

    // A second thread on the same message is Discord's 160004.
    const again = await v10(world.alice, 'POST', `/channels/${world.generalId}/messages/${posted.id}/threads`, { name: 'again' });
    expect({ status: again.status, body: again.body }).toEqual({
      status: 400,
      body: { code: 160004, message: 'A thread has already been created for this message' },
    });
  });

  it('posts in a thread, sees people post there as isThread() messages, and adds a member (threadMembersUpdate)', async () => {
    const client = await ready();
    const thread = await general(client).threads.create({ name: 'Public talk', type: ChannelType.PublicThread });
    const sent = await thread.send('first in thread');
    expect({ channel: sent.channelId, isThread: sent.channel.isThread() }).toEqual({ channel: thread.id, isThread: true });

    const incoming = nextEvent<[Message]>(client, 'messageCreate', (m) => m.content === 'hello thread');
    const membersChanged = nextEvent<[unknown, unknown]>(client, 'threadMembersUpdate');
    await post(world.bob, thread.id, 'hello thread');
    const [message] = await incoming;
    expect({ channel: message.channelId, isThread: message.channel.isThread(), parent: (message.channel as ThreadChannel).parentId }).toEqual({
      channel: thread.id,
      isThread: true,
      parent: world.generalId,
    });
    // Posting made bob a member.
    await membersChanged;
    const members = await thread.members.fetch();
    expect([...members.keys()].sort()).toEqual([bot.id, world.bob.id].sort());

    const added = nextEvent<[Map<string, ThreadMember>, Map<string, ThreadMember>]>(client, 'threadMembersUpdate', (addedMembers) =>
      addedMembers.has(world.alice.id),
    );
    await thread.members.add(world.alice.id);
    await added;
    const fetched = await thread.members.fetch({ member: world.alice.id, force: true });
    expect(fetched.id).toBe(world.alice.id);

    const removed = nextEvent<[Map<string, ThreadMember>, Map<string, ThreadMember>]>(client, 'threadMembersUpdate', (_added, gone) =>
      gone.has(world.alice.id),
    );
    await thread.members.remove(world.alice.id);
    await removed;
    await thread.leave();
    expect([...(await thread.members.fetch({ cache: false })).keys()]).toEqual([world.bob.id]);
    await thread.join();
    expect([...(await thread.members.fetch({ cache: false })).keys()].sort()).toEqual([bot.id, world.bob.id].sort());
    expect((await thread.fetch(true)).messageCount).toBe(2);
  });

  it('archives and locks: threadUpdate, a post unarchives, a locked thread refuses people without MANAGE_THREADS (160005)', async () => {
    const client = await ready();
    const thread = await general(client).threads.create({ name: 'Archive me', type: ChannelType.PublicThread });
    const archivedEvent = nextEvent<[ThreadChannel, ThreadChannel]>(client, 'threadUpdate', (_old, next) => next.id === thread.id && next.archived === true);
    await thread.setArchived(true);
    const [, archived] = await archivedEvent;
    expect(archived.archived).toBe(true);

    const unarchived = nextEvent<[ThreadChannel, ThreadChannel]>(client, 'threadUpdate', (_old, next) => next.id === thread.id && next.archived === false);
    await post(world.bob, thread.id, 'wake up');
    await unarchived;

    await thread.setLocked(true);
    const refused = await v10(world.bob, 'POST', `/channels/${thread.id}/messages`, { content: 'let me in' });
    expect({ status: refused.status, body: refused.body }).toEqual({ status: 403, body: { code: 160005, message: 'This thread is locked' } });
    // The bot holds MANAGE_THREADS: it still may.
    expect((await thread.send('moderator note')).content).toBe('moderator note');
  });

  it('creates a private thread that only its members and MANAGE_THREADS holders see', async () => {
    const client = await ready();
    const bobSession = await connectAs(world.server, world.bob.token);
    v1.push(bobSession);
    const thread = await general(client).threads.create({ name: 'secret', type: ChannelType.PrivateThread });
    expect(thread.type).toBe(ChannelType.PrivateThread);
    await thread.send('for members only');

    const hidden = await v10(world.bob, 'GET', `/channels/${thread.id}/messages`);
    expect({ status: hidden.status, body: hidden.body }).toEqual({ status: 403, body: { code: 50001, message: 'Missing Access' } });
    const active = await v10(world.bob, 'GET', `/guilds/${world.guildId}/threads/active`);
    expect(active.body.threads.map((t: { id: string }) => t.id)).not.toContain(thread.id);

    await thread.members.add(world.bob.id);
    const created = await bobSession.event('THREAD_CREATE', (d) => d.id === thread.id);
    expect(created.d.thread.parent_id).toBe(world.generalId);
    const visible = await v10(world.bob, 'GET', `/channels/${thread.id}/messages`);
    expect(visible.body.map((m: { content: string }) => m.content)).toEqual(['for members only']);
  });

  it('lists active threads with fetchActiveThreads, has them in GUILD_CREATE, and deletes one (threadDelete)', async () => {
    const first = await ready();
    const thread = await general(first).threads.create({ name: 'listed', type: ChannelType.PublicThread });
    const active = await first.guilds.cache.get(world.guildId)?.channels.fetchActiveThreads();
    expect(active?.threads.has(thread.id)).toBe(true);
    await first.destroy();

    const second = await ready();
    const cached = second.channels.cache.get(thread.id) as ThreadChannel | undefined;
    expect({ isThread: cached?.isThread(), name: cached?.name, parent: cached?.parentId }).toEqual({ isThread: true, name: 'listed', parent: world.generalId });
    // Deleted by alice (the owner holds MANAGE_THREADS), so the bot learns of it only from THREAD_DELETE.
    const deleted = nextEvent<[ThreadChannel]>(second, 'threadDelete', (t) => t.id === thread.id);
    const answer = await v10(world.alice, 'DELETE', `/channels/${thread.id}`);
    expect({ status: answer.status, id: answer.body.id, type: answer.body.type }).toEqual({ status: 200, id: thread.id, type: ChannelType.PublicThread });
    await deleted;
    const gone = await v10(world.alice, 'GET', `/channels/${thread.id}`);
    expect({ status: gone.status, code: gone.body.code }).toEqual({ status: 404, code: 10003 });
  });
});

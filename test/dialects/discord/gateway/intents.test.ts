// Intents as Discord enforces them, seen through discord.js: MESSAGE_CONTENT decides whether a bot reads guild
// messages (except those that mention it, DMs and its own), and privileged intents an admin has not allowed
// make login() fail with 4014.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'bun:test';
import { GatewayIntentBits as Intent, type Message, Partials, type TextChannel } from 'discord.js';
import { type Account, buildWorld, createBot, destroyClients, discordClient, loginReady, type World } from './fixtures.ts';

let world: World;
let blind: Account;
let reader: Account;

beforeAll(async () => {
  world = await buildWorld();
  blind = await createBot(world, 'blindbot', { message_content: false });
  reader = await createBot(world, 'readerbot', { message_content: true });
}, 30_000);
afterAll(async () => {
  await world.server.stop();
});
afterEach(async () => {
  await destroyClients();
});

/** Collects the messageCreate contents a client sees whose message id is in `ids`, in arrival order. */
function collect(client: { on(event: 'messageCreate', fn: (m: Message) => void): unknown }) {
  const seen: Message[] = [];
  client.on('messageCreate', (m) => seen.push(m));
  return {
    seen,
    async until(ids: string[], timeout = 3000): Promise<Message[]> {
      const deadline = Date.now() + timeout;
      while (!ids.every((id) => seen.some((m) => m.id === id)) && Date.now() < deadline) await Bun.sleep(10);
      return seen.filter((m) => ids.includes(m.id));
    },
  };
}

describe('MESSAGE_CONTENT', () => {
  it('without it a bot gets empty content in guild messages, except those that mention it; with it, every content', async () => {
    const intents = [Intent.Guilds, Intent.GuildMessages, Intent.DirectMessages];
    const blindClient = await loginReady(discordClient(world, intents), blind.token);
    const readerClient = await loginReady(discordClient(world, [...intents, Intent.MessageContent]), reader.token);
    const blindSeen = collect(blindClient);
    const readerSeen = collect(readerClient);
    const posts: any[] = [];
    for (const content of ['secret one', `hey <@${blind.id}> look`, 'secret two', `only <@${reader.id}>`]) {
      posts.push(await world.call(world.alice.token, 'POST', `/channels/${world.generalId}/messages`, { content }));
    }
    const ids = posts.map((p) => p.id);
    const blindGot = await blindSeen.until(ids);
    expect(blindGot.map((m) => [m.id, m.content])).toEqual([
      [ids[0], ''],
      [ids[1], `hey <@${blind.id}> look`],
      [ids[2], ''],
      [ids[3], ''],
    ]);
    // The rest of the message is there: author, mentions, type.
    expect(blindGot[3]?.author.id).toBe(world.alice.id);
    expect(blindGot[3]?.mentions.users.map((u) => u.id)).toEqual([reader.id]);
    const readerGot = await readerSeen.until(ids);
    expect(readerGot.map((m) => m.content)).toEqual(posts.map((p) => p.content));
  });

  it('without it a bot still reads its own messages and DMs', async () => {
    const client = await loginReady(
      discordClient(world, [Intent.Guilds, Intent.GuildMessages, Intent.DirectMessages], { partials: [Partials.Channel] }),
      blind.token,
    );
    const seen = collect(client);
    const own = await (client.channels.cache.get(world.generalId) as TextChannel).send('my own words');
    const [echo] = await seen.until([own.id]);
    expect(echo?.content).toBe('my own words');

    const dm = await world.call(world.alice.token, 'POST', '/users/@me/channels', { recipient_id: blind.id });
    const posted = await world.call(world.alice.token, 'POST', `/channels/${dm.id}/messages`, { content: 'a private word' });
    const [inDm] = await seen.until([posted.id]);
    expect({ content: inDm?.content, guild: inDm?.guildId }).toEqual({ content: 'a private word', guild: null });
  });
});

describe('privileged intents', () => {
  it('login() rejects with "Used disallowed intents" (close 4014) when an admin has not allowed one', async () => {
    const client = discordClient(world, [Intent.Guilds, Intent.GuildMessages, Intent.MessageContent]);
    const closes: number[] = [];
    client.on('shardDisconnect', (event) => closes.push(event.code));
    await expect(client.login(blind.token)).rejects.toThrow(/disallowed intents/i);
    expect(closes).toEqual([4014]);
  });

  it('logs in with the same intents once the admin allows them', async () => {
    const bot = await createBot(world, 'latebot', { members: false });
    await expect(discordClient(world, [Intent.Guilds, Intent.GuildMembers]).login(bot.token)).rejects.toThrow(/disallowed intents/i);
    await world.call(world.alice.token, 'PATCH', `/admin/bots/${bot.id}`, { privileged_intents: { members: true } });
    const client = await loginReady(discordClient(world, [Intent.Guilds, Intent.GuildMembers]), bot.token);
    expect(client.guilds.cache.get(world.guildId)?.available).toBe(true);
  });

  it('login() rejects with "Invalid intents" (close 4013) for bits Discord does not define', async () => {
    const client = discordClient(world, [Intent.Guilds, 1 << 30]);
    await expect(client.login(reader.token)).rejects.toThrow(/invalid intents/i);
  });
});

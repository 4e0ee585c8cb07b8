// Closing a DM and role mentions, as an unmodified discord.js bot sees them (issue 15 items 1 and 3): DELETE
// /channels/{dm} (DMChannel.delete) closes the DM for the bot only and answers the channel; the person's next
// message opens it again (CHANNEL_CREATE before MESSAGE_CREATE) and discord.js delivers it on the DM channel;
// MESSAGE_CREATE carries mention_roles, so message.mentions.roles names the roles that notify. A person's own v10
// session gets read_state and user_guild_settings in READY and MESSAGE_ACK from POST .../ack; a bot's never does.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'bun:test';
import { ChannelType, type Client, type DMChannel, GatewayIntentBits as Intent, type Message, Partials } from 'discord.js';
import { type Account, buildWorld, closeSockets, connectV10, createBot, destroyClients, discordClient, loginReady, nextEvent, type World } from './fixtures.ts';

let world: World;
let bot: Account;

beforeAll(async () => {
  world = await buildWorld();
  bot = await createBot(world, 'closerbot');
}, 30_000);
afterAll(async () => {
  await world.server.stop();
});
afterEach(async () => {
  await destroyClients();
  closeSockets();
});

const intents = [Intent.Guilds, Intent.GuildMessages, Intent.DirectMessages, Intent.MessageContent];

describe('closing a DM (DMChannel.delete)', () => {
  it('closes it for the bot only, and the next message brings it back to discord.js', async () => {
    const client: Client<true> = await loginReady(discordClient(world, intents, { partials: [Partials.Channel] }), bot.token);
    const dm: DMChannel = await client.users.createDM(world.bob.id);
    expect(dm.type).toBe(ChannelType.DM);
    const closed = await dm.delete();
    expect(closed.id).toBe(dm.id);
    // The person's side is untouched: the DM is still in their list.
    const bobsDms = await world.call(world.bob.token, 'GET', '/users/@me/channels');
    expect(bobsDms.map((c: { id: string }) => c.id)).toContain(dm.id);
    const arrived = nextEvent<[Message]>(client, 'messageCreate', (m) => m.content === 'are you there?');
    await world.call(world.bob.token, 'POST', `/channels/${dm.id}/messages`, { content: 'are you there?' });
    const [message] = await arrived;
    expect(message.channel.type).toBe(ChannelType.DM);
    expect(message.channelId).toBe(dm.id);
    expect(message.author.id).toBe(world.bob.id);
    const reply = await message.reply('here');
    expect(reply.channelId).toBe(dm.id);
  });
});

describe('role mentions', () => {
  it('arrive in message.mentions.roles for a mentionable role, not for one the author may not ping', async () => {
    const client: Client<true> = await loginReady(discordClient(world, intents), bot.token);
    const loud = await world.call(world.alice.token, 'POST', `/guilds/${world.guildId}/roles`, { name: 'loud', mentionable: true });
    const quiet = await world.call(world.alice.token, 'POST', `/guilds/${world.guildId}/roles`, { name: 'quiet' });
    await world.call(world.alice.token, 'PUT', `/guilds/${world.guildId}/members/${world.bob.id}/roles/${loud.id}`);
    const arrived = nextEvent<[Message]>(client, 'messageCreate', (m) => m.content.startsWith('ping'));
    await world.call(world.bob.token, 'POST', `/channels/${world.generalId}/messages`, { content: `ping <@&${loud.id}> <@&${quiet.id}>` });
    const [message] = await arrived;
    expect([...message.mentions.roles.keys()]).toEqual([loud.id]);
  });
});

describe("read state on a person's v10 session", () => {
  it('is in READY, and an ack on one session reaches the other as MESSAGE_ACK but never a bot', async () => {
    const sent = await world.call(world.alice.token, 'POST', `/channels/${world.generalId}/messages`, { content: `<@${world.bob.id}> read me` });
    const laptop = await connectV10(world.server, world.bob.token, GUILD_MESSAGES);
    const ready = laptop.frames.find((f) => f.t === 'READY')?.d;
    expect([ready.read_state.partial, ready.read_state.version]).toEqual([false, 0]);
    expect(ready.read_state.entries.find((e: { id: string }) => e.id === world.generalId)?.mention_count).toBe(1);
    expect(ready.user_guild_settings).toEqual({ entries: [], partial: false, version: 0 });
    const botSocket = await connectV10(world.server, bot.token, GUILD_MESSAGES);
    expect(botSocket.frames.find((f) => f.t === 'READY')?.d.read_state).toBeUndefined();
    const res = await world.server.api('POST', `/api/v10/channels/${world.generalId}/messages/${sent.id}/ack`, {
      token: world.bob.token,
      scheme: 'Bearer',
      body: {},
    });
    expect([res.status, res.body]).toEqual([200, { token: null }]);
    const ack = await laptop.dispatch('MESSAGE_ACK');
    expect(ack.d).toEqual({ channel_id: world.generalId, message_id: sent.id, mention_count: 0, version: 0 });
    await world.call(world.alice.token, 'POST', `/channels/${world.generalId}/messages`, { content: 'sentinel' });
    await botSocket.dispatch('MESSAGE_CREATE', (d) => d.content === 'sentinel');
    expect(botSocket.frames.some((f) => f.t === 'MESSAGE_ACK')).toBe(false);
  });
});

const GUILD_MESSAGES = (1 << 0) | (1 << 9) | (1 << 15);

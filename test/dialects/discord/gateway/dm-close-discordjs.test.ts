// Closing a DM and role mentions, as an unmodified discord.js bot sees them (issue 15 items 1 and 3): DELETE
// /channels/{dm} (DMChannel.delete) closes the DM for the bot only and answers the channel; the person's next
// message opens it again (CHANNEL_CREATE before MESSAGE_CREATE) and discord.js delivers it on the DM channel;
// MESSAGE_CREATE carries mention_roles, so message.mentions.roles names the roles that notify.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'bun:test';
import { ChannelType, type Client, type DMChannel, GatewayIntentBits as Intent, type Message, Partials } from 'discord.js';
import { type Account, buildWorld, createBot, destroyClients, discordClient, loginReady, nextEvent, type World } from './fixtures.ts';

let world: World;
let bot: Account;

beforeAll(async () => {
  world = await buildWorld();
  bot = await createBot(world, 'closerbot');
}, 30_000);
afterAll(async () => {
  await world.server.stop();
});
afterEach(destroyClients);

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

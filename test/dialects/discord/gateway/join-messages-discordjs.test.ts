// "X joined the server" (issue 15 item 5) as an unmodified discord.js bot sees it: a member who joins through an
// invite gets a USER_JOIN message (type 7, empty content, authored by them) in the guild's system channel, which
// a new guild sets to its #general; the guild carries system_channel_id and system_channel_flags, a bot with
// MANAGE_GUILD moves or silences it with Guild.edit (SUPPRESS_JOIN_NOTIFICATIONS), and nobody edits the message.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'bun:test';
import { DiscordAPIError, GuildSystemChannelFlags, GatewayIntentBits as Intent, type Message, MessageType, type TextChannel } from 'discord.js';
import { RESTJSONErrorCodes } from 'discord-api-types/v10';
import { register } from '../../../support/test-server.ts';
import { type Account, buildWorld, createBot, destroyClients, discordClient, join, loginReady, nextEvent, type World } from './fixtures.ts';

let world: World;
let bot: Account;
let admin: Account;

beforeAll(async () => {
  world = await buildWorld();
  bot = await createBot(world, 'greeterbot');
  // A second bot that may manage the guild, to change the system channel through discord.js.
  admin = await createBot(world, 'settingsbot', undefined, ['read_messages', 'send_messages', 'read_message_history', 'manage_guild']);
}, 30_000);
afterAll(async () => {
  await world.server.stop();
});
afterEach(async () => {
  await destroyClients();
});

const intents = [Intent.Guilds, Intent.GuildMessages, Intent.MessageContent];

async function newcomer(name: string): Promise<Account> {
  const r = await register(world.server, name);
  return { id: r.id, token: r.token, username: name };
}

describe('USER_JOIN messages', () => {
  it('arrive in the system channel as MessageType.UserJoin, authored by the new member', async () => {
    const client = await loginReady(discordClient(world, intents), bot.token);
    const guild = client.guilds.cache.get(world.guildId);
    expect(guild?.systemChannelId).toBe(world.generalId);
    expect(guild?.systemChannelFlags.bitfield).toBe(0);
    const carol = await newcomer('carol');
    const arrived = nextEvent<[Message]>(client, 'messageCreate', (m) => m.type === MessageType.UserJoin && m.author.id === carol.id);
    await join(world, carol);
    const [message] = await arrived;
    expect(message.channelId).toBe(world.generalId);
    expect(message.content).toBe('');
    expect(message.system).toBe(true);
    expect(message.author.username).toBe('carol');
    expect(message.member?.id).toBe(carol.id);
    // The history has it too, with the same type.
    const fetched = await (client.channels.cache.get(world.generalId) as TextChannel).messages.fetch(message.id);
    expect(fetched.type).toBe(MessageType.UserJoin);
    // A reply to it ("wave to say hi") is an ordinary reply.
    const reply = await message.reply('welcome!');
    expect(reply.type).toBe(MessageType.Reply);
  });

  it('cannot be edited, not even by the member it announces (50021)', async () => {
    const dave = await newcomer('dave');
    await join(world, dave);
    const history = await world.call(world.bob.token, 'GET', `/channels/${world.generalId}/messages?limit=5`);
    const announced = history.find((m: { system?: string; author: { id: string } }) => m.system === 'join' && m.author.id === dave.id);
    expect(announced).toBeDefined();
    const res = await world.server.api('PATCH', `/api/v10/channels/${world.generalId}/messages/${announced.id}`, {
      token: dave.token,
      body: { content: 'I rewrote history' },
    });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe(RESTJSONErrorCodes.CannotExecuteActionOnSystemMessage);
  });

  it('follow the system channel a bot sets with Guild.edit, and stop with SUPPRESS_JOIN_NOTIFICATIONS', async () => {
    const client = await loginReady(discordClient(world, intents), admin.token);
    const guild = client.guilds.cache.get(world.guildId);
    if (!guild) throw new Error('guild not cached');
    const lobby = await world.call(world.alice.token, 'POST', `/guilds/${world.guildId}/channels`, { name: 'lobby' });
    const moved = await guild.edit({ systemChannel: lobby.id });
    expect(moved.systemChannelId).toBe(lobby.id);
    const erin = await newcomer('erin');
    const arrived = nextEvent<[Message]>(client, 'messageCreate', (m) => m.type === MessageType.UserJoin && m.author.id === erin.id);
    await join(world, erin);
    expect((await arrived)[0].channelId).toBe(lobby.id);

    const quiet = await guild.edit({ systemChannelFlags: GuildSystemChannelFlags.SuppressJoinNotifications });
    expect(quiet.systemChannelFlags.has(GuildSystemChannelFlags.SuppressJoinNotifications)).toBe(true);
    const frank = await newcomer('frank');
    const seen: Message[] = [];
    client.on('messageCreate', (m) => seen.push(m));
    await join(world, frank);
    // A marker sent after the join: when it arrives, a join message would have arrived before it.
    const marker = nextEvent<[Message]>(client, 'messageCreate', (m) => m.content === 'after frank');
    await world.call(world.alice.token, 'POST', `/channels/${lobby.id}/messages`, { content: 'after frank' });
    await marker;
    const lobbyHistory = await world.call(world.alice.token, 'GET', `/channels/${lobby.id}/messages`);
    expect(lobbyHistory.filter((m: { system?: string }) => m.system === 'join').map((m: { author: { id: string } }) => m.author.id)).toEqual([erin.id]);
    expect(seen.some((m) => m.type === MessageType.UserJoin)).toBe(false);
  });

  it('refuses a system channel that is not a text channel of the guild, naming the field', async () => {
    const client = await loginReady(discordClient(world, intents), admin.token);
    const guild = client.guilds.cache.get(world.guildId);
    if (!guild) throw new Error('guild not cached');
    const elsewhere = await world.call(world.bob.token, 'POST', '/guilds', { name: 'Elsewhere' });
    const error = await guild.edit({ systemChannel: elsewhere.channels[0].id }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect((error as DiscordAPIError).code).toBe(RESTJSONErrorCodes.InvalidFormBodyOrContentType);
    expect((error as DiscordAPIError).rawError).toMatchObject({ errors: { system_channel_id: { _errors: [{ code: 'GUILD_SYSTEM_CHANNEL_INVALID' }] } } });
    // Clearing it (null) is allowed: joins are then announced nowhere.
    const cleared = await guild.edit({ systemChannel: null });
    expect(cleared.systemChannelId).toBeNull();
  });
});

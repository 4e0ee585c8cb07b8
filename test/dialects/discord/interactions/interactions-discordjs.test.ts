// Slash commands, components, modals and autocomplete end to end with real discord.js 14: the bot registers its
// commands as bots do (rest.put of builders for a guild, client.application.commands.set globally), a person runs
// them through POST /api/v10/interactions, and the bot answers with discord.js's own interaction methods (reply,
// deferReply + editReply, followUp, ephemeral replies, update, showModal, respond). What the person's sessions
// receive is checked on the v1 gateway.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { ApplicationCommandOptionType, type Client, GatewayIntentBits as Intent, type Interaction, Routes, SlashCommandBuilder } from 'discord.js';
import { connectAs, type GatewayClient } from '../../../support/gateway-client.ts';
import { SNOWFLAKE } from '../fixtures.ts';
import { type Account, buildWorld, createBot, discordClient, loginReady, type World } from '../gateway/fixtures.ts';

let world: World;
let bot: Account;
let client: Client<true>;
let bob: GatewayClient;
let alice: GatewayClient;
/** What the bot does with the next interaction of each command name or custom id. */
const handlers = new Map<string, (i: Interaction) => Promise<unknown>>();
const failures: unknown[] = [];
let guildCommands: { id: string; name: string }[] = [];
let globalCommands: { id: string; name: string }[] = [];

const roll = new SlashCommandBuilder()
  .setName('roll')
  .setDescription('Roll dice')
  .addIntegerOption((o) => o.setName('sides').setDescription('Sides').setRequired(true).setMinValue(2).setMaxValue(100))
  .addStringOption((o) => o.setName('style').setDescription('Style').addChoices({ name: 'Plain', value: 'plain' }, { name: 'Fancy', value: 'fancy' }))
  .addUserOption((o) => o.setName('for').setDescription('For whom'))
  .addChannelOption((o) => o.setName('where').setDescription('Where'));
const pick = new SlashCommandBuilder()
  .setName('pick')
  .setDescription('Pick a fruit')
  .addStringOption((o) => o.setName('fruit').setDescription('Fruit').setRequired(true).setAutocomplete(true));

beforeAll(async () => {
  world = await buildWorld();
  bot = await createBot(world, 'slashbot');
  client = await loginReady(discordClient(world, [Intent.Guilds, Intent.GuildMessages]), bot.token);
  client.on('interactionCreate', (interaction) => {
    const key = interaction.isCommand() || interaction.isAutocomplete() ? interaction.commandName : 'customId' in interaction ? interaction.customId : '';
    const handler = handlers.get(key);
    handlers.delete(key);
    handler?.(interaction).catch((error) => failures.push(error));
  });
  const deployed = (await client.rest.put(Routes.applicationGuildCommands(bot.id, world.guildId), { body: [roll.toJSON(), pick.toJSON()] })) as any[];
  guildCommands = deployed.map((c) => ({ id: c.id, name: c.name }));
  const set = await client.application.commands.set([
    { name: 'think', description: 'Think about it' },
    { name: 'secret', description: 'Only you will see' },
    { name: 'menu', description: 'Buttons and menus' },
    { name: 'ask', description: 'A form' },
  ]);
  globalCommands = [...set.values()].map((c) => ({ id: c.id, name: c.name }));
  bob = await connectAs(world.server, world.bob.token);
  alice = await connectAs(world.server, world.alice.token);
}, 30_000);
afterAll(async () => {
  bob?.ws.close();
  alice?.ws.close();
  await client?.destroy();
  await world.server.stop();
});

const commandId = (name: string) => (guildCommands.find((c) => c.name === name) ?? globalCommands.find((c) => c.name === name))?.id as string;

let nonces = 0;
/** bob runs a command (or clicks, or submits) as Discord's client does; resolves to the nonce sent. */
async function invoke(body: Record<string, unknown>, expected = 204): Promise<string> {
  const nonce = String(1_300_000_000_000_000_000n + BigInt(++nonces));
  const res = await world.server.api('POST', '/api/v10/interactions', {
    token: world.bob.token,
    body: { application_id: bot.id, guild_id: world.guildId, channel_id: world.generalId, session_id: 'abc', nonce, ...body },
  });
  if (res.status !== expected) throw new Error(`invoke -> ${res.status} ${JSON.stringify(res.body)}`);
  return nonce;
}

const slash = (name: string, options: unknown[] = []) => ({ type: 2, data: { id: commandId(name), name, type: 1, options } });

/** The next frame bob's v1 session gets that satisfies `match`. */
const bobGets = (match: (f: any) => boolean) => bob.waitFor(match);

describe('a guild slash command deployed with rest.put', () => {
  it('reaches the bot as a ChatInputCommandInteraction whose options, channel and member work, and reply() posts a type 20 message', async () => {
    const seen = new Promise<any>((resolve) =>
      handlers.set('roll', async (i) => {
        if (!i.isChatInputCommand()) throw new Error('not a chat input command');
        resolve({
          sides: i.options.getInteger('sides'),
          style: i.options.getString('style'),
          for: i.options.getUser('for')?.username,
          forMember: i.options.getMember('for') !== null,
          where: i.options.getChannel('where')?.id,
          channel: i.channel?.id,
          member: i.member?.user.id,
          memberPermissions: i.memberPermissions?.has('UseApplicationCommands'),
          guild: i.guildId,
          commandGuildId: i.commandGuildId,
          user: i.user.id,
        });
        await i.reply({ content: `rolled ${i.options.getInteger('sides')}` });
      }),
    );
    const nonce = await invoke(
      slash('roll', [
        { type: ApplicationCommandOptionType.Integer, name: 'sides', value: 6 },
        { type: ApplicationCommandOptionType.String, name: 'style', value: 'fancy' },
        { type: ApplicationCommandOptionType.User, name: 'for', value: world.alice.id },
        { type: ApplicationCommandOptionType.Channel, name: 'where', value: world.generalId },
      ]),
    );
    const ack = await bobGets((f) => f.t === 'INTERACTION_CREATE' && f.d.nonce === nonce);
    expect(ack.d).toEqual({ id: expect.stringMatching(SNOWFLAKE), nonce });
    expect(await seen).toEqual({
      sides: 6,
      style: 'fancy',
      for: 'alice',
      forMember: true,
      where: world.generalId,
      channel: world.generalId,
      member: world.bob.id,
      memberPermissions: true,
      guild: world.guildId,
      commandGuildId: world.guildId,
      user: world.bob.id,
    });
    const created = await bobGets((f) => f.t === 'MESSAGE_CREATE' && f.d.content === 'rolled 6');
    expect(created.d.interaction).toMatchObject({ id: ack.d.id, type: 2, name: 'roll', user_id: world.bob.id, ephemeral: false });
    const success = await bobGets((f) => f.t === 'INTERACTION_SUCCESS' && f.d.id === ack.d.id);
    expect(success.d).toEqual({ id: ack.d.id, nonce });
    // On the Discord dialect the message is Discord's interaction response.
    const fetched = await world.server.api('GET', `/api/v10/channels/${world.generalId}/messages/${created.d.id}`, { token: world.alice.token });
    expect(fetched.body).toMatchObject({
      type: 20,
      application_id: bot.id,
      webhook_id: bot.id,
      author: { id: bot.id, bot: true },
      interaction_metadata: {
        id: ack.d.id,
        type: 2,
        name: 'roll',
        command_type: 1,
        user: { id: world.bob.id },
        authorizing_integration_owners: { '0': world.guildId },
      },
      interaction: { id: ack.d.id, type: 2, name: 'roll', user: { id: world.bob.id } },
    });
    expect(failures).toEqual([]);
  });
});

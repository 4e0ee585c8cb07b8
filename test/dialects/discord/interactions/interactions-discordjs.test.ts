// Slash commands, components, modals and autocomplete end to end with real discord.js 14: the bot registers its
// commands as bots do (rest.put of builders for a guild, client.application.commands.set globally), a person runs
// them through POST /api/v10/interactions, and the bot answers with discord.js's own interaction methods (reply,
// deferReply + editReply, followUp, ephemeral replies, update, showModal, respond). What the person's sessions
// receive is checked on the v1 gateway.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import {
  ActionRowBuilder,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ButtonBuilder,
  ButtonStyle,
  type Client,
  ContextMenuCommandBuilder,
  GatewayIntentBits as Intent,
  type Interaction,
  MessageFlags,
  ModalBuilder,
  Routes,
  SlashCommandBuilder,
  StringSelectMenuBuilder,
  TextInputBuilder,
  TextInputStyle,
  UserSelectMenuBuilder,
} from 'discord.js';
import { connectAs, type GatewayClient } from '../../../support/gateway-client.ts';
import { SNOWFLAKE } from '../fixtures.ts';
import { type Account, buildWorld, closeSockets, connectV10, createBot, discordClient, loginReady, type World } from '../gateway/fixtures.ts';

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
const profile = new ContextMenuCommandBuilder().setName('Show Profile').setType(ApplicationCommandType.User);
const quote = new ContextMenuCommandBuilder().setName('Quote').setType(ApplicationCommandType.Message);
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
  const deployed = (await client.rest.put(Routes.applicationGuildCommands(bot.id, world.guildId), {
    body: [roll.toJSON(), pick.toJSON(), profile.toJSON(), quote.toJSON()],
  })) as any[];
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
  closeSockets();
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

describe('a global command set with client.application.commands.set', () => {
  it('deferReply shows a loading message that editReply fills in, and followUp posts a follow-up', async () => {
    const done = new Promise<any>((resolve) =>
      handlers.set('think', async (i) => {
        if (!i.isChatInputCommand()) throw new Error('not a chat input command');
        await i.deferReply();
        const edited = await i.editReply({ content: 'I thought about it' });
        const follow = await i.followUp({ content: 'and one more thing' });
        const original = await i.fetchReply();
        resolve({
          deferred: i.deferred,
          replied: i.replied,
          edited: edited.content,
          follow: follow.content,
          originalId: original.id,
          editedId: edited.id,
          followRef: follow.interactionMetadata?.originalResponseMessageId,
          commandGuildId: i.commandGuildId,
        });
      }),
    );
    const nonce = await invoke(slash('think'));
    const ack = await bobGets((f) => f.t === 'INTERACTION_CREATE' && f.d.nonce === nonce);
    const loading = await bobGets((f) => f.t === 'MESSAGE_CREATE' && f.d.interaction?.id === ack.d.id);
    expect(loading.d).toMatchObject({ content: '', interaction: { loading: true, name: 'think' } });
    const result = await done;
    expect(result).toEqual({
      deferred: true,
      replied: true,
      edited: 'I thought about it',
      follow: 'and one more thing',
      originalId: loading.d.id,
      editedId: loading.d.id,
      followRef: loading.d.id,
      commandGuildId: null,
    });
    const update = await bobGets((f) => f.t === 'MESSAGE_UPDATE' && f.d.id === loading.d.id);
    expect(update.d).toMatchObject({ content: 'I thought about it', interaction: { loading: false } });
    const raw = await world.server.api('GET', `/api/v10/channels/${world.generalId}/messages/${loading.d.id}`, { token: world.bob.token });
    expect(raw.body.flags & MessageFlags.Loading).toBe(0);
  });

  it('an ephemeral reply reaches only the invoker, never the channel history, and the bot can edit it', async () => {
    const done = new Promise<string>((resolve) =>
      handlers.set('secret', async (i) => {
        if (!i.isChatInputCommand()) throw new Error('not a chat input command');
        await i.reply({ content: 'for your eyes only', flags: MessageFlags.Ephemeral });
        const edited = await i.editReply({ content: 'still only yours' });
        resolve(edited.content);
      }),
    );
    const aliceFrames = alice.frames.length;
    const nonce = await invoke(slash('secret'));
    const ack = await bobGets((f) => f.t === 'INTERACTION_CREATE' && f.d.nonce === nonce);
    const created = await bobGets((f) => f.t === 'MESSAGE_CREATE' && f.d.interaction?.id === ack.d.id);
    expect(created.d).toMatchObject({ content: 'for your eyes only', interaction: { ephemeral: true } });
    expect(await done).toBe('still only yours');
    await bobGets((f) => f.t === 'MESSAGE_UPDATE' && f.d.id === created.d.id && f.d.content === 'still only yours');
    expect(alice.frames.slice(aliceFrames).some((f) => f.d?.id === created.d.id)).toBe(false);
    const history = await world.server.api('GET', `/api/v10/channels/${world.generalId}/messages?limit=50`, { token: world.bob.token });
    expect(history.body.some((m: any) => m.id === created.d.id)).toBe(false);
    const direct = await world.server.api('GET', `/api/v10/channels/${world.generalId}/messages/${created.d.id}`, { token: world.bob.token });
    expect(direct.status).toBe(404);
  });
});

describe('components', () => {
  it('a button click reaches the bot as a ButtonInteraction with the message, and update() edits that message', async () => {
    const posted = new Promise<string>((resolve) =>
      handlers.set('menu', async (i) => {
        if (!i.isChatInputCommand()) throw new Error('not a chat input command');
        const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
          new ButtonBuilder().setCustomId('press').setLabel('Press').setStyle(ButtonStyle.Primary),
        );
        const reply = await i.reply({ content: 'press the button', components: [row], withResponse: true });
        resolve(reply.resource?.message?.id as string);
      }),
    );
    await invoke(slash('menu'));
    const messageId = await posted;
    const clicked = new Promise<any>((resolve) =>
      handlers.set('press', async (i) => {
        if (!i.isButton()) throw new Error('not a button');
        resolve({ message: i.message.id, content: i.message.content, customId: i.customId, channel: i.channel?.id, member: i.member?.user.id });
        await i.update({ content: 'pressed', components: [] });
      }),
    );
    const nonce = await invoke({ type: 3, message_id: messageId, data: { component_type: 2, custom_id: 'press' } });
    expect(await clicked).toEqual({ message: messageId, content: 'press the button', customId: 'press', channel: world.generalId, member: world.bob.id });
    const updated = await bobGets((f) => f.t === 'MESSAGE_UPDATE' && f.d.id === messageId);
    expect(updated.d).toMatchObject({ content: 'pressed', components: [] });
    await bobGets((f) => f.t === 'INTERACTION_SUCCESS' && f.d.nonce === nonce);
  });

  it('a select menu reaches the bot as a StringSelectMenuInteraction with the values, and reply() answers it as a reply to the menu', async () => {
    const posted = new Promise<string>((resolve) =>
      handlers.set('menu', async (i) => {
        if (!i.isChatInputCommand()) throw new Error('not a chat input command');
        const menu = new StringSelectMenuBuilder()
          .setCustomId('flavour')
          .setMaxValues(2)
          .addOptions({ label: 'Vanilla', value: 'vanilla' }, { label: 'Mint', value: 'mint' }, { label: 'Lemon', value: 'lemon' });
        const reply = await i.reply({ content: 'pick', components: [new ActionRowBuilder<StringSelectMenuBuilder>().addComponents(menu)], withResponse: true });
        resolve(reply.resource?.message?.id as string);
      }),
    );
    await invoke(slash('menu'));
    const messageId = await posted;
    const picked = new Promise<string[]>((resolve) =>
      handlers.set('flavour', async (i) => {
        if (!i.isStringSelectMenu()) throw new Error('not a string select');
        resolve(i.values);
        await i.reply({ content: `you picked ${i.values.join(' and ')}` });
      }),
    );
    await invoke({ type: 3, message_id: messageId, data: { component_type: 3, custom_id: 'flavour', values: ['mint', 'lemon'] } });
    expect(await picked).toEqual(['mint', 'lemon']);
    const reply = await bobGets((f) => f.t === 'MESSAGE_CREATE' && f.d.content === 'you picked mint and lemon');
    const raw = await world.server.api('GET', `/api/v10/channels/${world.generalId}/messages/${reply.d.id}`, { token: world.bob.token });
    expect(raw.body).toMatchObject({
      type: 19,
      message_reference: { message_id: messageId },
      interaction_metadata: { type: 3, interacted_message_id: messageId },
    });
    // A value the menu does not offer is refused before the bot hears of it.
    const res = await world.server.api('POST', '/api/v10/interactions', {
      token: world.bob.token,
      body: {
        type: 3,
        application_id: bot.id,
        guild_id: world.guildId,
        channel_id: world.generalId,
        message_id: messageId,
        data: { component_type: 3, custom_id: 'flavour', values: ['durian'] },
      },
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 50035, errors: { data: { values: { 0: { _errors: [{ code: 'SELECT_OPTION_INVALID' }] } } } } });
  });
});

describe('entity selects', () => {
  it('a user select reaches the bot as a UserSelectMenuInteraction with the users and members resolved', async () => {
    const posted = new Promise<string>((resolve) =>
      handlers.set('menu', async (i) => {
        if (!i.isChatInputCommand()) throw new Error('not a chat input command');
        const menu = new UserSelectMenuBuilder().setCustomId('whom').setMaxValues(2);
        const reply = await i.reply({ content: 'whom?', components: [new ActionRowBuilder<UserSelectMenuBuilder>().addComponents(menu)], withResponse: true });
        resolve(reply.resource?.message?.id as string);
      }),
    );
    await invoke(slash('menu'));
    const messageId = await posted;
    const picked = new Promise<any>((resolve) =>
      handlers.set('whom', async (i) => {
        if (!i.isUserSelectMenu()) throw new Error('not a user select');
        resolve({ values: i.values, users: [...i.users.values()].map((u) => u.username).sort(), members: i.members.size });
        await i.deferUpdate();
      }),
    );
    const nonce = await invoke({ type: 3, message_id: messageId, data: { component_type: 5, custom_id: 'whom', values: [world.alice.id, bot.id] } });
    expect(await picked).toEqual({ values: [world.alice.id, bot.id], users: ['alice', 'slashbot'], members: 2 });
    await bobGets((f) => f.t === 'INTERACTION_SUCCESS' && f.d.nonce === nonce);
    // Someone who is not in the guild is no value of it.
    const res = await world.server.api('POST', '/api/v10/interactions', {
      token: world.bob.token,
      body: {
        type: 3,
        application_id: bot.id,
        guild_id: world.guildId,
        channel_id: world.generalId,
        message_id: messageId,
        data: { component_type: 5, custom_id: 'whom', values: ['1234'] },
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual({ data: { values: { 0: { _errors: [{ code: 'SELECT_OPTION_INVALID', message: 'Unknown value' }] } } } });
  });
});

describe('modals and autocomplete', () => {
  it('showModal sends the person INTERACTION_MODAL_CREATE, and their submit is a ModalSubmitInteraction with the fields', async () => {
    handlers.set('ask', async (i) => {
      if (!i.isChatInputCommand()) throw new Error('not a chat input command');
      const modal = new ModalBuilder()
        .setCustomId('feedback')
        .setTitle('Feedback')
        .addComponents(
          new ActionRowBuilder<TextInputBuilder>().addComponents(
            new TextInputBuilder().setCustomId('text').setLabel('Your thoughts').setStyle(TextInputStyle.Paragraph).setMaxLength(200),
          ),
        );
      await i.showModal(modal);
    });
    const nonce = await invoke(slash('ask'));
    const shown = await bobGets((f) => f.t === 'INTERACTION_MODAL_CREATE' && f.d.nonce === nonce);
    expect(shown.d).toMatchObject({
      custom_id: 'feedback',
      title: 'Feedback',
      application_id: bot.id,
      inputs: [{ custom_id: 'text', style: 2, label: 'Your thoughts', required: true, max_length: 200 }],
    });
    const submitted = new Promise<any>((resolve) =>
      handlers.set('feedback', async (i) => {
        if (!i.isModalSubmit()) throw new Error('not a modal submit');
        resolve({ text: i.fields.getTextInputValue('text'), channel: i.channel?.id });
        await i.reply({ content: 'thanks', flags: MessageFlags.Ephemeral });
      }),
    );
    const submitNonce = await invoke({
      type: 5,
      data: { id: shown.d.id, custom_id: 'feedback', components: [{ type: 1, components: [{ type: 4, custom_id: 'text', value: 'Lovely' }] }] },
    });
    expect(await submitted).toEqual({ text: 'Lovely', channel: world.generalId });
    await bobGets((f) => f.t === 'INTERACTION_SUCCESS' && f.d.nonce === submitNonce);
  });

  it('a modal in the label layout (ModalBuilder.addLabelComponents) round-trips too', async () => {
    handlers.set('ask', async (i) => {
      if (!i.isChatInputCommand()) throw new Error('not a chat input command');
      const modal = new ModalBuilder()
        .setCustomId('survey')
        .setTitle('Survey')
        .addLabelComponents((label) =>
          label
            .setLabel('Name')
            .setDescription('What we call you')
            .setTextInputComponent((input) => input.setCustomId('name').setStyle(TextInputStyle.Short).setRequired(false)),
        );
      await i.showModal(modal);
    });
    const nonce = await invoke(slash('ask'));
    const shown = await bobGets((f) => f.t === 'INTERACTION_MODAL_CREATE' && f.d.nonce === nonce);
    expect(shown.d.inputs).toEqual([
      {
        custom_id: 'name',
        style: 1,
        label: 'Name',
        description: 'What we call you',
        placeholder: null,
        value: null,
        required: false,
        min_length: null,
        max_length: null,
      },
    ]);
    const submitted = new Promise<string>((resolve) =>
      handlers.set('survey', async (i) => {
        if (!i.isModalSubmit()) throw new Error('not a modal submit');
        resolve(i.fields.getTextInputValue('name'));
        await i.deferUpdate();
      }),
    );
    await invoke({
      type: 5,
      data: { id: shown.d.id, custom_id: 'survey', components: [{ type: 18, component: { type: 4, custom_id: 'name', value: 'Bob' } }] },
    });
    expect(await submitted).toBe('Bob');
  });

  it('an autocomplete reaches the bot as an AutocompleteInteraction, and respond() sends the person the choices', async () => {
    const focused = new Promise<string>((resolve) =>
      handlers.set('pick', async (i) => {
        if (!i.isAutocomplete()) throw new Error('not an autocomplete');
        const typed = i.options.getFocused();
        resolve(typed);
        await i.respond(['apple', 'apricot', 'banana'].filter((f) => f.startsWith(typed)).map((f) => ({ name: f, value: f })));
      }),
    );
    const nonce = await invoke({
      type: 4,
      data: { id: commandId('pick'), name: 'pick', type: 1, options: [{ type: 3, name: 'fruit', value: 'ap', focused: true }] },
    });
    expect(await focused).toBe('ap');
    const answer = await bobGets((f) => f.t === 'APPLICATION_COMMAND_AUTOCOMPLETE_RESPONSE' && f.d.nonce === nonce);
    expect(answer.d).toEqual({
      nonce,
      application_id: bot.id,
      choices: [
        { name: 'apple', value: 'apple' },
        { name: 'apricot', value: 'apricot' },
      ],
    });
    expect(failures).toEqual([]);
  });
});

describe('context menus and direct messages', () => {
  it('a user context menu reaches the bot with its target user and member, and the answer is a type 23 message', async () => {
    const seen = new Promise<any>((resolve) =>
      handlers.set('Show Profile', async (i) => {
        if (!i.isUserContextMenuCommand()) throw new Error('not a user context menu');
        resolve({ target: i.targetUser.username, member: i.targetMember !== null, targetId: i.targetId });
        await i.reply({ content: `profile of ${i.targetUser.username}` });
      }),
    );
    await invoke({ type: 2, data: { id: commandId('Show Profile'), name: 'Show Profile', type: 2, target_id: world.alice.id } });
    expect(await seen).toEqual({ target: 'alice', member: true, targetId: world.alice.id });
    const created = await bobGets((f) => f.t === 'MESSAGE_CREATE' && f.d.content === 'profile of alice');
    const raw = await world.server.api('GET', `/api/v10/channels/${world.generalId}/messages/${created.d.id}`, { token: world.bob.token });
    expect(raw.body).toMatchObject({ type: 23, interaction_metadata: { command_type: 2, name: 'Show Profile' } });
  });

  it('a message context menu reaches the bot with its target message', async () => {
    const target = await world.call(world.alice.token, 'POST', `/channels/${world.generalId}/messages`, { content: 'quote me' });
    const seen = new Promise<any>((resolve) =>
      handlers.set('Quote', async (i) => {
        if (!i.isMessageContextMenuCommand()) throw new Error('not a message context menu');
        resolve({ id: i.targetMessage.id, content: i.targetMessage.content, author: i.targetMessage.author.id });
        await i.reply({ content: `> ${i.targetMessage.content}` });
      }),
    );
    await invoke({ type: 2, data: { id: commandId('Quote'), name: 'Quote', type: 3, target_id: target.id } });
    expect(await seen).toEqual({ id: target.id, content: 'quote me', author: world.alice.id });
    // A message of another channel (or none) is no target.
    const refused = await world.server.api('POST', '/api/v10/interactions', {
      token: world.bob.token,
      body: {
        type: 2,
        application_id: bot.id,
        guild_id: world.guildId,
        channel_id: world.generalId,
        data: { id: commandId('Quote'), name: 'Quote', type: 3, target_id: '1234' },
      },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual({ data: { target_id: { _errors: [{ code: 'APPLICATION_COMMAND_TARGET_INVALID', message: 'Unknown message' }] } } });
  });

  it('a global command runs in a DM with the bot: the bot gets the user (no member) and a DM channel, and replies there', async () => {
    const dm = await world.server.api('POST', '/api/v10/users/@me/channels', { token: world.bob.token, body: { recipient_id: bot.id } });
    expect(dm.status).toBe(200);
    const seen = new Promise<any>((resolve) =>
      handlers.set('think', async (i) => {
        if (!i.isChatInputCommand()) throw new Error('not a chat input command');
        // discord.js caches a DM channel from an interaction only with Partials.Channel, as on Discord: the id is what it has.
        resolve({ inGuild: i.inGuild(), user: i.user.id, member: i.member, channel: i.channelId, context: i.context });
        await i.reply({ content: 'hello in private' });
      }),
    );
    await invoke({ type: 2, guild_id: null, channel_id: dm.body.id, data: { id: commandId('think'), name: 'think', type: 1 } });
    expect(await seen).toEqual({ inGuild: false, user: world.bob.id, member: null, channel: dm.body.id, context: 1 });
    const created = await bobGets((f) => f.t === 'MESSAGE_CREATE' && f.d.content === 'hello in private');
    expect(created.d.channel_id).toBe(dm.body.id);
    // A guild command is not usable there.
    const refused = await world.server.api('POST', '/api/v10/interactions', {
      token: world.bob.token,
      body: {
        type: 2,
        application_id: bot.id,
        channel_id: dm.body.id,
        data: { id: commandId('roll'), name: 'roll', type: 1, options: [{ type: 4, name: 'sides', value: 6 }] },
      },
    });
    expect(refused.status).toBe(404);
    expect(refused.body.code).toBe(10063);
    expect(failures).toEqual([]);
  });
});

describe("the person's session on the Discord gateway", () => {
  it("gets Discord's user-client events: INTERACTION_CREATE {id, nonce}, the ephemeral MESSAGE_CREATE with flags 64, and INTERACTION_SUCCESS", async () => {
    const socket = await connectV10(world.server, world.bob.token, 0);
    handlers.set('secret', async (i) => {
      if (i.isChatInputCommand()) await i.reply({ content: 'psst', flags: MessageFlags.Ephemeral });
    });
    const nonce = await invoke(slash('secret'));
    const ack = await socket.waitFor((f) => f.t === 'INTERACTION_CREATE' && f.d.nonce === nonce);
    expect(ack.d).toEqual({ id: expect.stringMatching(SNOWFLAKE), nonce });
    const created = await socket.waitFor((f) => f.t === 'MESSAGE_CREATE' && f.d.content === 'psst');
    expect(created.d).toMatchObject({
      type: 20,
      flags: MessageFlags.Ephemeral,
      application_id: bot.id,
      interaction_metadata: { id: ack.d.id, user: { id: world.bob.id } },
    });
    const success = await socket.waitFor((f) => f.t === 'INTERACTION_SUCCESS' && f.d.id === ack.d.id);
    expect(success.d).toEqual({ id: ack.d.id, nonce });
  });
});

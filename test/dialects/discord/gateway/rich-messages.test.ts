// Embeds and components with an unmodified discord.js 14 bot: builders round-trip through channel.send and
// message.edit, messageCreate/messageUpdate carry them (also for a person's v1 post), suppressEmbeds works,
// and a bot without MESSAGE_CONTENT gets them emptied, as on Discord.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'bun:test';
import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  type Client,
  ComponentType,
  EmbedBuilder,
  GatewayIntentBits as Intent,
  type Message,
  MessageFlags,
  StringSelectMenuBuilder,
  type TextChannel,
} from 'discord.js';
import { type Account, buildWorld, closeSockets, connectV10, createBot, destroyClients, discordClient, loginReady, nextEvent, type World } from './fixtures.ts';

const INTENTS = [Intent.Guilds, Intent.GuildMessages, Intent.MessageContent];

let world: World;
let bot: Account;
let lean: Account;

beforeAll(async () => {
  world = await buildWorld();
  bot = await createBot(world, 'richjs');
  lean = await createBot(world, 'leanbot', { message_content: false });
}, 30_000);
afterAll(async () => {
  await world.server.stop();
});
afterEach(async () => {
  await destroyClients();
  closeSockets();
});

async function general(): Promise<{ client: Client<true>; channel: TextChannel }> {
  const client = await loginReady(discordClient(world, INTENTS), bot.token);
  return { client, channel: client.channels.cache.get(world.generalId) as TextChannel };
}

const release = () =>
  new EmbedBuilder()
    .setTitle('Release 1.2')
    .setURL('https://example.com/releases')
    .setDescription('**Bold** changes')
    .setColor(0x00ff88)
    .setTimestamp(new Date('2025-03-04T05:06:07.000Z'))
    .setAuthor({ name: 'CI', url: 'https://example.com/ci', iconURL: 'https://example.com/ci.png' })
    .setFooter({ text: 'build 42', iconURL: 'https://example.com/f.png' })
    .setImage('https://example.com/image.png')
    .setThumbnail('https://example.com/thumb.png')
    .addFields({ name: 'Added', value: 'embeds', inline: true }, { name: 'Fixed', value: 'bugs' });

const buttons = () =>
  new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder().setCustomId('approve').setLabel('Approve').setStyle(ButtonStyle.Success).setEmoji('✅'),
    new ButtonBuilder().setLabel('Open').setStyle(ButtonStyle.Link).setURL('https://example.com/open'),
  );
const menu = () =>
  new ActionRowBuilder<StringSelectMenuBuilder>().addComponents(
    new StringSelectMenuBuilder()
      .setCustomId('pick')
      .setPlaceholder('Choose')
      .setMinValues(1)
      .setMaxValues(2)
      .addOptions({ label: 'One', value: '1', description: 'the first' }, { label: 'Two', value: '2', default: true }),
  );

describe('discord.js channel.send with builders', () => {
  it('round-trips EmbedBuilder and ActionRowBuilder: the returned Message has them, as does a fresh fetch', async () => {
    const { channel } = await general();
    const sent = await channel.send({ embeds: [release()], components: [buttons(), menu()] });
    const fetched = await channel.messages.fetch({ message: sent.id, force: true });
    for (const m of [sent, fetched]) {
      const [embed] = m.embeds;
      expect({
        title: embed?.title,
        url: embed?.url,
        description: embed?.description,
        color: embed?.color,
        timestamp: embed?.timestamp,
        author: embed?.author,
        footer: embed?.footer,
        image: embed?.image?.url,
        thumbnail: embed?.thumbnail?.url,
        fields: embed?.fields,
      }).toEqual({
        title: 'Release 1.2',
        url: 'https://example.com/releases',
        description: '**Bold** changes',
        color: 0x00ff88,
        timestamp: '2025-03-04T05:06:07.000Z',
        author: { name: 'CI', url: 'https://example.com/ci', iconURL: 'https://example.com/ci.png', proxyIconURL: undefined },
        footer: { text: 'build 42', iconURL: 'https://example.com/f.png', proxyIconURL: undefined },
        image: 'https://example.com/image.png',
        thumbnail: 'https://example.com/thumb.png',
        fields: [
          { name: 'Added', value: 'embeds', inline: true },
          { name: 'Fixed', value: 'bugs', inline: false },
        ],
      });
      expect(m.components.map((row) => row.toJSON())).toEqual([
        {
          type: 1,
          components: [
            { type: 2, style: 3, custom_id: 'approve', label: 'Approve', emoji: { name: '✅' } },
            { type: 2, style: 5, label: 'Open', url: 'https://example.com/open' },
          ],
        },
        {
          type: 1,
          components: [
            {
              type: 3,
              custom_id: 'pick',
              placeholder: 'Choose',
              min_values: 1,
              max_values: 2,
              options: [
                { label: 'One', value: '1', description: 'the first' },
                { label: 'Two', value: '2', default: true },
              ],
            },
          ],
        },
      ] as never);
      const [approve] = (m.components[0] as unknown as { components: { customId: string; type: ComponentType }[] }).components;
      expect({ customId: approve?.customId, type: approve?.type }).toEqual({ customId: 'approve', type: ComponentType.Button });
    }
  });

  it('edits embeds and components with message.edit, clears them with [] and suppresses with message.suppressEmbeds', async () => {
    const { channel } = await general();
    const sent = await channel.send({ content: 'status', embeds: [release()], components: [buttons()] });
    const edited = await sent.edit({ embeds: [new EmbedBuilder().setTitle('Done')], components: [] });
    expect({ titles: edited.embeds.map((e) => e.title), components: edited.components.length, content: edited.content }).toEqual({
      titles: ['Done'],
      components: 0,
      content: 'status',
    });
    const suppressed = await edited.suppressEmbeds(true);
    expect({ suppressed: suppressed.flags.has(MessageFlags.SuppressEmbeds), embeds: suppressed.embeds.length }).toEqual({ suppressed: true, embeds: 0 });
    const shown = await suppressed.suppressEmbeds(false);
    expect(shown.embeds.map((e) => e.title)).toEqual(['Done']);
  });

  it('refuses a javascript: URL in a plain embed object with DiscordAPIError[50035] naming the field', async () => {
    const { channel } = await general();
    const error = await channel.send({ embeds: [{ title: 'x', url: 'javascript:alert(1)' }] }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 50035, status: 400 });
    expect((error as Error).message).toContain('embeds[0].url[URL_TYPE_INVALID_SCHEME]');
  });
});

describe('gateway events carry them', () => {
  it("messageCreate and messageUpdate for a person's v1 post with embeds and components", async () => {
    const { client } = await general();
    const created = nextEvent<[Message]>(client, 'messageCreate', (m) => m.content === 'look');
    const posted = await world.call(world.alice.token, 'POST', `/channels/${world.generalId}/messages`, {
      content: 'look',
      embeds: [{ title: 'From v1', fields: [{ name: 'a', value: 'b', inline: true }] }],
      components: [{ type: 1, components: [{ type: 2, style: 5, label: 'Site', url: 'https://example.com' }] }],
    });
    const [message] = await created;
    expect({ title: message.embeds[0]?.title, fields: message.embeds[0]?.fields, link: message.components[0]?.toJSON() }).toEqual({
      title: 'From v1',
      fields: [{ name: 'a', value: 'b', inline: true }],
      link: { type: 1, components: [{ type: 2, style: 5, label: 'Site', url: 'https://example.com' }] } as never,
    });
    const updated = nextEvent<[Message, Message]>(client, 'messageUpdate', (_, after) => after.id === posted.id);
    await world.call(world.alice.token, 'PATCH', `/messages/${posted.id}`, { embeds: [{ title: 'Changed' }] });
    const [, after] = await updated;
    expect({ titles: after.embeds.map((e) => e.title), components: after.components.length }).toEqual({ titles: ['Changed'], components: 1 });
  });

  it('MESSAGE_CREATE carries them in full with MESSAGE_CONTENT and emptied without it', async () => {
    const full = await connectV10(world.server, bot.token, Intent.Guilds | Intent.GuildMessages | Intent.MessageContent);
    const bare = await connectV10(world.server, lean.token, Intent.Guilds | Intent.GuildMessages);
    await Promise.all([full.dispatch('GUILD_CREATE'), bare.dispatch('GUILD_CREATE')]);
    const posted = await world.call(world.bob.token, 'POST', `/channels/${world.generalId}/messages`, {
      content: 'secret',
      embeds: [{ description: 'also secret' }],
      components: [{ type: 1, components: [{ type: 2, style: 1, label: 'Go', custom_id: 'go' }] }],
    });
    const [seen, blank] = await Promise.all([
      full.dispatch('MESSAGE_CREATE', (d) => d.id === posted.id),
      bare.dispatch('MESSAGE_CREATE', (d) => d.id === posted.id),
    ]);
    expect({ embeds: seen.d.embeds, components: seen.d.components }).toEqual({
      embeds: [{ type: 'rich', description: 'also secret' }],
      components: [{ type: 1, components: [{ type: 2, style: 1, label: 'Go', custom_id: 'go' }] }],
    });
    expect({ content: blank.d.content, embeds: blank.d.embeds, components: blank.d.components }).toEqual({ content: '', embeds: [], components: [] });
  });
});

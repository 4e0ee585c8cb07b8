// Webhooks as an unmodified discord.js 14 uses them: a bot creates, lists, edits and deletes webhooks
// (hearing webhooksUpdate for each), and a WebhookClient built from the id and token alone (no bot, no
// Authorization) sends, edits and deletes messages that the bot then sees with webhookId and the overridden author.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'bun:test';
import { AttachmentBuilder, type Client, GatewayIntentBits as Intent, type Message, type TextChannel, WebhookClient } from 'discord.js';
import { png } from '../../../support/images.ts';
import { type Account, buildWorld, createBot, destroyClients, discordClient, loginReady, nextEvent, type World } from './fixtures.ts';

let world: World;
let bot: Account;
const webhookClients: WebhookClient[] = [];

beforeAll(async () => {
  world = await buildWorld();
  bot = await createBot(world, 'hookbot', undefined, ['read_messages', 'send_messages', 'read_message_history', 'manage_webhooks', 'manage_messages']);
}, 30_000);
afterAll(() => world.server.stop());
afterEach(async () => {
  await destroyClients();
  for (const c of webhookClients.splice(0)) c.destroy();
});

async function ready(): Promise<{ client: Client<true>; channel: TextChannel }> {
  const client = await loginReady(discordClient(world, [Intent.Guilds, Intent.GuildMessages, Intent.MessageContent, Intent.GuildWebhooks]), bot.token);
  return { client, channel: client.channels.cache.get(world.generalId) as TextChannel };
}

function webhookClient(id: string, token: string): WebhookClient {
  const client = new WebhookClient({ id, token }, { rest: { api: `${world.server.url}/api` } });
  webhookClients.push(client);
  return client;
}

describe('discord.js webhooks', () => {
  it('creates a webhook with its token, lists, edits and deletes it, each with a webhooksUpdate', async () => {
    const { client, channel } = await ready();
    const created = nextEvent(client, 'webhooksUpdate', (c: TextChannel) => c.id === world.generalId);
    const webhook = await channel.createWebhook({ name: 'Announcer' });
    await created;
    expect({ name: webhook.name, channelId: webhook.channelId, guildId: webhook.guildId, type: webhook.type, owner: webhook.owner?.id }).toEqual({
      name: 'Announcer',
      channelId: world.generalId,
      guildId: world.guildId,
      type: 1,
      owner: bot.id,
    });
    expect(webhook.token).toMatch(/^[A-Za-z0-9_-]{68}$/);
    // discord.js builds the URL from its own rest.api option (unversioned, as Discord's are).
    expect(webhook.url).toBe(`${world.server.url}/api/webhooks/${webhook.id}/${webhook.token}`);

    const listed = await channel.fetchWebhooks();
    expect([...listed.keys()]).toEqual([webhook.id]);
    expect(listed.get(webhook.id)?.token).toBeNull();

    const renamed = nextEvent(client, 'webhooksUpdate');
    const edited = await webhook.edit({ name: 'Herald' });
    await renamed;
    expect(edited.name).toBe('Herald');
    // Without the token discord.js edits through /webhooks/:id with the bot's Authorization.
    const viaBot = await listed.get(webhook.id)?.edit({ name: 'Crier' });
    expect(viaBot?.name).toBe('Crier');

    const gone = nextEvent(client, 'webhooksUpdate');
    await webhook.delete();
    await gone;
    expect((await channel.fetchWebhooks()).size).toBe(0);
  });

  it('sends through a WebhookClient with username, avatarURL and embeds; the bot sees webhookId and the overridden author', async () => {
    const { client, channel } = await ready();
    const webhook = await channel.createWebhook({ name: 'CI' });
    const hook = webhookClient(webhook.id, webhook.token as string);

    const seen = nextEvent(client, 'messageCreate', (m: Message) => m.webhookId === webhook.id);
    const sent = await hook.send({
      content: 'Build #42 passed',
      username: 'Build Bot',
      avatarURL: 'https://example.com/ci.png',
      embeds: [{ title: 'main', description: 'all green', color: 0x2ecc71 }],
    });
    expect({ id: sent.id, content: sent.content, webhook: sent.webhook_id, author: sent.author.username, discriminator: sent.author.discriminator }).toEqual({
      id: expect.any(String),
      content: 'Build #42 passed',
      webhook: webhook.id,
      author: 'Build Bot',
      discriminator: '0000',
    });
    const [message] = await seen;
    expect({
      id: message.id,
      webhookId: message.webhookId,
      authorId: message.author.id,
      username: message.author.username,
      bot: message.author.bot,
      member: message.member,
      embeds: message.embeds.map((e) => e.title),
    }).toEqual({ id: sent.id, webhookId: webhook.id, authorId: webhook.id, username: 'Build Bot', bot: true, member: null, embeds: ['main'] });
    expect(await message.fetchWebhook()).toMatchObject({ id: webhook.id, name: 'CI' });

    const updated = nextEvent(client, 'messageUpdate', (_old: unknown, m: Message) => m.id === sent.id);
    const edited = await hook.editMessage(sent.id, { content: 'Build #42 passed (retried)' });
    expect(edited.content).toBe('Build #42 passed (retried)');
    const [, after] = await updated;
    expect((after as Message).content).toBe('Build #42 passed (retried)');
    expect((await hook.fetchMessage(sent.id)).content).toBe('Build #42 passed (retried)');

    const deleted = nextEvent(client, 'messageDelete', (m: Message) => m.id === sent.id);
    await hook.deleteMessage(sent.id);
    await deleted;
    await expect(hook.fetchMessage(sent.id)).rejects.toMatchObject({ status: 404, code: 10008 });
  });

  it('sends files through a WebhookClient (multipart, attachment:// in an embed), edits them away, and the bytes come back', async () => {
    const { client, channel } = await ready();
    const webhook = await channel.createWebhook({ name: 'Reporter' });
    const hook = webhookClient(webhook.id, webhook.token as string);
    const seen = nextEvent(client, 'messageCreate', (m: Message) => m.webhookId === webhook.id);
    const report = Buffer.from('coverage: 97%\n');
    const sent = await hook.send({
      content: 'nightly report',
      files: [new AttachmentBuilder(report, { name: 'report.txt', description: 'coverage' }), new AttachmentBuilder(Buffer.from(png()), { name: 'chart.png' })],
      embeds: [{ title: 'chart', image: { url: 'attachment://chart.png' } }],
    });
    expect(sent.attachments.map((a) => [a.filename, a.content_type, a.size, a.description ?? null])).toEqual([
      ['report.txt', 'text/plain; charset=utf-8', report.length, 'coverage'],
      ['chart.png', 'image/png', png().length, null],
    ]);
    expect(sent.embeds[0]?.image?.url).toBe(sent.attachments[1]?.url);
    const [message] = await seen;
    expect([...message.attachments.values()].map((a) => a.name)).toEqual(['report.txt', 'chart.png']);
    const download = await fetch(sent.attachments[0]?.url as string);
    expect({ status: download.status, body: await download.text() }).toEqual({ status: 200, body: 'coverage: 97%\n' });

    const edited = await hook.editMessage(sent.id, { attachments: [sent.attachments[1] as never] });
    expect(edited.attachments.map((a) => a.filename)).toEqual(['chart.png']);
    expect((await fetch(sent.attachments[0]?.url as string)).status).toBe(404);
  });

  it('sends webhooksUpdate only to sessions with the GUILD_WEBHOOKS intent', async () => {
    const { client, channel } = await ready();
    const deaf = await loginReady(discordClient(world, [Intent.Guilds, Intent.GuildMessages]), bot.token);
    const missed: unknown[] = [];
    deaf.on('webhooksUpdate', (c) => missed.push(c));
    const heard = nextEvent(client, 'webhooksUpdate');
    const webhook = await channel.createWebhook({ name: 'Quiet' });
    await heard;
    // The deaf session is told about a message sent after the webhook event, so it has had every chance to see it.
    const after = nextEvent(deaf, 'messageCreate', (m: Message) => m.content === 'after');
    await channel.send('after');
    await after;
    expect(missed).toEqual([]);
    await webhook.delete();
  });

  it('surfaces a wrong token as DiscordAPIError 50027', async () => {
    const { channel } = await ready();
    const webhook = await channel.createWebhook({ name: 'Locked' });
    const hook = webhookClient(webhook.id, 'x'.repeat(68));
    await expect(hook.send('nope')).rejects.toMatchObject({ status: 401, code: 50027 });
  });
});

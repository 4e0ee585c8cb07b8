// The SDK against a real server: a bot with manage_webhooks creates, lists, edits and deletes webhooks with typed
// methods, posts through one with executeWebhook, and hears webhooksUpdate and the webhook's messageCreate.
import { afterAll, describe, expect, it } from 'bun:test';
import type { Message, WebhooksUpdate } from '../../src/sdk/events.ts';
import { HarmonyApiError, HarmonyClient } from '../../src/sdk/harmony-client.ts';
import { register, startServer } from '../support/test-server.ts';

const server = await startServer({ rateLimits: false });
const owner = await register(server, 'owner');
const guild = (await server.api('POST', '/api/v1/guilds', { token: owner.token, body: { name: 'SDK' } })).body;
const created = (await server.api('POST', '/api/v1/admin/bots', { token: owner.token, body: { username: 'hookbot' } })).body;
await server.api('PUT', `/api/v1/guilds/${guild.id}/bots/${created.bot.id}`, {
  token: owner.token,
  body: { permissions: ['read_messages', 'send_messages', 'manage_webhooks'] },
});
const bot = new HarmonyClient(created.token, { url: `${server.url.replace(/^http/, 'ws')}/gateway` });
const channelId: string = guild.channels[0].id;
afterAll(async () => {
  await bot.disconnect();
  await server.stop();
});

function next<K extends 'webhooksUpdate' | 'messageCreate'>(event: K): Promise<K extends 'webhooksUpdate' ? WebhooksUpdate : Message> {
  return new Promise((resolve) => bot.once(event, (payload) => resolve(payload as never)));
}

describe('HarmonyClient webhooks', () => {
  it('creates, lists, executes, edits and deletes a webhook, with the gateway telling it each time', async () => {
    await bot.connect();
    const createdUpdate = next('webhooksUpdate');
    const webhook = await bot.createWebhook(channelId, { name: 'Deploys' });
    expect(await createdUpdate).toEqual({ guild_id: guild.id, channel_id: channelId });
    expect(webhook).toMatchObject({ name: 'Deploys', channel_id: channelId, guild_id: guild.id, creator_id: created.bot.id });
    expect(webhook.token).toMatch(/^[A-Za-z0-9_-]{68}$/);

    const listed = await bot.getChannelWebhooks(channelId);
    expect(listed.map((w) => [w.id, w.token])).toEqual([[webhook.id, undefined]]);
    expect((await bot.getGuildWebhooks(guild.id)).map((w) => w.id)).toEqual([webhook.id]);

    const seen = next('messageCreate');
    const posted = await bot.executeWebhook(webhook.id, webhook.token as string, {
      content: 'shipped',
      username: 'Release',
      avatarUrl: 'https://example.com/r.png',
    });
    expect({ webhook_id: posted.webhook_id, author: posted.author }).toEqual({
      webhook_id: webhook.id,
      author: { id: webhook.id, username: 'Release', global_name: null, avatar: 'https://example.com/r.png', bot: true },
    });
    expect((await seen).id).toBe(posted.id);

    const renamed = await bot.editWebhook(webhook.id, { name: 'Releases' });
    expect(renamed.name).toBe('Releases');
    await bot.deleteWebhook(webhook.id);
    const gone = await bot.executeWebhook(webhook.id, webhook.token as string, 'too late').catch((error: unknown) => error);
    expect(gone).toBeInstanceOf(HarmonyApiError);
    expect((gone as HarmonyApiError).code).toBe(10015);
  });
});

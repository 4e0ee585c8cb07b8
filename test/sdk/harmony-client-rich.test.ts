// The SDK against a real server: sendMessage and editMessage carry embeds and components, typed, and the
// messages it gets back have them in the v1 shape.
import { afterAll, describe, expect, it } from 'bun:test';
import type { ActionRowInput, EmbedInput } from '../../src/sdk/events.ts';
import { HarmonyClient } from '../../src/sdk/harmony-client.ts';
import { register, startServer } from '../support/test-server.ts';

const server = await startServer({ rateLimits: false });
afterAll(() => server.stop());
const owner = await register(server, 'owner');
const guild = (await server.api('POST', '/api/v1/guilds', { token: owner.token, body: { name: 'SDK' } })).body;
const created = (await server.api('POST', '/api/v1/admin/bots', { token: owner.token, body: { username: 'sdkbot' } })).body;
await server.api('PUT', `/api/v1/guilds/${guild.id}/bots/${created.bot.id}`, { token: owner.token, body: { permissions: ['read_messages', 'send_messages'] } });
const bot = new HarmonyClient(created.token, { apiUrl: `${server.url}/api/v1` });
const channelId: string = guild.channels[0].id;

describe('HarmonyClient with embeds and components', () => {
  it('sends them, edits them and hides the embeds, against the real server', async () => {
    const embeds: EmbedInput[] = [{ title: 'Build', color: 0x00ff00, fields: [{ name: 'status', value: 'green' }] }];
    const components: ActionRowInput[] = [{ type: 1, components: [{ type: 2, style: 5, url: 'https://example.com/build', label: 'Open' }] }];
    const sent = await bot.sendMessage(channelId, '', { embeds, components });
    const first = sent.components?.[0]?.components[0];
    expect({
      content: sent.content,
      title: sent.embeds?.[0]?.title,
      field: sent.embeds?.[0]?.fields[0],
      link: first?.type === 2 ? first.url : null,
    }).toEqual({
      content: '',
      title: 'Build',
      field: { name: 'status', value: 'green', inline: false },
      link: 'https://example.com/build',
    });
    const edited = await bot.editMessage(sent.id, { content: 'done', components: [] });
    expect({ content: edited.content, rows: edited.components?.length, title: edited.embeds?.[0]?.title }).toEqual({
      content: 'done',
      rows: 0,
      title: 'Build',
    });
    const hidden = await bot.editMessage(sent.id, { suppressEmbeds: true });
    expect({ suppressed: hidden.suppress_embeds, embeds: hidden.embeds }).toEqual({ suppressed: true, embeds: [] });
    expect((await bot.editMessage(sent.id, 'text only')).content).toBe('text only');
  });
});

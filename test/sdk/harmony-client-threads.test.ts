// The SDK's thread methods and events against a real server: create (from a message and not), post, join, list,
// archive, delete, and threadCreate/threadUpdate/threadMembersUpdate/threadDelete as a connected client hears them.
import { afterAll, describe, expect, it } from 'bun:test';
import type { Channel, HarmonyEventName, ThreadMembersUpdate } from '../../src/sdk/events.ts';
import { HarmonyClient } from '../../src/sdk/harmony-client.ts';
import { register, startServer } from '../support/test-server.ts';

const server = await startServer({ rateLimits: false });
const owner = await register(server, 'owner');
const guild = (await server.api('POST', '/api/v1/guilds', { token: owner.token, body: { name: 'SDK threads' } })).body;
const created = (await server.api('POST', '/api/v1/admin/bots', { token: owner.token, body: { username: 'threadsdk' } })).body;
await server.api('PUT', `/api/v1/guilds/${guild.id}/bots/${created.bot.id}`, {
  token: owner.token,
  body: { permissions: ['read_messages', 'send_messages', 'read_message_history', 'create_public_threads', 'send_messages_in_threads'] },
});
const gateway = `${server.url.replace(/^http/, 'ws')}/gateway`;
const bot = new HarmonyClient(created.token, { url: gateway });
const person = new HarmonyClient(owner.token, { url: gateway, authScheme: 'Bearer' });
const channelId: string = guild.channels[0].id;
afterAll(async () => {
  await bot.disconnect();
  await server.stop();
});

function next<K extends HarmonyEventName>(client: HarmonyClient, event: K, match: (payload: any) => boolean): Promise<any> {
  return new Promise((resolve) => {
    const listener = (payload: unknown) => {
      if (!match(payload)) return;
      client.off(event, listener as never);
      resolve(payload);
    };
    client.on(event, listener as never);
  });
}

describe('HarmonyClient threads', () => {
  it('creates, posts in, lists, archives and deletes threads, with their events', async () => {
    await bot.connect();
    const message = await person.sendMessage(channelId, 'thread here');
    const heard = next(bot, 'threadCreate', (c: Channel) => c.id === message.id);
    const thread = await person.createThread(channelId, 'From the SDK', { messageId: message.id });
    expect({ id: thread.id, type: thread.type, parent: thread.thread?.parent_id, owner: thread.thread?.owner_id }).toEqual({
      id: message.id,
      type: 11,
      parent: channelId,
      owner: owner.id,
    });
    expect((await heard).name).toBe('From the SDK');

    const joined = next(bot, 'threadMembersUpdate', (u: ThreadMembersUpdate) => u.thread_id === thread.id);
    await bot.joinThread(thread.id);
    expect((await joined).added.map((m: { user_id: string }) => m.user_id)).toEqual([created.bot.id]);
    expect((await bot.getThreadMembers(thread.id)).map((m) => m.user_id).sort()).toEqual([owner.id, created.bot.id].sort());

    const posted = await bot.sendMessage(thread.id, 'hello from the bot');
    expect(posted.channel_id).toBe(thread.id);
    expect((await bot.getThreads(channelId)).map((c) => c.id)).toEqual([thread.id]);
    expect((await bot.getActiveThreads(guild.id)).map((c) => c.id)).toEqual([thread.id]);

    const archivedEvent = next(bot, 'threadUpdate', (c: Channel) => c.id === thread.id && c.thread?.archived === true);
    const archived = await person.editThread(thread.id, { archived: true, name: 'Archived' });
    expect({ archived: archived.thread?.archived, name: archived.name }).toEqual({ archived: true, name: 'Archived' });
    await archivedEvent;
    expect((await bot.getThreads(channelId, { archived: true })).map((c) => c.id)).toEqual([thread.id]);

    const deleted = next(bot, 'threadDelete', (c: Channel) => c.id === thread.id);
    await person.deleteThread(thread.id);
    await deleted;
    expect(await bot.getThreads(channelId)).toEqual([]);
  });
});

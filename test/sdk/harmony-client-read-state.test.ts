// The SDK's DM and read-state methods against a real server: a bot opens a DM with a person (openDm), the person
// reads it on one client (ackMessage) and their other connected client hears messageAck; READY carries read_state
// and private_channels; closeDm drops the DM from the person's list until its next message.
import { afterAll, describe, expect, it } from 'bun:test';
import type { MessageAck, ReadyData } from '../../src/sdk/events.ts';
import { HarmonyClient } from '../../src/sdk/harmony-client.ts';
import { register, startServer } from '../support/test-server.ts';

const server = await startServer({ rateLimits: false });
const owner = await register(server, 'owner');
const guild = (await server.api('POST', '/api/v1/guilds', { token: owner.token, body: { name: 'SDK reads' } })).body;
const created = (await server.api('POST', '/api/v1/admin/bots', { token: owner.token, body: { username: 'readsdk' } })).body;
await server.api('PUT', `/api/v1/guilds/${guild.id}/bots/${created.bot.id}`, { token: owner.token, body: { permissions: ['read_messages', 'send_messages'] } });
const gateway = `${server.url.replace(/^http/, 'ws')}/gateway`;
const bot = new HarmonyClient(created.token, { url: gateway });
const desk = new HarmonyClient(owner.token, { url: gateway, authScheme: 'Bearer' });
const phone = new HarmonyClient(owner.token, { url: gateway, authScheme: 'Bearer' });
afterAll(async () => {
  await phone.disconnect();
  await server.stop();
});

describe('HarmonyClient DMs and read state', () => {
  it('opens a DM, acks it on one session with messageAck on the other, and closes it', async () => {
    const dm = await bot.openDm(owner.id);
    expect(dm.type).toBe(1);
    expect(dm.recipient_ids?.sort()).toEqual([owner.id, created.bot.id].sort());
    const sent = await bot.sendMessage(dm.id, 'hello from the bot');
    expect(sent.mention_roles).toEqual([]);
    expect(await desk.getReadStates()).toEqual([{ id: dm.id, last_message_id: null, mention_count: 1 }]);

    const ready = new Promise<ReadyData>((resolve) => phone.once('ready', resolve));
    await phone.connect();
    const d = await ready;
    expect(d.read_state).toEqual([{ id: dm.id, last_message_id: null, mention_count: 1 }]);
    expect(d.private_channels?.map((c) => c.id)).toEqual([dm.id]);

    const heard = new Promise<MessageAck>((resolve) => phone.once('messageAck', resolve));
    expect(await desk.ackMessage(dm.id, sent.id)).toEqual({ id: dm.id, last_message_id: sent.id, mention_count: 0 });
    expect(await heard).toEqual({ channel_id: dm.id, guild_id: null, message_id: sent.id, mention_count: 0 });

    expect((await desk.closeDm(dm.id)).id).toBe(dm.id);
    expect(await desk.request('GET', '/users/@me/channels')).toEqual([]);
    await bot.sendMessage(dm.id, 'back again');
    expect(((await desk.request('GET', '/users/@me/channels')) as { id: string }[]).map((c) => c.id)).toEqual([dm.id]);
  });
});

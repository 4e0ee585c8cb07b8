// Events cross nodes as JSON (RedisBus, the outbox), so every DomainEvent must come back from encodeEvents and
// decodeEvents exactly as it went in: no Map, Set, bigint, Date or undefined-valued key may hide in one. A real
// server makes one of each type happen through its API (as in production, not hand-built samples), every event the
// hub sees is round-tripped, and the table below, which TypeScript forces to name every type, must be covered.
import { afterAll, beforeAll, expect, test } from 'bun:test';
import type { DomainEvent, EventType } from '../../src/events/domain-events.ts';
import { decodeEvents, encodeEvents } from '../../src/events/event-bus.ts';
import { type Account, addBot, as, createBot, createGuild, type GuildFixture, join, people } from '../dialects/harmony/fixtures.ts';
import { connectAs } from '../support/gateway-client.ts';
import { png } from '../support/images.ts';
import { startServer, type TestServer } from '../support/test-server.ts';

const EVERY_TYPE: Record<EventType, true> = {
  'message.create': true,
  'message.update': true,
  'message.delete': true,
  'message.delete_bulk': true,
  'reaction.add': true,
  'reaction.remove': true,
  'typing.start': true,
  'member.join': true,
  'member.update': true,
  'member.leave': true,
  'channel.create': true,
  'channel.update': true,
  'channel.delete': true,
  'thread.members_update': true,
  'guild.create': true,
  'guild.update': true,
  'guild.delete': true,
  'role.create': true,
  'role.update': true,
  'role.delete': true,
  'user.update': true,
  'emojis.update': true,
  'presence.update': true,
  'presence.directory': true,
  'webhooks.update': true,
  'audit.create': true,
  'read_state.ack': true,
  'notification_settings.update': true,
  'dm.close': true,
  'dm.reopen': true,
  'dm.recipient_add': true,
  'dm.recipient_remove': true,
  'credentials.revoked': true,
  'bot.settings_changed': true,
  'interaction.create': true,
  'interaction.result': true,
  'interaction.modal': true,
  'interaction.autocomplete': true,
  'ephemeral.message': true,
};

let server: TestServer;
const events: DomainEvent[] = [];

beforeAll(async () => {
  server = await startServer({ rateLimits: false });
  server.harmony.core.hub.subscribe((event) => events.push(event));
});
afterAll(() => server.stop());

async function api(caller: Account, method: string, path: string, body?: unknown): Promise<any> {
  const res = await server.api(method, `/api/v1${path}`, as(caller, body));
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** The next interaction.create the hub carries (it holds the token the application answers with). */
async function invoked(from: number): Promise<Extract<DomainEvent, { type: 'interaction.create' }>> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const found = events.slice(from).find((e) => e.type === 'interaction.create');
    if (found?.type === 'interaction.create') return found;
    if (Date.now() > deadline) throw new Error('no interaction.create');
    await Bun.sleep(10);
  }
}

test('every domain event type happens, and each one survives the JSON round trip unchanged', async () => {
  const [owner, friend, other, third] = await people(server, 'owner', 'friend', 'other', 'third');
  const guild: GuildFixture = await createGuild(server, owner, 'Codec');
  await join(server, owner, guild, friend, other);
  const general = guild.generalId;

  // Messages, reactions, typing, read state.
  const message = await api(owner, 'POST', `/channels/${general}/messages`, { content: 'hello' });
  await api(owner, 'PATCH', `/messages/${message.id}`, { content: 'edited' });
  await api(friend, 'PUT', `/messages/${message.id}/reactions/%F0%9F%91%8D`);
  await api(friend, 'DELETE', `/messages/${message.id}/reactions/%F0%9F%91%8D`);
  await api(friend, 'POST', `/channels/${general}/typing`);
  await api(friend, 'POST', `/channels/${general}/messages/${message.id}/ack`, {});
  const [a, b] = [
    await api(owner, 'POST', `/channels/${general}/messages`, { content: 'a' }),
    await api(owner, 'POST', `/channels/${general}/messages`, { content: 'b' }),
  ];
  await api(owner, 'POST', `/channels/${general}/messages/bulk-delete`, { messages: [a.id, b.id] });
  await api(owner, 'DELETE', `/messages/${message.id}`);

  // Members, roles, channels, threads, the guild, emoji, webhooks (audited as they go).
  await api(owner, 'PATCH', `/guilds/${guild.id}/members/${friend.id}`, { nick: 'pal' });
  await api(owner, 'DELETE', `/guilds/${guild.id}/members/${other.id}`);
  const role = await api(owner, 'POST', `/guilds/${guild.id}/roles`, { name: 'codec' });
  await api(owner, 'PATCH', `/guilds/${guild.id}/roles/${role.id}`, { color: 5 });
  await api(owner, 'DELETE', `/guilds/${guild.id}/roles/${role.id}`);
  const channel = await api(owner, 'POST', `/guilds/${guild.id}/channels`, { name: 'fresh' });
  await api(owner, 'PATCH', `/channels/${channel.id}`, { topic: 'a topic' });
  const thread = await api(owner, 'POST', `/channels/${general}/threads`, { name: 'a thread', type: 11 });
  await api(owner, 'PUT', `/channels/${thread.id}/thread-members/${friend.id}`);
  await api(owner, 'DELETE', `/channels/${channel.id}`);
  await api(owner, 'PATCH', `/guilds/${guild.id}`, { description: 'changed' });
  await api(owner, 'POST', `/guilds/${guild.id}/emojis`, { name: 'codec', image: `data:image/png;base64,${Buffer.from(png()).toString('base64')}` });
  await api(owner, 'POST', `/channels/${general}/webhooks`, { name: 'hook' });
  await api(owner, 'PATCH', `/users/@me/guilds/${guild.id}/settings`, { message_notifications: 1 });
  await api(friend, 'PATCH', '/users/@me', { global_name: 'Friend' });
  // What the presence API stores: sharing, a K/V key, an API token.
  await api(friend, 'PUT', '/users/@me/presence', { shared: true });
  await api(friend, 'PUT', '/users/@me/presence/kv/mood', { value: 'codec' });
  await api(friend, 'POST', '/users/@me/presence/token');

  // Direct messages: close, reopen by a message; a group DM gains and loses someone.
  for (const someone of [friend, other, third]) await api(someone, 'PATCH', '/users/@me/settings', { allow_dms_from: 'everyone' });
  const dm = await api(owner, 'POST', '/users/@me/channels', { recipient_id: friend.id });
  await api(owner, 'POST', `/channels/${dm.id}/messages`, { content: 'hi' });
  await api(friend, 'DELETE', `/channels/${dm.id}`);
  await api(owner, 'POST', `/channels/${dm.id}/messages`, { content: 'again' });
  const group = await api(owner, 'POST', '/users/@me/channels', { recipients: [friend.id, other.id] });
  await api(owner, 'PUT', `/channels/${group.id}/recipients/${third.id}`);
  await api(owner, 'DELETE', `/channels/${group.id}/recipients/${third.id}`);

  // Presence: a gateway session coming online.
  const session = await connectAs(server, third.token);
  await session.event('READY');

  // Interactions: a bot's command, answered with a deferral, a modal, choices and an ephemeral message.
  const bot = await createBot(server, owner, 'codecbot');
  await api(owner, 'PATCH', `/admin/bots/${bot.id}`, { privileged_intents: { message_content: true } });
  await addBot(server, owner, guild, bot, ['read_messages']);
  const command = await api(bot, 'POST', `/applications/${bot.id}/guilds/${guild.id}/commands`, {
    name: 'codec',
    description: 'A command',
    options: [{ type: 3, name: 'word', description: 'A word', autocomplete: true }],
  });
  let nonce = 0;
  const invoke = async (type: 2 | 4, answer: unknown) => {
    const from = events.length;
    const option = type === 4 ? { type: 3, name: 'word', value: 'co', focused: true } : { type: 3, name: 'word', value: 'codec' };
    await api(owner, 'POST', '/interactions', {
      type,
      application_id: bot.id,
      guild_id: guild.id,
      channel_id: general,
      nonce: `codec-${++nonce}`,
      data: { id: command.id, name: 'codec', type: 1, options: [option] },
    });
    const { interaction, token } = await invoked(from);
    const res = await server.api('POST', `/api/v1/interactions/${interaction.id}/${token}/callback`, { body: answer });
    if (res.status >= 300) throw new Error(`callback: ${res.status} ${JSON.stringify(res.body)}`);
  };
  await invoke(2, { type: 5 });
  await invoke(2, {
    type: 9,
    data: { custom_id: 'form', title: 'Form', components: [{ type: 1, components: [{ type: 4, custom_id: 'f', label: 'F', style: 1 }] }] },
  });
  await invoke(4, { type: 8, data: { choices: [{ name: 'codec', value: 'codec' }] } });
  await invoke(2, { type: 4, data: { content: 'just you', flags: 64 } });

  // Sessions and the guild end: a logout revokes credentials, deleting the guild tells its members.
  await api(other, 'POST', '/auth/logout');
  await api(owner, 'DELETE', `/guilds/${guild.id}`);
  session.close();

  for (const event of events) {
    const [back] = decodeEvents(encodeEvents([event]));
    // Strict: an undefined-valued key would come back missing, a Map as {}, a Date as a string.
    expect(back).toStrictEqual(event);
  }
  const missing = Object.keys(EVERY_TYPE).filter((type) => !events.some((e) => e.type === type));
  expect(missing).toEqual([]);
}, 60_000);

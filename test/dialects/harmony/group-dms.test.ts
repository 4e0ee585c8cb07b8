// Group DMs (issue 15 item 1; Discord's channel type 3) on the v1 API and gateway: people only, 2-10 of them, an
// owner, a name and an icon; POST /users/@me/channels {recipients}, PUT/DELETE /channels/:id/recipients/:user with
// CHANNEL_RECIPIENT_ADD/REMOVE, renaming, leaving (ownership passes on), messages counted as mentions for everyone.
import { afterAll, describe, expect, it } from 'bun:test';
import { RESTJSONErrorCodes } from 'discord-api-types/v10';
import { connectAs, type GatewayClient } from '../../support/gateway-client.ts';
import type { TestServer } from '../../support/test-server.ts';
import { type Account, as, createBot, createGuild, expectError, expectInvalidField, join, people, send, serverForFile } from './fixtures.ts';

const server: TestServer = await serverForFile();
const [ann, ben, cat, dan, eve] = await people(server, 'ann', 'ben', 'cat', 'dan', 'eve');
const guild = await createGuild(server, ann, 'Friends');
await join(server, ann, guild, ben, cat, dan);
const sockets: GatewayClient[] = [];
afterAll(() => {
  for (const s of sockets) s.close();
});
const open = (caller: Account, body: unknown) => server.api('POST', '/api/v1/users/@me/channels', as(caller, body));
const listOf = async (caller: Account) => (await server.api('GET', '/api/v1/users/@me/channels', as(caller))).body.map((c: any) => c.id);

describe('group DMs', () => {
  it('are created by a person with 1-9 others, reach everyone with CHANNEL_CREATE, and count every message for the others', async () => {
    const benSocket = await connectAs(server, ben.token);
    sockets.push(benSocket);
    const res = await open(ann, { recipients: [ben.id, cat.id], name: 'Lunch crew', icon: 'https://example.com/lunch.png' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: expect.any(String),
      type: 3,
      guild_id: null,
      recipient_ids: [ann.id, ben.id, cat.id],
      last_message_id: null,
      name: 'Lunch crew',
      owner_id: ann.id,
      icon: 'https://example.com/lunch.png',
    });
    const group = res.body.id;
    expect((await benSocket.event('CHANNEL_CREATE', (d) => d.id === group)).d).toEqual(res.body);
    for (const who of [ann, ben, cat]) expect(await listOf(who)).toContain(group);
    expect(await listOf(dan)).not.toContain(group);
    const sent = await send(server, ben, group, 'noon?');
    expect((await benSocket.event('MESSAGE_CREATE', (d) => d.id === sent.id)).d.channel_id).toBe(group);
    const states = async (who: Account) => (await server.api('GET', '/api/v1/users/@me/read-states', as(who))).body.find((r: any) => r.id === group);
    expect((await states(ann)).mention_count).toBe(1);
    expect((await states(cat)).mention_count).toBe(1);
    expect((await states(ben)).mention_count).toBe(0);
    expectError(await server.api('GET', `/api/v1/channels/${group}/messages`, as(dan)), 403, RESTJSONErrorCodes.MissingAccess);
  });

  it('add and remove people with CHANNEL_RECIPIENT_ADD/REMOVE; leaving passes ownership on; any member renames it', async () => {
    const group = (await open(ann, { recipients: [ben.id] })).body.id;
    const annSocket = await connectAs(server, ann.token);
    const danSocket = await connectAs(server, dan.token);
    sockets.push(annSocket, danSocket);
    expect((await server.api('PUT', `/api/v1/channels/${group}/recipients/${dan.id}`, as(ben))).status).toBe(204);
    const added = await annSocket.event('CHANNEL_RECIPIENT_ADD', (d) => d.channel_id === group);
    expect(added.d.user).toMatchObject({ id: dan.id, username: 'dan' });
    expect((await danSocket.event('CHANNEL_CREATE', (d) => d.id === group)).d.recipient_ids).toEqual([ann.id, ben.id, dan.id]);
    await send(server, ann, group, 'welcome dan');
    await danSocket.event('MESSAGE_CREATE', (d) => d.content === 'welcome dan');
    // Only the owner removes others; anyone may leave.
    expectError(await server.api('DELETE', `/api/v1/channels/${group}/recipients/${dan.id}`, as(ben)), 403, RESTJSONErrorCodes.MissingPermissions);
    expect((await server.api('DELETE', `/api/v1/channels/${group}/recipients/${dan.id}`, as(ann))).status).toBe(204);
    expect((await annSocket.event('CHANNEL_RECIPIENT_REMOVE', (d) => d.channel_id === group)).d.user.id).toBe(dan.id);
    expect((await danSocket.event('CHANNEL_DELETE', (d) => d.id === group)).d.id).toBe(group);
    await send(server, ann, group, 'after dan');
    await annSocket.event('MESSAGE_CREATE', (d) => d.content === 'after dan');
    expect(danSocket.frames.some((f) => f.t === 'MESSAGE_CREATE' && f.d.content === 'after dan')).toBe(false);
    // Renaming, by a member who is not the owner.
    const renamed = await server.api('PATCH', `/api/v1/channels/${group}`, as(ben, { name: 'Two of us' }));
    expect([renamed.status, renamed.body.name]).toEqual([200, 'Two of us']);
    expect((await annSocket.event('CHANNEL_UPDATE', (d) => d.id === group && d.name === 'Two of us')).d.owner_id).toBe(ann.id);
    // An empty name clears it.
    const cleared = await server.api('PATCH', `/api/v1/channels/${group}`, as(ben, { name: '' }));
    expect([cleared.status, cleared.body.name]).toEqual([200, null]);
    expect((await server.api('GET', `/api/v1/channels/${group}`, as(ann))).body.name).toBeNull();
    // The owner leaves (DELETE /channels/:id): ben owns it now.
    const left = await server.api('DELETE', `/api/v1/channels/${group}`, as(ann));
    expect(left.status).toBe(200);
    expect((await server.api('GET', `/api/v1/channels/${group}`, as(ben))).body.owner_id).toBe(ben.id);
    expect(await listOf(ann)).not.toContain(group);
  });

  it('refuse bots, strangers who do not accept DMs, more than 10 people, and a bot creating one', async () => {
    const bot = await createBot(server, ann, 'groupbot');
    expectInvalidField(await open(ann, { recipients: [bot.id] }), 'recipients');
    expectError(await open(bot, { recipients: [ann.id, ben.id] }), 403, RESTJSONErrorCodes.MissingAccess);
    // eve shares no server with ann and accepts DMs from members only.
    expectError(await open(ann, { recipients: [eve.id] }), 403, RESTJSONErrorCodes.CannotSendMessagesToThisUser);
    expect((await open(ann, { recipients: [] })).status).toBe(400);
    const many = await people(server, 'm1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8', 'm9');
    await join(server, ann, guild, ...many);
    const big = await open(ann, { recipients: many.slice(0, 8).map((m) => m.id) });
    expect(big.body.recipient_ids).toHaveLength(9);
    expect((await server.api('PUT', `/api/v1/channels/${big.body.id}/recipients/${many[8]!.id}`, as(ann))).status).toBe(204);
    expectError(
      await server.api('PUT', `/api/v1/channels/${big.body.id}/recipients/${ben.id}`, as(ann)),
      400,
      RESTJSONErrorCodes.MaximumNumberOfRecipientsReached,
    );
    // Recipients belong to group DMs only.
    const dm = (await open(ann, { recipient_id: ben.id })).body.id;
    expectError(await server.api('PUT', `/api/v1/channels/${dm}/recipients/${cat.id}`, as(ann)), 400, RESTJSONErrorCodes.CannotExecuteActionOnThisChannelType);
  });
});

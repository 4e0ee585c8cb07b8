// Read state, mention counts, notification settings and closing DMs on the v1 API and gateway (issue 15 items 1-3):
// where each person stopped reading (READY's read_state, POST .../ack, MESSAGE_ACK to their other sessions), the
// mentions counted as messages arrive (users, @everyone/@here only with mention_everyone, roles when mentionable
// or the author may mention everyone, every DM message), per-guild and per-channel notification levels, and a DM
// closed for one person that comes back with its next message.

import { afterAll, describe, expect, it } from 'bun:test';
import { RESTJSONErrorCodes } from 'discord-api-types/v10';
import { connectAs, type GatewayClient } from '../../support/gateway-client.ts';
import type { TestServer } from '../../support/test-server.ts';
import { type Account, as, createGuild, expectError, type GuildFixture, grantRole, join, people, send, serverForFile } from './fixtures.ts';

const server: TestServer = await serverForFile();
const [owner, ann, ben, cid] = await people(server, 'owner', 'ann', 'ben', 'cid');
const guild: GuildFixture = await createGuild(server, owner, 'Readers');
await join(server, owner, guild, ann, ben, cid);
const sockets: GatewayClient[] = [];
afterAll(() => {
  for (const s of sockets) s.close();
});

async function ready(account: Account): Promise<any> {
  const client = await connectAs(server, account.token);
  sockets.push(client);
  return (client.frames.find((f) => f.t === 'READY') as any).d;
}
const stateOf = async (account: Account, channelId: string) =>
  (await server.api('GET', '/api/v1/users/@me/read-states', as(account))).body.find((r: any) => r.id === channelId) ?? null;
const ack = (account: Account, channelId: string, messageId: string, body?: unknown) =>
  server.api('POST', `/api/v1/channels/${channelId}/messages/${messageId}/ack`, as(account, body));

describe('read state', () => {
  it('is empty in READY for someone who has read nothing, and counts mentions as they arrive', async () => {
    const channel = (await server.api('POST', `/api/v1/guilds/${guild.id}/channels`, as(owner, { name: 'counting' }))).body.id;
    expect((await ready(cid)).read_state).toEqual([]);
    await send(server, ann, channel, 'no mention here');
    expect(await stateOf(cid, channel)).toBeNull();
    await send(server, ann, channel, `hello <@${cid.id}> and <@${cid.id}> again`);
    await send(server, ann, channel, `and <@!${cid.id}>`);
    expect(await stateOf(cid, channel)).toEqual({ id: channel, last_message_id: null, mention_count: 2 });
    // The author has read their own channel up to their message.
    const last = await send(server, ann, channel, 'mine');
    expect(await stateOf(ann, channel)).toEqual({ id: channel, last_message_id: last.id, mention_count: 0 });
    const d = await ready(cid);
    expect(d.read_state).toContainEqual({ id: channel, last_message_id: null, mention_count: 2 });
  });

  it('counts @everyone and @here only when the author may mention everyone, and never for the author', async () => {
    const channel = (await server.api('POST', `/api/v1/guilds/${guild.id}/channels`, as(owner, { name: 'everyone' }))).body.id;
    const plain = await send(server, ann, channel, '@everyone look');
    expect(plain.mention_everyone).toBe(false);
    expect(await stateOf(ben, channel)).toBeNull();
    await send(server, owner, channel, '@everyone look');
    await send(server, owner, channel, `@here and <@${ben.id}>`);
    expect((await stateOf(ben, channel)).mention_count).toBe(2);
    expect((await stateOf(ann, channel)).mention_count).toBe(2);
    expect((await stateOf(owner, channel)).mention_count).toBe(0);
  });

  it('counts a role mention for its holders when the role is mentionable or the author may mention everyone', async () => {
    const channel = (await server.api('POST', `/api/v1/guilds/${guild.id}/channels`, as(owner, { name: 'roles' }))).body.id;
    const quiet = await grantRole(server, owner, guild, [], ben);
    const loud = await grantRole(server, owner, guild, [], ben, cid);
    expect((await server.api('PATCH', `/api/v1/guilds/${guild.id}/roles/${loud}`, as(owner, { mentionable: true }))).status).toBe(200);
    const refused = await send(server, ann, channel, `<@&${quiet}> hey`);
    expect(refused.mention_roles).toEqual([]);
    const allowed = await send(server, ann, channel, `<@&${loud}> <@&${quiet}> hey`);
    expect(allowed.mention_roles).toEqual([loud]);
    expect((await stateOf(ben, channel)).mention_count).toBe(1);
    expect((await stateOf(cid, channel)).mention_count).toBe(1);
    // The owner may mention everyone, so any role notifies; one message counts once for someone holding both.
    const byOwner = await send(server, owner, channel, `<@&${quiet}> <@&${loud}>`);
    expect(byOwner.mention_roles).toEqual([quiet, loud]);
    expect((await stateOf(ben, channel)).mention_count).toBe(2);
    expect((await stateOf(cid, channel)).mention_count).toBe(2);
    expect(await stateOf(ann, channel)).toEqual({ id: channel, last_message_id: allowed.id, mention_count: 0 });
  });

  it('acks up to a message, tells the other sessions of the same person with MESSAGE_ACK, and can mark unread again', async () => {
    const channel = (await server.api('POST', `/api/v1/guilds/${guild.id}/channels`, as(owner, { name: 'acks' }))).body.id;
    const first = await send(server, owner, channel, `<@${ann.id}> one`);
    const second = await send(server, owner, channel, `<@${ann.id}> two`);
    const phone = await connectAs(server, ann.token);
    const other = await connectAs(server, ben.token);
    sockets.push(phone, other);
    const res = await ack(ann, channel, second.id);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: channel, last_message_id: second.id, mention_count: 0 });
    const event = await phone.event('MESSAGE_ACK');
    expect(event.d).toEqual({ channel_id: channel, guild_id: guild.id, message_id: second.id, mention_count: 0 });
    // Back to unread after the first, with one mention left.
    expect((await ack(ann, channel, first.id, { mention_count: 1 })).body).toEqual({ id: channel, last_message_id: first.id, mention_count: 1 });
    await send(server, owner, channel, 'sentinel');
    await other.event('MESSAGE_CREATE', (d) => d.content === 'sentinel');
    expect(other.frames.some((f) => f.t === 'MESSAGE_ACK')).toBe(false);
    expect(await stateOf(ann, channel)).toEqual({ id: channel, last_message_id: first.id, mention_count: 1 });
  });

  it('refuses a message of another channel (10008), a channel the caller cannot see (50001), and a bad body (50035)', async () => {
    const a = (await server.api('POST', `/api/v1/guilds/${guild.id}/channels`, as(owner, { name: 'ack-a' }))).body.id;
    const hidden = (
      await server.api(
        'POST',
        `/api/v1/guilds/${guild.id}/channels`,
        as(owner, { name: 'hidden', permission_overwrites: [{ id: guild.id, type: 0, deny: ['read_messages'] }] }),
      )
    ).body.id;
    const inHidden = await send(server, owner, hidden, 'secret');
    const inA = await send(server, owner, a, 'open');
    expectError(await ack(ann, a, inHidden.id), 404, RESTJSONErrorCodes.UnknownMessage);
    expectError(await ack(ann, hidden, inHidden.id), 403, RESTJSONErrorCodes.MissingAccess);
    expect((await ack(ann, a, inA.id, { mention_count: -1 })).status).toBe(400);
    expect((await server.api('POST', `/api/v1/channels/${a}/messages/${inA.id}/ack`)).status).toBe(401);
  });
});

describe('direct messages', () => {
  it('count every message as a mention, close for one person only, and come back with the next message', async () => {
    const dm = (await server.api('POST', '/api/v1/users/@me/channels', as(ann, { recipient_id: ben.id }))).body;
    await send(server, ann, dm.id, 'hi ben');
    await send(server, ann, dm.id, 'still there?');
    expect((await stateOf(ben, dm.id)).mention_count).toBe(2);
    const benSocket = await connectAs(server, ben.token);
    sockets.push(benSocket);
    const closed = await server.api('DELETE', `/api/v1/channels/${dm.id}`, as(ben));
    expect(closed.status).toBe(200);
    expect(closed.body.id).toBe(dm.id);
    expect((await benSocket.event('CHANNEL_DELETE')).d.id).toBe(dm.id);
    expect((await server.api('GET', '/api/v1/users/@me/channels', as(ben))).body.map((c: any) => c.id)).not.toContain(dm.id);
    expect((await server.api('GET', '/api/v1/users/@me/channels', as(ann))).body.map((c: any) => c.id)).toContain(dm.id);
    expect((await ready(ben)).private_channels.map((c: any) => c.id)).not.toContain(dm.id);
    // The history stays, and the next message reopens it: CHANNEL_CREATE, then the message.
    await send(server, ann, dm.id, 'knock knock');
    const reopened = await benSocket.event('CHANNEL_CREATE', (d) => d.id === dm.id);
    const message = await benSocket.event('MESSAGE_CREATE', (d) => d.content === 'knock knock');
    expect(benSocket.frames.indexOf(reopened)).toBeLessThan(benSocket.frames.indexOf(message));
    expect((await server.api('GET', '/api/v1/users/@me/channels', as(ben))).body.map((c: any) => c.id)).toContain(dm.id);
    expect((await server.api('GET', `/api/v1/channels/${dm.id}/messages`, as(ben))).body).toHaveLength(3);
    // Opening it again (POST /users/@me/channels) also brings a closed DM back.
    await server.api('DELETE', `/api/v1/channels/${dm.id}`, as(ben));
    const again = await server.api('POST', '/api/v1/users/@me/channels', as(ben, { recipient_id: ann.id }));
    expect(again.body.id).toBe(dm.id);
    expect((await server.api('GET', '/api/v1/users/@me/channels', as(ben))).body.map((c: any) => c.id)).toContain(dm.id);
  });
});

describe('notification settings', () => {
  it('start at inherit, change per guild and per channel, reach the other sessions and READY', async () => {
    const channel = (await server.api('POST', `/api/v1/guilds/${guild.id}/channels`, as(owner, { name: 'noisy' }))).body.id;
    const url = `/api/v1/users/@me/guilds/${guild.id}/settings`;
    expect((await server.api('GET', url, as(cid))).body).toEqual({ guild_id: guild.id, message_notifications: 3, muted: false, channel_overrides: [] });
    const other = await connectAs(server, cid.token);
    sockets.push(other);
    const changed = await server.api(
      'PATCH',
      url,
      as(cid, { message_notifications: 1, channel_overrides: [{ channel_id: channel, muted: true, message_notifications: 2 }] }),
    );
    const expected = {
      guild_id: guild.id,
      message_notifications: 1,
      muted: false,
      channel_overrides: [{ channel_id: channel, message_notifications: 2, muted: true }],
    };
    expect([changed.status, changed.body]).toEqual([200, expected]);
    expect((await other.event('USER_GUILD_SETTINGS_UPDATE')).d).toEqual(expected);
    expect((await ready(cid)).user_guild_settings).toEqual([expected]);
    // Back to inherit removes the override; muting the guild keeps its level.
    const reset = await server.api(
      'PATCH',
      url,
      as(cid, { muted: true, channel_overrides: [{ channel_id: channel, muted: false, message_notifications: 3 }] }),
    );
    expect(reset.body).toEqual({ guild_id: guild.id, message_notifications: 1, muted: true, channel_overrides: [] });
  });

  it('refuse a guild the caller is not in, a channel of another guild, and an unknown level', async () => {
    const [dan] = await people(server, 'dan');
    const elsewhere = await createGuild(server, dan, 'Elsewhere');
    expectError(
      await server.api('PATCH', `/api/v1/users/@me/guilds/${elsewhere.id}/settings`, as(cid, { muted: true })),
      403,
      RESTJSONErrorCodes.MissingAccess,
    );
    await join(server, dan, elsewhere, cid);
    expectError(
      await server.api(
        'PATCH',
        `/api/v1/users/@me/guilds/${guild.id}/settings`,
        as(cid, { channel_overrides: [{ channel_id: elsewhere.generalId, muted: true }] }),
      ),
      404,
      RESTJSONErrorCodes.UnknownChannel,
    );
    expect((await server.api('PATCH', `/api/v1/users/@me/guilds/${guild.id}/settings`, as(cid, { message_notifications: 7 }))).status).toBe(400);
  });
});

// Webhooks in the v1 API: created by owners and members with manage_webhooks (token and url shown once, 201),
// listed without tokens, executed with the token alone (the message in v1's shape, with webhook_id), their
// messages edited and deleted, and WEBHOOKS_UPDATE on the v1 gateway.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'bun:test';
import { connectAs, eventually, type GatewayClient } from '../../support/gateway-client.ts';
import { register, startServer, type TestServer } from '../../support/test-server.ts';

let server: TestServer;
let owner: { id: string; token: string };
let member: { id: string; token: string };
let guildId: string;
let channelId: string;
const sockets: GatewayClient[] = [];

beforeAll(async () => {
  server = await startServer({ rateLimits: false });
  owner = await register(server, 'owner');
  member = await register(server, 'member');
  const guild = await server.api('POST', '/api/v1/guilds', { token: owner.token, body: { name: 'Hooks' } });
  guildId = guild.body.id;
  channelId = guild.body.channels[0].id;
  const invite = await server.api('POST', `/api/v1/channels/${channelId}/invites`, { token: owner.token, body: {} });
  await server.api('POST', `/api/v1/invites/${invite.body.code}`, { token: member.token });
});
afterAll(() => server.stop());
afterEach(() => {
  for (const s of sockets.splice(0)) s.close();
});

const create = (name: string, token = owner.token) => server.api('POST', `/api/v1/channels/${channelId}/webhooks`, { token, body: { name } });

describe('v1 webhooks', () => {
  it('creates one with 201, its token and url shown this once, and lists it without them', async () => {
    const res = await create('Deploys');
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^\d{17,20}$/),
      guild_id: guildId,
      channel_id: channelId,
      name: 'Deploys',
      avatar: null,
      creator_id: owner.id,
      created_at: expect.any(String),
      token: expect.stringMatching(/^[A-Za-z0-9_-]{68}$/),
      url: `${server.url}/api/webhooks/${res.body.id}/${res.body.token}`,
    });
    const listed = await server.api('GET', `/api/v1/channels/${channelId}/webhooks`, { token: owner.token });
    const { token: _t, url: _u, ...withoutSecret } = res.body;
    expect(listed.body).toContainEqual(withoutSecret);
    const all = await server.api('GET', `/api/v1/guilds/${guildId}/webhooks`, { token: owner.token });
    expect(all.body.every((w: Record<string, unknown>) => !('token' in w))).toBe(true);
  });

  it('refuses members without manage_webhooks (403 50013)', async () => {
    const res = await create('Sneaky', member.token);
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 403, code: 50013 });
    expect((await server.api('GET', `/api/v1/channels/${channelId}/webhooks`, { token: member.token })).status).toBe(403);
  });

  it('executes with the token alone and returns the message with webhook_id; edits and deletes it', async () => {
    const w = (await create('Reporter')).body;
    const sent = await server.api('POST', `/api/v1/webhooks/${w.id}/${w.token}`, { body: { content: 'report ready', username: 'Nightly' } });
    expect(sent.status).toBe(200);
    expect(sent.body).toMatchObject({
      channel_id: channelId,
      author: { id: w.id, username: 'Nightly', global_name: null, avatar: null, bot: true },
      webhook_id: w.id,
      content: 'report ready',
    });
    const edited = await server.api('PATCH', `/api/v1/webhooks/${w.id}/${w.token}/messages/${sent.body.id}`, { body: { content: 'report v2' } });
    expect({ status: edited.status, content: edited.body.content }).toEqual({ status: 200, content: 'report v2' });
    const deleted = await server.api('DELETE', `/api/v1/webhooks/${w.id}/${w.token}/messages/${sent.body.id}`);
    expect(deleted.status).toBe(204);
    const wrong = await server.api('POST', `/api/v1/webhooks/${w.id}/${'z'.repeat(68)}`, { body: { content: 'x' } });
    expect({ status: wrong.status, body: wrong.body }).toEqual({ status: 401, body: { code: 50027, message: 'Invalid Webhook Token' } });
  });

  it('renames and deletes with manage_webhooks, telling v1 sessions WEBHOOKS_UPDATE each time', async () => {
    const session = await connectAs(server, owner.token);
    sockets.push(session);
    const w = (await create('Renamable')).body;
    const update = (await session.waitFor((f) => f.t === 'WEBHOOKS_UPDATE')).d;
    expect(update).toEqual({ guild_id: guildId, channel_id: channelId });
    const renamed = await server.api('PATCH', `/api/v1/webhooks/${w.id}`, { token: owner.token, body: { name: 'Renamed' } });
    expect({ status: renamed.status, name: renamed.body.name, token: renamed.body.token }).toEqual({ status: 200, name: 'Renamed', token: undefined });
    expect((await server.api('DELETE', `/api/v1/webhooks/${w.id}`, { token: owner.token })).status).toBe(204);
    expect((await server.api('GET', `/api/v1/webhooks/${w.id}`, { token: owner.token })).body.code).toBe(10015);
    // Create, rename, delete: three updates.
    await eventually(() => session.frames.filter((f) => f.t === 'WEBHOOKS_UPDATE').length === 3, 3000, 'three WEBHOOKS_UPDATE');
  });
});

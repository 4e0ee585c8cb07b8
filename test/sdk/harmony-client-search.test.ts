// Message search on the v1 API (what the web app calls) and through the SDK's searchMessages: exact shape, the
// filters, paging, a hidden channel left out, and v1's 400 for values out of range.
import { afterAll, describe, expect, it } from 'bun:test';
import { HarmonyClient } from '../../src/sdk/harmony-client.ts';
import { register, startServer } from '../support/test-server.ts';

const server = await startServer({ rateLimits: false });
const owner = await register(server, 'owner');
const kim = await register(server, 'kim');
const guild = (await server.api('POST', '/api/v1/guilds', { token: owner.token, body: { name: 'SDK Search' } })).body;
const channelId: string = guild.channels[0].id;
const invite = (await server.api('POST', `/api/v1/channels/${channelId}/invites`, { token: owner.token, body: {} })).body;
await server.api('POST', `/api/v1/invites/${invite.code}`, { token: kim.token });
const created = (await server.api('POST', '/api/v1/admin/bots', { token: owner.token, body: { username: 'searchbot' } })).body;
await server.api('PUT', `/api/v1/guilds/${guild.id}/bots/${created.bot.id}`, {
  token: owner.token,
  body: { permissions: ['read_messages', 'read_message_history'] },
});
const bot = new HarmonyClient(created.token, { url: `${server.url.replace(/^http/, 'ws')}/gateway` });
afterAll(async () => {
  await bot.disconnect();
  await server.stop();
});

async function say(token: string, channel: string, content: string): Promise<any> {
  const res = await server.api('POST', `/api/v1/channels/${channel}/messages`, { token, body: { content } });
  if (res.status !== 200) throw new Error(`post: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

const first = await say(owner.token, channelId, 'release notes for version two');
const second = await say(kim.token, channelId, 'the release is out: https://example.com/notes');
const third = await say(kim.token, channelId, 'Привет, мир: релиз готов');
const hidden = (
  await server.api('POST', `/api/v1/guilds/${guild.id}/channels`, {
    token: owner.token,
    body: { name: 'staff', permission_overwrites: [{ id: guild.id, type: 0, deny: ['read_messages'] }] },
  })
).body;
const secret = await say(owner.token, hidden.id, 'release plans, staff only');

describe('GET /api/v1/guilds/:guildId/messages/search', () => {
  it('answers { total, messages, threads } with each message in the v1 shape of the channel history', async () => {
    const res = await server.api('GET', `/api/v1/guilds/${guild.id}/messages/search?content=release`, { token: kim.token });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['messages', 'threads', 'total']);
    expect(res.body.total).toBe(2);
    const history = (await server.api('GET', `/api/v1/channels/${channelId}/messages?limit=10`, { token: kim.token })).body;
    expect(res.body.messages).toEqual([history.find((m: any) => m.id === second.id), history.find((m: any) => m.id === first.id)]);
    expect(res.body.threads).toEqual([]);
    // The owner sees the staff channel too.
    const mine = await server.api('GET', `/api/v1/guilds/${guild.id}/messages/search?content=release`, { token: owner.token });
    expect(mine.body.messages.map((m: any) => m.id)).toEqual([secret.id, second.id, first.id]);
  });

  it('refuses values out of range with 400 and a hidden channel named in channel_id with 403', async () => {
    for (const q of ['limit=26', 'offset=9976', 'has=gif', 'order=sideways']) {
      const res = await server.api('GET', `/api/v1/guilds/${guild.id}/messages/search?${q}`, { token: kim.token });
      expect([q, res.status, res.body.code]).toEqual([q, 400, 50035]);
    }
    const named = await server.api('GET', `/api/v1/guilds/${guild.id}/messages/search?channel_id=${hidden.id}`, { token: kim.token });
    expect([named.status, named.body.code]).toEqual([403, 50001]);
  });
});

describe('HarmonyClient.searchMessages', () => {
  it('searches with filters, in any script, and pages', async () => {
    const found = await bot.searchMessages(guild.id, { content: 'release' });
    expect(found.total).toBe(2);
    expect(found.messages.map((m) => m.id)).toEqual([second.id, first.id]);
    expect((await bot.searchMessages(guild.id, { content: 'релиз' })).messages.map((m) => m.id)).toEqual([third.id]);
    expect((await bot.searchMessages(guild.id, { authorIds: [kim.id], has: ['link'] })).messages.map((m) => m.id)).toEqual([second.id]);
    expect((await bot.searchMessages(guild.id, { authorIds: [kim.id], has: ['-link'] })).messages.map((m) => m.id)).toEqual([third.id]);
    expect((await bot.searchMessages(guild.id, { authorIds: [owner.id, kim.id], order: 'oldest', limit: 1, offset: 1 })).messages.map((m) => m.id)).toEqual([
      second.id,
    ]);
    expect((await bot.searchMessages(guild.id, { before: third.id, after: first.id })).messages.map((m) => m.id)).toEqual([second.id]);
    expect((await bot.searchMessages(guild.id, { pinned: true })).total).toBe(0);
    expect((await bot.searchMessages(guild.id, { channelIds: [channelId] })).total).toBe(3);
  });
});

describe('GET /api/v1/channels/:channelId/messages/search', () => {
  it('searches one DM or group DM for its recipients only, in the same shape as the guild search', async () => {
    const lee = await register(server, 'lee');
    await server.api('POST', `/api/v1/invites/${invite.code}`, { token: lee.token });
    const dm = (await server.api('POST', '/api/v1/users/@me/channels', { token: kim.token, body: { recipient_id: owner.id } })).body;
    const said = await say(kim.token, dm.id, 'the release party is at eight');
    await say(owner.token, dm.id, 'see you there');
    const res = await server.api('GET', `/api/v1/channels/${dm.id}/messages/search?content=release`, { token: owner.token });
    expect(res.status).toBe(200);
    const history = (await server.api('GET', `/api/v1/channels/${dm.id}/messages?limit=10`, { token: owner.token })).body;
    expect(res.body).toEqual({ total: 1, messages: [history.find((m: any) => m.id === said.id)], threads: [] });
    // The guild search never reaches into DMs, and someone outside the DM cannot search it.
    expect((await server.api('GET', `/api/v1/guilds/${guild.id}/messages/search?content=party`, { token: owner.token })).body.total).toBe(0);
    const outsider = await server.api('GET', `/api/v1/channels/${dm.id}/messages/search?content=release`, { token: lee.token });
    expect([outsider.status, outsider.body.code]).toEqual([403, 50001]);

    const group = (await server.api('POST', '/api/v1/users/@me/channels', { token: owner.token, body: { recipients: [kim.id, lee.id], name: 'Planning' } }))
      .body;
    const planned = await say(lee.token, group.id, 'release checklist drafted');
    const inGroup = await server.api('GET', `/api/v1/channels/${group.id}/messages/search?content=checklist&author_id=${lee.id}`, { token: kim.token });
    expect([inGroup.status, inGroup.body.total, inGroup.body.messages.map((m: any) => m.id)]).toEqual([200, 1, [planned.id]]);
    // The SDK's searchChannelMessages asks the same.
    const client = new HarmonyClient(kim.token, { url: `${server.url.replace(/^http/, 'ws')}/gateway`, authScheme: 'Bearer' });
    const viaSdk = await client.searchChannelMessages(group.id, { content: 'checklist', authorIds: [lee.id] });
    expect(viaSdk).toEqual(inGroup.body);
  });

  it('searches a guild channel with the guild search filters and refuses values out of range', async () => {
    const res = await server.api('GET', `/api/v1/channels/${channelId}/messages/search?author_id=${kim.id}&has=link`, { token: owner.token });
    expect([res.status, res.body.messages.map((m: any) => m.id)]).toEqual([200, [second.id]]);
    const hiddenRes = await server.api('GET', `/api/v1/channels/${hidden.id}/messages/search?content=release`, { token: kim.token });
    expect(hiddenRes.status).toBe(403);
    for (const q of ['limit=26', 'has=gif']) {
      const bad = await server.api('GET', `/api/v1/channels/${channelId}/messages/search?${q}`, { token: kim.token });
      expect([q, bad.status, bad.body.code]).toEqual([q, 400, 50035]);
    }
  });
});

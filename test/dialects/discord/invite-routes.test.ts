// /invites/:code through the discord dialect.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { Client } from 'discord.js';
import { startServer, type TestServer } from '../../support/test-server.ts';
import { type Bot, botIn, createBot, createGuild, expectDiscordError, type Guild, type Person, people, restFor } from './fixtures.ts';

let server: TestServer;
let admin: Person;
let guild: Guild;
let manager: Bot;
let bot: Bot;
let outsider: Bot;
type Json = Record<string, any>;

beforeAll(async () => {
  server = await startServer({ rateLimits: false });
  [admin] = (await people(server, 'admin')) as [Person];
  guild = await createGuild(server, admin);
  manager = await botIn(server, admin, guild, 'invitemgr', ['read_messages', 'create_instant_invite', 'manage_channels']);
  bot = await botIn(server, admin, guild, 'invitebot', ['read_messages']);
  outsider = await createBot(server, admin, 'outsiderbot');
});

const METADATA = ['uses', 'max_uses', 'max_age', 'temporary', 'created_at'];

/** A channel only the admin (owner) can see unless overwrites say otherwise, with an invite to it. */
async function hiddenChannelInvite(name: string, deny: { id: string; type: 0 | 1 }[]): Promise<{ channelId: string; code: string }> {
  const channel = await server.api('POST', `/api/v1/guilds/${guild.id}/channels`, { token: admin.token, body: { name } });
  for (const target of deny) {
    const res = await server.api('PUT', `/api/v1/channels/${channel.body.id}/permissions/${target.id}`, {
      token: admin.token,
      body: { type: target.type, deny: ['view_channels'] },
    });
    expect(res.status).toBe(204);
  }
  const invite = await server.api('POST', `/api/v1/channels/${channel.body.id}/invites`, { token: admin.token, body: {} });
  return { channelId: channel.body.id, code: invite.body.code };
}
afterAll(() => server.stop());

describe('GET /invites/:code', () => {
  it('answers what the invite leads to, without usage metadata, and counts with with_counts', async () => {
    const created = (await manager.rest.post(`/channels/${guild.generalId}/invites`, { body: { max_age: 3600 } })) as Json;
    const { uses: _u, max_uses: _m, max_age: _a, temporary: _t, created_at: _c, ...lookup } = created;
    expect(await bot.rest.get(`/invites/${created.code}`)).toEqual(lookup);
    const counted = (await bot.rest.get(`/invites/${created.code}`, { query: new URLSearchParams({ with_counts: 'true' }) })) as Json;
    expect([counted.approximate_member_count, counted.approximate_presence_count]).toEqual([3, 0]);
  });

  it('shows a manager the same preview: the metadata is only on GET /channels/{id}/invites', async () => {
    const created = (await manager.rest.post(`/channels/${guild.generalId}/invites`, { body: { max_uses: 3 } })) as Json;
    const lookup = (await manager.rest.get(`/invites/${created.code}`)) as Json;
    for (const key of METADATA) expect(lookup).not.toHaveProperty(key);
    const listed = ((await manager.rest.get(`/channels/${guild.generalId}/invites`)) as Json[]).find((i) => i.code === created.code);
    expect(listed).toMatchObject({ uses: 0, max_uses: 3, max_age: 86400, temporary: false, created_at: created.created_at });
  });

  it('names the channel to a bot outside the guild when @everyone can see it', async () => {
    const created = (await manager.rest.post(`/channels/${guild.generalId}/invites`, { body: {} })) as Json;
    const lookup = (await outsider.rest.get(`/invites/${created.code}`)) as Json;
    expect(lookup.channel).toEqual({ id: guild.generalId, name: 'general', type: 0 });
    expect(lookup.guild.id).toBe(guild.id);
  });

  it('leaves the name out (null) for a member who cannot see the channel, and for outsiders when @everyone cannot', async () => {
    const { channelId, code } = await hiddenChannelInvite('mods-only', [{ id: bot.id, type: 1 }]);
    expect(((await bot.rest.get(`/invites/${code}`)) as Json).channel).toEqual({ id: channelId, name: null, type: 0 });
    expect(((await outsider.rest.get(`/invites/${code}`)) as Json).channel).toEqual({ id: channelId, name: 'mods-only', type: 0 });

    const secret = await hiddenChannelInvite('war-room', [{ id: guild.id, type: 0 }]);
    const lookup = (await outsider.rest.get(`/invites/${secret.code}`)) as Json;
    expect(lookup.channel).toEqual({ id: secret.channelId, name: null, type: 0 });
    expect(JSON.stringify(lookup)).not.toContain('war-room');
    expect(((await manager.rest.get(`/invites/${secret.code}`)) as Json).channel.name).toBeNull();
  });

  it('still builds a discord.js Invite from a preview without a channel name (client.fetchInvite)', async () => {
    const { channelId, code } = await hiddenChannelInvite('hidden-lounge', [{ id: guild.id, type: 0 }]);
    const client = new Client({ intents: [], rest: { api: `${server.url}/api` } });
    client.rest.setToken(outsider.token);
    try {
      const invite = await client.fetchInvite(code);
      expect([invite.code, invite.guild?.id, invite.channelId, invite.memberCount]).toEqual([code, guild.id, channelId, 3]);
      expect(invite.channel?.name ?? null).toBeNull();
      expect(invite.uses).toBeNull();
    } finally {
      await client.destroy();
    }
  });

  it('answers 401 to a request without a token', async () => {
    const created = (await manager.rest.post(`/channels/${guild.generalId}/invites`, { body: {} })) as Json;
    await expectDiscordError(restFor(server, null).get(`/invites/${created.code}`, { auth: false }), 401, 0);
  });

  it('answers 10006 Unknown Invite for a code that does not exist', async () => {
    await expectDiscordError(bot.rest.get('/invites/doesnotexist'), 404, 10006, 'Unknown Invite');
  });
});

describe('DELETE /invites/:code', () => {
  it('revokes an invite (invite.delete) and answers it; others need MANAGE_CHANNELS', async () => {
    const created = (await manager.rest.post(`/channels/${guild.generalId}/invites`, { body: {} })) as Json;
    await expectDiscordError(bot.rest.delete(`/invites/${created.code}`), 403, 50013);
    const deleted = (await manager.rest.delete(`/invites/${created.code}`)) as Json;
    expect(deleted.code).toBe(created.code);
    await expectDiscordError(bot.rest.get(`/invites/${created.code}`), 404, 10006);
  });
});

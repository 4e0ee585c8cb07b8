// /invites/:code through the discord dialect.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { startServer, type TestServer } from '../../support/test-server.ts';
import { type Bot, botIn, createGuild, expectDiscordError, type Guild, type Person, people } from './fixtures.ts';

let server: TestServer;
let admin: Person;
let guild: Guild;
let manager: Bot;
let bot: Bot;
type Json = Record<string, any>;

beforeAll(async () => {
  server = await startServer({ rateLimits: false });
  [admin] = (await people(server, 'admin')) as [Person];
  guild = await createGuild(server, admin);
  manager = await botIn(server, admin, guild, 'invitemgr', ['read_messages', 'create_instant_invite', 'manage_channels']);
  bot = await botIn(server, admin, guild, 'invitebot', ['read_messages']);
});
afterAll(() => server.stop());

describe('GET /invites/:code', () => {
  it('answers what the invite leads to, without usage metadata, and counts with with_counts', async () => {
    const created = (await manager.rest.post(`/channels/${guild.generalId}/invites`, { body: { max_age: 3600 } })) as Json;
    const { uses: _u, max_uses: _m, max_age: _a, temporary: _t, created_at: _c, ...lookup } = created;
    expect(await bot.rest.get(`/invites/${created.code}`)).toEqual(lookup);
    const counted = (await bot.rest.get(`/invites/${created.code}`, { query: new URLSearchParams({ with_counts: 'true' }) })) as Json;
    expect([counted.approximate_member_count, counted.approximate_presence_count]).toEqual([3, 0]);
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

// The SDK against a real server: a bot with view_audit_log reads the guild's audit log with getAuditLog (filtered by
// action, user and paged with before), and hears auditLogEntryCreate as the owner kicks someone with a reason.
import { afterAll, describe, expect, it } from 'bun:test';
import type { AuditLogEntry } from '../../src/sdk/events.ts';
import { HarmonyClient } from '../../src/sdk/harmony-client.ts';
import { register, startServer } from '../support/test-server.ts';

const server = await startServer({ rateLimits: false });
const owner = await register(server, 'owner');
const kim = await register(server, 'kim');
const guild = (await server.api('POST', '/api/v1/guilds', { token: owner.token, body: { name: 'SDK Audit' } })).body;
const channelId: string = guild.channels[0].id;
const invite = (await server.api('POST', `/api/v1/channels/${channelId}/invites`, { token: owner.token, body: {} })).body;
await server.api('POST', `/api/v1/invites/${invite.code}`, { token: kim.token });
const created = (await server.api('POST', '/api/v1/admin/bots', { token: owner.token, body: { username: 'auditbot' } })).body;
await server.api('PUT', `/api/v1/guilds/${guild.id}/bots/${created.bot.id}`, {
  token: owner.token,
  body: { permissions: ['read_messages', 'view_audit_log'] },
});
const bot = new HarmonyClient(created.token, { url: `${server.url.replace(/^http/, 'ws')}/gateway` });
afterAll(async () => {
  await bot.disconnect();
  await server.stop();
});

describe('HarmonyClient audit log', () => {
  it('hears an entry as it is made and reads the log with filters and paging', async () => {
    await bot.connect();
    const heard = new Promise<AuditLogEntry>((resolve) => bot.once('auditLogEntryCreate', resolve));
    const kick = await server.api('DELETE', `/api/v1/guilds/${guild.id}/members/${kim.id}`, {
      token: owner.token,
      headers: { 'X-Audit-Log-Reason': encodeURIComponent('rude, twice') },
    });
    expect(kick.status).toBe(204);
    const live = await heard;
    expect(live).toMatchObject({ guild_id: guild.id, user_id: owner.id, target_id: kim.id, action: 'member.kick', reason: 'rude, twice', changes: [] });

    const kicks = await bot.getAuditLog(guild.id, { action: 'member.kick' });
    expect(kicks.entries).toEqual([live]);
    expect(kicks.users.map((u) => u.username).sort()).toEqual(['kim', 'owner']);

    const all = await bot.getAuditLog(guild.id);
    expect(all.entries[0]).toEqual(live);
    expect(all.entries.map((e) => e.action)).toContain('bot.add');
    const older = await bot.getAuditLog(guild.id, { before: live.id, limit: 1 });
    expect(older.entries).toEqual(all.entries.slice(1, 2));
    expect((await bot.getAuditLog(guild.id, { userId: kim.id })).entries).toEqual([]);

    // Kicked, kim may not read it (the API answers the SDK's HarmonyApiError with Discord's code).
    const refused = await server.api('GET', `/api/v1/guilds/${guild.id}/audit-log`, { token: kim.token });
    expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 403, code: 50001 });
  });
});

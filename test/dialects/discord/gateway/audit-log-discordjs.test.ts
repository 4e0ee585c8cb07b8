// The guild audit log as an unmodified discord.js 14 reads it: a moderator bot kicks, bans, makes channels and roles
// (with X-Audit-Log-Reason, as discord.js sends `reason`), then finds each in guild.fetchAuditLogs with its executor,
// target, changes and reason, and hears guildAuditLogEntryCreate on the GUILD_MODERATION intent. A session without
// VIEW_AUDIT_LOG hears nothing; the REST route answers 50013 to it; filters and paging work as Discord's.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'bun:test';
import { AuditLogEvent, type Client, type Guild, type GuildAuditLogsEntry, GatewayIntentBits as Intent, type TextChannel } from 'discord.js';
import { register } from '../../../support/test-server.ts';
import {
  type Account,
  buildWorld,
  closeSockets,
  connectV10,
  createBot,
  destroyClients,
  discordClient,
  join,
  loginReady,
  nextEvent,
  type World,
} from './fixtures.ts';

let world: World;
let mod: Account;

const MOD_PERMISSIONS = [
  'read_messages',
  'send_messages',
  'read_message_history',
  'view_audit_log',
  'kick_members',
  'ban_members',
  'manage_roles',
  'manage_channels',
  'manage_messages',
  'manage_nicknames',
];

beforeAll(async () => {
  world = await buildWorld();
  mod = await createBot(world, 'modbot', undefined, MOD_PERMISSIONS);
}, 30_000);
afterAll(() => world.server.stop());
afterEach(async () => {
  await destroyClients();
  closeSockets();
});

async function person(username: string): Promise<Account> {
  const r = await register(world.server, username);
  const account = { id: r.id, token: r.token, username };
  await join(world, account);
  return account;
}

async function ready(): Promise<{ client: Client<true>; guild: Guild }> {
  const client = await loginReady(discordClient(world, [Intent.Guilds, Intent.GuildModeration, Intent.GuildMembers, Intent.GuildMessages]), mod.token);
  return { client, guild: client.guilds.cache.get(world.guildId) as Guild };
}

const raw = (token: string, path: string, scheme: 'Bot' | 'Bearer' = 'Bearer') => world.server.api('GET', `/api/v10${path}`, { token, scheme });

describe('discord.js guild.fetchAuditLogs', () => {
  it('finds a kick with its executor, target and reason, and hears guildAuditLogEntryCreate', async () => {
    const carol = await person('carol');
    const { client, guild } = await ready();
    const heard = nextEvent(client, 'guildAuditLogEntryCreate', (entry: GuildAuditLogsEntry) => entry.action === AuditLogEvent.MemberKick);
    await guild.members.kick(carol.id, 'spamming the #general channel');
    const [live, liveGuild] = (await heard) as unknown as [GuildAuditLogsEntry, Guild];
    expect({ executor: live.executorId, target: live.targetId, reason: live.reason, guild: liveGuild.id }).toEqual({
      executor: mod.id,
      target: carol.id,
      reason: 'spamming the #general channel',
      guild: world.guildId,
    });

    const logs = await guild.fetchAuditLogs({ type: AuditLogEvent.MemberKick });
    expect(logs.entries.size).toBe(1);
    const entry = logs.entries.first() as GuildAuditLogsEntry<AuditLogEvent.MemberKick>;
    expect({
      id: entry.id,
      action: entry.action,
      actionType: entry.actionType,
      targetType: entry.targetType,
      executor: entry.executor?.username,
      target: (entry.target as { username?: string } | null)?.username,
      reason: entry.reason,
      changes: entry.changes,
    }).toEqual({
      id: live.id,
      action: AuditLogEvent.MemberKick,
      actionType: 'Delete',
      targetType: 'User',
      executor: 'modbot',
      target: 'carol',
      reason: 'spamming the #general channel',
      changes: [],
    });
    expect(Math.abs(entry.createdTimestamp - Date.now())).toBeLessThan(10_000);
  });

  it('records bans, channels and roles with their changes, and filters by user and type', async () => {
    const dave = await person('dave');
    const { guild } = await ready();
    await guild.bans.create(dave.id, { reason: 'rude' });
    const channel = await guild.channels.create({ name: 'mod-room', topic: 'for mods', reason: 'a place to talk' });
    const role = await guild.roles.create({ name: 'helpers', colors: { primaryColor: 0x00ff00 }, reason: 'new role' });
    await role.edit({ name: 'helpers+', hoist: true });
    await guild.bans.remove(dave.id, 'forgiven');

    const bans = await guild.fetchAuditLogs({ type: AuditLogEvent.MemberBanAdd });
    expect(bans.entries.map((e) => [e.executorId, e.targetId, e.reason])).toEqual([[mod.id, dave.id, 'rude']]);
    const unbans = await guild.fetchAuditLogs({ type: AuditLogEvent.MemberBanRemove });
    expect(unbans.entries.map((e) => [e.targetId, e.reason])).toEqual([[dave.id, 'forgiven']]);

    const created = (await guild.fetchAuditLogs({ type: AuditLogEvent.ChannelCreate })).entries.first();
    expect({ target: created?.targetId, reason: created?.reason, changes: created?.changes }).toEqual({
      target: channel.id,
      reason: 'a place to talk',
      changes: [
        { key: 'name', old: undefined, new: 'mod-room' },
        { key: 'type', old: undefined, new: 0 },
        { key: 'topic', old: undefined, new: 'for mods' },
        { key: 'position', old: undefined, new: channel.position },
      ],
    });

    const updated = (await guild.fetchAuditLogs({ type: AuditLogEvent.RoleUpdate })).entries.first();
    expect({ target: updated?.targetId, reason: updated?.reason, changes: updated?.changes }).toEqual({
      target: role.id,
      reason: null,
      changes: [
        { key: 'name', old: 'helpers', new: 'helpers+' },
        { key: 'hoist', old: false, new: true },
      ],
    });

    // By the owner: nothing, the bot did all of it. By the bot: newest first.
    expect((await guild.fetchAuditLogs({ user: world.alice.id, type: AuditLogEvent.RoleCreate })).entries.size).toBe(0);
    const mine = await guild.fetchAuditLogs({ user: mod.id, limit: 3 });
    expect(mine.entries.map((e) => e.action)).toEqual([AuditLogEvent.MemberBanRemove, AuditLogEvent.RoleUpdate, AuditLogEvent.RoleCreate]);
  });

  it("records a moderator deleting someone else's message, not an author deleting their own, and bulk deletes and pins", async () => {
    const { guild } = await ready();
    const channel = guild.channels.cache.get(world.generalId) as TextChannel;
    const own = await world.call(world.bob.token, 'POST', `/channels/${world.generalId}/messages`, { content: 'mine' });
    await world.call(world.bob.token, 'DELETE', `/messages/${own.id}`);
    const theirs = await world.call(world.bob.token, 'POST', `/channels/${world.generalId}/messages`, { content: 'spam' });
    await channel.messages.delete(theirs.id);
    const deletes = await guild.fetchAuditLogs({ type: AuditLogEvent.MessageDelete });
    expect(deletes.entries.map((e) => ({ executor: e.executorId, target: e.targetId, extra: e.extra }))).toEqual([
      { executor: mod.id, target: world.bob.id, extra: { channel: channel, count: 1 } as never },
    ]);

    const pinned = await world.call(world.bob.token, 'POST', `/channels/${world.generalId}/messages`, { content: 'rules' });
    await channel.messages.pin(pinned.id);
    const pins = await guild.fetchAuditLogs({ type: AuditLogEvent.MessagePin });
    expect(pins.entries.map((e) => ({ target: e.targetId, extra: e.extra }))).toEqual([
      { target: world.bob.id, extra: { channel, messageId: pinned.id } as never },
    ]);

    const a = await world.call(world.bob.token, 'POST', `/channels/${world.generalId}/messages`, { content: 'a' });
    const b = await world.call(world.bob.token, 'POST', `/channels/${world.generalId}/messages`, { content: 'b' });
    await channel.bulkDelete([a.id, b.id]);
    const bulk = await guild.fetchAuditLogs({ type: AuditLogEvent.MessageBulkDelete });
    expect(bulk.entries.map((e) => ({ target: e.targetId, extra: e.extra }))).toEqual([{ target: channel.id, extra: { count: 2 } as never }]);
  });
});

describe('GET /guilds/{guild.id}/audit-logs (raw)', () => {
  it("answers Discord's shape, and 50013 without VIEW_AUDIT_LOG, 50001 to a non-member", async () => {
    const res = await raw(world.alice.token, `/guilds/${world.guildId}/audit-logs?limit=1`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(Object.keys(res.body).sort()).toEqual([
      'application_commands',
      'audit_log_entries',
      'auto_moderation_rules',
      'guild_scheduled_events',
      'integrations',
      'threads',
      'users',
      'webhooks',
    ]);
    expect(res.body.audit_log_entries).toHaveLength(1);
    const [entry] = res.body.audit_log_entries;
    expect(Object.keys(entry).every((k) => ['id', 'user_id', 'target_id', 'action_type', 'changes', 'options', 'reason'].includes(k))).toBe(true);

    const bob = await raw(world.bob.token, `/guilds/${world.guildId}/audit-logs`);
    expect({ status: bob.status, body: bob.body }).toEqual({ status: 403, body: { code: 50013, message: 'Missing Permissions' } });
    const stranger = await register(world.server, 'stranger');
    const outside = await raw(stranger.token, `/guilds/${world.guildId}/audit-logs`);
    expect({ status: outside.status, code: outside.body.code }).toEqual({ status: 403, code: 50001 });
    const anonymous = await world.server.api('GET', `/api/v10/guilds/${world.guildId}/audit-logs`);
    expect(anonymous.status).toBe(401);
  });

  it('validates limit and action_type, and pages with before and after', async () => {
    expect((await raw(world.alice.token, `/guilds/${world.guildId}/audit-logs?limit=0`)).body.code).toBe(50035);
    expect((await raw(world.alice.token, `/guilds/${world.guildId}/audit-logs?limit=101`)).body.code).toBe(50035);
    expect((await raw(world.alice.token, `/guilds/${world.guildId}/audit-logs?action_type=9999`)).body.code).toBe(50035);
    const all = (await raw(world.alice.token, `/guilds/${world.guildId}/audit-logs?limit=100`)).body.audit_log_entries as { id: string }[];
    expect(all.length).toBeGreaterThan(5);
    const ids = all.map((e) => e.id);
    expect([...ids].sort((x, y) => (BigInt(y) > BigInt(x) ? 1 : -1))).toEqual(ids);
    const before = (await raw(world.alice.token, `/guilds/${world.guildId}/audit-logs?before=${ids[1]}&limit=2`)).body.audit_log_entries;
    expect(before.map((e: { id: string }) => e.id)).toEqual(ids.slice(2, 4));
    // after: the oldest entries after it, oldest first (discord.py's oldest_first pages on from the last one).
    const oldest = ids.at(-1) as string;
    const after = (await raw(world.alice.token, `/guilds/${world.guildId}/audit-logs?after=${oldest}&limit=2`)).body.audit_log_entries;
    expect(after.map((e: { id: string }) => e.id)).toEqual([ids.at(-2), ids.at(-3)]);
  });

  it("keeps each request's reason to that request: a webhook changed with its token and a change without a reason get none", async () => {
    const owner = { token: world.alice.token, scheme: 'Bearer' as const };
    const hook = (await world.server.api('POST', `/api/v10/channels/${world.generalId}/webhooks`, { ...owner, body: { name: 'reasoned' } })).body;
    for (let i = 0; i < 3; i++) {
      const headers = { 'X-Audit-Log-Reason': `round ${i}` };
      await world.server.api('PATCH', `/api/v10/guilds/${world.guildId}`, { ...owner, body: { description: `d${i}` }, headers });
      await world.server.api('PATCH', `/api/v10/webhooks/${hook.id}/${hook.token}`, { body: { name: `renamed ${i}` } });
      await world.server.api('PATCH', `/api/v10/guilds/${world.guildId}`, { ...owner, body: { name: `Round ${i}` } });
    }
    const log = (await raw(world.alice.token, `/guilds/${world.guildId}/audit-logs?limit=9`)).body.audit_log_entries;
    expect(log.map((e: { action_type: number; user_id: string | null; reason?: string }) => [e.action_type, e.user_id, e.reason ?? null])).toEqual(
      [2, 1, 0].flatMap((i) => [
        [AuditLogEvent.GuildUpdate, world.alice.id, null],
        [AuditLogEvent.WebhookUpdate, null, null],
        [AuditLogEvent.GuildUpdate, world.alice.id, `round ${i}`],
      ]),
    );
  });

  it('sends GUILD_AUDIT_LOG_ENTRY_CREATE only to sessions with VIEW_AUDIT_LOG and GUILD_MODERATION', async () => {
    const withIntent = await connectV10(world.server, mod.token, Intent.Guilds | Intent.GuildModeration);
    const without = await connectV10(world.server, mod.token, Intent.Guilds);
    const bob = await connectV10(world.server, world.bob.token, Intent.Guilds | Intent.GuildModeration);
    const owner = await connectV10(world.server, world.alice.token, Intent.Guilds | Intent.GuildModeration);
    await world.call(world.alice.token, 'PATCH', `/guilds/${world.guildId}`, { name: 'Renamed Guild' });
    const frame = await withIntent.dispatch('GUILD_AUDIT_LOG_ENTRY_CREATE');
    expect(frame.d).toMatchObject({
      guild_id: world.guildId,
      user_id: world.alice.id,
      target_id: world.guildId,
      action_type: AuditLogEvent.GuildUpdate,
      changes: [{ key: 'name', new_value: 'Renamed Guild' }],
    });
    await owner.dispatch('GUILD_AUDIT_LOG_ENTRY_CREATE');
    await bob.dispatch('GUILD_UPDATE');
    await without.dispatch('GUILD_UPDATE');
    expect(bob.dispatches('GUILD_AUDIT_LOG_ENTRY_CREATE')).toEqual([]);
    expect(without.dispatches('GUILD_AUDIT_LOG_ENTRY_CREATE')).toEqual([]);
  });
});

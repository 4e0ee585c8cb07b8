// GET /api/v1/guilds/:id/audit-log: the v1 shape of each entry, the reason a change was sent with, that an entry is
// written only when its change commits, filters, and the 90 days Harmony keeps entries for.
import { describe, expect, it } from 'bun:test';
import { addBot, as, createBot, createGuild, ISO_TIME, join, people, SNOWFLAKE, serverForFile } from './fixtures.ts';

let now = Date.UTC(2026, 0, 1);
const clock = { now: () => now };
const server = await serverForFile(clock);
const DAY = 24 * 60 * 60 * 1000;
/** The first person is the instance admin, who makes bots. */
const [admin] = await people(server, 'admin');

describe('GET /api/v1/guilds/:guildId/audit-log', () => {
  it('records a role change with the actor, the changes and the reason, in the v1 shape', async () => {
    const [owner] = await people(server, 'owner');
    const guild = await createGuild(server, owner, 'Audited');
    const role = await server.api('POST', `/api/v1/guilds/${guild.id}/roles`, as(owner, { name: 'mods', permissions: ['kick_members'] }));
    await server.api('PATCH', `/api/v1/guilds/${guild.id}/roles/${role.body.id}`, {
      ...as(owner, { name: 'moderators' }),
      headers: { 'X-Audit-Log-Reason': encodeURIComponent('clearer name ✓') },
    });
    const log = await server.api('GET', `/api/v1/guilds/${guild.id}/audit-log?action=role.update`, as(owner));
    expect(log.status).toBe(200);
    expect(log.body).toEqual({
      entries: [
        {
          id: expect.stringMatching(SNOWFLAKE),
          guild_id: guild.id,
          user_id: owner.id,
          target_id: role.body.id,
          action: 'role.update',
          changes: [{ key: 'name', old_value: 'mods', new_value: 'moderators' }],
          options: null,
          reason: 'clearer name ✓',
          created_at: expect.stringMatching(ISO_TIME),
        },
      ],
      users: [{ id: owner.id, username: 'owner', global_name: null, avatar: null, bot: false }],
    });
    // A change refused (a name too long) writes nothing.
    const refused = await server.api('PATCH', `/api/v1/guilds/${guild.id}/roles/${role.body.id}`, as(owner, { name: 'x'.repeat(101) }));
    expect(refused.status).toBe(400);
    expect((await server.api('GET', `/api/v1/guilds/${guild.id}/audit-log?action=role.update`, as(owner))).body.entries).toHaveLength(1);
    // Unknown action names and limits out of range are 400s.
    expect((await server.api('GET', `/api/v1/guilds/${guild.id}/audit-log?action=nothing`, as(owner))).status).toBe(400);
    expect((await server.api('GET', `/api/v1/guilds/${guild.id}/audit-log?limit=0`, as(owner))).status).toBe(400);
    // A reason belongs to its own request: the next change, sent without one, records none.
    await server.api('PATCH', `/api/v1/guilds/${guild.id}/roles/${role.body.id}`, as(owner, { name: 'moderators too' }));
    const later = await server.api('GET', `/api/v1/guilds/${guild.id}/audit-log?action=role.update`, as(owner));
    expect(later.body.entries.map((e: any) => [e.changes[0].new_value, e.reason])).toEqual([
      ['moderators too', null],
      ['moderators', 'clearer name ✓'],
    ]);
  });

  it('records a nickname changed by someone else but not your own, and keeps entries 90 days', async () => {
    const [owner, pat] = await people(server, 'owner2', 'pat');
    const guild = await createGuild(server, owner, 'Kept');
    await join(server, owner, guild, pat);
    await server.api('PATCH', `/api/v1/guilds/${guild.id}/members/${pat.id}`, as(pat, { nick: 'mine' }));
    await server.api('PATCH', `/api/v1/guilds/${guild.id}/members/${pat.id}`, as(owner, { nick: 'given' }));
    const nicks = await server.api('GET', `/api/v1/guilds/${guild.id}/audit-log?action=member.update`, as(owner));
    expect(nicks.body.entries.map((e: any) => [e.user_id, e.target_id, e.changes])).toEqual([
      [owner.id, pat.id, [{ key: 'nick', old_value: 'mine', new_value: 'given' }]],
    ]);

    // A bot does the later change and reads the log: a person's session would have expired by then.
    const bot = await createBot(server, admin, 'keeper');
    await addBot(server, owner, guild, bot, ['manage_guild', 'view_audit_log']);
    now += 91 * DAY;
    await server.api('PATCH', `/api/v1/guilds/${guild.id}`, as(bot, { description: 'later' }));
    const kept = await server.api('GET', `/api/v1/guilds/${guild.id}/audit-log`, as(bot));
    expect(kept.body.entries.map((e: any) => e.action)).toEqual(['guild.update']);
  });
});

// The browser keeps its own copy of the permission table (the server's pulls ~90 KB of
// discord-api-types into the bundle). These tests fail the moment the two copies disagree.
import { describe, expect, it } from 'bun:test';
import * as server from '../../src/domain/permissions.ts';
import * as web from '../../src/web/lib/permissions.ts';

describe('web permission table', () => {
  it('has the seed’s categories and names, in the server’s order, with the same bits', () => {
    expect(Object.keys(web.PERMISSION_GROUPS)).toEqual(['Messages', 'Channels', 'Voice', 'Server']);
    for (const [category, names] of Object.entries(server.PERMISSION_GROUPS)) {
      const mine = web.PERMISSION_GROUPS[category as web.PermissionCategory];
      expect(Object.entries(mine)).toEqual(Object.entries(names));
    }
  });

  it('computes channel permissions as the server does (owner, @everyone, roles, admin, overwrites, implicit rules)', () => {
    const guildId = '100';
    const roles = [
      { id: guildId, permissions: String(server.DEFAULT_EVERYONE_PERMISSIONS) },
      { id: '201', permissions: String(server.Permission.ManageMessages) },
      { id: '202', permissions: String(server.Permission.Administrator) },
    ];
    const overwrites = [
      { id: guildId, type: 0 as const, allow: 0n, deny: server.Permission.SendMessages },
      { id: '201', type: 0 as const, allow: server.Permission.SendMessages, deny: 0n },
      { id: '301', type: 1 as const, allow: 0n, deny: server.Permission.ViewChannel },
    ];
    const wireOverwrites = overwrites.map((o) => ({ ...o, allow: String(o.allow), deny: String(o.deny) }));
    const cases: { userId: string; memberRoleIds: string[] }[] = [
      { userId: '300', memberRoleIds: [] },
      { userId: '300', memberRoleIds: ['201'] },
      { userId: '301', memberRoleIds: ['201'] },
      { userId: '302', memberRoleIds: ['202'] },
      { userId: '999', memberRoleIds: [] },
    ];
    for (const c of cases) {
      const input = { guildId, ownerId: '999', userId: c.userId, memberRoleIds: c.memberRoleIds };
      const expected = server.channelPermissions({ ...input, rolePermissions: new Map(roles.map((r) => [r.id, BigInt(r.permissions)])) }, overwrites);
      const actual = web.channelPermissions({ ...input, roles }, wireOverwrites);
      // The owner and admins hold every bit: the server counts known flags, the browser all 64.
      if (expected === server.ALL_PERMISSIONS) expect(actual).toBe(web.ALL);
      else expect(actual).toBe(expected);
    }
  });

  it('lists the names a bitfield grants, aliases included, as PUT /guilds/:id/bots/:botId takes them', () => {
    expect(web.namesIn(web.Flags.ViewChannel | web.Flags.SendMessages).sort()).toEqual(['read_messages', 'send_messages', 'view_channels']);
    expect(web.aliasesOf('read_messages')).toEqual(['view_channels']);
    expect(web.permissionLabel('read_message_history')).toBe('Read message history');
  });
});

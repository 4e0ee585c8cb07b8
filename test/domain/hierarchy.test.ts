// The role hierarchy's rules, one by one, on hand-built guilds (the routes that use them are tested end to end in
// test/dialects/role-hierarchy.test.ts).
import { describe, expect, it } from 'bun:test';
import type { GuildAccess } from '../../src/domain/access.ts';
import { Hierarchy } from '../../src/domain/hierarchy.ts';
import { ALL_PERMISSIONS, Permission as P } from '../../src/domain/permissions.ts';

const GUILD = '100';
const OWNER = '1';
const ROLES = [
  { id: GUILD, position: 0 },
  { id: 'low', position: 1 },
  { id: 'mid', position: 2 },
  { id: 'high', position: 3 },
];

function hierarchyOf(userId: string, roleIds: string[], permissions: bigint): Hierarchy {
  const access: GuildAccess = {
    guild: { id: GUILD, name: 'g', ownerId: OWNER, icon: null, description: null, createdAt: 0 },
    member: { guildId: GUILD, userId, nick: null, joinedAt: 0, roleIds },
    permissions,
  };
  return new Hierarchy(access, ROLES);
}

const refusal = { status: 403, code: 50013 };
const mid = hierarchyOf('2', ['mid', 'low'], P.ManageRoles | P.SendMessages);

describe('Hierarchy', () => {
  it('ranks a member by their highest role, and the owner above every role', () => {
    expect(mid.top).toBe(2);
    expect(hierarchyOf('3', [], 0n).top).toBe(0);
    expect(hierarchyOf(OWNER, [], ALL_PERMISSIONS).top).toBeGreaterThan(1000);
  });

  it('lets an actor manage only roles strictly below their highest; @everyone is below everybody', () => {
    expect(() => mid.requireRoleBelow({ id: 'low', position: 1 })).not.toThrow();
    expect(() => mid.requireRoleBelow({ id: GUILD, position: 0 })).not.toThrow();
    expect(() => mid.requireRoleBelow({ id: 'mid', position: 2 })).toThrow(expect.objectContaining(refusal));
    expect(() => mid.requireRoleBelow({ id: 'high', position: 3 })).toThrow(expect.objectContaining(refusal));
    expect(() => hierarchyOf(OWNER, [], ALL_PERMISSIONS).requireRoleBelow({ id: 'high', position: 3 })).not.toThrow();
  });

  it('does not lift the hierarchy for ADMINISTRATOR', () => {
    const admin = hierarchyOf('2', ['mid'], ALL_PERMISSIONS);
    expect(() => admin.requireRoleBelow({ id: 'high', position: 3 })).toThrow(expect.objectContaining(refusal));
    expect(() => admin.requirePositionBelow(2)).toThrow(expect.objectContaining(refusal));
    expect(() => admin.requireGrantable(0n, P.Administrator)).not.toThrow();
  });

  it('lets an actor act on members strictly below them and on themselves, and nobody on the owner', () => {
    expect(() => mid.requireMemberBelow({ userId: '5', roleIds: ['low'] })).not.toThrow();
    expect(() => mid.requireMemberBelow({ userId: '5', roleIds: [] })).not.toThrow();
    expect(() => mid.requireMemberBelow({ userId: '5', roleIds: ['mid'] })).toThrow(expect.objectContaining(refusal));
    expect(() => mid.requireMemberBelow({ userId: '2', roleIds: ['mid'] })).not.toThrow();
    expect(() => mid.requireMemberBelow({ userId: OWNER, roleIds: [] })).toThrow(expect.objectContaining(refusal));
    expect(() => hierarchyOf(OWNER, [], ALL_PERMISSIONS).requireMemberBelow({ userId: OWNER, roleIds: [] })).toThrow(expect.objectContaining(refusal));
  });

  it('refuses to move a role to or above the actor', () => {
    expect(() => mid.requirePositionBelow(1)).not.toThrow();
    expect(() => mid.requirePositionBelow(2)).toThrow(expect.objectContaining(refusal));
  });

  it('lets an actor change only the permission bits they hold, in either direction', () => {
    expect(() => mid.requireGrantable(0n, P.SendMessages)).not.toThrow();
    expect(() => mid.requireGrantable(P.SendMessages, 0n)).not.toThrow();
    // A bit the actor lacks may stay where it is, but not be added or taken away.
    expect(() => mid.requireGrantable(P.BanMembers, P.BanMembers | P.SendMessages)).not.toThrow();
    expect(() => mid.requireGrantable(0n, P.BanMembers)).toThrow(expect.objectContaining(refusal));
    expect(() => mid.requireGrantable(P.BanMembers, 0n)).toThrow(expect.objectContaining(refusal));
  });

  it("places a new bot's role just below the adder's highest role, the owner's on top, and refuses an adder with no role", () => {
    expect(mid.botRolePosition()).toBe(2);
    expect(hierarchyOf(OWNER, [], ALL_PERMISSIONS).botRolePosition()).toBe(4);
    expect(() => hierarchyOf('3', [], P.ManageGuild).botRolePosition()).toThrow(expect.objectContaining(refusal));
  });
});

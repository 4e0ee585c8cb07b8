// Discord's role hierarchy, in one place. Every service that changes roles, role assignments, members or bots asks
// it before writing, so no route of either dialect can skip it:
// - the owner may do anything (and nobody acts on the owner);
// - everyone else acts only on roles strictly below their own highest role, and on members whose highest role is
//   strictly below it (a tie is refused); @everyone is below everybody;
// - nobody grants or takes away a permission bit they do not hold themselves.
// ADMINISTRATOR counts as holding every permission, but, as in Discord, it does not lift the hierarchy: an
// administrator still acts only below their highest role.
import { RESTJSONErrorCodes as Codes } from 'discord-api-types/v10';
import { ApiError } from '../http/api-error.ts';
import type { GuildAccess } from './access.ts';
import type { Member } from './members.ts';
import { has } from './permissions.ts';
import type { Role } from './roles.ts';

/** Where the owner stands: above every role. */
const OWNER_RANK = Number.MAX_SAFE_INTEGER;

export class Hierarchy {
  private readonly positions: ReadonlyMap<string, number>;

  /** `roles` are all the roles of the actor's guild, as stored now. */
  constructor(
    private readonly actor: GuildAccess,
    roles: readonly Pick<Role, 'id' | 'position'>[],
  ) {
    this.positions = new Map(roles.map((r) => [r.id, r.position]));
  }

  get isOwner(): boolean {
    return this.actor.member.userId === this.actor.guild.ownerId;
  }

  /** Position of the actor's highest role (0 with @everyone only); the owner's is above every role. */
  get top(): number {
    return this.rankOf(this.actor.member);
  }

  /** Position of a member's highest role; the owner outranks everyone. */
  rankOf(member: Pick<Member, 'userId' | 'roleIds'>): number {
    if (member.userId === this.actor.guild.ownerId) return OWNER_RANK;
    return Math.max(0, ...member.roleIds.map((id) => this.positions.get(id) ?? 0));
  }

  /** Editing, deleting, moving, assigning or removing `role` (a bot's managed role included). */
  requireRoleBelow(role: Pick<Role, 'id' | 'position'>): void {
    if (this.isOwner || role.id === this.actor.guild.id) return;
    if (role.position >= this.top) throw refused('the role is at or above your highest role');
  }

  /** Moving a role to `position`: it must stay below the actor's highest role. */
  requirePositionBelow(position: number): void {
    if (!this.isOwner && position >= this.top) throw refused('cannot move a role to or above your highest role');
  }

  /** Kicking, banning, renaming or removing (a bot) `target`; acting on yourself is the caller's own business. */
  requireMemberBelow(target: Pick<Member, 'userId' | 'roleIds'>): void {
    if (target.userId === this.actor.guild.ownerId) throw refused('nobody can act on the guild owner');
    if (this.isOwner || target.userId === this.actor.member.userId) return;
    if (this.rankOf(target) >= this.top) throw refused("the member's highest role is at or above yours");
  }

  /** Changing a permission set from `before` to `after`: every bit that changes must be one the actor holds. */
  requireGrantable(before: bigint, after: bigint): void {
    if (!has(this.actor.permissions, before ^ after)) throw refused('cannot grant or revoke permissions you do not have');
  }

  /**
   * Where a bot's new managed role goes: just below the adder's highest role (the role at that position and every
   * role above it move up one), so the adder, and everyone above them, can still manage the bot. The owner's bot goes
   * on top. Someone with no role of their own (only @everyone) has no room below them and is refused.
   */
  botRolePosition(): number {
    if (this.isOwner) return Math.max(0, ...this.positions.values()) + 1;
    if (this.top < 1) throw refused('you need a role of your own to place a bot below it');
    return this.top;
  }
}

function refused(why: string): ApiError {
  return new ApiError(403, Codes.MissingPermissions, `Missing Permissions: ${why}`);
}

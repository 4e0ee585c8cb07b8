// Membership: listing, nicknames, role assignment, kick and ban, with Discord's role hierarchy
// (hierarchy.ts: you act only on members and roles below your highest role; nobody acts on the owner).
import { RESTJSONErrorCodes as Codes } from 'discord-api-types/v10';
import { ApiError, invalidField, missingPermissions, unknown } from '../http/api-error.ts';
import type { AccessService, GuildAccess } from './access.ts';
import type { AuditLog } from './audit-log.ts';
import type { Clock } from './clock.ts';
import { endMembership } from './guild-bots.ts';
import type { Hierarchy } from './hierarchy.ts';
import type { Member } from './model/guild.ts';
import { has, Permission } from './permissions.ts';
import type { GuildsRepo, UsersRepo } from './ports/index.ts';
import type { Emit, UnitOfWork } from './ports/unit-of-work.ts';
import { leaveThreads } from './threads.ts';

export type { Member } from './model/guild.ts';

export const MEMBERS_PAGE_MAX = 1000;

export class MemberService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly guilds: GuildsRepo,
    private readonly users: UsersRepo,
    private readonly access: AccessService,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {}

  async list(guildId: string, userId: string, options: { limit: number; after?: string }): Promise<Member[]> {
    await this.access.guild(guildId, userId);
    return this.guilds.members(guildId, options.limit, options.after ?? '0');
  }

  async get(guildId: string, userId: string, targetId: string): Promise<Member> {
    await this.access.guild(guildId, userId);
    return this.mustGet(guildId, targetId);
  }

  /** Nickname (self with CHANGE_NICKNAME, others with MANAGE_NICKNAMES) and the full role list (MANAGE_ROLES). */
  async update(guildId: string, actorId: string, targetId: string, fields: { nick?: string | null; roles?: string[] }): Promise<Member> {
    const actor = await this.access.guild(guildId, actorId);
    const target = await this.mustGet(guildId, targetId);
    if (fields.nick !== undefined) {
      const self = actorId === targetId;
      // Your own nickname needs CHANGE_NICKNAME (or MANAGE_NICKNAMES); anyone else's needs MANAGE_NICKNAMES.
      const allowed = has(actor.permissions, Permission.ManageNicknames) || (self && has(actor.permissions, Permission.ChangeNickname));
      if (!allowed) throw missingPermissions();
      if (!self) (await this.access.hierarchy(actor)).requireMemberBelow(target);
      if (fields.nick !== null && (fields.nick.trim().length === 0 || fields.nick.length > 32))
        throw invalidField('nick', 'BASE_TYPE_BAD_LENGTH', 'Nickname must be 1-32 characters');
    }
    if (fields.roles !== undefined) {
      if (!has(actor.permissions, Permission.ManageRoles)) throw missingPermissions();
      const changed = symmetricDifference(new Set(target.roleIds), new Set(fields.roles));
      const hierarchy = await this.access.hierarchy(actor);
      for (const roleId of changed) await this.requireAssignable(actor, hierarchy, roleId);
    }
    return this.uow.write(async (emit) => {
      if (fields.nick !== undefined) await this.guilds.setNick(guildId, targetId, fields.nick === null ? null : fields.nick.trim());
      if (fields.roles !== undefined) {
        const wanted = new Set(fields.roles);
        for (const roleId of target.roleIds) if (!wanted.has(roleId)) await this.guilds.removeMemberRole(guildId, targetId, roleId);
        for (const roleId of wanted) if (!target.roleIds.includes(roleId)) await this.guilds.addMemberRole(guildId, targetId, roleId);
      }
      const member = await this.mustGet(guildId, targetId);
      // Your own nickname is yours to change; someone else changing it, or anyone's roles, is moderation.
      if (fields.nick !== undefined && actorId !== targetId && target.nick !== member.nick) {
        await this.audit.record(emit, {
          guildId,
          actorId,
          action: 'member.update',
          targetId,
          changes: [{ key: 'nick', ...nickChange(target.nick, member.nick) }],
        });
      }
      await this.recordRoles(emit, guildId, actorId, targetId, target.roleIds, member.roleIds);
      emit({ type: 'member.update', member });
      return member;
    });
  }

  async addRole(guildId: string, actorId: string, targetId: string, roleId: string): Promise<void> {
    const actor = await this.access.requireGuildPermission(guildId, actorId, Permission.ManageRoles);
    const target = await this.mustGet(guildId, targetId);
    await this.requireAssignable(actor, await this.access.hierarchy(actor), roleId);
    if (target.roleIds.includes(roleId)) return;
    await this.uow.write(async (emit) => {
      await this.guilds.addMemberRole(guildId, targetId, roleId);
      await this.recordRoles(emit, guildId, actorId, targetId, target.roleIds, [...target.roleIds, roleId]);
      emit({ type: 'member.update', member: await this.mustGet(guildId, targetId) });
    });
  }

  async removeRole(guildId: string, actorId: string, targetId: string, roleId: string): Promise<void> {
    const actor = await this.access.requireGuildPermission(guildId, actorId, Permission.ManageRoles);
    const target = await this.mustGet(guildId, targetId);
    await this.requireAssignable(actor, await this.access.hierarchy(actor), roleId);
    if (!target.roleIds.includes(roleId)) return;
    await this.uow.write(async (emit) => {
      await this.guilds.removeMemberRole(guildId, targetId, roleId);
      await this.recordRoles(
        emit,
        guildId,
        actorId,
        targetId,
        target.roleIds,
        target.roleIds.filter((id) => id !== roleId),
      );
      emit({ type: 'member.update', member: await this.mustGet(guildId, targetId) });
    });
  }

  async kick(guildId: string, actorId: string, targetId: string): Promise<void> {
    const actor = await this.access.requireGuildPermission(guildId, actorId, Permission.KickMembers);
    const target = await this.mustGet(guildId, targetId);
    (await this.access.hierarchy(actor)).requireMemberBelow(target);
    await this.uow.write(async (emit) => {
      await endMembership(this.guilds, guildId, targetId, emit);
      await this.audit.record(emit, { guildId, actorId, action: 'member.kick', targetId });
      emit({ type: 'member.leave', guildId, userId: targetId, reason: 'kick' });
      await leaveThreads(this.uow.repos, guildId, targetId, emit);
    });
  }

  async ban(guildId: string, actorId: string, targetId: string, reason: string | null): Promise<void> {
    const actor = await this.access.requireGuildPermission(guildId, actorId, Permission.BanMembers);
    if (!(await this.users.byId(targetId))) throw unknown.user();
    const target = await this.guilds.member(guildId, targetId);
    // Someone who is not a member has no roles: only the owner is out of reach.
    (await this.access.hierarchy(actor)).requireMemberBelow(target ?? { userId: targetId, roleIds: [] });
    if (reason !== null && reason.length > 512) throw invalidField('reason', 'BASE_TYPE_MAX_LENGTH', 'Reason must be at most 512 characters');
    await this.uow.write(async (emit) => {
      await this.guilds.insertBan(guildId, targetId, reason, this.clock.now());
      await this.audit.record(emit, { guildId, actorId, action: 'member.ban', targetId });
      if (target) {
        await endMembership(this.guilds, guildId, targetId, emit);
        emit({ type: 'member.leave', guildId, userId: targetId, reason: 'ban' });
        await leaveThreads(this.uow.repos, guildId, targetId, emit);
      }
    });
  }

  async unban(guildId: string, actorId: string, targetId: string): Promise<void> {
    await this.access.requireGuildPermission(guildId, actorId, Permission.BanMembers);
    const lifted = await this.uow.write(async (emit) => {
      if (!(await this.guilds.deleteBan(guildId, targetId))) return false;
      await this.audit.record(emit, { guildId, actorId, action: 'member.unban', targetId });
      return true;
    });
    if (!lifted) throw unknown.ban();
  }

  async bans(guildId: string, actorId: string) {
    await this.access.requireGuildPermission(guildId, actorId, Permission.BanMembers);
    return this.guilds.bans(guildId);
  }

  /** Roles given and taken, as Discord records them: `$add` and `$remove` with each role's id and name. */
  private async recordRoles(emit: Emit, guildId: string, actorId: string, targetId: string, before: string[], after: string[]): Promise<void> {
    const named = async (ids: string[]) => {
      const out: { id: string; name: string }[] = [];
      for (const id of ids) out.push({ id, name: (await this.guilds.role(guildId, id))?.name ?? '' });
      return out;
    };
    const added = await named(after.filter((id) => !before.includes(id)));
    const taken = await named(before.filter((id) => !after.includes(id)));
    const changes = [...(added.length > 0 ? [{ key: '$add', new: added }] : []), ...(taken.length > 0 ? [{ key: '$remove', new: taken }] : [])];
    if (changes.length > 0) await this.audit.record(emit, { guildId, actorId, action: 'member.roles', targetId, changes });
  }

  private async mustGet(guildId: string, userId: string): Promise<Member> {
    const member = await this.guilds.member(guildId, userId);
    if (!member) throw unknown.member();
    return member;
  }

  /** A role can be given or taken only if it exists, is not @everyone or a bot's managed role, and is below the actor's highest role. */
  private async requireAssignable(actor: GuildAccess, hierarchy: Hierarchy, roleId: string): Promise<void> {
    const role = await this.guilds.role(actor.guild.id, roleId);
    if (!role) throw unknown.role();
    if (role.id === actor.guild.id || role.botId !== null) throw new ApiError(400, Codes.InvalidRole, 'This role is managed and cannot be assigned');
    hierarchy.requireRoleBelow(role);
  }
}

function symmetricDifference(a: Set<string>, b: Set<string>): string[] {
  return [...[...a].filter((x) => !b.has(x)), ...[...b].filter((x) => !a.has(x))];
}

function nickChange(before: string | null, after: string | null) {
  return { ...(before === null ? {} : { old: before }), ...(after === null ? {} : { new: after }) };
}

// Roles: named permission sets ordered by position. @everyone (id = guild id) is position 0;
// a bot added to a guild gets a managed role carrying the permissions it was granted.
import { RESTJSONErrorCodes as Codes } from 'discord-api-types/v10';
import { ApiError, invalidField, unknown } from '../http/api-error.ts';
import type { AccessService } from './access.ts';
import { type AuditLog, type AuditValue, created, diff, removed } from './audit-log.ts';
import type { Role } from './model/guild.ts';
import { Permission } from './permissions.ts';
import type { EmojisRepo, GuildsRepo } from './ports/index.ts';
import type { UnitOfWork } from './ports/unit-of-work.ts';
import type { SnowflakeGenerator } from './snowflake.ts';

export type { Role } from './model/guild.ts';

export type RoleFields = { name?: string; permissions?: bigint; color?: number; hoist?: boolean; mentionable?: boolean; position?: number };

export const ROLES_PER_GUILD_MAX = 250;

export class RoleService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly guilds: GuildsRepo,
    private readonly access: AccessService,
    private readonly ids: SnowflakeGenerator,
    private readonly emojis: EmojisRepo,
    private readonly audit: AuditLog,
  ) {}

  async list(guildId: string, userId: string): Promise<Role[]> {
    await this.access.guild(guildId, userId);
    return this.guilds.roles(guildId);
  }

  async create(guildId: string, userId: string, fields: RoleFields): Promise<Role> {
    const actor = await this.access.requireGuildPermission(guildId, userId, Permission.ManageRoles);
    checkFields(fields);
    (await this.access.hierarchy(actor)).requireGrantable(0n, fields.permissions ?? 0n);
    return this.uow.write(async (emit) => {
      const existing = await this.guilds.roles(guildId);
      if (existing.length >= ROLES_PER_GUILD_MAX)
        throw new ApiError(400, Codes.MaximumNumberOfGuildRolesReached, `Maximum number of roles reached (${ROLES_PER_GUILD_MAX})`);
      const role: Role = {
        id: this.ids.next(),
        guildId,
        name: fields.name?.trim() || 'new role',
        permissions: fields.permissions ?? 0n,
        // New roles land just above @everyone, below every role that already exists (as Discord does).
        position: 1,
        color: fields.color ?? 0,
        hoist: fields.hoist ?? false,
        mentionable: fields.mentionable ?? false,
        botId: null,
      };
      for (const other of existing) if (other.position >= 1) await this.guilds.updateRole({ ...other, position: other.position + 1 });
      await this.guilds.insertRole(role);
      await this.audit.record(emit, { guildId, actorId: userId, action: 'role.create', targetId: role.id, changes: created(roleFields(role)) });
      emit({ type: 'role.create', role });
      return role;
    });
  }

  async update(guildId: string, userId: string, roleId: string, fields: RoleFields): Promise<Role> {
    const actor = await this.access.requireGuildPermission(guildId, userId, Permission.ManageRoles);
    const role = await this.mustGet(guildId, roleId);
    const hierarchy = await this.access.hierarchy(actor);
    hierarchy.requireRoleBelow(role);
    checkFields(fields);
    if (role.id === guildId && (fields.name !== undefined || fields.position !== undefined)) {
      throw new ApiError(400, Codes.InvalidRole, '@everyone can only change its permissions');
    }
    if (fields.permissions !== undefined) hierarchy.requireGrantable(role.permissions, fields.permissions);
    if (fields.position !== undefined) hierarchy.requirePositionBelow(fields.position);
    return this.uow.write(async (emit) => {
      const updated: Role = { ...role, ...definedOnly(fields), name: fields.name?.trim() || role.name };
      await this.guilds.updateRole(updated);
      const before = new Map(roleFields(role));
      const changes = diff(roleFields(updated).map(([key, value]) => [key, before.get(key), value] as const));
      if (changes.length > 0) await this.audit.record(emit, { guildId, actorId: userId, action: 'role.update', targetId: roleId, changes });
      emit({ type: 'role.update', role: updated });
      return updated;
    });
  }

  async delete(guildId: string, userId: string, roleId: string): Promise<void> {
    const actor = await this.access.requireGuildPermission(guildId, userId, Permission.ManageRoles);
    const role = await this.mustGet(guildId, roleId);
    if (role.id === guildId) throw new ApiError(400, Codes.InvalidRole, '@everyone cannot be deleted');
    if (role.botId) throw new ApiError(400, Codes.InvalidRole, "A bot's managed role goes away when the bot is removed");
    (await this.access.hierarchy(actor)).requireRoleBelow(role);
    await this.uow.write(async (emit) => {
      const limitsEmoji = (await this.emojis.list(guildId)).some((e) => e.roleIds.includes(roleId));
      await this.guilds.deleteRole(roleId);
      await this.audit.record(emit, { guildId, actorId: userId, action: 'role.delete', targetId: roleId, changes: removed(roleFields(role)) });
      emit({ type: 'role.delete', guildId, roleId });
      // Emoji limited to this role lose it (and with no role left, are everyone's): their list changed.
      if (limitsEmoji) emit({ type: 'emojis.update', guildId, emojis: await this.emojis.list(guildId) });
    });
  }

  private async mustGet(guildId: string, roleId: string): Promise<Role> {
    const role = await this.guilds.role(guildId, roleId);
    if (!role) throw unknown.role();
    return role;
  }
}

/** Validates the fields a role is made or changed with; who may grant which permissions is the hierarchy's business. */
function checkFields(fields: RoleFields): void {
  if (fields.name !== undefined && (fields.name.trim().length === 0 || fields.name.length > 100))
    throw invalidField('name', 'BASE_TYPE_BAD_LENGTH', 'Role name must be 1-100 characters');
  if (fields.color !== undefined && (fields.color < 0 || fields.color > 0xffffff))
    throw invalidField('color', 'NUMBER_TYPE_MAX', 'Color must be between 0 and 16777215');
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** A role's fields under Discord's audit log change keys (permissions as a decimal string). */
function roleFields(role: Role): [string, AuditValue][] {
  return [
    ['name', role.name],
    ['permissions', role.permissions.toString()],
    ['color', role.color],
    ['hoist', role.hoist],
    ['mentionable', role.mentionable],
  ];
}

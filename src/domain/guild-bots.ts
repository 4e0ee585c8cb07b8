// Adding a bot to a guild: the bot becomes a member with a managed role holding the permissions
// it was granted. Changing the grant edits that role; removing the bot removes both. All three obey
// the role hierarchy (hierarchy.ts) as role edits and kicks do.

import { missingPermissions, unknown } from '../http/api-error.ts';
import type { AccessService } from './access.ts';
import { type AuditLog, diff } from './audit-log.ts';
import type { GuildService } from './guilds.ts';
import type { Member } from './members.ts';
import { has, Permission } from './permissions.ts';
import type { GuildsRepo, UsersRepo } from './ports/index.ts';
import type { Emit, UnitOfWork } from './ports/unit-of-work.ts';
import type { Role } from './roles.ts';
import type { SnowflakeGenerator } from './snowflake.ts';
import { leaveThreads } from './threads.ts';

export type GuildBot = { member: Member; role: Role };

/**
 * Ends a membership. A bot's managed role lives exactly as long as its membership (nobody may delete it by hand), so
 * it goes too, whether the bot was removed, kicked, banned or left.
 */
export async function endMembership(store: GuildsRepo, guildId: string, userId: string, emit: Emit): Promise<void> {
  await store.deleteMember(guildId, userId);
  const role = await store.botRole(guildId, userId);
  if (role) {
    await store.deleteRole(role.id);
    emit({ type: 'role.delete', guildId, roleId: role.id });
  }
}

export class GuildBotService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly guildsStore: GuildsRepo,
    private readonly users: UsersRepo,
    private readonly guilds: GuildService,
    private readonly access: AccessService,
    private readonly ids: SnowflakeGenerator,
    private readonly audit: AuditLog,
  ) {}

  /** Adds the bot, or changes its permissions if it is already in the guild. */
  async put(guildId: string, actorId: string, botId: string, permissions: bigint): Promise<GuildBot> {
    const actor = await this.requireManager(guildId, actorId);
    const bot = await this.users.byId(botId);
    if (!bot?.bot || bot.disabled) throw unknown.user();
    const hierarchy = await this.access.hierarchy(actor);
    const existing = await this.guildsStore.botRole(guildId, botId);
    // Changing a bot's grant is editing its managed role; adding one places a new role below the adder.
    if (existing) hierarchy.requireRoleBelow(existing);
    hierarchy.requireGrantable(existing?.permissions ?? 0n, permissions);
    const position = existing ? existing.position : hierarchy.botRolePosition();
    return this.uow.write(async (emit) => {
      let role: Role;
      if (existing) {
        role = { ...existing, permissions };
        await this.guildsStore.updateRole(role);
        emit({ type: 'role.update', role });
      } else {
        for (const other of await this.guildsStore.roles(guildId)) {
          if (other.position < position) continue;
          const moved = { ...other, position: other.position + 1 };
          await this.guildsStore.updateRole(moved);
          emit({ type: 'role.update', role: moved });
        }
        role = { id: this.ids.next(), guildId, name: bot.username, permissions, position, color: 0, hoist: false, mentionable: false, botId };
        await this.guildsStore.insertRole(role);
        emit({ type: 'role.create', role });
      }
      const joined = await this.guilds.join(guildId, botId, emit);
      if (joined) await this.audit.record(emit, { guildId, actorId, action: 'bot.add', targetId: botId });
      else {
        const changes = diff([['permissions', existing?.permissions.toString(), permissions.toString()]]);
        if (changes.length > 0) await this.audit.record(emit, { guildId, actorId, action: 'role.update', targetId: role.id, changes });
      }
      await this.guildsStore.addMemberRole(guildId, botId, role.id);
      const member = await this.guildsStore.member(guildId, botId);
      if (!member) throw unknown.member();
      if (!joined) emit({ type: 'member.update', member });
      return { member, role };
    });
  }

  async remove(guildId: string, actorId: string, botId: string): Promise<void> {
    const actor = await this.requireManager(guildId, actorId);
    const member = await this.guildsStore.member(guildId, botId);
    if (!member || !(await this.users.byId(botId))?.bot) throw unknown.member();
    // Removing a bot is kicking it (its managed role, among its roles, goes with it).
    (await this.access.hierarchy(actor)).requireMemberBelow(member);
    await this.uow.write(async (emit) => {
      await endMembership(this.guildsStore, guildId, botId, emit);
      await this.audit.record(emit, { guildId, actorId, action: 'bot.remove', targetId: botId });
      emit({ type: 'member.leave', guildId, userId: botId, reason: 'bot_removed' });
      await leaveThreads(this.uow.repos, guildId, botId, emit);
    });
  }

  async list(guildId: string, actorId: string): Promise<GuildBot[]> {
    await this.access.guild(guildId, actorId);
    const out: GuildBot[] = [];
    for (const role of await this.guildsStore.roles(guildId)) {
      const member = role.botId ? await this.guildsStore.member(guildId, role.botId) : null;
      if (member) out.push({ member, role });
    }
    return out;
  }

  /** The owner, or a member with MANAGE_GUILD or MANAGE_ROLES, manages bots. */
  private async requireManager(guildId: string, actorId: string) {
    const access = await this.access.guild(guildId, actorId);
    if (!has(access.permissions, Permission.ManageGuild) && !has(access.permissions, Permission.ManageRoles)) throw missingPermissions();
    return access;
  }
}

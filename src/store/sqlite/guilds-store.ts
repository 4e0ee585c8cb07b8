// SQL for guilds, their roles, members (with role links) and bans.

import type { Database } from 'bun:sqlite';
import type { Guild, Member, Role } from '../../domain/model/guild.ts';
import type { GuildsRepo } from '../../domain/ports/index.ts';
import type { Immediate } from './immediate.ts';
import { bool, type Int, id, idOrNull, num } from './rows.ts';

type GuildRow = {
  id: Int;
  name: string;
  owner_id: Int;
  icon: string | null;
  description: string | null;
  created_at: Int;
  system_channel_id?: Int | null;
  system_channel_flags?: Int;
};
type RoleRow = { id: Int; guild_id: Int; name: string; permissions: Int; position: Int; color: Int; hoist: Int; mentionable: Int; bot_id: Int | null };
type MemberRow = { guild_id: Int; user_id: Int; nick: string | null; joined_at: Int; role_ids: string | null };

const toGuild = (r: GuildRow): Guild => ({
  id: id(r.id),
  name: r.name,
  ownerId: id(r.owner_id),
  icon: r.icon,
  description: r.description,
  createdAt: num(r.created_at),
  systemChannelId: idOrNull(r.system_channel_id ?? null),
  systemChannelFlags: r.system_channel_flags === undefined ? 0 : num(r.system_channel_flags),
});

const toRole = (r: RoleRow): Role => ({
  id: id(r.id),
  guildId: id(r.guild_id),
  name: r.name,
  permissions: r.permissions,
  position: num(r.position),
  color: num(r.color),
  hoist: bool(r.hoist),
  mentionable: bool(r.mentionable),
  botId: idOrNull(r.bot_id),
});

const toMember = (r: MemberRow): Member => ({
  guildId: id(r.guild_id),
  userId: id(r.user_id),
  nick: r.nick,
  joinedAt: num(r.joined_at),
  roleIds: r.role_ids ? r.role_ids.split(',') : [],
});

const MEMBER_SELECT = `SELECT m.guild_id, m.user_id, m.nick, m.joined_at,
  (SELECT group_concat(role_id) FROM member_roles r WHERE r.guild_id = m.guild_id AND r.user_id = m.user_id) AS role_ids
  FROM members m`;

export class GuildsStore implements Immediate<GuildsRepo> {
  constructor(private readonly db: Database) {}

  insertGuild(g: Guild): void {
    this.db
      .query('INSERT INTO guilds (id, name, owner_id, icon, description, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(g.id, g.name, g.ownerId, g.icon, g.description, g.createdAt);
  }

  guild(guildId: string): Guild | null {
    const row = this.db.query<GuildRow, [string]>('SELECT * FROM guilds WHERE id = ?').get(guildId);
    return row ? toGuild(row) : null;
  }

  guildsOf(userId: string): Guild[] {
    return this.db
      .query<GuildRow, [string]>('SELECT g.* FROM guilds g JOIN members m ON m.guild_id = g.id WHERE m.user_id = ? ORDER BY g.id')
      .all(userId)
      .map(toGuild);
  }

  updateGuild(
    guildId: string,
    fields: {
      name?: string;
      icon?: string | null;
      description?: string | null;
      ownerId?: string;
      systemChannelId?: string | null;
      systemChannelFlags?: number;
    },
  ): void {
    if (fields.name !== undefined) this.db.query('UPDATE guilds SET name = ? WHERE id = ?').run(fields.name, guildId);
    if (fields.icon !== undefined) this.db.query('UPDATE guilds SET icon = ? WHERE id = ?').run(fields.icon, guildId);
    if (fields.description !== undefined) this.db.query('UPDATE guilds SET description = ? WHERE id = ?').run(fields.description, guildId);
    if (fields.ownerId !== undefined) this.db.query('UPDATE guilds SET owner_id = ? WHERE id = ?').run(fields.ownerId, guildId);
    if (fields.systemChannelId !== undefined) this.db.query('UPDATE guilds SET system_channel_id = ? WHERE id = ?').run(fields.systemChannelId, guildId);
    if (fields.systemChannelFlags !== undefined)
      this.db.query('UPDATE guilds SET system_channel_flags = ? WHERE id = ?').run(fields.systemChannelFlags, guildId);
  }

  deleteGuild(guildId: string): void {
    this.db.query('DELETE FROM guilds WHERE id = ?').run(guildId);
  }

  // ---- roles ----

  insertRole(r: Role): void {
    this.db
      .query('INSERT INTO roles (id, guild_id, name, permissions, position, color, hoist, mentionable, bot_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(r.id, r.guildId, r.name, r.permissions, r.position, r.color, r.hoist ? 1 : 0, r.mentionable ? 1 : 0, r.botId);
  }

  roles(guildId: string): Role[] {
    return this.db.query<RoleRow, [string]>('SELECT * FROM roles WHERE guild_id = ? ORDER BY position, id').all(guildId).map(toRole);
  }

  role(guildId: string, roleId: string): Role | null {
    const row = this.db.query<RoleRow, [string, string]>('SELECT * FROM roles WHERE guild_id = ? AND id = ?').get(guildId, roleId);
    return row ? toRole(row) : null;
  }

  botRole(guildId: string, botId: string): Role | null {
    const row = this.db.query<RoleRow, [string, string]>('SELECT * FROM roles WHERE guild_id = ? AND bot_id = ?').get(guildId, botId);
    return row ? toRole(row) : null;
  }

  updateRole(r: Role): void {
    this.db
      .query('UPDATE roles SET name = ?, permissions = ?, position = ?, color = ?, hoist = ?, mentionable = ? WHERE id = ?')
      .run(r.name, r.permissions, r.position, r.color, r.hoist ? 1 : 0, r.mentionable ? 1 : 0, r.id);
  }

  /** Also drops the role's channel overwrites: overwrites.target_id has no foreign key to cascade from. */
  deleteRole(roleId: string): void {
    this.db.query('DELETE FROM overwrites WHERE target_id = ? AND type = 0').run(roleId);
    this.db.query('DELETE FROM roles WHERE id = ?').run(roleId);
  }

  // ---- members ----

  insertMember(guildId: string, userId: string, joinedAt: number): void {
    this.db.query('INSERT INTO members (guild_id, user_id, joined_at) VALUES (?, ?, ?)').run(guildId, userId, joinedAt);
  }

  member(guildId: string, userId: string): Member | null {
    const row = this.db.query<MemberRow, [string, string]>(`${MEMBER_SELECT} WHERE m.guild_id = ? AND m.user_id = ?`).get(guildId, userId);
    return row ? toMember(row) : null;
  }

  members(guildId: string, limit: number, after: string): Member[] {
    return this.db
      .query<MemberRow, [string, string, number]>(`${MEMBER_SELECT} WHERE m.guild_id = ? AND m.user_id > ? ORDER BY m.user_id LIMIT ?`)
      .all(guildId, after, limit)
      .map(toMember);
  }

  memberIds(guildId: string): string[] {
    return this.db
      .query<{ user_id: Int }, [string]>('SELECT user_id FROM members WHERE guild_id = ?')
      .all(guildId)
      .map((r) => id(r.user_id));
  }

  memberCount(guildId: string): number {
    return num(this.db.query<{ n: Int }, [string]>('SELECT count(*) AS n FROM members WHERE guild_id = ?').get(guildId)?.n ?? 0n);
  }

  setNick(guildId: string, userId: string, nick: string | null): void {
    this.db.query('UPDATE members SET nick = ? WHERE guild_id = ? AND user_id = ?').run(nick, guildId, userId);
  }

  addMemberRole(guildId: string, userId: string, roleId: string): void {
    this.db.query('INSERT OR IGNORE INTO member_roles (guild_id, user_id, role_id) VALUES (?, ?, ?)').run(guildId, userId, roleId);
  }

  removeMemberRole(guildId: string, userId: string, roleId: string): void {
    this.db.query('DELETE FROM member_roles WHERE guild_id = ? AND user_id = ? AND role_id = ?').run(guildId, userId, roleId);
  }

  deleteMember(guildId: string, userId: string): void {
    this.db.query('DELETE FROM members WHERE guild_id = ? AND user_id = ?').run(guildId, userId);
  }

  /** Users who share at least one guild with `userId` (who may see their presence). */
  sharesGuild(userId: string, otherId: string): boolean {
    return (
      this.db.query('SELECT 1 FROM members a JOIN members b ON a.guild_id = b.guild_id WHERE a.user_id = ? AND b.user_id = ? LIMIT 1').get(userId, otherId) !==
      null
    );
  }

  // ---- bans ----

  insertBan(guildId: string, userId: string, reason: string | null, at: number): void {
    this.db
      .query('INSERT INTO bans (guild_id, user_id, reason, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET reason = excluded.reason')
      .run(guildId, userId, reason, at);
  }

  isBanned(guildId: string, userId: string): boolean {
    return this.db.query('SELECT 1 FROM bans WHERE guild_id = ? AND user_id = ?').get(guildId, userId) !== null;
  }

  bans(guildId: string): { userId: string; reason: string | null }[] {
    return this.db
      .query<{ user_id: Int; reason: string | null }, [string]>('SELECT user_id, reason FROM bans WHERE guild_id = ? ORDER BY user_id')
      .all(guildId)
      .map((r) => ({ userId: id(r.user_id), reason: r.reason }));
  }

  deleteBan(guildId: string, userId: string): boolean {
    return this.db.query('DELETE FROM bans WHERE guild_id = ? AND user_id = ?').run(guildId, userId).changes > 0;
  }
}

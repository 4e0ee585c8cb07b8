// Guilds, their roles, members (with role links) and bans on PostgreSQL (the SQLite twin: src/store/guilds-store.ts).
import type { Guild, Member, Role } from '../../domain/model/guild.ts';
import { type Db, idOrNull, num, sf } from './sql.ts';

type GuildRow = {
  id: string;
  name: string;
  owner_id: string;
  icon: string | null;
  description: string | null;
  created_at: string;
  system_channel_id: string | null;
  system_channel_flags: number;
};
type RoleRow = {
  id: string;
  guild_id: string;
  name: string;
  permissions: string;
  position: number;
  color: number;
  hoist: boolean;
  mentionable: boolean;
  bot_id: string | null;
};
type MemberRow = { guild_id: string; user_id: string; nick: string | null; joined_at: string; role_ids: string | null };

const toGuild = (r: GuildRow): Guild => ({
  id: r.id,
  name: r.name,
  ownerId: r.owner_id,
  icon: r.icon,
  description: r.description,
  createdAt: num(r.created_at),
  systemChannelId: idOrNull(r.system_channel_id),
  systemChannelFlags: num(r.system_channel_flags),
});

const toRole = (r: RoleRow): Role => ({
  id: r.id,
  guildId: r.guild_id,
  name: r.name,
  permissions: BigInt(r.permissions),
  position: num(r.position),
  color: num(r.color),
  hoist: r.hoist,
  mentionable: r.mentionable,
  botId: idOrNull(r.bot_id),
});

const toMember = (r: MemberRow): Member => ({
  guildId: r.guild_id,
  userId: r.user_id,
  nick: r.nick,
  joinedAt: num(r.joined_at),
  roleIds: r.role_ids ? r.role_ids.split(',') : [],
});

/** string_agg where SQLite has group_concat; ordered by role id, the order SQLite's primary key gives. */
const MEMBER_SELECT = `SELECT m.guild_id, m.user_id, m.nick, m.joined_at,
  (SELECT string_agg(role_id::text, ',' ORDER BY role_id) FROM member_roles r WHERE r.guild_id = m.guild_id AND r.user_id = m.user_id) AS role_ids
  FROM members m`;

export class GuildsStore {
  constructor(private readonly sql: Db) {}

  async insertGuild(g: Guild): Promise<void> {
    await this.sql`INSERT INTO guilds (id, name, owner_id, icon, description, created_at)
      VALUES (${g.id}, ${g.name}, ${g.ownerId}, ${g.icon}, ${g.description}, ${g.createdAt})`;
  }

  async guild(guildId: string): Promise<Guild | null> {
    const [row] = await this.sql<GuildRow[]>`SELECT * FROM guilds WHERE id = ${sf(guildId)}`;
    return row ? toGuild(row) : null;
  }

  async guildsOf(userId: string): Promise<Guild[]> {
    const rows = await this.sql<GuildRow[]>`SELECT g.* FROM guilds g JOIN members m ON m.guild_id = g.id WHERE m.user_id = ${sf(userId)} ORDER BY g.id`;
    return rows.map(toGuild);
  }

  async updateGuild(
    guildId: string,
    fields: {
      name?: string;
      icon?: string | null;
      description?: string | null;
      ownerId?: string;
      systemChannelId?: string | null;
      systemChannelFlags?: number;
    },
  ): Promise<void> {
    const sets: Record<string, string | number | null> = {};
    if (fields.name !== undefined) sets.name = fields.name;
    if (fields.icon !== undefined) sets.icon = fields.icon;
    if (fields.description !== undefined) sets.description = fields.description;
    if (fields.ownerId !== undefined) sets.owner_id = fields.ownerId;
    if (fields.systemChannelId !== undefined) sets.system_channel_id = fields.systemChannelId;
    if (fields.systemChannelFlags !== undefined) sets.system_channel_flags = fields.systemChannelFlags;
    if (Object.keys(sets).length === 0) return;
    await this.sql`UPDATE guilds SET ${this.sql(sets)} WHERE id = ${sf(guildId)}`;
  }

  async deleteGuild(guildId: string): Promise<void> {
    await this.sql`DELETE FROM guilds WHERE id = ${sf(guildId)}`;
  }

  // ---- roles ----

  async insertRole(r: Role): Promise<void> {
    await this.sql`INSERT INTO roles (id, guild_id, name, permissions, position, color, hoist, mentionable, bot_id)
      VALUES (${r.id}, ${r.guildId}, ${r.name}, ${r.permissions.toString()}, ${r.position}, ${r.color}, ${r.hoist}, ${r.mentionable}, ${r.botId})`;
  }

  async roles(guildId: string): Promise<Role[]> {
    return (await this.sql<RoleRow[]>`SELECT * FROM roles WHERE guild_id = ${sf(guildId)} ORDER BY position, id`).map(toRole);
  }

  async role(guildId: string, roleId: string): Promise<Role | null> {
    const [row] = await this.sql<RoleRow[]>`SELECT * FROM roles WHERE guild_id = ${sf(guildId)} AND id = ${sf(roleId)}`;
    return row ? toRole(row) : null;
  }

  async botRole(guildId: string, botId: string): Promise<Role | null> {
    const [row] = await this.sql<RoleRow[]>`SELECT * FROM roles WHERE guild_id = ${sf(guildId)} AND bot_id = ${sf(botId)}`;
    return row ? toRole(row) : null;
  }

  async updateRole(r: Role): Promise<void> {
    await this.sql`UPDATE roles SET name = ${r.name}, permissions = ${r.permissions.toString()}, position = ${r.position}, color = ${r.color},
      hoist = ${r.hoist}, mentionable = ${r.mentionable} WHERE id = ${r.id}`;
  }

  /** Also drops the role's channel overwrites: overwrites.target_id has no foreign key to cascade from. */
  async deleteRole(roleId: string): Promise<void> {
    await this.sql`DELETE FROM overwrites WHERE target_id = ${sf(roleId)} AND type = 0`;
    await this.sql`DELETE FROM roles WHERE id = ${sf(roleId)}`;
  }

  // ---- members ----

  async insertMember(guildId: string, userId: string, joinedAt: number): Promise<void> {
    await this.sql`INSERT INTO members (guild_id, user_id, joined_at) VALUES (${guildId}, ${userId}, ${joinedAt})`;
  }

  async member(guildId: string, userId: string): Promise<Member | null> {
    const [row] = await this.sql<MemberRow[]>`${this.sql.unsafe(MEMBER_SELECT)} WHERE m.guild_id = ${sf(guildId)} AND m.user_id = ${sf(userId)}`;
    return row ? toMember(row) : null;
  }

  async members(guildId: string, limit: number, after: string): Promise<Member[]> {
    const rows = await this.sql<MemberRow[]>`
      ${this.sql.unsafe(MEMBER_SELECT)} WHERE m.guild_id = ${sf(guildId)} AND m.user_id > ${sf(after)} ORDER BY m.user_id LIMIT ${limit}`;
    return rows.map(toMember);
  }

  async memberIds(guildId: string): Promise<string[]> {
    return (await this.sql<{ user_id: string }[]>`SELECT user_id FROM members WHERE guild_id = ${sf(guildId)}`).map((r) => r.user_id);
  }

  async memberCount(guildId: string): Promise<number> {
    const [row] = await this.sql<{ n: string }[]>`SELECT count(*) AS n FROM members WHERE guild_id = ${sf(guildId)}`;
    return row ? num(row.n) : 0;
  }

  async setNick(guildId: string, userId: string, nick: string | null): Promise<void> {
    await this.sql`UPDATE members SET nick = ${nick} WHERE guild_id = ${sf(guildId)} AND user_id = ${sf(userId)}`;
  }

  async addMemberRole(guildId: string, userId: string, roleId: string): Promise<void> {
    await this.sql`INSERT INTO member_roles (guild_id, user_id, role_id) VALUES (${guildId}, ${userId}, ${roleId}) ON CONFLICT DO NOTHING`;
  }

  async removeMemberRole(guildId: string, userId: string, roleId: string): Promise<void> {
    await this.sql`DELETE FROM member_roles WHERE guild_id = ${sf(guildId)} AND user_id = ${sf(userId)} AND role_id = ${sf(roleId)}`;
  }

  async deleteMember(guildId: string, userId: string): Promise<void> {
    await this.sql`DELETE FROM members WHERE guild_id = ${sf(guildId)} AND user_id = ${sf(userId)}`;
  }

  /** Users who share at least one guild with `userId` (who may see their presence). */
  async sharesGuild(userId: string, otherId: string): Promise<boolean> {
    const rows = await this.sql`
      SELECT 1 FROM members a JOIN members b ON a.guild_id = b.guild_id WHERE a.user_id = ${sf(userId)} AND b.user_id = ${sf(otherId)} LIMIT 1`;
    return rows.length > 0;
  }

  // ---- bans ----

  async insertBan(guildId: string, userId: string, reason: string | null, at: number): Promise<void> {
    await this.sql`INSERT INTO bans (guild_id, user_id, reason, created_at) VALUES (${guildId}, ${userId}, ${reason}, ${at})
      ON CONFLICT (guild_id, user_id) DO UPDATE SET reason = excluded.reason`;
  }

  async isBanned(guildId: string, userId: string): Promise<boolean> {
    return (await this.sql`SELECT 1 FROM bans WHERE guild_id = ${sf(guildId)} AND user_id = ${sf(userId)}`).length > 0;
  }

  async bans(guildId: string): Promise<{ userId: string; reason: string | null }[]> {
    const rows = await this.sql<
      { user_id: string; reason: string | null }[]
    >`SELECT user_id, reason FROM bans WHERE guild_id = ${sf(guildId)} ORDER BY user_id`;
    return rows.map((r) => ({ userId: r.user_id, reason: r.reason }));
  }

  async deleteBan(guildId: string, userId: string): Promise<boolean> {
    return (await this.sql`DELETE FROM bans WHERE guild_id = ${sf(guildId)} AND user_id = ${sf(userId)}`).count > 0;
  }
}

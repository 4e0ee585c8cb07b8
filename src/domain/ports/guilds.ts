// Guilds, roles, members (with their roles) and bans.
// A port: the domain declares it, src/store/sqlite (and src/store/postgres) implement it. See ./index.ts.
import type { Guild, Member, Role } from '../model/guild.ts';

export interface GuildsRepo {
  insertGuild(g: Guild): Promise<void>;
  guild(guildId: string): Promise<Guild | null>;
  guildsOf(userId: string): Promise<Guild[]>;
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
  ): Promise<void>;
  deleteGuild(guildId: string): Promise<void>;
  insertRole(r: Role): Promise<void>;
  roles(guildId: string): Promise<Role[]>;
  role(guildId: string, roleId: string): Promise<Role | null>;
  botRole(guildId: string, botId: string): Promise<Role | null>;
  updateRole(r: Role): Promise<void>;
  /** Also drops the role's channel overwrites: overwrites.target_id has no foreign key to cascade from. */
  deleteRole(roleId: string): Promise<void>;
  insertMember(guildId: string, userId: string, joinedAt: number): Promise<void>;
  member(guildId: string, userId: string): Promise<Member | null>;
  members(guildId: string, limit: number, after: string): Promise<Member[]>;
  memberIds(guildId: string): Promise<string[]>;
  memberCount(guildId: string): Promise<number>;
  setNick(guildId: string, userId: string, nick: string | null): Promise<void>;
  addMemberRole(guildId: string, userId: string, roleId: string): Promise<void>;
  removeMemberRole(guildId: string, userId: string, roleId: string): Promise<void>;
  deleteMember(guildId: string, userId: string): Promise<void>;
  /** Users who share at least one guild with `userId` (who may see their presence). */
  sharesGuild(userId: string, otherId: string): Promise<boolean>;
  insertBan(guildId: string, userId: string, reason: string | null, at: number): Promise<void>;
  isBanned(guildId: string, userId: string): Promise<boolean>;
  bans(guildId: string): Promise<
    {
      userId: string;
      reason: string | null;
    }[]
  >;
  deleteBan(guildId: string, userId: string): Promise<boolean>;
}

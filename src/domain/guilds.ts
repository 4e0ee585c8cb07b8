// Guilds ("servers"): creating one makes its @everyone role, #general and the owner's membership.

import { RESTJSONErrorCodes as Codes } from 'discord-api-types/v10';
import type { FileStore } from '../files/file-store.ts';
import { ApiError, invalidField, unknown } from '../http/api-error.ts';
import type { AccessService } from './access.ts';
import { type AuditLog, diff } from './audit-log.ts';
import type { Clock } from './clock.ts';
import { endMembership } from './guild-bots.ts';
import { type ImageUpload, prepareProfileImage, storedImage } from './images.ts';
import type { Guild } from './model/guild.ts';
import { DEFAULT_EVERYONE_PERMISSIONS, Permission } from './permissions.ts';
import type { ChannelsRepo, GuildsRepo, ImagesRepo } from './ports/index.ts';
import type { Emit, UnitOfWork } from './ports/unit-of-work.ts';
import type { SnowflakeGenerator } from './snowflake.ts';
import { leaveThreads } from './threads.ts';

export type { Guild } from './model/guild.ts';

/** GuildSystemChannelFlags.SuppressJoinNotifications: no "X joined the server" messages. */
export const SUPPRESS_JOIN_NOTIFICATIONS = 1;
/** The flags Discord defines (join, boost, setup tips, join replies, role subscription ones): kept as sent. */
const SYSTEM_FLAGS_KNOWN = 0b111111;

export const GUILD_NAME_MAX = 100;
export const GUILDS_PER_USER_MAX = 100;

export function checkGuildName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length < 2 || trimmed.length > GUILD_NAME_MAX) throw invalidField('name', 'BASE_TYPE_BAD_LENGTH', `Name must be 2-${GUILD_NAME_MAX} characters`);
  return trimmed;
}

export class GuildService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly guilds: GuildsRepo,
    private readonly channels: ChannelsRepo,
    private readonly images: ImagesRepo,
    private readonly files: FileStore,
    private readonly access: AccessService,
    private readonly ids: SnowflakeGenerator,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {}

  async create(ownerId: string, input: { name: string; icon?: string | null; description?: string | null }): Promise<Guild> {
    const name = checkGuildName(input.name);
    const tooMany = async () => (await this.guilds.guildsOf(ownerId)).length >= GUILDS_PER_USER_MAX;
    const full = () => new ApiError(400, Codes.MaximumNumberOfGuildsReached, `Maximum number of guilds reached (${GUILDS_PER_USER_MAX})`);
    if (await tooMany()) throw full();
    const icon = await prepareProfileImage('icon', input.icon, this.files);
    return this.uow.write(async (emit) => {
      if (await tooMany()) throw full();
      const { id, at: now } = this.ids.mint();
      const guild: Guild = { id, name, ownerId, icon: icon?.hash ?? null, description: input.description ?? null, createdAt: now };
      await this.guilds.insertGuild(guild);
      if (icon) await this.images.insert('icon', id, storedImage(icon), now);
      await this.guilds.insertRole({
        id: guild.id,
        guildId: guild.id,
        name: '@everyone',
        permissions: DEFAULT_EVERYONE_PERMISSIONS,
        position: 0,
        color: 0,
        hoist: false,
        mentionable: false,
        botId: null,
      });
      const general = this.ids.mint();
      await this.channels.insert({
        id: general.id,
        guildId: guild.id,
        type: 0,
        name: 'general',
        topic: null,
        position: 0,
        lastMessageId: null,
        createdAt: general.at,
      });
      // As on Discord, a new guild's #general is where members' arrivals are announced.
      await this.guilds.updateGuild(guild.id, { systemChannelId: general.id });
      guild.systemChannelId = general.id;
      guild.systemChannelFlags = 0;
      await this.guilds.insertMember(guild.id, ownerId, now);
      emit({ type: 'guild.create', guild });
      return guild;
    });
  }

  async get(guildId: string, userId: string): Promise<Guild> {
    return (await this.access.guild(guildId, userId)).guild;
  }

  async listFor(userId: string): Promise<Guild[]> {
    return this.guilds.guildsOf(userId);
  }

  async update(
    guildId: string,
    userId: string,
    fields: { name?: string; icon?: string | null; description?: string | null; systemChannelId?: string | null; systemChannelFlags?: number },
  ): Promise<Guild> {
    await this.access.requireGuildPermission(guildId, userId, Permission.ManageGuild);
    if (fields.systemChannelId != null) {
      const channel = await this.channels.byId(fields.systemChannelId);
      if (!channel || channel.guildId !== guildId || channel.type !== 0 || channel.thread)
        throw invalidField('system_channel_id', 'GUILD_SYSTEM_CHANNEL_INVALID', 'The system channel must be a text channel of this guild');
    }
    const flags = fields.systemChannelFlags;
    if (flags !== undefined && (!Number.isInteger(flags) || flags < 0 || (flags & ~SYSTEM_FLAGS_KNOWN) !== 0))
      throw invalidField('system_channel_flags', 'NUMBER_TYPE_COERCE', 'System channel flags must be a combination of known flags');
    const name = fields.name === undefined ? undefined : checkGuildName(fields.name);
    if (fields.description != null && fields.description.length > 1000)
      throw invalidField('description', 'BASE_TYPE_MAX_LENGTH', 'Description must be at most 1000 characters');
    // The icon is an image as a data URI (see images.ts), written only once every other field has passed.
    const icon = await prepareProfileImage('icon', fields.icon, this.files);
    return this.uow.write(async (emit) => {
      const before = await this.mustGet(guildId);
      await this.replaceIcon(guildId, icon);
      await this.guilds.updateGuild(guildId, {
        name,
        description: fields.description,
        systemChannelId: fields.systemChannelId,
        systemChannelFlags: flags,
        ...(icon === undefined ? {} : { icon: icon?.hash ?? null }),
      });
      const guild = await this.mustGet(guildId);
      const changes = diff([
        ['name', before.name, guild.name],
        ['icon_hash', before.icon, guild.icon],
        ['description', before.description, guild.description],
        ['system_channel_id', before.systemChannelId ?? null, guild.systemChannelId ?? null],
        ['system_channel_flags', before.systemChannelFlags ?? 0, guild.systemChannelFlags ?? 0],
      ]);
      if (changes.length > 0) await this.audit.record(emit, { guildId, actorId: userId, action: 'guild.update', targetId: guildId, changes });
      emit({ type: 'guild.update', guild });
      return guild;
    });
  }

  /** Only the owner may delete a guild. */
  async delete(guildId: string, userId: string): Promise<void> {
    const { guild } = await this.access.guild(guildId, userId);
    if (guild.ownerId !== userId) throw new ApiError(403, Codes.MissingPermissions, 'Only the owner can delete this guild');
    await this.uow.write(async (emit) => {
      const memberIds = await this.guilds.memberIds(guildId);
      await this.guilds.deleteGuild(guildId);
      emit({ type: 'guild.delete', guildId, memberIds });
    });
  }

  async leave(guildId: string, userId: string): Promise<void> {
    const { guild } = await this.access.guild(guildId, userId);
    if (guild.ownerId === userId) throw new ApiError(400, Codes.InvalidGuild, 'The owner cannot leave their guild; delete it or transfer ownership');
    await this.uow.write(async (emit) => {
      await endMembership(this.guilds, guildId, userId, emit);
      await this.channels.deleteOverwritesFor(guildId, userId);
      emit({ type: 'member.leave', guildId, userId, reason: 'leave' });
      await leaveThreads(this.uow.repos, guildId, userId, emit);
    });
  }

  /** Adds a user (invite accepted, bot added); banned users are refused. Returns false if already a member. */
  async join(guildId: string, userId: string, emit: Emit): Promise<boolean> {
    if (await this.guilds.isBanned(guildId, userId)) throw new ApiError(403, Codes.MissingAccess, 'You are banned from this guild');
    if (await this.guilds.member(guildId, userId)) return false;
    await this.guilds.insertMember(guildId, userId, this.clock.now());
    const member = await this.guilds.member(guildId, userId);
    if (member) emit({ type: 'member.join', member });
    return true;
  }

  /** Records a new icon's row and drops the old one's, so the old URL stops answering. */
  private async replaceIcon(guildId: string, icon: ImageUpload | null | undefined): Promise<void> {
    if (icon === undefined) return;
    const previous = (await this.mustGet(guildId)).icon;
    if (icon) await this.images.insert('icon', guildId, storedImage(icon), this.clock.now());
    if (previous !== null && previous !== icon?.hash) await this.images.delete('icon', guildId, previous);
  }

  private async mustGet(guildId: string): Promise<Guild> {
    const guild = await this.guilds.guild(guildId);
    if (!guild) throw unknown.guild();
    return guild;
  }
}

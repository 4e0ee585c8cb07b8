// Text channels in guilds (with permission overwrites) and two-person DM channels.
import { ChannelType, RESTJSONErrorCodes as Codes } from 'discord-api-types/v10';
import { ApiError, invalidField, missingPermissions, unknown } from '../http/api-error.ts';
import type { AccessService } from './access.ts';
import { type AuditLog, type AuditValue, created, diff, removed } from './audit-log.ts';
import type { DmPolicy } from './dm-policy.ts';
import type { Channel } from './model/channel.ts';
import { ALL_PERMISSIONS, has, type Overwrite, Permission } from './permissions.ts';
import type { ChannelsRepo, GuildsRepo, UsersRepo } from './ports/index.ts';
import type { UnitOfWork } from './ports/unit-of-work.ts';
import type { SnowflakeGenerator } from './snowflake.ts';

export type { Channel, ThreadMember, ThreadState } from './model/channel.ts';

export const CHANNELS_PER_GUILD_MAX = 500;

/** Discord-style text channel names: lower case, spaces become dashes, 1-100 characters. */
export function normalizeChannelName(name: string): string {
  const normalized = name.trim().toLowerCase().replace(/\s+/g, '-');
  if (normalized.length < 1 || normalized.length > 100) throw invalidField('name', 'BASE_TYPE_BAD_LENGTH', 'Channel name must be 1-100 characters');
  return normalized;
}

function checkTopic(topic: string | null | undefined): void {
  if (topic != null && topic.length > 1024) throw invalidField('topic', 'BASE_TYPE_MAX_LENGTH', 'Topic must be at most 1024 characters');
}

export class ChannelService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly channels: ChannelsRepo,
    private readonly guilds: GuildsRepo,
    private readonly users: UsersRepo,
    private readonly access: AccessService,
    private readonly dmPolicy: DmPolicy,
    private readonly ids: SnowflakeGenerator,
    private readonly audit: AuditLog,
  ) {}

  async create(
    guildId: string,
    userId: string,
    input: { name: string; type?: number; topic?: string | null; position?: number; overwrites?: Overwrite[] },
  ): Promise<Channel> {
    await this.access.requireGuildPermission(guildId, userId, Permission.ManageChannels);
    if (input.type !== undefined && input.type !== ChannelType.GuildText)
      throw invalidField('type', 'BASE_TYPE_CHOICES', 'Only text channels (type 0) are supported');
    const name = normalizeChannelName(input.name);
    checkTopic(input.topic);
    for (const o of input.overwrites ?? []) await this.checkOverwriteTarget(guildId, o);
    return this.uow.write(async (emit) => {
      const count = await this.channels.count(guildId);
      if (count >= CHANNELS_PER_GUILD_MAX)
        throw new ApiError(400, Codes.MaximumNumberOfGuildChannelsReached, `Maximum number of channels reached (${CHANNELS_PER_GUILD_MAX})`);
      const { id: channelId, at } = this.ids.mint();
      await this.channels.insert({
        id: channelId,
        guildId,
        type: ChannelType.GuildText,
        name,
        topic: input.topic ?? null,
        position: input.position ?? count,
        lastMessageId: null,
        createdAt: at,
      });
      for (const o of input.overwrites ?? []) await this.channels.putOverwrite(channelId, o);
      const channel = await this.mustGet(channelId);
      await this.audit.record(emit, { guildId, actorId: userId, action: 'channel.create', targetId: channelId, changes: created(channelFields(channel)) });
      emit({ type: 'channel.create', channel });
      return channel;
    });
  }

  /** The guild's channels the caller can see. */
  async list(guildId: string, userId: string): Promise<Channel[]> {
    const access = await this.access.guild(guildId, userId);
    const visible: Channel[] = [];
    for (const c of await this.channels.ofGuild(guildId)) if (has(await this.access.inChannel(access, c), Permission.ViewChannel)) visible.push(c);
    return visible;
  }

  async get(channelId: string, userId: string): Promise<Channel> {
    return (await this.access.channel(channelId, userId)).channel;
  }

  async update(channelId: string, userId: string, fields: { name?: string; topic?: string | null; position?: number }): Promise<Channel> {
    const { channel } = await this.requireManage(channelId, userId, Permission.ManageChannels);
    const name = fields.name === undefined ? undefined : normalizeChannelName(fields.name);
    checkTopic(fields.topic);
    return this.uow.write(async (emit) => {
      await this.channels.update(channel.id, { ...fields, name });
      const updated = await this.mustGet(channel.id);
      const before = new Map(channelFields(channel));
      const changes = diff(channelFields(updated).map(([key, value]) => [key, before.get(key), value] as const));
      if (changes.length > 0)
        await this.audit.record(emit, { guildId: channel.guildId as string, actorId: userId, action: 'channel.update', targetId: channel.id, changes });
      emit({ type: 'channel.update', channel: updated });
      return updated;
    });
  }

  async delete(channelId: string, userId: string): Promise<Channel> {
    const { channel } = await this.requireManage(channelId, userId, Permission.ManageChannels);
    await this.uow.write(async (emit) => {
      // Its threads go with it, each announced first (THREAD_DELETE), as their own channels.
      const threads = [...(await this.channels.threadsOfParent(channel.id, false)), ...(await this.channels.threadsOfParent(channel.id, true))];
      await this.channels.delete(channel.id);
      await this.audit.record(emit, {
        guildId: channel.guildId as string,
        actorId: userId,
        action: 'channel.delete',
        targetId: channel.id,
        changes: removed(channelFields(channel)),
      });
      for (const thread of threads) emit({ type: 'channel.delete', channel: thread });
      emit({ type: 'channel.delete', channel });
    });
    return channel;
  }

  /** Overwrites need MANAGE_ROLES in the channel, and cannot grant what the actor lacks. */
  async putOverwrite(channelId: string, userId: string, overwrite: Overwrite): Promise<Channel> {
    const { channel, permissions } = await this.requireManage(channelId, userId, Permission.ManageRoles);
    if (channel.guildId === null) throw unknown.channel();
    await this.checkOverwriteTarget(channel.guildId, overwrite);
    if (!has(permissions, ALL_PERMISSIONS) && (!has(permissions, overwrite.allow) || !has(permissions, overwrite.deny))) {
      throw new ApiError(403, Codes.MissingPermissions, 'Missing Permissions: cannot allow or deny permissions you do not have');
    }
    return this.uow.write(async (emit) => {
      await this.channels.putOverwrite(channel.id, overwrite);
      const updated = await this.mustGet(channel.id);
      const before = channel.overwrites.find((o) => o.id === overwrite.id);
      const fields = (o: Overwrite): [string, AuditValue][] => [
        ['allow', o.allow.toString()],
        ['deny', o.deny.toString()],
      ];
      const changes = before
        ? diff(fields(overwrite).map(([key, value], i) => [key, fields(before)[i]?.[1], value] as const))
        : created([...fields(overwrite), ['id', overwrite.id], ['type', overwrite.type]]);
      if (changes.length > 0) {
        await this.audit.record(emit, {
          guildId: channel.guildId as string,
          actorId: userId,
          action: before ? 'overwrite.update' : 'overwrite.create',
          targetId: channel.id,
          changes,
          options: await this.overwriteOptions(channel.guildId as string, overwrite),
        });
      }
      emit({ type: 'channel.update', channel: updated });
      return updated;
    });
  }

  async deleteOverwrite(channelId: string, userId: string, targetId: string): Promise<Channel> {
    const { channel } = await this.requireManage(channelId, userId, Permission.ManageRoles);
    return this.uow.write(async (emit) => {
      await this.channels.deleteOverwrite(channel.id, targetId);
      const updated = await this.mustGet(channel.id);
      const before = channel.overwrites.find((o) => o.id === targetId);
      if (before) {
        await this.audit.record(emit, {
          guildId: channel.guildId as string,
          actorId: userId,
          action: 'overwrite.delete',
          targetId: channel.id,
          changes: removed([
            ['id', before.id],
            ['type', before.type],
            ['allow', before.allow.toString()],
            ['deny', before.deny.toString()],
          ]),
          options: await this.overwriteOptions(channel.guildId as string, before),
        });
      }
      emit({ type: 'channel.update', channel: updated });
      return updated;
    });
  }

  /** Opens (or returns) the DM channel between two users, if the recipient's DM setting lets the caller write to them. */
  async openDm(userId: string, recipientId: string): Promise<Channel> {
    if (recipientId === userId) throw invalidField('recipient_id', 'DM_SELF', 'You cannot open a DM with yourself');
    const recipient = await this.users.byId(recipientId);
    if (!recipient || recipient.disabled) throw unknown.user();
    await this.dmPolicy.requireAllowed(userId, recipientId);
    return this.uow.write(async (emit) => {
      const existing = await this.channels.dmBetween(userId, recipientId);
      if (existing) return existing;
      const { id: channelId, at } = this.ids.mint();
      await this.channels.insert({
        id: channelId,
        guildId: null,
        type: ChannelType.DM,
        name: null,
        topic: null,
        position: 0,
        lastMessageId: null,
        createdAt: at,
      });
      await this.channels.insertDm(channelId, userId, recipientId);
      const channel = await this.mustGet(channelId);
      emit({ type: 'channel.create', channel });
      return channel;
    });
  }

  async dmsOf(userId: string): Promise<Channel[]> {
    return this.channels.dmsOf(userId);
  }

  private async requireManage(channelId: string, userId: string, flag: bigint) {
    const result = await this.access.channel(channelId, userId);
    if (result.channel.guildId === null) throw new ApiError(400, Codes.CannotExecuteActionOnDMChannel, 'Cannot execute action on a DM channel');
    // Threads have no overwrites or position of their own; threads.ts changes and deletes them.
    if (result.channel.thread) throw new ApiError(400, Codes.CannotExecuteActionOnThisChannelType, 'Cannot execute action on this channel type');
    if (!has(result.permissions, flag)) throw missingPermissions();
    return result;
  }

  /** Discord's options of an overwrite entry: its target, kind, and (for a role) the role's name. */
  private async overwriteOptions(guildId: string, o: Overwrite) {
    const roleName = o.type === 0 ? (await this.guilds.role(guildId, o.id))?.name : undefined;
    return { overwriteId: o.id, overwriteType: o.type, ...(roleName === undefined ? {} : { roleName }) };
  }

  private async checkOverwriteTarget(guildId: string, o: Overwrite): Promise<void> {
    const exists = o.type === 0 ? (await this.guilds.role(guildId, o.id)) !== null : (await this.guilds.member(guildId, o.id)) !== null;
    if (!exists) throw o.type === 0 ? unknown.role() : unknown.member();
  }

  private async mustGet(channelId: string): Promise<Channel> {
    const channel = await this.channels.byId(channelId);
    if (!channel) throw unknown.channel();
    return channel;
  }
}

/** A channel's fields under Discord's audit log change keys. */
function channelFields(channel: Channel): [string, AuditValue][] {
  return [
    ['name', channel.name],
    ['type', channel.type],
    ['topic', channel.topic],
    ['position', channel.position],
  ];
}

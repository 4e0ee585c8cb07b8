// Group DMs (Discord's channel type 3): 2-10 people, an owner, a name and an icon. People only (as on Discord, bots
// cannot be in one). Each person added must accept DMs from whoever adds them (dm-policy.ts); any member may rename
// it or add people, the owner removes them, anyone may leave (the owner's place passes to the longest-standing member).
import { ChannelType, RESTJSONErrorCodes as Codes } from 'discord-api-types/v10';
import { ApiError, invalidField, missingPermissions, unknown } from '../http/api-error.ts';
import type { AccessService } from './access.ts';
import type { Channel } from './channels.ts';
import type { Clock } from './clock.ts';
import type { DmPolicy } from './dm-policy.ts';
import type { ChannelsRepo, UsersRepo } from './ports/index.ts';
import type { UnitOfWork } from './ports/unit-of-work.ts';
import type { SnowflakeGenerator } from './snowflake.ts';

export const GROUP_DM_MAX = 10;
const NAME_MAX = 100;

export class GroupDmService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly channels: ChannelsRepo,
    private readonly users: UsersRepo,
    private readonly access: AccessService,
    private readonly dmPolicy: DmPolicy,
    private readonly ids: SnowflakeGenerator,
    private readonly clock: Clock,
  ) {}

  /** A new group with the caller as owner and 1-9 others (everyone gets CHANNEL_CREATE). */
  async create(ownerId: string, recipientIds: readonly string[], input: { name?: string | null; icon?: string | null } = {}): Promise<Channel> {
    await this.requirePerson(ownerId);
    const others = [...new Set(recipientIds)].filter((id) => id !== ownerId);
    if (others.length < 1 || others.length > GROUP_DM_MAX - 1)
      throw invalidField('recipients', 'BASE_TYPE_BAD_LENGTH', `A group DM has 2 to ${GROUP_DM_MAX} people: name 1 to ${GROUP_DM_MAX - 1} others`);
    for (const id of others) await this.checkJoiner(ownerId, id);
    const name = checkName(input.name);
    return this.uow.write(async (emit) => {
      const { id: channelId, at } = this.ids.mint();
      await this.channels.insert({
        id: channelId,
        guildId: null,
        type: ChannelType.GroupDM,
        name,
        topic: null,
        position: 0,
        lastMessageId: null,
        createdAt: at,
      });
      await this.channels.insertGroup(channelId, ownerId, input.icon ?? null);
      await this.channels.addGroupRecipient(channelId, ownerId, at);
      // Added one after another, so the members keep the order they were named in.
      for (const [i, id] of others.entries()) await this.channels.addGroupRecipient(channelId, id, at + i + 1);
      const channel = await this.mustGet(channelId);
      emit({ type: 'channel.create', channel });
      return channel;
    });
  }

  /** Any member adds someone (who must accept DMs from them); CHANNEL_RECIPIENT_ADD to the group, CHANNEL_CREATE to them. */
  async addRecipient(channelId: string, actorId: string, userId: string): Promise<Channel> {
    const channel = await this.groupOf(channelId, actorId);
    if (channel.recipientIds.includes(userId)) return channel;
    if (channel.recipientIds.length >= GROUP_DM_MAX)
      throw new ApiError(400, Codes.MaximumNumberOfRecipientsReached, `Maximum number of recipients reached (${GROUP_DM_MAX})`);
    await this.checkJoiner(actorId, userId);
    return this.uow.write(async (emit) => {
      await this.channels.addGroupRecipient(channel.id, userId, this.clock.now());
      const updated = await this.mustGet(channel.id);
      emit({ type: 'dm.recipient_add', channel: updated, userId });
      return updated;
    });
  }

  /** The owner removes someone, or anyone leaves; the last one out deletes the group. */
  async removeRecipient(channelId: string, actorId: string, userId: string): Promise<Channel> {
    const channel = await this.groupOf(channelId, actorId);
    if (userId !== actorId && channel.group?.ownerId !== actorId) throw missingPermissions();
    if (!channel.recipientIds.includes(userId)) throw unknown.user();
    return this.uow.write(async (emit) => {
      await this.channels.removeGroupRecipient(channel.id, userId);
      const remaining = channel.recipientIds.filter((id) => id !== userId);
      if (remaining.length === 0) {
        await this.channels.delete(channel.id);
        emit({ type: 'channel.delete', channel });
        return channel;
      }
      if (channel.group?.ownerId === userId) await this.channels.updateGroup(channel.id, { ownerId: remaining[0] });
      const updated = await this.mustGet(channel.id);
      emit({ type: 'dm.recipient_remove', channel: updated, userId });
      return updated;
    });
  }

  /** Any member renames it or changes its icon (an http(s) URL, or null). */
  async update(channelId: string, actorId: string, fields: { name?: string | null; icon?: string | null }): Promise<Channel> {
    const channel = await this.groupOf(channelId, actorId);
    const name = fields.name === undefined ? undefined : checkName(fields.name);
    return this.uow.write(async (emit) => {
      if (name !== undefined) await this.channels.update(channel.id, { name });
      if (fields.icon !== undefined) await this.channels.updateGroup(channel.id, { icon: fields.icon });
      const updated = await this.mustGet(channel.id);
      emit({ type: 'channel.update', channel: updated });
      return updated;
    });
  }

  private async groupOf(channelId: string, actorId: string): Promise<Channel> {
    const { channel } = await this.access.channel(channelId, actorId);
    if (channel.type !== ChannelType.GroupDM) throw new ApiError(400, Codes.CannotExecuteActionOnThisChannelType, 'Only a group DM has recipients');
    return channel;
  }

  private async requirePerson(userId: string): Promise<void> {
    if ((await this.users.byId(userId))?.bot) throw new ApiError(403, Codes.MissingAccess, 'Bots cannot be in group DMs');
  }

  private async checkJoiner(actorId: string, userId: string): Promise<void> {
    const user = await this.users.byId(userId);
    if (!user || user.disabled) throw unknown.user();
    if (user.bot) throw invalidField('recipients', 'GROUP_DM_BOT', 'Bots cannot be in group DMs');
    await this.dmPolicy.requireAllowed(actorId, userId);
  }

  private async mustGet(channelId: string): Promise<Channel> {
    const channel = await this.channels.byId(channelId);
    if (!channel) throw unknown.channel();
    return channel;
  }
}

function checkName(name: string | null | undefined): string | null {
  if (name == null) return null;
  const trimmed = name.trim();
  if (trimmed.length > NAME_MAX) throw invalidField('name', 'BASE_TYPE_MAX_LENGTH', `Must be ${NAME_MAX} or fewer in length.`);
  return trimmed === '' ? null : trimmed;
}

// Read state and notifications: where each person stopped reading each channel, the mentions that arrived since,
// how loudly each guild and channel may notify them, and closing direct messages. Mention counts are kept by the
// message hot path in a few statements per message (see recordMessage), never by reading each recipient.
import { RESTJSONErrorCodes as Codes } from 'discord-api-types/v10';
import { ApiError, unknown } from '../http/api-error.ts';
import type { AccessService } from './access.ts';
import type { Channel } from './channels.ts';
import type { Message } from './messages.ts';
import type { GuildNotificationSettings, NotificationLevel, NotificationSetting, ReadState } from './model/read-state.ts';
import type { MessagesRepo, ReadStatesRepo } from './ports/index.ts';
import type { Emit, UnitOfWork } from './ports/unit-of-work.ts';

export type { GuildNotificationSettings, NotificationLevel, NotificationSetting, ReadState } from './model/read-state.ts';

/** A change: absent parts stay; a channel override with `level` null and `muted` false is removed. */
export type NotificationSettingsChange = {
  level?: NotificationLevel | null;
  muted?: boolean;
  channels?: { channelId: string; level?: NotificationLevel | null; muted?: boolean }[];
};

export const CHANNEL_OVERRIDES_MAX = 500;

export class ReadStateService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly store: ReadStatesRepo,
    private readonly messages: MessagesRepo,
    private readonly access: AccessService,
  ) {}

  /** Every read state of the user (channels they never opened and were never mentioned in have none). */
  async of(userId: string): Promise<ReadState[]> {
    return await this.store.ofUser(userId);
  }

  /**
   * Marks the channel read up to `messageId` (a message of that channel) for the caller, on every device: the
   * caller's other sessions hear MESSAGE_ACK. Acking an earlier message marks what follows unread again.
   */
  async ack(channelId: string, userId: string, messageId: string, mentionCount = 0): Promise<ReadState> {
    const { channel } = await this.access.channel(channelId, userId);
    const message = await this.messages.byId(messageId);
    if (!message || message.channelId !== channel.id) throw unknown.message();
    return this.uow.write(async (emit) => {
      await this.store.ack(userId, channel.id, messageId, mentionCount);
      emit({ type: 'read_state.ack', userId, channelId: channel.id, guildId: channel.guildId, messageId, mentionCount });
      return { channelId: channel.id, lastReadMessageId: messageId, mentionCount };
    });
  }

  /**
   * Inside the send's transaction: the author has read their channel up to their own message; everyone the message
   * mentions has one more mention (every message counts in a DM, as on Discord); a closed DM opens again.
   */
  async recordMessage(emit: Emit, channel: Channel, message: Message, authorIsUser: boolean): Promise<void> {
    if (authorIsUser) await this.store.ackOwnMessage(message.authorId, channel.id, message.id);
    if (channel.guildId === null) {
      await this.store.mentionUsers(
        channel.id,
        channel.recipientIds.filter((id) => id !== message.authorId),
      );
      const reopened = await this.store.reopenDm(channel.id);
      if (reopened.length > 0) emit({ type: 'dm.reopen', channel, userIds: reopened });
      return;
    }
    const users = message.mentions.filter((id) => id !== message.authorId);
    const counted = [...users, message.authorId];
    await this.store.mentionUsers(channel.id, users);
    if (message.mentionEveryone) await this.store.mentionGuild(channel.id, channel.guildId, counted);
    else if (message.mentionRoles?.length) await this.store.mentionRoles(channel.id, channel.guildId, message.mentionRoles, counted);
  }

  /** Hides a DM from the caller's list (only theirs); the next message in it brings it back. */
  async closeDm(channelId: string, userId: string): Promise<Channel> {
    const { channel } = await this.access.channel(channelId, userId);
    if (channel.guildId !== null) throw new ApiError(400, Codes.CannotExecuteActionOnThisChannelType, 'Only a direct message can be closed');
    await this.uow.write(async (emit) => {
      await this.store.closeDm(channel.id, userId);
      emit({ type: 'dm.close', channel, userId });
    });
    return channel;
  }

  /** Opening a DM (POST /users/@me/channels) brings it back to the caller's list if they had closed it. */
  async reopenDm(channel: Channel, userId: string): Promise<Channel> {
    if (channel.guildId !== null) return channel;
    await this.uow.write(async (emit) => {
      if (await this.store.openDmFor(channel.id, userId)) emit({ type: 'dm.reopen', channel, userIds: [userId] });
    });
    return channel;
  }

  /** The user's DMs, the ones they closed left out. */
  async openDms(userId: string, dms: readonly Channel[]): Promise<Channel[]> {
    const closed = await this.store.closedDms(userId);
    return dms.filter((dm) => !closed.has(dm.id));
  }

  async closedDms(userId: string): Promise<Set<string>> {
    return await this.store.closedDms(userId);
  }

  /** The user's settings in every guild where they changed any. */
  async settingsOf(userId: string): Promise<GuildNotificationSettings[]> {
    return [...(await this.store.settingsOf(userId))].map(([guildId, rows]) => toGuildSettings(guildId, rows));
  }

  async settingsIn(guildId: string, userId: string): Promise<GuildNotificationSettings> {
    await this.access.guild(guildId, userId);
    return toGuildSettings(guildId, (await this.store.settingsOf(userId)).get(guildId) ?? []);
  }

  /** Changes the caller's notification settings in one guild (a member's); USER_GUILD_SETTINGS_UPDATE to their sessions. */
  async updateSettings(guildId: string, userId: string, change: NotificationSettingsChange): Promise<GuildNotificationSettings> {
    const current = await this.settingsIn(guildId, userId);
    const overrides = change.channels ?? [];
    if (overrides.length > CHANNEL_OVERRIDES_MAX)
      throw new ApiError(400, Codes.InvalidFormBodyOrContentType, `At most ${CHANNEL_OVERRIDES_MAX} channel overrides`);
    for (const o of overrides) {
      const channel = (await this.access.channel(o.channelId, userId)).channel;
      if (channel.guildId !== guildId) throw unknown.channel();
    }
    return this.uow.write(async (emit) => {
      await this.store.putSetting(userId, guildId, {
        channelId: null,
        level: change.level === undefined ? current.level : change.level,
        muted: change.muted ?? current.muted,
      });
      for (const o of overrides) {
        const was = current.channels.find((c) => c.channelId === o.channelId);
        await this.store.putSetting(userId, guildId, {
          channelId: o.channelId,
          level: o.level === undefined ? (was?.level ?? null) : o.level,
          muted: o.muted ?? was?.muted ?? false,
        });
      }
      const settings = toGuildSettings(guildId, (await this.store.settingsOf(userId)).get(guildId) ?? []);
      emit({ type: 'notification_settings.update', userId, settings });
      return settings;
    });
  }
}

function toGuildSettings(guildId: string, rows: readonly NotificationSetting[]): GuildNotificationSettings {
  const own = rows.find((r) => r.channelId === null);
  return {
    guildId,
    level: own?.level ?? null,
    muted: own?.muted ?? false,
    channels: rows.flatMap((r) => (r.channelId === null ? [] : [{ channelId: r.channelId, level: r.level, muted: r.muted }])),
  };
}

// Read state (where each person stopped reading each channel) and notification settings.

export type ReadState = { channelId: string; lastReadMessageId: string | null; mentionCount: number };

/** 0 all messages, 1 only mentions, 2 nothing (Discord's message_notifications); null inherits. */
export type NotificationLevel = 0 | 1 | 2;

export type NotificationSetting = { channelId: string | null; level: NotificationLevel | null; muted: boolean };

/** A guild's notification settings for one person: the guild's own, and each channel that overrides it. */
export type GuildNotificationSettings = {
  guildId: string;
  level: NotificationLevel | null;
  muted: boolean;
  channels: { channelId: string; level: NotificationLevel | null; muted: boolean }[];
};

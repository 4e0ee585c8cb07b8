// Channel webhooks.

export type Webhook = {
  id: string;
  guildId: string;
  channelId: string;
  /** Who created it; null once that account is gone. */
  creatorId: string | null;
  name: string;
  /** Content hash of the avatar image, or null for the default one. */
  avatar: string | null;
  createdAt: number;
};

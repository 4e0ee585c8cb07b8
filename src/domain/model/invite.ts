// Guild invites.

export type Invite = {
  code: string;
  guildId: string;
  channelId: string;
  inviterId: string | null;
  maxUses: number;
  uses: number;
  expiresAt: number | null;
  createdAt: number;
};

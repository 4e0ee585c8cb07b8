// Custom emoji of a guild.

export type CustomEmoji = {
  id: string;
  guildId: string;
  name: string;
  /** Who uploaded it (null once that account is gone). */
  userId: string | null;
  animated: boolean;
  /** Roles allowed to use it; empty: everyone. */
  roleIds: string[];
  fileKey: string;
  contentType: string;
  size: number;
  createdAt: number;
};

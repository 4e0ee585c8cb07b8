// Guilds, their members and roles.

export type Guild = {
  id: string;
  name: string;
  ownerId: string;
  icon: string | null;
  description: string | null;
  createdAt: number;
  /** Where the server posts its own messages ("X joined the server"); null: nowhere. Absent counts as null. */
  systemChannelId?: string | null;
  /** Which system messages are suppressed: Discord's GuildSystemChannelFlags bits (see SYSTEM_FLAGS_KNOWN). */
  systemChannelFlags?: number;
};

export type Member = {
  guildId: string;
  userId: string;
  nick: string | null;
  joinedAt: number;
  roleIds: string[];
};

export type Role = {
  id: string;
  guildId: string;
  name: string;
  permissions: bigint;
  position: number;
  color: number;
  hoist: boolean;
  mentionable: boolean;
  /** Set when this is the managed role of a bot. */
  botId: string | null;
};

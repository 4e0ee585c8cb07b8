// Channels (guild channels, DMs, group DMs, threads), their permission overwrites and thread state.

export type Overwrite = { id: string; type: 0 | 1; allow: bigint; deny: bigint };

export type Channel = {
  id: string;
  /** null for a DM channel. */
  guildId: string | null;
  type: number;
  name: string | null;
  topic: string | null;
  position: number;
  /** The newest message's id, read from the messages (so concurrent posts never update one hot channel row). */
  lastMessageId: string | null;
  createdAt: number;
  overwrites: Overwrite[];
  /** The two participants of a DM channel; empty for guild channels. */
  recipientIds: string[];
  /** Set on threads (types 11 and 12): their parent, owner and archive state (see threads.ts). */
  thread: ThreadState | null;
  /** Set on group DMs (type 3), whose `recipientIds` are its 2-10 people: its owner and icon (group-dms.ts). */
  group?: { ownerId: string; icon: string | null } | null;
};

/** What makes a channel a thread. Times are unix milliseconds; `autoArchiveMinutes` is Discord's auto_archive_duration. */
export type ThreadState = {
  parentId: string;
  ownerId: string;
  archived: boolean;
  locked: boolean;
  /** Private threads: whether members without MANAGE_THREADS may add others. */
  invitable: boolean;
  autoArchiveMinutes: number;
  /** Discord's archive_timestamp: when the archive status last changed (the creation time until then). */
  archiveChangedAt: number;
  /** Creation or the last message; a thread idle for autoArchiveMinutes since then is archived. */
  lastActivityAt: number;
  messageCount: number;
  totalMessageSent: number;
  rateLimitPerUser: number;
  memberCount: number;
};

/** Someone who joined a thread (by posting in it, being added, or creating it). */
export type ThreadMember = { threadId: string; userId: string; joinedAt: number };

export type NewThread = {
  channelId: string;
  parentId: string;
  ownerId: string;
  invitable: boolean;
  autoArchiveMinutes: number;
  rateLimitPerUser: number;
  at: number;
};

export type ThreadChanges = {
  archived?: boolean;
  locked?: boolean;
  invitable?: boolean;
  autoArchiveMinutes?: number;
  rateLimitPerUser?: number;
  archiveChangedAt?: number;
  lastActivityAt?: number;
};

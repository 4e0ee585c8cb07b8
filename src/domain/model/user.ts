// Users: people, bots and the system account, and how a deleted one still shows.

export type User = {
  id: string;
  username: string;
  globalName: string | null;
  avatar: string | null;
  bot: boolean;
  system: boolean;
  admin: boolean;
  disabled: boolean;
  /** A deleted account: kept as "Deleted User" so old messages keep an author. */
  deleted: boolean;
  description: string | null;
  createdBy: string | null;
  /** Privileged gateway intents (Discord bits) an admin allowed this bot. */
  botIntents: number;
  createdAt: number;
};

/** What a deleted account looks like wherever it is still referenced (authors of old messages). */
export function tombstone(userId: string, bot = false): User {
  return {
    id: userId,
    username: 'Deleted User',
    globalName: null,
    avatar: null,
    bot,
    system: false,
    admin: false,
    disabled: true,
    deleted: true,
    description: null,
    createdBy: null,
    botIntents: 0,
    createdAt: 0,
  };
}

/** Who may send you direct messages: people who share a guild with you, or anyone. */
export type DmAudience = 'members' | 'everyone';

export type NewUser = {
  id: string;
  username: string;
  passwordHash: string | null;
  bot: boolean;
  system?: boolean;
  admin: boolean;
  description?: string | null;
  createdBy?: string | null;
  botTokenHash?: Uint8Array | null;
  createdAt: number;
};

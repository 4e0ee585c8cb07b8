// What the presence API keeps in rows: opt-in users, mirrored profiles, GitHub links, token reveal links.

/** A presence_users row with what the directory shows of the user and their nickname in the sharing guild. */
export type PresenceUserRow = {
  userId: string;
  shared: boolean;
  guildId: string | null;
  lastSeen: number | null;
  username: string;
  globalName: string | null;
  avatar: string | null;
  bot: boolean;
  disabled: boolean;
  nick: string | null;
};

/** A member of another platform's server that the presence API mirrors (see migration 0003). */
export type ExternalProfileRow = {
  userId: string;
  source: string;
  guildId: string;
  username: string;
  globalName: string | null;
  avatar: string | null;
  bot: boolean;
  nick: string | null;
};

/** An external profile with its presence_users state, as loaded at start-up. */
export type ExternalUserRow = ExternalProfileRow & { shared: boolean; lastSeen: number | null; member: boolean };

export type GitHubLinkRow = { userId: string; username: string; profileJson: string | null; fetchedAt: number | null };

export type TokenRevealRow = { userId: string; expiresAt: number; usedAt: number | null };

// Login sessions of people (bots use their token).

export type Session = {
  id: string;
  userId: string;
  createdAt: number;
  lastUsedAt: number;
  /** What the person logged in with, as a short label ("Firefox on Linux"); null when unknown. */
  device: string | null;
  /** The client address the session was opened from. */
  address: string | null;
};

// The presence API: opt-in, K/V, API token digests, GitHub links, mirrored profiles.
// A port: the domain declares it, src/store/sqlite (and src/store/postgres) implement it. See ./index.ts.
import type { ExternalProfileRow, ExternalUserRow, GitHubLinkRow, PresenceUserRow } from '../model/presence.ts';

export interface PresenceRepo {
  users(): Promise<PresenceUserRow[]>;
  /** Every mirrored member ever seen, those who left included (their K/V and token are kept). */
  externalUsers(): Promise<ExternalUserRow[]>;
  /** Every K/V pair, each user's in the order their keys were first written. */
  allKv(): Promise<
    {
      userId: string;
      key: string;
      value: string;
    }[]
  >;
  allTokens(): Promise<
    {
      userId: string;
      tokenHash: Uint8Array;
    }[]
  >;
  allGithub(): Promise<GitHubLinkRow[]>;
  /** The built-in presence bot, if it was created already. */
  systemBotId(): Promise<string | null>;
  /** Creates the row (shared) or switches sharing; `guildId` undefined leaves the sharing guild as it is. */
  putUser(userId: string, shared: boolean, guildId: string | null | undefined, now: number): Promise<void>;
  /** Records a member (shared from the start: being in the mirrored server is the opt-in) or updates their profile. */
  putExternal(profile: ExternalProfileRow, now: number): Promise<void>;
  /** A member left: the row stays (hidden) so their data returns with them. */
  leaveExternal(userId: string, now: number): Promise<void>;
  setLastSeen(userId: string, at: number): Promise<void>;
  putKv(userId: string, entries: Record<string, string>): Promise<void>;
  deleteKv(userId: string, key: string): Promise<boolean>;
  /** Replaces the user's token: the old digest stops matching in the same transaction. */
  putToken(userId: string, tokenHash: Uint8Array, now: number): Promise<void>;
  deleteToken(userId: string): Promise<boolean>;
  putGithub(userId: string, username: string, profileJson: string, fetchedAt: number): Promise<void>;
  /** A refresh that succeeded; the link itself is unchanged. */
  refreshGithub(userId: string, profileJson: string, fetchedAt: number): Promise<void>;
  deleteGithub(userId: string): Promise<boolean>;
}

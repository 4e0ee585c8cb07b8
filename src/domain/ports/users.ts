// People and bots: accounts, credentials, tokens, DM privacy.
// A port: the domain declares it, src/store/sqlite (and src/store/postgres) implement it. See ./index.ts.
import type { DmAudience, NewUser, User } from '../model/user.ts';

export interface UsersRepo {
  insert(u: NewUser): Promise<void>;
  byId(userId: string): Promise<User | null>;
  byIds(ids: readonly string[]): Promise<Map<string, User>>;
  byUsername(username: string): Promise<
    | (User & {
        passwordHash: string | null;
      })
    | null
  >;
  usernameTaken(username: string): Promise<boolean>;
  countHumans(): Promise<number>;
  update(
    userId: string,
    fields: {
      globalName?: string | null;
      avatar?: string | null;
      username?: string;
      description?: string | null;
      admin?: boolean;
      disabled?: boolean;
      botIntents?: number;
    },
  ): Promise<void>;
  /** Messages authored and guilds owned reference a user without a cascade: while either exists the row must stay. */
  /** Keeps the row (old messages still have an author) but frees the name and kills every credential. */
  markDeleted(userId: string, at: number): Promise<void>;
  delete(userId: string): Promise<void>;
  list(options: { bots: boolean; query?: string; limit: number; after?: string }): Promise<User[]>;
  allowDmsFrom(userId: string): Promise<DmAudience>;
  setAllowDmsFrom(userId: string, audience: DmAudience): Promise<void>;
  setBotTokenHash(userId: string, hash: Uint8Array): Promise<void>;
  byBotTokenHash(hash: Uint8Array): Promise<User | null>;
  passwordHash(userId: string): Promise<string | null>;
  setPasswordHash(userId: string, hash: string): Promise<void>;
  countAdmins(): Promise<number>;
}

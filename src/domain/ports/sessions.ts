// Login sessions, found by their token digest.
// A port: the domain declares it, src/store/sqlite (and src/store/postgres) implement it. See ./index.ts.
import type { Session } from '../model/session.ts';
import type { User } from '../model/user.ts';

export interface SessionsRepo {
  insert(hash: Uint8Array, s: Session): Promise<void>;
  /** The session behind a token digest with its user, in one query: this runs on every authenticated request. */
  byHash(hash: Uint8Array): Promise<{
    session: Session;
    user: User;
  } | null>;
  listOf(userId: string): Promise<Session[]>;
  touch(hash: Uint8Array, at: number): Promise<void>;
  /** Deletes one session of a user; the digest of its token, or null when the user has no such session. */
  deleteById(userId: string, sessionId: string): Promise<Uint8Array | null>;
  deleteByHash(hash: Uint8Array): Promise<void>;
  /** Deletes every session of a user but the one with `keep` (all of them when null); the digests deleted. */
  deleteAllOf(userId: string, keep?: Uint8Array | null): Promise<Uint8Array[]>;
  /** Deletes sessions idle since `idleBefore` or opened before `openedBefore`; who owned each and its digest. */
  deleteExpired(
    idleBefore: number,
    openedBefore: number,
  ): Promise<
    {
      userId: string;
      hash: Uint8Array;
    }[]
  >;
}

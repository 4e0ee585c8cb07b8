// A person's sessions: one per login, each with its own token. A session can be listed (never its token), revoked on
// its own or with all the others, and expires when idle too long or past its lifetime. Whenever a session ends its
// token stops working at once, and `credentials.revoked` tells the gateways to close what it opened.
import { RESTJSONErrorCodes as Codes } from 'discord-api-types/v10';
import { ApiError } from '../http/api-error.ts';
import type { Clock } from './clock.ts';
import type { Session } from './model/session.ts';
import type { SessionsRepo } from './ports/index.ts';
import type { Emit, UnitOfWork } from './ports/unit-of-work.ts';
import type { SnowflakeGenerator } from './snowflake.ts';
import type { TokenCallers } from './token-callers.ts';
import { digestHex, newToken, tokenDigest } from './tokens.ts';
import type { User } from './users.ts';

export type { Session } from './model/session.ts';

/** Where a login comes from: shown in the session list so a person recognises (or not) each session. */
export type SessionOrigin = { device: string | null; address: string | null };

export type SessionExpiry = { idleDays: number; lifetimeDays: number };

const DAY_MS = 24 * 3600 * 1000;
/** A session's last use is written at most this often: a request is not a database write. */
const TOUCH_EVERY_MS = 60 * 1000;

/** A live session and its user, as a request's token finds them. */
export type SessionCaller = { session: Session; user: User };

const unknownSession = () => new ApiError(404, Codes.UnknownSession, 'Unknown Session');

export class SessionService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly sessions: SessionsRepo,
    private readonly ids: SnowflakeGenerator,
    private readonly clock: Clock,
    private readonly expiry: SessionExpiry,
    /** Sessions by token digest, kept a few seconds and forgotten by the events that end or change them. */
    private readonly callers: TokenCallers<SessionCaller>,
  ) {}

  /** Opens a session inside the caller's transaction; the new token, shown this once. */
  async open(userId: string, origin: SessionOrigin): Promise<string> {
    const token = newToken(userId);
    const { id, at } = this.ids.mint();
    await this.sessions.insert(tokenDigest(token), { id, userId, createdAt: at, lastUsedAt: at, ...origin });
    return token;
  }

  /** The live session behind a token digest and its user, counted as used now; null when none or expired. */
  async use(hash: Uint8Array): Promise<SessionCaller | null> {
    const key = digestHex(hash);
    const found = await this.callers.resolve(key, () => this.sessions.byHash(hash));
    if (!found) return null;
    const { session } = found;
    const now = this.clock.now();
    if (this.expired(session, now)) {
      await this.uow.write(async (emit) => {
        await this.sessions.deleteByHash(hash);
        this.end(emit, session.userId, [hash]);
      });
      return null;
    }
    if (now - session.lastUsedAt >= TOUCH_EVERY_MS) {
      await this.uow.write(async () => this.sessions.touch(hash, now));
      this.callers.update(key, (kept) => ({ ...kept, session: { ...kept.session, lastUsedAt: now } }));
    }
    return found;
  }

  async list(userId: string): Promise<Session[]> {
    const now = this.clock.now();
    return (await this.sessions.listOf(userId)).filter((s) => !this.expired(s, now));
  }

  async revoke(userId: string, sessionId: string): Promise<void> {
    await this.uow.write(async (emit) => {
      const hash = await this.sessions.deleteById(userId, sessionId);
      if (!hash) throw unknownSession();
      this.end(emit, userId, [hash]);
    });
  }

  /** Ends every session of a user but `keep` (the one making the request), or all of them. */
  async revokeAll(emit: Emit, userId: string, keep: Uint8Array | null): Promise<void> {
    this.end(emit, userId, await this.sessions.deleteAllOf(userId, keep));
  }

  /** Deletes expired sessions and closes what they had open; run now and then. */
  async sweep(): Promise<number> {
    const now = this.clock.now();
    return await this.uow.write(async (emit) => {
      const ended = await this.sessions.deleteExpired(now - this.expiry.idleDays * DAY_MS, now - this.expiry.lifetimeDays * DAY_MS);
      for (const { userId, hash } of ended) this.end(emit, userId, [hash]);
      return ended.length;
    });
  }

  private expired(session: Session, now: number): boolean {
    return now - session.lastUsedAt > this.expiry.idleDays * DAY_MS || now - session.createdAt > this.expiry.lifetimeDays * DAY_MS;
  }

  private end(emit: Emit, userId: string, hashes: Uint8Array[]): void {
    for (const hash of hashes) emit({ type: 'credentials.revoked', userId, tokenHash: digestHex(hash) });
  }
}

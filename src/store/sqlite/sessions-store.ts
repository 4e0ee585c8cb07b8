// SQL for people's sessions: one row per session token, keyed by the token's SHA-256 digest.

import type { Database } from 'bun:sqlite';
import type { Session } from '../../domain/model/session.ts';
import type { User } from '../../domain/model/user.ts';
import type { SessionsRepo } from '../../domain/ports/index.ts';
import type { Immediate } from './immediate.ts';
import { type Int, id, num } from './rows.ts';
import { toUser, USER_COLUMNS, type UserRow } from './users-store.ts';

type SessionRow = { id: Int; user_id: Int; created_at: Int; last_used_at: Int; device: string | null; address: string | null };

const toSession = (r: SessionRow): Session => ({
  id: id(r.id),
  userId: id(r.user_id),
  createdAt: num(r.created_at),
  lastUsedAt: num(r.last_used_at),
  device: r.device,
  address: r.address,
});

const COLUMNS = 'id, user_id, created_at, last_used_at, device, address';

const SESSION_WITH_USER = `SELECT ${COLUMNS.split(', ')
  .map((c) => `s.${c}`)
  .join(', ')}, ${USER_COLUMNS.split(', ')
  .map((c) => `u.${c} AS u_${c}`)
  .join(', ')} FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?`;

export class SessionsStore implements Immediate<SessionsRepo> {
  constructor(private readonly db: Database) {}

  insert(hash: Uint8Array, s: Session): void {
    this.db
      .query('INSERT INTO sessions (token_hash, id, user_id, created_at, last_used_at, device, address) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(hash, s.id, s.userId, s.createdAt, s.lastUsedAt, s.device, s.address);
  }

  /** The session behind a token digest with its user, in one query: this runs on every authenticated request. */
  byHash(hash: Uint8Array): { session: Session; user: User } | null {
    const row = this.db.query<SessionRow & { [K in keyof UserRow as `u_${K & string}`]: UserRow[K] }, [Uint8Array]>(SESSION_WITH_USER).get(hash);
    if (!row) return null;
    const user = Object.fromEntries(USER_COLUMNS.split(', ').map((c) => [c, row[`u_${c}` as keyof typeof row]])) as UserRow;
    return { session: toSession(row), user: toUser(user) };
  }

  listOf(userId: string): Session[] {
    return this.db
      .query<SessionRow, [string]>(`SELECT ${COLUMNS} FROM sessions WHERE user_id = ? ORDER BY last_used_at DESC, id DESC`)
      .all(userId)
      .map(toSession);
  }

  touch(hash: Uint8Array, at: number): void {
    this.db.query('UPDATE sessions SET last_used_at = ? WHERE token_hash = ?').run(at, hash);
  }

  /** Deletes one session of a user; the digest of its token, or null when the user has no such session. */
  deleteById(userId: string, sessionId: string): Uint8Array | null {
    const row = this.db
      .query<{ token_hash: Uint8Array }, [string, string]>('DELETE FROM sessions WHERE user_id = ? AND id = ? RETURNING token_hash')
      .get(userId, sessionId);
    return row ? row.token_hash : null;
  }

  deleteByHash(hash: Uint8Array): void {
    this.db.query('DELETE FROM sessions WHERE token_hash = ?').run(hash);
  }

  /** Deletes every session of a user but the one with `keep` (all of them when null); the digests deleted. */
  deleteAllOf(userId: string, keep: Uint8Array | null = null): Uint8Array[] {
    return this.db
      .query<{ token_hash: Uint8Array }, [string, Uint8Array]>('DELETE FROM sessions WHERE user_id = ? AND token_hash IS NOT ? RETURNING token_hash')
      .all(userId, keep ?? new Uint8Array())
      .map((r) => r.token_hash);
  }

  /** Deletes sessions idle since `idleBefore` or opened before `openedBefore`; who owned each and its digest. */
  deleteExpired(idleBefore: number, openedBefore: number): { userId: string; hash: Uint8Array }[] {
    return this.db
      .query<{ user_id: Int; token_hash: Uint8Array }, [number, number]>(
        'DELETE FROM sessions WHERE last_used_at < ? OR created_at < ? RETURNING user_id, token_hash',
      )
      .all(idleBefore, openedBefore)
      .map((r) => ({ userId: id(r.user_id), hash: r.token_hash }));
  }
}

// People's sessions on PostgreSQL, keyed by the token's SHA-256 digest (the SQLite twin: src/store/sessions-store.ts).
import type { Session } from '../../domain/model/session.ts';
import type { User } from '../../domain/model/user.ts';
import { bytes, type Db, num, sf } from './sql.ts';
import { type PgUserRow, toUser, USER_COLUMNS } from './users-store.ts';

type SessionRow = { id: string; user_id: string; created_at: string; last_used_at: string; device: string | null; address: string | null };

const toSession = (r: SessionRow): Session => ({
  id: r.id,
  userId: r.user_id,
  createdAt: num(r.created_at),
  lastUsedAt: num(r.last_used_at),
  device: r.device,
  address: r.address,
});

const COLUMNS = 'id, user_id, created_at, last_used_at, device, address';
const USER_AS = USER_COLUMNS.split(', ')
  .map((c) => `u.${c} AS u_${c}`)
  .join(', ');
const SESSION_AS = COLUMNS.split(', ')
  .map((c) => `s.${c}`)
  .join(', ');

export class SessionsStore {
  constructor(private readonly sql: Db) {}

  async insert(hash: Uint8Array, s: Session): Promise<void> {
    await this.sql`INSERT INTO sessions (token_hash, id, user_id, created_at, last_used_at, device, address)
      VALUES (${hash}, ${s.id}, ${s.userId}, ${s.createdAt}, ${s.lastUsedAt}, ${s.device}, ${s.address})`;
  }

  /** The session behind a token digest with its user, in one query: this runs on every authenticated request. */
  async byHash(hash: Uint8Array): Promise<{ session: Session; user: User } | null> {
    const [row] = await this.sql<Record<string, never>[]>`
      SELECT ${this.sql.unsafe(SESSION_AS)}, ${this.sql.unsafe(USER_AS)} FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ${hash}`;
    if (!row) return null;
    const user = Object.fromEntries(USER_COLUMNS.split(', ').map((c) => [c, row[`u_${c}`]])) as unknown as PgUserRow;
    return { session: toSession(row as unknown as SessionRow), user: toUser(user) };
  }

  async listOf(userId: string): Promise<Session[]> {
    const rows = await this.sql<SessionRow[]>`
      SELECT ${this.sql.unsafe(COLUMNS)} FROM sessions WHERE user_id = ${sf(userId)} ORDER BY last_used_at DESC, id DESC`;
    return rows.map(toSession);
  }

  async touch(hash: Uint8Array, at: number): Promise<void> {
    await this.sql`UPDATE sessions SET last_used_at = ${at} WHERE token_hash = ${hash}`;
  }

  /** Deletes one session of a user; the digest of its token, or null when the user has no such session. */
  async deleteById(userId: string, sessionId: string): Promise<Uint8Array | null> {
    const [row] = await this.sql<{ token_hash: Uint8Array }[]>`
      DELETE FROM sessions WHERE user_id = ${sf(userId)} AND id = ${sf(sessionId)} RETURNING token_hash`;
    return row ? bytes(row.token_hash) : null;
  }

  async deleteByHash(hash: Uint8Array): Promise<void> {
    await this.sql`DELETE FROM sessions WHERE token_hash = ${hash}`;
  }

  /** Deletes every session of a user but the one with `keep` (all of them when null); the digests deleted. */
  async deleteAllOf(userId: string, keep: Uint8Array | null = null): Promise<Uint8Array[]> {
    const rows = await this.sql<{ token_hash: Uint8Array }[]>`
      DELETE FROM sessions WHERE user_id = ${sf(userId)} AND token_hash IS DISTINCT FROM ${keep ?? new Uint8Array()} RETURNING token_hash`;
    return rows.map((r) => bytes(r.token_hash));
  }

  /** Deletes sessions idle since `idleBefore` or opened before `openedBefore`; who owned each and its digest. */
  async deleteExpired(idleBefore: number, openedBefore: number): Promise<{ userId: string; hash: Uint8Array }[]> {
    const rows = await this.sql<{ user_id: string; token_hash: Uint8Array }[]>`
      DELETE FROM sessions WHERE last_used_at < ${idleBefore} OR created_at < ${openedBefore} RETURNING user_id, token_hash`;
    return rows.map((r) => ({ userId: r.user_id, hash: bytes(r.token_hash) }));
  }
}

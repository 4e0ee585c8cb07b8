// One-time token links on PostgreSQL (the SQLite twin: src/store/token-reveals-store.ts): found by nonce digest only.
import type { TokenRevealRow } from '../sqlite/token-reveals-store.ts';
import { type Db, numOrNull, sf } from './sql.ts';

export class TokenRevealsStore {
  constructor(private readonly sql: Db) {}

  /** Records a new link and withdraws the user's earlier ones: only the latest link works. */
  async put(nonceHash: Uint8Array, userId: string, now: number, expiresAt: number): Promise<void> {
    await this.sql`DELETE FROM presence_token_reveals WHERE user_id = ${sf(userId)}`;
    await this.sql`INSERT INTO presence_token_reveals (nonce_hash, user_id, created_at, expires_at) VALUES (${nonceHash}, ${userId}, ${now}, ${expiresAt})`;
  }

  async get(nonceHash: Uint8Array): Promise<TokenRevealRow | null> {
    const [row] = await this.sql<{ user_id: string; expires_at: string; used_at: string | null }[]>`
      SELECT user_id, expires_at, used_at FROM presence_token_reveals WHERE nonce_hash = ${nonceHash}`;
    return row ? { userId: row.user_id, expiresAt: Number(row.expires_at), usedAt: numOrNull(row.used_at) } : null;
  }

  /** Marks the link used if it is still unused and unexpired; the user it was for, or null. One caller wins. */
  async use(nonceHash: Uint8Array, now: number): Promise<string | null> {
    const [row] = await this.sql<{ user_id: string }[]>`
      UPDATE presence_token_reveals SET used_at = ${now} WHERE nonce_hash = ${nonceHash} AND used_at IS NULL AND expires_at > ${now} RETURNING user_id`;
    return row ? row.user_id : null;
  }

  async delete(nonceHash: Uint8Array): Promise<void> {
    await this.sql`DELETE FROM presence_token_reveals WHERE nonce_hash = ${nonceHash}`;
  }

  /** Forgets links that expired before `before`; until then a used or expired link is told apart from an unknown one. */
  async purge(before: number): Promise<void> {
    await this.sql`DELETE FROM presence_token_reveals WHERE expires_at < ${before}`;
  }
}

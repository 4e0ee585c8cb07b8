// SQL for the one-time token links (migration 0005): rows are found by the nonce's digest only.

import type { Database } from 'bun:sqlite';
import type { TokenRevealRow } from '../../domain/model/presence.ts';
import type { TokenRevealsRepo } from '../../domain/ports/index.ts';
import type { Immediate } from './immediate.ts';
import { type Int, id, numOrNull } from './rows.ts';

export type { TokenRevealRow } from '../../domain/model/presence.ts';

export class TokenRevealsStore implements Immediate<TokenRevealsRepo> {
  constructor(private readonly db: Database) {}

  /** Records a new link and withdraws the user's earlier ones: only the latest link works. */
  put(nonceHash: Uint8Array, userId: string, now: number, expiresAt: number): void {
    this.db.query('DELETE FROM presence_token_reveals WHERE user_id = ?').run(userId);
    this.db
      .query('INSERT INTO presence_token_reveals (nonce_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)')
      .run(nonceHash, userId, now, expiresAt);
  }

  get(nonceHash: Uint8Array): TokenRevealRow | null {
    const row = this.db
      .query<{ user_id: Int; expires_at: Int; used_at: Int | null }, [Uint8Array]>(
        'SELECT user_id, expires_at, used_at FROM presence_token_reveals WHERE nonce_hash = ?',
      )
      .get(nonceHash);
    return row ? { userId: id(row.user_id), expiresAt: Number(row.expires_at), usedAt: numOrNull(row.used_at) } : null;
  }

  /** Marks the link used if it is still unused and unexpired; the user it was for, or null. One caller wins. */
  use(nonceHash: Uint8Array, now: number): string | null {
    const row = this.db
      .query<{ user_id: Int }, [number, Uint8Array, number]>(
        'UPDATE presence_token_reveals SET used_at = ? WHERE nonce_hash = ? AND used_at IS NULL AND expires_at > ? RETURNING user_id',
      )
      .get(now, nonceHash, now);
    return row ? id(row.user_id) : null;
  }

  delete(nonceHash: Uint8Array): void {
    this.db.query('DELETE FROM presence_token_reveals WHERE nonce_hash = ?').run(nonceHash);
  }

  /** Forgets links that expired before `before`; until then a used or expired link is told apart from an unknown one. */
  purge(before: number): void {
    this.db.query('DELETE FROM presence_token_reveals WHERE expires_at < ?').run(before);
  }
}

// SQL for interactions: indexed columns for lookups (id, token digest, invoker, expiry) and the rest as JSON of the
// domain model, written and read only here.

import type { Database } from 'bun:sqlite';
import type { Interaction } from '../../domain/interactions/interaction-model.ts';
import type { InteractionsRepo } from '../../domain/ports/index.ts';
import type { Immediate } from './immediate.ts';
import type { Int } from './rows.ts';

type Row = { state: string; token_hash: Uint8Array };

const fromRow = (row: Row): Interaction => JSON.parse(row.state) as Interaction;

export class InteractionsStore implements Immediate<InteractionsRepo> {
  constructor(private readonly db: Database) {}

  insert(interaction: Interaction, tokenHash: Uint8Array): void {
    this.db
      .query('INSERT INTO interactions (id, application_id, user_id, channel_id, token_hash, expires_at, state) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(interaction.id, interaction.applicationId, interaction.userId, interaction.channelId, tokenHash, interaction.expiresAt, JSON.stringify(interaction));
  }

  update(interaction: Interaction): void {
    this.db.query('UPDATE interactions SET state = ? WHERE id = ?').run(JSON.stringify(interaction), interaction.id);
  }

  /** The interaction and its token digest. */
  byId(id: string): { interaction: Interaction; tokenHash: Uint8Array } | null {
    const row = this.db.query<Row, [string]>('SELECT state, token_hash FROM interactions WHERE id = ?').get(id);
    return row ? { interaction: fromRow(row), tokenHash: row.token_hash } : null;
  }

  byToken(tokenHash: Uint8Array): Interaction | null {
    const row = this.db.query<Row, [Uint8Array]>('SELECT state, token_hash FROM interactions WHERE token_hash = ?').get(tokenHash);
    return row ? fromRow(row) : null;
  }

  /** A user's interactions still inside their window, newest first (where their ephemeral messages live). */
  liveOf(userId: string, now: number): Interaction[] {
    return this.db
      .query<Row, [string, number]>('SELECT state, token_hash FROM interactions WHERE user_id = ? AND expires_at > ? ORDER BY id DESC')
      .all(userId, now)
      .map(fromRow);
  }

  /** Interactions still waiting for their first answer (after a restart, their timers are armed again). */
  pending(): Interaction[] {
    return this.db.query<Row, []>("SELECT state, token_hash FROM interactions WHERE json_extract(state, '$.state') = 'pending'").all().map(fromRow);
  }

  /** Interactions inside their window that hold files (after a restart, their expiry timers are armed again). */
  holdingFiles(now: number): Interaction[] {
    return this.db
      .query<Row, [number]>("SELECT state, token_hash FROM interactions WHERE expires_at >= ? AND json_array_length(state, '$.files') > 0")
      .all(now)
      .map(fromRow);
  }

  /**
   * Drops the files of every interaction whose window closed before `now` (queueing them for the file janitor);
   * returns how many records let go of files.
   */
  dropExpiredFiles(now: number): number {
    this.db
      .query(
        `INSERT OR IGNORE INTO file_deletions (file_key)
         SELECT json_extract(f.value, '$.fileKey') FROM interactions i, json_each(i.state, '$.files') f WHERE i.expires_at < ?`,
      )
      .run(now);
    return this.db
      .query("UPDATE interactions SET state = json_remove(state, '$.files') WHERE expires_at < ? AND json_array_length(state, '$.files') > 0")
      .run(now).changes;
  }

  queueFileDeletions(fileKeys: readonly string[]): void {
    for (const key of fileKeys) this.db.query('INSERT OR IGNORE INTO file_deletions (file_key) VALUES (?)').run(key);
  }

  /** Forgets interactions whose window closed before `before`; returns how many. */
  deleteExpired(before: number): number {
    return this.db.query<{ n: Int }, [number]>('DELETE FROM interactions WHERE expires_at < ? RETURNING 1 AS n').all(before).length;
  }
}

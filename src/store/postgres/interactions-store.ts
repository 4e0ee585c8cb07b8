// Interactions on PostgreSQL (the SQLite twin: src/store/interactions-store.ts): indexed columns for lookups and
// the rest as JSON of the domain model (TEXT, read with a jsonb cast where SQLite uses json_extract).
import type { Interaction } from '../../domain/interactions/interaction-model.ts';
import { type Db, sf } from './sql.ts';

type Row = { state: string };

const fromRow = (row: Row): Interaction => JSON.parse(row.state) as Interaction;

export class InteractionsStore {
  constructor(private readonly sql: Db) {}

  async insert(interaction: Interaction, tokenHash: Uint8Array): Promise<void> {
    await this.sql`INSERT INTO interactions (id, application_id, user_id, channel_id, token_hash, expires_at, state)
      VALUES (${interaction.id}, ${interaction.applicationId}, ${interaction.userId}, ${interaction.channelId}, ${tokenHash}, ${interaction.expiresAt},
        ${JSON.stringify(interaction)})`;
  }

  async update(interaction: Interaction): Promise<void> {
    await this.sql`UPDATE interactions SET state = ${JSON.stringify(interaction)} WHERE id = ${sf(interaction.id)}`;
  }

  /** The interaction and its token digest. */
  async byId(id: string): Promise<{ interaction: Interaction; tokenHash: Uint8Array } | null> {
    const [row] = await this.sql<(Row & { token_hash: Uint8Array })[]>`SELECT state, token_hash FROM interactions WHERE id = ${sf(id)}`;
    return row ? { interaction: fromRow(row), tokenHash: new Uint8Array(row.token_hash) } : null;
  }

  async byToken(tokenHash: Uint8Array): Promise<Interaction | null> {
    const [row] = await this.sql<Row[]>`SELECT state FROM interactions WHERE token_hash = ${tokenHash}`;
    return row ? fromRow(row) : null;
  }

  /** A user's interactions still inside their window, newest first (where their ephemeral messages live). */
  async liveOf(userId: string, now: number): Promise<Interaction[]> {
    return (await this.sql<Row[]>`SELECT state FROM interactions WHERE user_id = ${sf(userId)} AND expires_at > ${now} ORDER BY id DESC`).map(fromRow);
  }

  /** Interactions still waiting for their first answer (after a restart, their timers are armed again). */
  async pending(): Promise<Interaction[]> {
    return (await this.sql<Row[]>`SELECT state FROM interactions WHERE (state::jsonb)->>'state' = 'pending' ORDER BY id`).map(fromRow);
  }

  /** Interactions inside their window that hold files (after a restart, their expiry timers are armed again). */
  async holdingFiles(now: number): Promise<Interaction[]> {
    return (
      await this.sql<Row[]>`SELECT state FROM interactions
        WHERE expires_at >= ${now} AND jsonb_array_length(COALESCE((state::jsonb)->'files', '[]'::jsonb)) > 0 ORDER BY id`
    ).map(fromRow);
  }

  /**
   * Drops the files of every interaction whose window closed before `now` (queueing them for the file janitor);
   * returns how many records let go of files.
   */
  async dropExpiredFiles(now: number): Promise<number> {
    await this.sql`INSERT INTO file_deletions (file_key)
      SELECT f->>'fileKey' FROM interactions i, jsonb_array_elements(COALESCE((i.state::jsonb)->'files', '[]'::jsonb)) AS f
      WHERE i.expires_at < ${now}
      ON CONFLICT DO NOTHING`;
    return (
      await this.sql`UPDATE interactions SET state = ((state::jsonb) - 'files')::text
        WHERE expires_at < ${now} AND jsonb_array_length(COALESCE((state::jsonb)->'files', '[]'::jsonb)) > 0`
    ).count;
  }

  async queueFileDeletions(fileKeys: readonly string[]): Promise<void> {
    for (const key of fileKeys) await this.sql`INSERT INTO file_deletions (file_key) VALUES (${key}) ON CONFLICT DO NOTHING`;
  }

  /** Forgets interactions whose window closed before `before`; returns how many. */
  async deleteExpired(before: number): Promise<number> {
    return (await this.sql`DELETE FROM interactions WHERE expires_at < ${before}`).count;
  }
}

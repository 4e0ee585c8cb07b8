// Interaction records inside their answer windows.
// A port: the domain declares it, src/store/sqlite (and src/store/postgres) implement it. See ./index.ts.
import type { Interaction } from '../interactions/interaction-model.ts';

export interface InteractionsRepo {
  insert(interaction: Interaction, tokenHash: Uint8Array): Promise<void>;
  update(interaction: Interaction): Promise<void>;
  /** The interaction and its token digest. */
  byId(id: string): Promise<{
    interaction: Interaction;
    tokenHash: Uint8Array;
  } | null>;
  byToken(tokenHash: Uint8Array): Promise<Interaction | null>;
  /** A user's interactions still inside their window, newest first (where their ephemeral messages live). */
  liveOf(userId: string, now: number): Promise<Interaction[]>;
  /** Interactions still waiting for their first answer (after a restart, their timers are armed again). */
  pending(): Promise<Interaction[]>;
  /** Interactions inside their window that hold files (after a restart, their expiry timers are armed again). */
  holdingFiles(now: number): Promise<Interaction[]>;
  /** Drops the files of every interaction whose window closed before `now` (queued for the file janitor); returns how many records let go of files. */
  dropExpiredFiles(now: number): Promise<number>;
  queueFileDeletions(fileKeys: readonly string[]): Promise<void>;
  /** Forgets interactions whose window closed before `before`; returns how many. */
  deleteExpired(before: number): Promise<number>;
}

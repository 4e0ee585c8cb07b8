// What RESUME needs to outlive the process: every resumable session (who, which token, which dialect and
// streams, what it could see and when that changed) and the replay buffer (sequence numbers, audiences and the
// exact frames sent). A graceful shutdown saves one snapshot; the next start takes it (reading it clears it) and
// carries on from it, so a client's RESUME with its old session id and seq replays what it missed.
//
// The port is deliberately small (save whole, take whole): the single-process server keeps the snapshot in its
// SQLite database (store/resume-snapshot-store.ts); several nodes would keep it in a shared store (DESIGN §12).
import type { PresenceUpdate } from '../domain/presence/activity.ts';
import type { Platform } from '../domain/presence/presence-service.ts';
import type { Audience } from './audience.ts';

export type TopicChangeSnapshot = { at: number; topic: string; added: boolean };

export type SessionSnapshot = {
  id: string;
  userId: string;
  kind: 'bot' | 'session';
  /** SHA-256 digest (hex) of the token it identified with; the token itself is never kept. */
  tokenHash: string;
  /** The dialect's id ('harmony-v1', 'discord-v10'); its streams say which intents and variants it hears. */
  dialect: string;
  streams: string[];
  startSeq: number;
  platform: Platform;
  presence: PresenceUpdate | null;
  /** When its connection went away (ms): the resume window runs from here. */
  disconnectedAt: number;
  /** The dialect's own state for it (GatewaySession.dialectState), as JSON. */
  dialectState: unknown;
  /** What its subscriptions are derived from: guild -> visible channel ids, DM channel ids. */
  guilds: [string, string[]][];
  dms: string[];
  topics: string[];
  /** Topic changes still needed to judge buffered dispatches (see GatewaySession.wasSubscribed). */
  changes: TopicChangeSnapshot[];
};

export type ReplayEntrySnapshot = {
  seq: number;
  at: number;
  audience: Audience;
  frames: [string, string][];
  targeted: [string, [string, string][]][] | null;
  bytes: number;
};

export type ResumeSnapshot = {
  savedAt: number;
  /** The last sequence number handed out: the next process continues above it. */
  sequence: number;
  /** Highest sequence number the replay buffer had already evicted. */
  evictedThrough: number;
  sessions: SessionSnapshot[];
  entries: ReplayEntrySnapshot[];
};

export interface ResumeStore {
  /** Replaces any earlier snapshot with this one, atomically. */
  save(snapshot: ResumeSnapshot): void;
  /** The saved snapshot, removed from the store (a second start, or one after a crash, finds none); null when none. */
  take(): ResumeSnapshot | null;
}

/** Keeps the snapshot in memory: RESUME survives a gateway restart within one process (tests), not a new process. */
export class MemoryResumeStore implements ResumeStore {
  private snapshot: ResumeSnapshot | null = null;

  save(snapshot: ResumeSnapshot): void {
    this.snapshot = structuredClone(snapshot);
  }

  take(): ResumeSnapshot | null {
    const snapshot = this.snapshot;
    this.snapshot = null;
    return snapshot;
  }
}

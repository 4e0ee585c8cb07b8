// A gateway session: who it is, what it may see now, and enough history of that to replay fairly.
// It lives in the registry from IDENTIFY until it is closed for good or its resume window runs out,
// with or without a connection attached.

import type { PresenceUpdate } from '../domain/presence/activity.ts';
import type { Platform } from '../domain/presence/presence-service.ts';
import type { GatewayConnection } from './connection.ts';
import type { GatewayDialect } from './dialect.ts';

type TopicChange = { at: number; topic: string; added: boolean };

export type SessionInit = {
  id: string;
  userId: string;
  kind: 'bot' | 'session';
  /** SHA-256 digest (hex) of the token it identified with: a revoked token closes only its sessions. */
  tokenHash: string;
  dialect: GatewayDialect;
  /** Streams (payload variants) this session listens on; fixed for its lifetime. */
  streams: readonly string[];
  /** The last sequence number handed out before the session existed: RESUME needs seq >= this. */
  startSeq: number;
  platform: Platform;
  presence: PresenceUpdate | undefined;
};

export class GatewaySession {
  readonly id: string;
  readonly userId: string;
  readonly kind: 'bot' | 'session';
  readonly tokenHash: string;
  readonly dialect: GatewayDialect;
  readonly streams: readonly string[];
  readonly startSeq: number;
  readonly platform: Platform;
  /** The last presence this session reported (IDENTIFY's or op 3's); restored on RESUME. */
  presence: PresenceUpdate | undefined;
  connection: GatewayConnection | null = null;
  /** When the last connection went away (ms); null while connected. */
  disconnectedAt: number | null = null;
  /**
   * What the dialect remembers about the session besides the above (v10: intents, large_threshold, compress).
   * Plain JSON: it is kept in resume snapshots across restarts.
   */
  dialectState: unknown = undefined;

  /** Guilds this session's user is in, each with the channels they may view. */
  readonly guilds = new Map<string, Set<string>>();
  /** DM channels the user takes part in. */
  readonly dms = new Set<string>();

  private readonly topicSet = new Set<string>();
  /** Topic changes, oldest first, stamped with the sequence number current when they happened. */
  private changes: TopicChange[] = [];

  constructor(init: SessionInit) {
    this.id = init.id;
    this.userId = init.userId;
    this.kind = init.kind;
    this.tokenHash = init.tokenHash;
    this.dialect = init.dialect;
    this.streams = init.streams;
    this.startSeq = init.startSeq;
    this.platform = init.platform;
    this.presence = init.presence;
  }

  get topics(): ReadonlySet<string> {
    return this.topicSet;
  }

  /**
   * Adds or removes a logical topic; `at` is the current sequence number. Returns whether anything changed.
   * Changes are remembered so `wasSubscribed` can answer for events in the replay buffer.
   */
  setTopic(topic: string, on: boolean, at: number): boolean {
    if (this.topicSet.has(topic) === on) return false;
    if (on) this.topicSet.add(topic);
    else this.topicSet.delete(topic);
    // A change made before any dispatch this session can be replayed (those after startSeq) is never undone by
    // wasSubscribed: the subscriptions of IDENTIFY itself cost no memory for the session's whole life.
    if (at > this.startSeq) this.changes.push({ at, topic, added: on });
    return true;
  }

  /**
   * Whether the session was subscribed to `topic` when dispatch `seq` went out. A change stamped `at` happened
   * after dispatch `at` and before dispatch `at + 1`, so changes with at >= seq are undone, newest first.
   */
  wasSubscribed(topic: string, seq: number): boolean {
    let subscribed = this.topicSet.has(topic);
    for (let i = this.changes.length - 1; i >= 0; i--) {
      const change = this.changes[i] as TopicChange;
      if (change.at < seq) break;
      if (change.topic === topic) subscribed = !change.added;
    }
    return subscribed;
  }

  /** Drops changes stamped before the oldest replayable dispatch: `wasSubscribed` never undoes them again. */
  forgetChangesBefore(oldestReplayableSeq: number): void {
    let drop = 0;
    while (drop < this.changes.length && (this.changes[drop] as TopicChange).at < oldestReplayableSeq) drop++;
    if (drop > 0) this.changes = this.changes.slice(drop);
  }

  /** The remembered topic changes, oldest first (for the resume snapshot). */
  topicChanges(): readonly TopicChange[] {
    return this.changes;
  }

  /** Restores topics and their history as a previous process left them (a session fresh from a snapshot only). */
  restoreTopics(topics: Iterable<string>, changes: readonly TopicChange[]): void {
    for (const topic of topics) this.topicSet.add(topic);
    this.changes = [...changes];
  }

  get pendingChanges(): number {
    return this.changes.length;
  }
}

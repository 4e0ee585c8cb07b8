// The dialect-independent gateway core, one per app: connections and sessions, the sequence counter, the
// replay buffer, audience resolution (Fanout), topics, heartbeat and identify deadlines, frame limits,
// slow consumers and credential revocation. Dialects speak their protocol through the methods below and
// never touch sockets' subscriptions, sequence numbers or the replay buffer themselves.

import { RedisUnavailableError } from '../cluster/redis.ts';
import type { Config } from '../config.ts';
import type { Core } from '../core.ts';
import type { PresenceUpdate } from '../domain/presence/activity.ts';
import type { Platform } from '../domain/presence/presence-service.ts';
import { digestHex, tokenDigest } from '../domain/tokens.ts';
import type { Caller } from '../domain/users.ts';
import type { DomainEvent } from '../events/domain-events.ts';
import { ApiError } from '../http/api-error.ts';
import type { RateLimiter } from '../http/rate-limit.ts';
import { GATEWAY_FRAME_RATE_LIMIT, IDENTIFY_RATE_LIMIT } from '../http/rate-limit-rules.ts';
import { type Audience, audienceTopics, reaches } from './audience.ts';
import { type Deadline, GatewayConnection, type GatewaySocket } from './connection.ts';
import type { CloseSpec, ConnectionParams, GatewayDialect } from './dialect.ts';
import type { Dispatch } from './dispatch.ts';
import { Fanout } from './fanout.ts';
import { GuildReadyCache } from './guild-ready-cache.ts';
import {
  CLOSE_GRACE_MS,
  HEARTBEAT_GRACE,
  IDENTIFY_TIMEOUT_MAX_MS,
  MAX_FRAME_BYTES,
  REPLAY_MAX_BYTES,
  REPLAY_MAX_ENTRIES,
  SEND_HIGH_WATER_BYTES,
  SLOW_CONSUMER_BYTES,
  TICK_MAX_MS,
} from './limits.ts';
import { ReplayBuffer, type ReplayEntry } from './replay-buffer.ts';
import { MemoryResumeStore, type ReplayEntrySnapshot, type ResumeSnapshot, type ResumeStore, type SessionSnapshot } from './resume-store.ts';
import { ClusterSequence, Sequence } from './sequence.ts';
import { GatewaySession } from './session.ts';
import { SessionRegistry } from './session-registry.ts';
import type { SharedSessions } from './shared-sessions.ts';
import { type Publisher, TopicBoard } from './topic-board.ts';
import { channelTopic, guildTopic, userTopic } from './topics.ts';
import { type InitialView, Visibility } from './visibility.ts';

export type GatewayOptions = {
  /** Milliseconds between heartbeats clients are told to keep. */
  heartbeatInterval: number;
  /** How long a dropped session stays resumable (and dispatches are kept for it). 0 turns RESUME off. */
  resumeWindowMs: number;
  identifyTimeoutMs: number;
  maxFrameBytes: number;
  slowConsumerBytes: number;
  replayMaxEntries: number;
  replayMaxBytes: number;
  sendHighWaterBytes: number;
  /** Queued direct-send characters a connection may hold (a full replay plus room) before it is dropped as slow. */
  maxBacklogBytes: number;
  closeGraceMs: number;
};

/** Options from config: the identify deadline is 10 s, or 1.5 heartbeat intervals when that is shorter. */
export function gatewayOptions(config: Pick<Config, 'heartbeatInterval' | 'resumeWindow'>, overrides: Partial<GatewayOptions> = {}): GatewayOptions {
  return {
    heartbeatInterval: config.heartbeatInterval,
    resumeWindowMs: config.resumeWindow * 1000,
    identifyTimeoutMs: Math.min(IDENTIFY_TIMEOUT_MAX_MS, config.heartbeatInterval * HEARTBEAT_GRACE),
    maxFrameBytes: MAX_FRAME_BYTES,
    slowConsumerBytes: SLOW_CONSUMER_BYTES,
    replayMaxEntries: REPLAY_MAX_ENTRIES,
    replayMaxBytes: REPLAY_MAX_BYTES,
    sendHighWaterBytes: SEND_HIGH_WATER_BYTES,
    maxBacklogBytes: REPLAY_MAX_BYTES + SLOW_CONSUMER_BYTES,
    closeGraceMs: CLOSE_GRACE_MS,
    ...overrides,
  };
}

export type SessionStart = {
  caller: Caller;
  /** Streams this session listens on (see GatewayDialect.encode). */
  streams: readonly string[];
  platform: Platform;
  presence?: PresenceUpdate;
};

/**
 * A node of a cluster: the number of the event batch being applied (RedisBus), and where session records are
 * shared. With it every dispatch is encoded and kept whether or not this node has sessions, numbered alike on every
 * node, so any node can resume any session (shared-sessions.ts).
 */
export type GatewayCluster = {
  batch: () => number;
  /** The last batch any node has appended to the shared log (a RESUME here waits until this node applied it). */
  head?: () => Promise<number>;
  sessions: SharedSessions;
  /**
   * False while this node cannot read the shared log (Redis away, or back but not yet checked for a lost log): a
   * RESUME then is closed with "reconnect", as it cannot be told yet whether the client missed events.
   */
  logReadable?: () => boolean;
};

/** Connected sessions' records are refreshed this often (a killed node's are at most this stale). */
const SHARE_EVERY_MS = 5000;

export type ResumeOutcome =
  | { ok: true; session: GatewaySession; replayed: number }
  /**
   * unknown: no such session for this token (never existed, expired, closed for good);
   * expired: dispatches after `seq` are no longer buffered; invalid-seq: `seq` is not one this session could hold.
   */
  | { ok: false; reason: 'unknown' | 'expired' | 'invalid-seq' };

export class Gateway {
  readonly sequence: Sequence;
  readonly registry = new SessionRegistry();
  readonly replay: ReplayBuffer;
  readonly options: GatewayOptions;
  private readonly board: TopicBoard;
  private readonly visibility: Visibility;
  /** Each guild's part of READY, between connects. */
  readonly readyCache: GuildReadyCache;
  private readonly fanout: Fanout;
  private readonly connections = new Map<string, GatewayConnection>();
  /** Sockets we closed whose close handshake has not completed: cut off after closeGraceMs. */
  private readonly closing = new Map<string, { socket: GatewaySocket; at: number }>();
  private readonly dialects = new Map<string, GatewayDialect>();
  /** Committed events not applied yet, and the READY reads' barriers among them, in commit order (see onEvent). */
  private readonly queue: (Queued | Barrier)[] = [];
  /**
   * In a cluster: the event batch (RedisBus) of the event being applied. Dispatches are numbered from it, not from
   * the batch the bus is at now, which may be further along while the queue catches up.
   */
  private applyingBatch = 0;
  /** In a cluster: the batch of the event fan-out is handling right now, if any. */
  private handlingBatch: number | null = null;
  private draining = false;
  /** Settled when the queue next runs dry; made by the first idle() that waits for it (see drain). */
  private queueDrained: PromiseWithResolvers<void> | null = null;
  /** Sessions being opened: until they are registered, events must be queued even when no session exists. */
  private opening = 0;
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly unsubscribe: () => void;
  private stopping = false;
  private restored = false;
  private sharedAt = 0;
  /** This gateway among the cluster's (its takeover announcements are ignored by itself). */
  private readonly nodeToken = crypto.randomUUID();
  /** Called once an event's dispatches have been handed to the sockets (the fan-out lag metric, app.ts). */
  onDelivered: ((event: DomainEvent) => void) | null = null;

  constructor(
    readonly core: Core,
    private readonly limiter: RateLimiter,
    options: GatewayOptions,
    /** Where a graceful shutdown leaves resumable sessions and the replay buffer for the next start. */
    private readonly resumeStore: ResumeStore = new MemoryResumeStore(),
    private readonly cluster: GatewayCluster | null = null,
  ) {
    this.options = options;
    this.applyingBatch = cluster?.batch() ?? 0;
    this.sequence = cluster ? new ClusterSequence(() => this.applyingBatch) : new Sequence();
    this.replay = new ReplayBuffer({ windowMs: options.resumeWindowMs, maxEntries: options.replayMaxEntries, maxBytes: options.replayMaxBytes });
    // What came before this node joined is not in its buffer: a session that missed it cannot resume here.
    if (cluster) {
      this.replay.restore([], (cluster.batch() + 1) * 2 ** 20 - 1, core.clock.now());
      cluster.sessions
        .onTaken((sessionId, node) => this.taken(sessionId, node))
        .catch((error: unknown) => {
          console.error('gateway: cannot hear session takeovers from other nodes (a resumed session may stay here until it expires):', error);
        });
    }
    this.board = new TopicBoard(
      (connection, frame) => this.send(connection, frame),
      () => this.sequence.current,
    );
    const { repos } = core.uow;
    // Subscribed before this gateway's own listener: an event has changed what it holds before fan-out reads it.
    this.readyCache = new GuildReadyCache(repos.guilds, repos.channels, core.hub);
    this.visibility = new Visibility(repos.guilds, repos.channels, repos.threads, core.services.presence, this.readyCache);
    this.fanout = new Fanout(core, this.registry, this.board, this.visibility, {
      deliver: (dispatch, audience) => this.deliver(dispatch, audience),
      revoke: (userId, tokenHash) => this.revoke(userId, tokenHash),
      // Every member is read for a gained guild only when a session (or, in a cluster, any node's) may show them.
      showsGuildMembers: () => [...this.dialects.values()].some((d) => d.showsGuildMembers && (this.cluster || this.registry.countOf(d.id) > 0)),
    });
    this.unsubscribe = core.hub.subscribe((event) => this.onEvent(event));
  }

  get stopped(): boolean {
    return this.stopping;
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  // ---- wiring ----

  /** Makes a dialect's streams encoded for; every endpoint registers its dialect once. */
  register(dialect: GatewayDialect): void {
    const existing = this.dialects.get(dialect.id);
    if (existing && existing !== dialect) throw new Error(`two gateway dialects named ${dialect.id}`);
    this.dialects.set(dialect.id, dialect);
  }

  /** Called once the server listens (idempotent: every endpoint forwards its attach). Starts the timers. */
  attach(server: Publisher): void {
    this.board.attach(server);
    if (this.timer || this.stopping) return;
    // Every endpoint registered its dialect before the server listened: sessions of each can be brought back now.
    if (!this.restored) this.restore();
    const tick = Math.max(20, Math.min(TICK_MAX_MS, Math.floor(this.options.heartbeatInterval / 4)));
    this.timer = setInterval(() => this.tick(), tick);
    this.timer.unref?.();
  }

  /** Graceful shutdown (idempotent): every connection is told to reconnect, in its dialect's words. */
  shutdown(): void {
    if (this.stopping) return;
    this.stopping = true;
    clearInterval(this.timer);
    this.unsubscribe();
    this.readyCache.stop();
    for (const connection of [...this.connections.values()]) this.close(connection, connection.dialect.closes.restart);
    // Every session is detached now: what RESUME needs goes to the store, for the next process to take.
    try {
      this.resumeStore.save(this.snapshot());
    } catch (error) {
      console.error('gateway: could not save sessions for RESUME after the restart (clients will IDENTIFY again):', error);
    }
    // The timer is gone: cut off, once, whoever does not complete the close in time.
    setTimeout(() => this.terminateLingering(0), this.options.closeGraceMs).unref?.();
  }

  // ---- resume across restarts ----

  private snapshot(): ResumeSnapshot {
    const now = this.core.clock.now();
    const sessions: SessionSnapshot[] = [];
    for (const session of this.registry.all()) sessions.push(sessionSnapshot(session, now));
    const entries: ReplayEntrySnapshot[] = sessions.length === 0 ? [] : this.replay.kept().map(entrySnapshot);
    return { savedAt: now, sequence: this.sequence.current, evictedThrough: this.replay.evicted, sessions, entries };
  }

  /** Takes the previous process's snapshot (once): its sequence counter, replay buffer and sessions still in their window. */
  private restore(): void {
    this.restored = true;
    let snapshot: ResumeSnapshot | null;
    try {
      snapshot = this.resumeStore.take();
    } catch (error) {
      console.error('gateway: could not read the sessions saved at the last shutdown (clients will IDENTIFY again):', error);
      return;
    }
    if (!snapshot) return;
    const now = this.core.clock.now();
    this.sequence.continueFrom(snapshot.sequence);
    if (this.options.resumeWindowMs <= 0) return;
    this.replay.restore(snapshot.entries.map(entryFromSnapshot), snapshot.evictedThrough, now);
    for (const saved of snapshot.sessions) {
      const dialect = this.dialects.get(saved.dialect);
      if (!dialect || now - saved.disconnectedAt >= this.options.resumeWindowMs) continue;
      this.registry.add(sessionFromSnapshot(saved, dialect));
    }
    // The previous process stopped without telling anyone these users went offline with their connections.
    const users = new Set(snapshot.sessions.map((s) => s.userId));
    for (const userId of users) if (this.core.services.presence.get(userId).status === 'offline') this.core.services.presence.announce(userId);
  }

  // ---- connections (called by the endpoint) ----

  connect(id: string, socket: GatewaySocket, dialect: GatewayDialect, params: ConnectionParams): GatewayConnection {
    const now = this.core.clock.now();
    const connection = new GatewayConnection(id, socket, dialect, params, now, {
      at: now + this.options.identifyTimeoutMs,
      close: dialect.closes.identifyTimeout,
    });
    this.connections.set(id, connection);
    if (this.stopping) this.close(connection, dialect.closes.restart);
    return connection;
  }

  connection(id: string): GatewayConnection | undefined {
    return this.connections.get(id);
  }

  /** Size and rate checks on one client frame; the frame's text, or null when the connection was closed for it. */
  receive(connection: GatewayConnection, message: string | Uint8Array): string | null {
    if (!connection.open) return null;
    const bytes = typeof message === 'string' ? utf8Length(message, this.options.maxFrameBytes) : message.byteLength;
    if (bytes > this.options.maxFrameBytes) {
      this.close(connection, connection.dialect.closes.frameTooLarge);
      return null;
    }
    if (!this.limiter.take(connection.id, GATEWAY_FRAME_RATE_LIMIT).allowed) {
      this.close(connection, connection.dialect.closes.rateLimited);
      return null;
    }
    return typeof message === 'string' ? message : new TextDecoder().decode(message);
  }

  /**
   * Runs a frame handler in order with the connection's earlier frames (IDENTIFY awaits a token check; a frame
   * sent right behind it waits its turn). A handler that throws closes the connection with the dialect's
   * unknown-error close and leaves the session resumable.
   */
  run(connection: GatewayConnection, handle: () => void | Promise<void>): void {
    const step = (): Promise<void> | undefined => {
      if (!connection.open) return undefined;
      try {
        const result = handle();
        return result instanceof Promise ? result.catch((error: unknown) => this.fail(connection, error)) : undefined;
      } catch (error) {
        this.fail(connection, error);
        return undefined;
      }
    };
    const settle = (pending: Promise<void>) => {
      connection.pending = pending;
      void pending.then(() => {
        if (connection.pending === pending) connection.pending = null;
      });
    };
    if (connection.pending !== null) settle(connection.pending.then(step));
    else {
      const result = step();
      if (result !== undefined) settle(result);
    }
  }

  /** The socket closed (either side). A client's 1000/1001 ends the session; anything else leaves it resumable. */
  disconnected(id: string, code: number): void {
    this.closing.delete(id);
    const connection = this.connections.get(id);
    if (connection) this.release(connection, code !== 1000 && code !== 1001);
  }

  /** Bun's `drain`: the socket's send buffer emptied below its limit again. */
  drained(id: string): void {
    const connection = this.connections.get(id);
    if (!connection) return;
    connection.congested = false;
    this.flush(connection);
  }

  // ---- protocol operations (called by dialects) ----

  /** The connection is back to needing an IDENTIFY (after INVALID_SESSION): a fresh identify deadline. */
  expectIdentify(connection: GatewayConnection): void {
    connection.phase = 'new';
    connection.deadline = { at: this.core.clock.now() + this.options.identifyTimeoutMs, close: connection.dialect.closes.identifyTimeout };
  }

  /** A heartbeat arrived (or, for dialects that say HELLO, the first one is now expected): push the deadline. */
  heartbeat(connection: GatewayConnection): void {
    connection.deadline = this.heartbeatDeadline(connection);
  }

  /** IDENTIFY/RESUME attempts per token digest (the app's limiter: off with HARMONY_RATE_LIMITS=off; shared by a cluster's nodes). */
  async identifyAllowed(token: string): Promise<boolean> {
    return (await this.limiter.takeShared(digestHex(tokenDigest(token)), IDENTIFY_RATE_LIMIT)).allowed;
  }

  authenticate(token: string): Promise<Caller | null> {
    return this.core.services.users.authenticate(token);
  }

  /**
   * Creates a session for an authenticated caller and attaches the connection: subscribed to everything the
   * user may see, heartbeat deadline running. `greet` sends READY (and whatever else the dialect sends first),
   * then the session goes online in presence, so its own PRESENCE_UPDATE comes after READY. Null when the
   * connection closed meanwhile.
   *
   * No event is lost or told twice between the read and the subscription: a barrier enters the fan-out queue
   * before the read starts. The events committed before it (which the read sees) are applied without this session;
   * the queue stops at the barrier, so the events committed during the read are held there until the session is
   * subscribed and READY sent, and then reach it as for any session, after READY. (An event whose commit the read
   * also saw is then applied to a view that already has it: membership and visibility changes are computed as
   * differences, so it changes nothing.)
   */
  async openSession(
    connection: GatewayConnection,
    start: SessionStart,
    greet: (session: GatewaySession, view: InitialView) => void | Promise<void>,
  ): Promise<GatewaySession | null> {
    const { caller } = start;
    const barrier = new Barrier();
    this.opening++;
    this.queue.push(barrier);
    this.pump();
    try {
      const view = await this.visibility.initial(caller.user.id);
      // Every event committed before the read has been applied (to the sessions there were); none after it yet.
      await barrier.reached;
      if (!connection.open || this.stopping) return null;
      return await this.subscribe(connection, start, view, greet);
    } finally {
      this.opening--;
      barrier.pass();
    }
  }

  /** openSession at its barrier: registers and subscribes the session, then greets it before any event reaches it. */
  private async subscribe(
    connection: GatewayConnection,
    start: SessionStart,
    view: InitialView,
    greet: (session: GatewaySession, view: InitialView) => void | Promise<void>,
  ): Promise<GatewaySession | null> {
    const { caller } = start;
    const session = new GatewaySession({
      id: newSessionId(),
      userId: caller.user.id,
      kind: caller.kind,
      tokenHash: digestHex(caller.tokenHash),
      dialect: connection.dialect,
      streams: start.streams,
      startSeq: this.sequence.current,
      platform: start.platform,
      presence: start.presence,
    });
    for (const [guildId, channels] of view.guilds) session.guilds.set(guildId, channels);
    for (const dm of view.dms) session.dms.add(dm.id);
    this.registry.add(session);
    this.board.set(session, userTopic(session.userId), true);
    for (const [guildId, channels] of session.guilds) {
      this.board.set(session, guildTopic(guildId), true);
      for (const channelId of channels) this.board.set(session, channelTopic(channelId), true);
    }
    for (const channelId of session.dms) this.board.set(session, channelTopic(channelId), true);
    this.bind(session, connection);
    // Nothing is published while the queue waits at the barrier; a frame sent directly (a close) may end it.
    await greet(session, view);
    if (!connection.open || session.connection !== connection) return null;
    this.core.services.presence.sessionOpened(session.userId, session.id, session.platform, session.presence);
    this.share(session);
    return session;
  }

  /**
   * The shared event log was lost (Redis came back without it): a session may have missed events no node has. Every
   * connection is told to reconnect, and nothing before now can be replayed, so each one IDENTIFYs again.
   */
  logLost(): void {
    this.replay.restore([], this.sequence.ceiling, this.core.clock.now());
    for (const connection of [...this.connections.values()]) this.close(connection, connection.dialect.closes.restart);
  }

  /**
   * Redis stopped answering: no event reaches this node until it is back, so every connection is told to reconnect
   * (its session stays resumable, here or, once Redis answers, on any node). A client that comes back meanwhile
   * is closed the same way until then (adopt), never told its session is gone.
   */
  sharedStateLost(): void {
    for (const connection of [...this.connections.values()]) this.close(connection, connection.dialect.closes.restart);
  }

  /**
   * Before a RESUME, on one node: the events already committed are applied (so the replay holds them).
   * In a cluster, before a RESUME: a session this node does not hold, opened on another node (dead or alive), is
   * taken over from its shared record, once this node has applied every event batch up to the client's `seq`.
   * resumeSession then checks the token and the window as for any session. With Redis away it rejects (the
   * handler then closes with the dialect's unknown-error close, which leaves the client free to RESUME again:
   * INVALID_SESSION would make it IDENTIFY and lose what it missed).
   */
  async adopt(sessionId: string, seq: number): Promise<void> {
    if (!this.cluster) {
      // One node: events committed before this RESUME may still be in the fan-out queue (their reads take a
      // round trip on PostgreSQL); the replay must hold them, so they are applied first (at most 2 s).
      await Promise.race([this.idle(), Bun.sleep(2000)]);
      return;
    }
    if (this.cluster.logReadable?.() === false) throw new RedisUnavailableError();
    if (this.registry.get(sessionId)) return;
    const saved: SessionSnapshot | null = await this.cluster.sessions.load(sessionId);
    const dialect = saved && this.dialects.get(saved.dialect);
    if (!saved || !dialect || this.registry.get(sessionId)) return;
    // Every batch appended before this RESUME (a write acknowledged on any node is in the log: its unit of work
    // waits for the relay) is applied here first, so the replay holds every event the client missed.
    const head = (await this.cluster.head?.().catch(() => 0)) ?? 0;
    const deadline = Date.now() + 2000;
    while ((this.sequence.ceiling < seq || !this.appliedThrough(head)) && Date.now() < deadline) await Bun.sleep(10);
    if (this.registry.get(sessionId)) return;
    const session = sessionFromSnapshot(saved, dialect);
    // Connected elsewhere until now: its window runs from this takeover at the latest.
    session.disconnectedAt = Math.min(saved.disconnectedAt, this.core.clock.now());
    this.registry.add(session);
    this.cluster.sessions.announceTaken(sessionId, this.nodeToken).catch(() => undefined);
  }

  /** In a cluster: whether every event of batches up to `batch` has been read from the log and applied here. */
  private appliedThrough(batch: number): boolean {
    if (!this.cluster || this.cluster.batch() < batch) return false;
    if (this.handlingBatch !== null && this.handlingBatch <= batch) return false;
    return !this.queue.some((item) => !(item instanceof Barrier) && item.batch <= batch);
  }

  /**
   * Another node took this session over: its connection here (if the client still had one) is closed as
   * superseded, and this node forgets it, without touching the record the new holder now keeps.
   */
  private taken(sessionId: string, node: string): void {
    if (node === this.nodeToken) return;
    const session = this.registry.get(sessionId);
    if (!session) return;
    const connection = session.connection;
    if (connection) {
      this.board.disconnect(session, connection);
      session.connection = null;
      this.close(connection, connection.dialect.closes.superseded);
      this.core.services.presence.sessionClosed(session.userId, session.id);
    }
    this.destroy(session);
  }

  /**
   * RESUME: the caller's session `sessionId` takes this connection, gets every buffered dispatch after `seq`
   * that it could see when it went out, then `greet` (RESUMED). A live connection of that session is closed.
   */
  resumeSession(connection: GatewayConnection, caller: Caller, sessionId: string, seq: number, greet: (session: GatewaySession) => void): ResumeOutcome {
    const session = this.registry.get(sessionId);
    if (!session || session.userId !== caller.user.id || session.tokenHash !== digestHex(caller.tokenHash) || session.dialect !== connection.dialect) {
      return { ok: false, reason: 'unknown' };
    }
    if (!Number.isSafeInteger(seq) || seq < session.startSeq || seq > this.sequence.ceiling) {
      if (!session.connection) this.destroy(session);
      return { ok: false, reason: 'invalid-seq' };
    }
    const entries = this.replay.after(seq, this.core.clock.now());
    if (!entries) {
      if (!session.connection) this.destroy(session);
      return { ok: false, reason: 'expired' };
    }
    const previous = session.connection;
    if (previous && previous !== connection) {
      // Detach first so closing it neither flaps presence nor ends the session.
      this.board.disconnect(session, previous);
      session.connection = null;
      this.close(previous, previous.dialect.closes.superseded);
    }
    this.bind(session, connection);
    // The replay may be megabytes; it streams at the client's pace without counting as a slow consumer.
    connection.replayAllowance = entries.reduce((bytes, entry) => bytes + entry.bytes, 0);
    let replayed = 0;
    for (const entry of entries) {
      if (!reaches(entry.audience, session, entry.seq)) continue;
      for (const stream of session.streams) {
        const frame = entry.targeted?.get(stream)?.get(session.userId) ?? entry.frames.get(stream);
        if (frame === undefined) continue;
        this.send(connection, frame);
        replayed++;
      }
    }
    greet(session);
    this.core.services.presence.sessionOpened(session.userId, session.id, session.platform, session.presence);
    this.share(session);
    return { ok: true, session, replayed };
  }

  /** Op 3 (or v10's presence update): the session's new status and activities, already validated. */
  updatePresence(session: GatewaySession, update: PresenceUpdate): void {
    session.presence = update;
    this.core.services.presence.sessionUpdated(session.userId, session.id, update);
  }

  /**
   * Sends one frame to one connection, in order with everything sent to it before. Past the high-water mark
   * frames wait in the connection's backlog for `drain`; a backlog past its cap drops the connection as slow.
   */
  send(connection: GatewayConnection, frame: string): void {
    if (!connection.open) return;
    if (!connection.backlog && connection.socket.getBufferedAmount() >= this.options.sendHighWaterBytes) this.setBacklog(connection, true);
    const backlog = connection.backlog;
    if (!backlog) {
      this.write(connection, frame);
      return;
    }
    backlog.push(frame);
    connection.backlogBytes += frame.length;
    // A client that stopped reading is dropped once live traffic backs up past the slow-consumer limit
    // (on top of whatever RESUME replay is still streaming), never buffered further.
    const cap = Math.min(this.options.maxBacklogBytes, connection.replayAllowance + this.options.slowConsumerBytes);
    if (connection.backlogBytes > cap) this.close(connection, connection.dialect.closes.slowConsumer);
  }

  /** A per-session dispatch (READY, RESUMED, ...): takes the next sequence number; not replayable. */
  sendDispatch(connection: GatewayConnection, build: (seq: number) => string): number {
    const seq = this.sequence.nextLocal();
    this.send(connection, build(seq));
    return seq;
  }

  /** Closes a connection with a dialect close; the session stays resumable if the close says so. */
  close(connection: GatewayConnection, spec: CloseSpec): void {
    if (!connection.open) return;
    if (spec.frame !== undefined) this.send(connection, spec.frame);
    try {
      connection.socket.close(spec.code, spec.reason);
    } catch {
      // Already closing.
    }
    this.closing.set(connection.id, { socket: connection.socket, at: this.core.clock.now() });
    this.release(connection, spec.resumable);
  }

  /** Ends a session for good (it cannot be resumed); closes its connection first if it has one. */
  endSession(session: GatewaySession, spec: CloseSpec): void {
    if (session.connection) this.close(session.connection, { ...spec, resumable: false });
    this.destroy(session);
    this.unshare(session);
  }

  // ---- internals ----

  private bind(session: GatewaySession, connection: GatewayConnection): void {
    connection.session = session;
    connection.phase = 'ready';
    connection.deadline = this.heartbeatDeadline(connection);
    session.connection = connection;
    session.disconnectedAt = null;
    this.board.connect(session, connection);
  }

  private write(connection: GatewayConnection, frame: string): void {
    if (connection.socket.send(connection.transform ? connection.transform(frame) : frame) === -1) connection.congested = true;
  }

  /** Hands queued frames to Bun while it is below the high-water mark; back to native topics once empty. */
  private flush(connection: GatewayConnection): void {
    const backlog = connection.backlog;
    if (!backlog) return;
    let sent = 0;
    while (sent < backlog.length && connection.open && connection.socket.getBufferedAmount() < this.options.sendHighWaterBytes) {
      const frame = backlog[sent] as string;
      this.write(connection, frame);
      connection.backlogBytes -= frame.length;
      sent++;
    }
    backlog.splice(0, sent);
    if (connection.open && backlog.length === 0) this.setBacklog(connection, false);
  }

  /** Enters or leaves backlog mode, moving the connection's topic traffic between Bun topics and direct sends. */
  private setBacklog(connection: GatewayConnection, on: boolean): void {
    const session = connection.session?.connection === connection ? connection.session : null;
    if (session) this.board.disconnect(session, connection);
    connection.backlog = on ? [] : null;
    connection.backlogBytes = 0;
    if (!on) connection.replayAllowance = 0;
    if (session) this.board.connect(session, connection);
  }

  /** Cuts off sockets whose close handshake has waited at least `graceMs`. */
  private terminateLingering(graceMs: number): void {
    const now = this.core.clock.now();
    for (const [id, { socket, at }] of this.closing) {
      if (now - at < graceMs) continue;
      this.closing.delete(id);
      try {
        socket.terminate?.();
      } catch {
        // Already gone.
      }
    }
  }

  private release(connection: GatewayConnection, resumable: boolean): void {
    if (connection.phase === 'closed') return;
    connection.phase = 'closed';
    this.connections.delete(connection.id);
    const session = connection.session;
    if (!session || session.connection !== connection) return;
    this.board.disconnect(session, connection);
    session.connection = null;
    session.disconnectedAt = this.core.clock.now();
    if (!this.stopping) this.core.services.presence.sessionClosed(session.userId, session.id);
    if (!resumable || this.options.resumeWindowMs <= 0) {
      this.destroy(session);
      this.unshare(session);
    } else this.share(session);
  }

  private destroy(session: GatewaySession): void {
    this.registry.remove(session);
  }

  /** In a cluster: the session's record, for any node to resume it, kept for the window past its last sign of life. */
  private share(session: GatewaySession): void {
    if (!this.cluster || this.options.resumeWindowMs <= 0) return;
    const now = this.core.clock.now();
    const ttl =
      session.disconnectedAt === null ? this.options.resumeWindowMs + 3 * SHARE_EVERY_MS : this.options.resumeWindowMs - (now - session.disconnectedAt);
    if (ttl > 0) this.cluster.sessions.save(sessionSnapshot(session, now), ttl).catch(() => undefined);
  }

  /** Ended for good (closed without resume, revoked): no node may resume it. An expired one just runs out. */
  private unshare(session: GatewaySession): void {
    this.cluster?.sessions.remove(session.id).catch(() => undefined);
  }

  private revoke(userId: string, tokenHash: string | null): void {
    for (const session of this.registry.ofUser(userId)) {
      if (tokenHash === null || session.tokenHash === tokenHash) this.endSession(session, session.dialect.closes.revoked);
    }
  }

  private heartbeatDeadline(connection: GatewayConnection): Deadline {
    return { at: this.core.clock.now() + this.options.heartbeatInterval * HEARTBEAT_GRACE, close: connection.dialect.closes.heartbeatTimeout };
  }

  /**
   * Committed events are applied by one queue per node, in commit order: event N+1's fan-out starts once N's has
   * finished (its reads are awaited), and never on the stack of the request that committed it. Handling one may
   * publish another (closing a session changes presence): it queues behind.
   */
  private onEvent(event: DomainEvent): void {
    // Without sessions there is nobody to tell and no view to keep; and nobody can resume to these events.
    if (this.stopping || (this.registry.size === 0 && this.opening === 0 && !this.cluster)) return;
    this.queue.push({ event, batch: this.cluster?.batch() ?? 0 });
    this.pump();
  }

  private pump(): void {
    if (this.draining) return;
    this.draining = true;
    queueMicrotask(() => void this.drain());
  }

  private async drain(): Promise<void> {
    try {
      for (let next = this.queue.shift(); next; next = this.queue.shift()) {
        if (next instanceof Barrier) {
          await next.arrive();
          continue;
        }
        if (this.stopping) continue;
        this.applyingBatch = next.batch;
        this.handlingBatch = next.batch;
        try {
          await this.fanout.handle(next.event);
          this.onDelivered?.(next.event);
        } catch (error) {
          console.error(`gateway: fan-out of ${next.event.type} failed:`, error);
        } finally {
          this.handlingBatch = null;
        }
      }
    } finally {
      // The loop ends only on an empty queue, and nothing can queue between it and here.
      this.draining = false;
      this.queueDrained?.resolve();
      this.queueDrained = null;
    }
  }

  /** Resolves once every event committed so far has been applied (tests; a graceful shutdown's last dispatches). */
  idle(): Promise<void> {
    if (!this.draining && this.queue.length === 0) return Promise.resolve();
    this.queueDrained ??= Promise.withResolvers<void>();
    return this.queueDrained.promise;
  }

  /**
   * In one synchronous step: sequence number, one serialization per dialect stream, the replay buffer, one publish
   * per topic. Encoders read nothing (what they show came with the event), so dispatches go out in the order fan-out
   * makes them, and numbers never go backwards for a connection.
   */
  private deliver(dispatch: Dispatch, audience: Audience): void {
    // In a cluster every dispatch is numbered and kept, sessions or not: a session may resume here from another node.
    if (this.stopping || (this.registry.size === 0 && !this.cluster)) return;
    const seq = this.sequence.next();
    const frames = new Map<string, string>();
    let targeted: Map<string, ReadonlyMap<string, string>> | undefined;
    let bytes = 0;
    for (const dialect of this.dialects.values()) {
      if (this.registry.countOf(dialect.id) === 0 && !this.cluster) continue;
      for (const [stream, frame, byUser] of dialect.encode(dispatch, seq)) {
        if (frame !== null) {
          frames.set(stream, frame);
          bytes += frame.length;
        }
        if (byUser && byUser.size > 0) {
          targeted ??= new Map();
          targeted.set(stream, byUser);
          for (const text of byUser.values()) bytes += text.length;
        }
      }
    }
    if (frames.size === 0 && !targeted) return;
    const now = this.core.clock.now();
    this.replay.push({ seq, at: now, audience, frames, targeted, bytes }, now);
    const topics = audienceTopics(audience);
    for (const topic of topics) {
      for (const [stream, frame] of frames) if (!targeted?.has(stream)) this.board.publish(stream, topic, frame);
      if (targeted) for (const [stream, byUser] of targeted) this.publishTargeted(stream, topic, frames.get(stream) ?? null, byUser);
    }
  }

  /**
   * A stream frame with per-user variants: the targeted users' live sessions on `stream` that hear `topic` are left
   * out of the shared publish and get their own frame right after it, so each session still gets exactly one.
   */
  private publishTargeted(stream: string, topic: string, frame: string | null, byUser: ReadonlyMap<string, string>): void {
    const receivers: { connection: GatewayConnection; frame: string }[] = [];
    for (const [userId, own] of byUser) {
      for (const session of this.registry.ofUser(userId)) {
        const connection = session.connection;
        if (connection?.open && session.topics.has(topic) && session.streams.includes(stream)) receivers.push({ connection, frame: own });
      }
    }
    if (frame !== null)
      this.board.publish(
        stream,
        topic,
        frame,
        receivers.map((r) => r.connection),
      );
    for (const receiver of receivers) this.send(receiver.connection, receiver.frame);
  }

  private fail(connection: GatewayConnection, error: unknown): void {
    // Redis or the database is away for now (a 503): reconnect and RESUME later, nothing to log per frame.
    if (error instanceof ApiError && error.status === 503) {
      this.close(connection, connection.dialect.closes.restart);
      return;
    }
    console.error('gateway: frame handler failed:', error);
    this.close(connection, connection.dialect.closes.unknownError);
  }

  /** Deadlines, slow consumers, expired sessions and replay pruning; run by the timer (tests call it directly). */
  tick(): void {
    const now = this.core.clock.now();
    for (const connection of [...this.connections.values()]) {
      if (now >= connection.deadline.at) this.close(connection, connection.deadline.close);
      else if (connection.socket.getBufferedAmount() > this.options.slowConsumerBytes) this.close(connection, connection.dialect.closes.slowConsumer);
      // In case a drain was missed: Bun only reports one after a send that hit backpressure.
      else if (connection.backlog) this.flush(connection);
    }
    this.terminateLingering(this.options.closeGraceMs);
    const expired: GatewaySession[] = [];
    const oldest = this.replay.oldestSeq;
    for (const session of this.registry.all()) {
      if (session.connection === null && session.disconnectedAt !== null && now - session.disconnectedAt >= this.options.resumeWindowMs) expired.push(session);
      else if (session.pendingChanges > 0) session.forgetChangesBefore(oldest === Number.POSITIVE_INFINITY ? this.sequence.current + 1 : oldest);
    }
    for (const session of expired) this.destroy(session);
    this.replay.prune(now);
    if (this.cluster && now - this.sharedAt >= SHARE_EVERY_MS) {
      this.sharedAt = now;
      for (const session of this.registry.all()) if (session.connection) this.share(session);
    }
  }
}

function sessionSnapshot(session: GatewaySession, now: number): SessionSnapshot {
  return {
    id: session.id,
    userId: session.userId,
    kind: session.kind,
    tokenHash: session.tokenHash,
    dialect: session.dialect.id,
    streams: [...session.streams],
    startSeq: session.startSeq,
    platform: session.platform,
    presence: session.presence ?? null,
    disconnectedAt: session.disconnectedAt ?? now,
    dialectState: session.dialectState ?? null,
    guilds: [...session.guilds].map(([guildId, channels]) => [guildId, [...channels]]),
    dms: [...session.dms],
    topics: [...session.topics],
    changes: [...session.topicChanges()],
  };
}

function sessionFromSnapshot(saved: SessionSnapshot, dialect: GatewayDialect): GatewaySession {
  const session = new GatewaySession({
    id: saved.id,
    userId: saved.userId,
    kind: saved.kind,
    tokenHash: saved.tokenHash,
    dialect,
    streams: saved.streams,
    startSeq: saved.startSeq,
    platform: saved.platform,
    presence: saved.presence ?? undefined,
  });
  session.disconnectedAt = saved.disconnectedAt;
  session.dialectState = saved.dialectState ?? undefined;
  for (const [guildId, channels] of saved.guilds) session.guilds.set(guildId, new Set(channels));
  for (const channelId of saved.dms) session.dms.add(channelId);
  session.restoreTopics(saved.topics, saved.changes);
  return session;
}

function entrySnapshot(entry: ReplayEntry): ReplayEntrySnapshot {
  return {
    seq: entry.seq,
    at: entry.at,
    audience: entry.audience,
    frames: [...entry.frames],
    targeted: entry.targeted ? [...entry.targeted].map(([stream, byUser]) => [stream, [...byUser]]) : null,
    bytes: entry.bytes,
  };
}

function entryFromSnapshot(saved: ReplayEntrySnapshot): ReplayEntry {
  return {
    seq: saved.seq,
    at: saved.at,
    audience: saved.audience,
    frames: new Map(saved.frames),
    targeted: saved.targeted ? new Map(saved.targeted.map(([stream, byUser]) => [stream, new Map(byUser)])) : undefined,
    bytes: saved.bytes,
  };
}

/** A committed event waiting for fan-out, with the cluster's event batch it came in (0 on one node). */
type Queued = { event: DomainEvent; batch: number };

/**
 * A place in the fan-out queue where a new session joins the event stream: `reached` once every event before it is
 * applied; the queue goes on once the session is subscribed and greeted (`pass`, also when opening failed).
 */
class Barrier {
  readonly reached: Promise<void>;
  private readonly passed: Promise<void>;
  private reach!: () => void;
  private release!: () => void;

  constructor() {
    this.reached = new Promise((resolve) => {
      this.reach = resolve;
    });
    this.passed = new Promise((resolve) => {
      this.release = resolve;
    });
  }

  /** The queue got here: the opener may subscribe; the queue waits for it. */
  arrive(): Promise<void> {
    this.reach();
    return this.passed;
  }

  pass(): void {
    this.release();
  }
}

/** 32 hex characters, as Discord's session ids look. */
function newSessionId(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('hex');
}

/** UTF-8 length of a string, computed only when its UTF-16 length does not already settle the comparison. */
function utf8Length(text: string, limit: number): number {
  if (text.length * 3 <= limit) return text.length;
  return Buffer.byteLength(text, 'utf8');
}

/** The app's one gateway core; every dialect endpoint is built on it. */
export function createGateway(
  app: { core: Core; limiter: RateLimiter },
  overrides: Partial<GatewayOptions> = {},
  resumeStore: ResumeStore = new MemoryResumeStore(),
  cluster: GatewayCluster | null = null,
): Gateway {
  return new Gateway(app.core, app.limiter, gatewayOptions(app.core.config, overrides), resumeStore, cluster);
}

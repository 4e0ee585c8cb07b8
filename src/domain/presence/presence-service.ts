// Live presence, kept in memory: each connected gateway session reports its status and
// activities; a user's presence is the newest report among their sessions (offline with none).
// Changes go out as `presence.update` events at once — there is no transaction to wait for. In a cluster the
// hub also delivers the other nodes' `presence.update` events (told apart by `origin`): a user with no session
// here shows the presence their node last announced, so every node's presence faces and READY agree.

import { ActivityType } from 'discord-api-types/v10';
import type { EventHub } from '../../events/event-hub.ts';
import type { Clock } from '../clock.ts';
import type { Activity, PresenceUpdate } from './activity.ts';

export type Platform = 'desktop' | 'mobile' | 'web';

/** Session ids of presences mirrored from another platform: `mirror:<source>`. */
const MIRROR = 'mirror:';
export type VisibleStatus = 'online' | 'idle' | 'dnd' | 'offline';

export type Presence = {
  userId: string;
  /** What others see: invisible shows as offline. */
  status: VisibleStatus;
  activities: Activity[];
  clientStatus: Partial<Record<Platform, Exclude<VisibleStatus, 'offline'>>>;
  /** When the user was last seen online (ms), null if never since start-up. */
  lastSeen: number | null;
};

/** What another platform reports for a user whose sessions it has already merged (the Discord bridge). */
export type MirroredPresence = {
  status: VisibleStatus;
  activities: Activity[];
  clientStatus: Presence['clientStatus'];
};

/**
 * What a user's presence leaves behind when the process stops, restored at the next start: when they were last
 * seen, their custom status, and the presences other platforms mirrored for them (which need no session here).
 */
export type PresenceRecord = {
  userId: string;
  lastSeen: number | null;
  customStatus: Activity | null;
  mirrored: { source: string; presence: MirroredPresence }[];
};

/** Where presence records are kept between runs (store/presence-state-store.ts). */
export interface PresenceRecords {
  save(records: readonly PresenceRecord[]): void;
  load(): PresenceRecord[];
}

/** `clients` is set for a mirrored presence: its per-platform statuses replace the one `platform`. */
type SessionPresence = { platform: Platform; update: PresenceUpdate; at: number; clients?: Presence['clientStatus'] };

/**
 * What a user's sessions add up to: the one changed last, and each platform's status as the last session in order
 * sets it (`writers`: that session, per platform).
 */
type SessionsFold = { newest: SessionPresence | null; clientStatus: Presence['clientStatus']; writers: Map<string, SessionPresence> };

const offline = (userId: string): Presence => ({ userId, status: 'offline', activities: [], clientStatus: {}, lastSeen: null });

/** Whether two presences of a user show the same (last seen apart): only a change is announced. */
function samePresence(a: Presence, b: Presence): boolean {
  if (a.status !== b.status) return false;
  const devices = Object.keys(a.clientStatus) as Platform[];
  if (devices.length !== Object.keys(b.clientStatus).length || devices.some((d) => a.clientStatus[d] !== b.clientStatus[d])) return false;
  // Activities are nested objects sent by clients: compared by content, and only when they are not the same list.
  return a.activities === b.activities || JSON.stringify(a.activities) === JSON.stringify(b.activities);
}

const visible = (s: SessionPresence): VisibleStatus => (s.update.status === 'invisible' ? 'offline' : s.update.status);

/** Folds one more session, the last in order, into `fold` (a fold being built: the presence built from a kept one shares it). */
function foldIn(fold: SessionsFold, s: SessionPresence): void {
  const v = visible(s);
  if (s.clients) {
    Object.assign(fold.clientStatus, s.clients);
    for (const platform of Object.keys(s.clients)) fold.writers.set(platform, s);
  } else if (v !== 'offline') {
    fold.clientStatus[s.platform] = v;
    fold.writers.set(s.platform, s);
  }
  if (fold.newest === null || s.at >= fold.newest.at) fold.newest = s;
}

export class PresenceService {
  private readonly sessions = new Map<string, Map<string, SessionPresence>>();
  private readonly current = new Map<string, Presence>();
  /** Each user's sessions folded, kept so that a new session folds in alone: a user's thousandth session costs what the first did. */
  private readonly folds = new Map<string, SessionsFold>();
  /** Each user's custom status (activity type 4) as they last set it while visible; kept while they are offline. */
  private readonly customStatuses = new Map<string, Activity>();
  /** Presences other nodes announced (users whose sessions are there). */
  private readonly remote = new Map<string, Presence>();
  /** Marks this process's own `presence.update` events, which come back from a shared bus. */
  private readonly origin = crypto.randomUUID();

  constructor(
    private readonly hub: EventHub,
    private readonly clock: Clock,
  ) {
    hub.subscribe((event) => {
      if (event.type === 'presence.update' && event.origin !== undefined && event.origin !== this.origin)
        this.remote.set(event.presence.userId, event.presence);
    });
  }

  get(userId: string): Presence {
    return this.known(userId) ?? offline(userId);
  }

  /** The user's presence unless they are offline, as `get` sees it; builds nothing for an offline user (READY walks whole guilds). */
  online(userId: string): Presence | null {
    const presence = this.known(userId);
    return presence !== undefined && presence.status !== 'offline' ? presence : null;
  }

  /** Another node's word for a user with no session here, else this node's own; nothing for a user never seen. */
  private known(userId: string): Presence | undefined {
    return (this.sessions.has(userId) ? undefined : this.remote.get(userId)) ?? this.current.get(userId);
  }

  /** What this node's own sessions make of the user's presence. */
  private local(userId: string): Presence {
    return this.current.get(userId) ?? offline(userId);
  }

  sessionOpened(userId: string, sessionId: string, platform: Platform, update?: PresenceUpdate): void {
    const own = this.sessions.get(userId) ?? new Map<string, SessionPresence>();
    this.sessions.set(userId, own);
    const added = !own.has(sessionId);
    const session: SessionPresence = { platform, update: update ?? { status: 'online', activities: [], afk: false, since: null }, at: this.clock.now() };
    own.set(sessionId, session);
    this.recompute(userId, added ? { appended: session } : {});
  }

  sessionUpdated(userId: string, sessionId: string, update: PresenceUpdate): void {
    const session = this.sessions.get(userId)?.get(sessionId);
    if (!session) return;
    session.update = update;
    session.at = this.clock.now();
    this.recompute(userId);
  }

  sessionClosed(userId: string, sessionId: string): void {
    const own = this.sessions.get(userId);
    const closed = own?.get(sessionId);
    if (!own || !closed) return;
    own.delete(sessionId);
    if (own.size === 0) this.sessions.delete(userId);
    this.recompute(userId, { removed: closed });
  }

  /**
   * A presence reported by something other than a gateway session (the Discord bridge, tests): each
   * `source` counts as one more session of the user; `null` removes it.
   */
  setExternal(userId: string, source: string, platform: Platform, update: PresenceUpdate | null): void {
    const sessionId = `external:${source}`;
    if (update === null) this.sessionClosed(userId, sessionId);
    else if (this.sessions.get(userId)?.has(sessionId)) this.sessionUpdated(userId, sessionId, update);
    else this.sessionOpened(userId, sessionId, platform, update);
  }

  /**
   * A presence mirrored whole from a platform that merged its user's sessions itself (Discord gives one status,
   * the activities and a status per device): it counts as one more session of the user, whose devices are the
   * ones given. An offline presence, or `null`, removes it, and last_seen moves as for a closed session.
   */
  setMirrored(userId: string, source: string, mirrored: MirroredPresence | null): void {
    const sessionId = `${MIRROR}${source}`;
    if (mirrored === null || mirrored.status === 'offline') {
      this.sessionClosed(userId, sessionId);
      return;
    }
    const own = this.sessions.get(userId) ?? new Map<string, SessionPresence>();
    this.sessions.set(userId, own);
    const platform = (Object.keys(mirrored.clientStatus)[0] as Platform | undefined) ?? 'desktop';
    const update: PresenceUpdate = { status: mirrored.status, activities: mirrored.activities, afk: false, since: null };
    const added = !own.has(sessionId);
    const session: SessionPresence = { platform, update, at: this.clock.now(), clients: { ...mirrored.clientStatus } };
    own.set(sessionId, session);
    this.recompute(userId, added ? { appended: session } : {});
  }

  /** The custom status the user last set (shown by the presence API while they are offline too), or null. */
  customStatus(userId: string): Activity | null {
    return this.customStatuses.get(userId) ?? null;
  }

  /** Everything worth keeping across a restart (at graceful shutdown: online users are seen now). */
  records(): PresenceRecord[] {
    const now = this.clock.now();
    const ids = new Set([...this.current.keys(), ...this.customStatuses.keys()]);
    const out: PresenceRecord[] = [];
    for (const userId of ids) {
      const presence = this.get(userId);
      const mirrored: PresenceRecord['mirrored'] = [];
      for (const [id, s] of this.sessions.get(userId) ?? []) {
        // setMirrored keeps only visible statuses, so a mirrored session is never invisible.
        if (!id.startsWith(MIRROR) || !s.clients || s.update.status === 'invisible') continue;
        mirrored.push({ source: id.slice(MIRROR.length), presence: { status: s.update.status, activities: s.update.activities, clientStatus: s.clients } });
      }
      const lastSeen = presence.status !== 'offline' ? now : presence.lastSeen;
      out.push({ userId, lastSeen, customStatus: this.customStatus(userId), mirrored });
    }
    return out;
  }

  /** At start, before anyone connects: last seen and custom statuses as they were, mirrored presences as last known. */
  restore(records: readonly PresenceRecord[]): void {
    for (const record of records) {
      if (record.customStatus) this.customStatuses.set(record.userId, record.customStatus);
      if (record.lastSeen !== null) this.current.set(record.userId, { ...this.get(record.userId), lastSeen: record.lastSeen });
      for (const { source, presence } of record.mirrored) this.setMirrored(record.userId, source, presence);
    }
  }

  /**
   * Says again, to everyone who may see it, what the user's presence is now: after a restart, for the users whose
   * sessions went away with the previous process (it stopped without announcing them offline), so sessions that
   * resume learn it from their replay.
   */
  announce(userId: string): void {
    this.hub.publish([{ type: 'presence.update', presence: this.get(userId), origin: this.origin }]);
  }

  /**
   * Works out the user's presence again from their sessions, without walking all of them when one change cannot
   * need it: a session `appended` (the last in order) is folded into what the others added up to, and one `removed`
   * that was neither the newest nor the last to set a platform's status leaves the sum as it was. Anything else
   * folds every session again.
   */
  private recompute(userId: string, change: { appended?: SessionPresence; removed?: SessionPresence } = {}): void {
    const previous = this.local(userId);
    const kept = this.folds.get(userId);
    let fold: SessionsFold;
    if (kept && change.removed && kept.newest !== change.removed && ![...kept.writers.values()].includes(change.removed)) fold = kept;
    else {
      const before = change.appended ? kept : undefined;
      fold = { newest: before?.newest ?? null, clientStatus: { ...before?.clientStatus }, writers: new Map(before?.writers) };
      if (before && change.appended) foldIn(fold, change.appended);
      else for (const s of this.sessions.get(userId)?.values() ?? []) foldIn(fold, s);
    }
    if (this.sessions.has(userId)) this.folds.set(userId, fold);
    else this.folds.delete(userId);
    const { newest, clientStatus } = fold;
    const status = newest ? visible(newest) : 'offline';
    // A custom status outlives the sessions that set it (as on Discord); an invisible user's is left as it was.
    if (newest && status !== 'offline') {
      const custom = newest.update.activities.find((a) => a.type === ActivityType.Custom);
      if (custom) this.customStatuses.set(userId, custom);
      else this.customStatuses.delete(userId);
    }
    const next: Presence = {
      userId,
      status,
      activities: status === 'offline' || !newest ? [] : newest.update.activities,
      clientStatus,
      lastSeen: status !== 'offline' || previous.status !== 'offline' ? this.clock.now() : previous.lastSeen,
    };
    this.current.set(userId, next);
    if (!samePresence(previous, next)) {
      this.hub.publish([{ type: 'presence.update', presence: next, origin: this.origin }]);
    }
  }
}

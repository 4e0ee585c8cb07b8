// Everyone the presence API shows, kept in memory so `GET /user/:id` and the sockets never touch SQLite:
// loaded once at start, then changed by hub events only: the writes below emit `presence.directory` in their
// transaction (K/V, sharing, API token, GitHub link), which every node of a cluster applies from the bus, as
// it does live presence, profiles and nicknames. Every change of what a public face shows is announced at once.
// Two kinds of people are here: Harmony users who opted in, and members of a mirrored Discord server
// (external profiles, put here by the bridge), who have no Harmony account and are known by their Discord id.

import type { DomainEvent } from '../../events/domain-events.ts';
import type { EventHub } from '../../events/event-hub.ts';
import type { GitHubClient, GitHubFailure, GitHubProfile } from '../../integrations/github-client.ts';
import type { Clock } from '../clock.ts';
import type { ExternalProfileRow } from '../model/presence.ts';
import type { GuildsRepo, PresenceRepo, UsersRepo } from '../ports/index.ts';
import type { UnitOfWork } from '../ports/unit-of-work.ts';
import { digestHex, newToken, tokenDigest } from '../tokens.ts';
import { checkMerge, checkSet, type KvCheck, type KvMerge, publicView, validateKey } from './kv-rules.ts';
import type { Presence, PresenceService } from './presence-service.ts';

/** The account fields the presence faces show. */
export type DirectoryUser = { id: string; username: string; globalName: string | null; avatar: string | null; bot: boolean };

export type GitHubLink = { username: string; profile: GitHubProfile | null; fetchedAt: number | null };

/**
 * One change of what the directory stores of a user, as `presence.directory` events carry it: K/V keys set and
 * deleted; sharing switched (and the guild whose nickname is the server_name moved, when `guild` is set); the API
 * token replaced or revoked (its SHA-256 digest in hex, never the token); the GitHub link set, refreshed or removed;
 * a mirrored member (the Discord bridge's, which runs on one node) shown or hidden.
 */
export type DirectoryChange =
  | { kind: 'kv'; set: Record<string, string>; deleted: string[] }
  | { kind: 'sharing'; shared: boolean; guild: { id: string; serverName: string | null } | null }
  | { kind: 'token'; tokenHash: string | null }
  | { kind: 'github'; link: GitHubLink | null }
  /** A mirrored member joined or changed (`profile`), or left or went out of sync (null: hidden, data kept). */
  | { kind: 'external'; source: string; profile: ExternalProfile | null };

type DirectoryEvent = Extract<DomainEvent, { type: 'presence.directory' }>;

/** What a public face needs to draw one user, all from memory. */
export type PresenceSnapshot = {
  user: DirectoryUser;
  /** The platform a mirrored member comes from (ExternalProfile.source, e.g. 'discord'); null for a Harmony user. */
  source: string | null;
  presence: Presence;
  /** Nickname in the guild the user shares presence from, else null. */
  serverName: string | null;
  kv: Record<string, string>;
  github: GitHubProfile | null;
  /** Last time seen online (ms): live while the process runs, persisted across restarts. */
  lastSeen: number | null;
  /** Grows with every change of this user's snapshot, so a face may cache what it serialized. */
  version: number;
};

/**
 * A member of a server on another platform (the Discord bridge's guild), shown under that platform's user id.
 * `avatar` is what the platform gives (Discord: an image hash); `nick` is their nickname there, the server_name.
 */
export type ExternalProfile = {
  id: string;
  source: string;
  guildId: string;
  username: string;
  globalName: string | null;
  avatar: string | null;
  bot: boolean;
  nick: string | null;
};

/** What a whole-server sync did: how many members are shown, ids refused (Harmony accounts), ids hidden (gone). */
export type ExternalSync = { tracked: number; refused: string[]; left: string[] };

/** What the owner sees of their own settings (the web app's switch, `.presence`). */
export type PresenceSettings = { shared: boolean; hasToken: boolean; github: GitHubProfile | null; guildId: string | null };

export type GitHubLinkResult = { ok: true; profile: GitHubProfile } | { ok: false; reason: GitHubFailure; retryAt?: number };

export type DirectoryListener = (userId: string) => void;

type Entry = {
  user: DirectoryUser;
  shared: boolean;
  /** Hidden: a disabled account, or an external member who left (or whose bridge has not claimed them yet). */
  disabled: boolean;
  /** Set for a mirrored member; `member` is false once they left the server. */
  external: (ExternalProfile & { member: boolean }) | null;
  guildId: string | null;
  serverName: string | null;
  kv: Map<string, string>;
  github: (GitHubLink & { attemptedAt: number }) | null;
  lastSeen: number | null;
  lastSeenSavedAt: number;
  tokenHex: string | null;
  version: number;
};

export type DirectoryDeps = {
  uow: UnitOfWork;
  hub: EventHub;
  store: PresenceRepo;
  users: UsersRepo;
  guilds: GuildsRepo;
  presence: PresenceService;
  github: GitHubClient;
  clock: Clock;
  /** How old a GitHub profile may get before the background refresh fetches it again. */
  githubRefreshMs: number;
};

/** Tokens look like `<base64url id>.<base64url 32 bytes>` (see tokens.ts); only such words are hashed. */
const TOKEN_LIKE = /[A-Za-z0-9_-]{2,40}\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g;
// While online, last_seen is written at most this often: it only matters after a restart.
const LAST_SEEN_SAVE_EVERY_MS = 60_000;
// How long a writer waits for its own change to come back from the bus before applying it itself (the bus is away:
// the change is in the outbox and will come back; applying it again then changes nothing).
const OWN_CHANGE_WAIT_MS = 5_000;

/** The events `onEvent` acts on, in order (presence, profile, membership and account changes): its switch is typed by them. */
const DIRECTORY_EVENT_TYPES = [
  'presence.update',
  'user.update',
  'member.join',
  'member.update',
  'member.leave',
  'guild.delete',
  'credentials.revoked',
] as const satisfies readonly DomainEvent['type'][];
type AppliedEvent = Extract<DomainEvent, { type: (typeof DIRECTORY_EVENT_TYPES)[number] }>;
const DIRECTORY_EVENTS: ReadonlySet<DomainEvent['type']> = new Set(DIRECTORY_EVENT_TYPES);
const applies = (event: DomainEvent): event is AppliedEvent => DIRECTORY_EVENTS.has(event.type);

export class PresenceDirectory {
  private readonly entries = new Map<string, Entry>();
  private readonly tokens = new Map<string, string>();
  private readonly listeners = new Set<DirectoryListener>();
  private unsubscribe: (() => void) | null = null;
  /** Events are applied one after another, in the order the hub published them. */
  private applying: Promise<void> = Promise.resolve();
  /** last_seen writes, one after another, off the events' path. */
  private lastSeenWrites: Promise<void> = Promise.resolve();
  private timer: ReturnType<typeof setInterval> | null = null;
  private refreshing: Promise<void> | null = null;
  private stopped = false;
  /** Writers waiting for their change to be applied, by the event's `ref`. */
  private readonly awaited = new Map<string, () => void>();

  constructor(private readonly deps: DirectoryDeps) {}

  /** Loads every row once and starts following the hub and refreshing GitHub profiles. */
  async start(): Promise<void> {
    await this.load();
    this.unsubscribe = this.deps.hub.subscribe((event) => {
      // Applied at once, in bus order: it reads nothing, and the writer waits for it (read your writes).
      if (event.type === 'presence.directory') return this.apply(event);
      // Messages, reactions and the rest change nothing here: they skip the queue (a send is the hot path).
      if (!applies(event)) return;
      this.applying = this.applying.then(() => this.onEvent(event)).catch((error) => console.error('presence directory could not apply an event:', error));
    });
    const every = Math.min(this.deps.githubRefreshMs, 60_000);
    this.timer = setInterval(() => void this.refreshGithub(), every);
    this.timer.unref?.();
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.timer) clearInterval(this.timer);
    this.listeners.clear();
  }

  /** Resolves once the events published so far are applied and their last-seen writes are done. */
  async idle(): Promise<void> {
    let seen: [Promise<void>, Promise<void>] | null = null;
    while (seen?.[0] !== this.applying || seen[1] !== this.lastSeenWrites) {
      seen = [this.applying, this.lastSeenWrites];
      await Promise.all(seen);
    }
  }

  /** Called after every change of a user's public snapshot (presence, profile, K/V, GitHub, sharing). */
  onChange(listener: DirectoryListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ---- reads (memory only) ----

  isMonitored(userId: string): boolean {
    const entry = this.entries.get(userId);
    return entry?.shared === true && !entry.disabled;
  }

  /** Ids of everyone shown, for subscribe-to-all. */
  monitoredIds(): string[] {
    return [...this.entries.keys()].filter((id) => this.isMonitored(id));
  }

  /** The user's public snapshot, or null when they do not share their presence. */
  snapshot(userId: string, includePrivate: boolean): PresenceSnapshot | null {
    const entry = this.entries.get(userId);
    if (!entry?.shared || entry.disabled) return null;
    const live = this.deps.presence.get(userId);
    // Offline, a user still shows the custom status they set (kept across restarts too).
    const custom = live.status === 'offline' ? this.deps.presence.customStatus(userId) : null;
    const presence = custom ? { ...live, activities: [custom] } : live;
    return {
      user: entry.user,
      source: entry.external?.source ?? null,
      presence,
      serverName: entry.serverName,
      kv: publicView(Object.fromEntries(entry.kv), includePrivate),
      github: entry.github?.profile ?? null,
      lastSeen: presence.lastSeen ?? entry.lastSeen,
      version: entry.version,
    };
  }

  /** The current version of a user's snapshot (0 when unknown); cheap enough for every request. */
  version(userId: string): number {
    return this.entries.get(userId)?.version ?? 0;
  }

  settings(userId: string): PresenceSettings {
    const entry = this.entries.get(userId);
    return {
      shared: entry?.shared ?? false,
      hasToken: Boolean(entry?.tokenHex),
      github: entry?.github?.profile ?? null,
      guildId: entry?.guildId ?? null,
    };
  }

  /** All of the owner's K/V, private keys included, in insertion order. */
  kv(userId: string): Record<string, string> {
    return Object.fromEntries(this.entries.get(userId)?.kv ?? []);
  }

  /** Whose API token this is, or null. A digest lookup in memory: no SQL, no slow hash. */
  userForToken(token: string | null): string | null {
    if (!token || token.length < 16 || token.length > 256) return null;
    return this.tokens.get(digestHex(tokenDigest(token))) ?? null;
  }

  /** API tokens found in a text (a message someone posted), with their owners. */
  leakedTokens(text: string): { token: string; userId: string }[] {
    const found: { token: string; userId: string }[] = [];
    for (const match of text.matchAll(TOKEN_LIKE)) {
      const userId = this.userForToken(match[0]);
      if (userId) found.push({ token: match[0], userId });
    }
    return found;
  }

  // ---- writes ----

  /**
   * Shares (or stops sharing) the user's presence. `guildId` names the guild whose nickname becomes
   * server_name: `explicit` (the `.presence on` command) always moves it there, any other opt-in only
   * fills it when none is set yet; undefined leaves it. Returns false for an unknown user.
   */
  async setShared(userId: string, shared: boolean, guildId?: string | null, explicit = false): Promise<boolean> {
    if (!shared && !this.entries.has(userId)) return (await this.deps.users.byId(userId)) !== null;
    const entry = await this.ensure(userId);
    if (!entry) return false;
    // A mirrored member's server_name is their nickname over there; a Harmony guild never replaces it.
    const moveGuild = entry.external === null && guildId !== undefined && guildId !== null && (explicit || entry.guildId === null) && entry.guildId !== guildId;
    if (entry.shared === shared && !moveGuild) return true;
    await this.commit(entry, async () => {
      await this.deps.store.putUser(userId, shared, moveGuild ? guildId : undefined, this.deps.clock.now());
      const guild = moveGuild ? { id: guildId, serverName: (await this.deps.guilds.member(guildId, userId))?.nick ?? null } : null;
      return { kind: 'sharing', shared, guild };
    });
    return true;
  }

  async setKv(userId: string, key: unknown, value: unknown): Promise<KvCheck<KvMerge>> {
    const check = checkSet(this.kv(userId), key, value);
    return check.ok ? await this.applyMerge(await this.mustEnsure(userId), check) : check;
  }

  /** All-or-nothing: one broken rule refuses the whole patch. */
  async mergeKv(userId: string, patch: unknown): Promise<KvCheck<KvMerge>> {
    const check = checkMerge(this.kv(userId), patch);
    return check.ok ? await this.applyMerge(await this.mustEnsure(userId), check) : check;
  }

  /** `{ ok: true, value: false }` when there was no such key. */
  async deleteKv(userId: string, key: unknown): Promise<KvCheck<boolean>> {
    const k = validateKey(key);
    if (!k.ok) return k;
    const entry = this.entries.get(userId);
    if (!entry?.kv.has(k.value)) return { ok: true, value: false };
    await this.commit(entry, async () => {
      await this.deps.store.deleteKv(userId, k.value);
      return { kind: 'kv', set: {}, deleted: [k.value] };
    });
    return { ok: true, value: true };
  }

  /** A new API token (shown once); the previous one stops working at once. Null for an unknown user. */
  async issueToken(userId: string): Promise<string | null> {
    const entry = await this.ensure(userId);
    if (!entry) return null;
    const token = newToken(userId);
    const digest = tokenDigest(token);
    await this.commit(entry, async () => {
      await this.deps.store.putUser(userId, entry.shared, undefined, this.deps.clock.now());
      await this.deps.store.putToken(userId, digest, this.deps.clock.now());
      return { kind: 'token', tokenHash: digestHex(digest) };
    });
    return token;
  }

  async revokeToken(userId: string): Promise<boolean> {
    const entry = this.entries.get(userId);
    if (!entry?.tokenHex) return false;
    await this.commit(entry, async () => {
      await this.deps.store.deleteToken(userId);
      return { kind: 'token', tokenHash: null };
    });
    return true;
  }

  /** Fetches the profile and links it; nothing changes unless GitHub answered with a user. */
  async linkGithub(userId: string, username: string): Promise<GitHubLinkResult> {
    const result = await this.deps.github.fetchUser(username);
    if (!result.ok) return result;
    const entry = await this.ensure(userId);
    if (!entry || this.stopped) return { ok: false, reason: 'unavailable' };
    const now = this.deps.clock.now();
    await this.commit(entry, async () => {
      await this.deps.store.putUser(userId, entry.shared, undefined, now);
      await this.deps.store.putGithub(userId, result.profile.username, JSON.stringify(result.profile), now);
      return { kind: 'github', link: { username: result.profile.username, profile: result.profile, fetchedAt: now } };
    });
    return result;
  }

  async unlinkGithub(userId: string): Promise<boolean> {
    const entry = this.entries.get(userId);
    if (!entry?.github) return false;
    await this.commit(entry, async () => {
      await this.deps.store.deleteGithub(userId);
      return { kind: 'github', link: null };
    });
    return true;
  }

  /**
   * One refresh round: re-fetches every GitHub profile older than the refresh interval, one at a time.
   * A failure keeps the last good copy; when GitHub says to wait, the round stops and the client refuses
   * further calls until GitHub's reset time, so the next rounds resume by themselves.
   */
  async refreshGithub(): Promise<void> {
    this.refreshing ??= this.refreshRound().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async refreshRound(): Promise<void> {
    for (const [userId, entry] of this.entries) {
      const link = entry.github;
      if (this.stopped) return;
      if (!link || link.attemptedAt + this.deps.githubRefreshMs > this.deps.clock.now()) continue;
      const result = await this.deps.github.fetchUser(link.username);
      if (this.stopped) return;
      if (!result.ok && result.reason === 'rate_limited') return;
      const now = this.deps.clock.now();
      link.attemptedAt = now;
      // The user may have unlinked or relinked while GitHub answered: only the same link is updated.
      if (!result.ok || entry.github !== link) continue;
      const after = JSON.stringify(result.profile);
      try {
        await this.commit(entry, async () => {
          await this.deps.store.refreshGithub(userId, after, now);
          return { kind: 'github', link: { username: link.username, profile: result.profile, fetchedAt: now } };
        });
      } catch (error) {
        console.error('github refresh could not be saved:', error);
      }
    }
  }

  // ---- mirrored members (the Discord bridge) ----

  /**
   * A member joined or changed (profile, nickname): shown from now on under their id. Refused (false) when the
   * id belongs to a Harmony account. Writes only when the stored profile changes; presence lives elsewhere.
   */
  async putExternal(profile: ExternalProfile): Promise<boolean> {
    const plan = await this.planExternal(profile);
    if (plan === null) return false;
    await this.commitAll(async (change) => {
      if (plan.write) await this.deps.store.putExternal(externalRow(profile), this.deps.clock.now());
      change(externalUser(profile), false, { kind: 'external', source: profile.source, profile });
    });
    return true;
  }

  /**
   * Every member of a mirrored server at once (the bridge's first load, and after it re-identified): puts them
   * all in one transaction and hides the members of `source` who are not in the list (they left meanwhile).
   */
  async syncExternal(source: string, profiles: readonly ExternalProfile[]): Promise<ExternalSync> {
    const plans: { entry: Entry | null; profile: ExternalProfile; write: boolean }[] = [];
    const refused: string[] = [];
    const present = new Set<string>();
    for (const profile of profiles) {
      const plan = await this.planExternal(profile);
      if (plan === null) refused.push(profile.id);
      else {
        plans.push({ ...plan, profile });
        present.add(profile.id);
      }
    }
    const gone = [...this.entries.values()].filter((e) => e.external?.source === source && !present.has(e.user.id) && (e.external.member || !e.disabled));
    const now = this.deps.clock.now();
    await this.commitAll(async (change) => {
      for (const plan of plans) {
        if (plan.write) await this.deps.store.putExternal(externalRow(plan.profile), now);
        change(externalUser(plan.profile), false, { kind: 'external', source, profile: plan.profile });
      }
      for (const entry of gone) {
        if (entry.external?.member) await this.deps.store.leaveExternal(entry.user.id, now);
        change(entry.user, entry.disabled, { kind: 'external', source, profile: null });
      }
    });
    return { tracked: plans.length, refused, left: gone.map((e) => e.user.id) };
  }

  /** A member left: hidden at once (404); their K/V, token and GitHub link stay for when they return. */
  async removeExternal(source: string, userId: string): Promise<boolean> {
    const entry = this.entries.get(userId);
    if (entry?.external?.source !== source || (!entry.external.member && entry.disabled)) return false;
    const member = entry.external.member;
    await this.commitAll(async (change) => {
      if (member) await this.deps.store.leaveExternal(userId, this.deps.clock.now());
      change(entry.user, entry.disabled, { kind: 'external', source, profile: null });
    });
    return true;
  }

  /**
   * Shows the stored members of a server (last known profiles) before the bridge has connected, so a restart
   * while Discord is unreachable still serves them. Stored members are hidden until a bridge claims them:
   * with the bridge off, nobody from Discord is shown. Returns how many are shown.
   */
  restoreExternal(source: string, guildId: string): number {
    let shown = 0;
    for (const entry of this.entries.values()) {
      const ext = entry.external;
      if (ext?.source !== source || ext.guildId !== guildId || !ext.member) continue;
      shown += 1;
      if (!entry.disabled) continue;
      entry.disabled = false;
      this.changed(entry);
    }
    return shown;
  }

  /** Whether `userId` is a current member mirrored from `source` (the bridge answers commands only for them). */
  isExternalMember(source: string, userId: string): boolean {
    const ext = this.entries.get(userId)?.external;
    return ext?.source === source && ext.member;
  }

  /** How many current members `source` mirrors. */
  externalCount(source: string): number {
    let count = 0;
    for (const entry of this.entries.values()) if (entry.external?.source === source && entry.external.member && !entry.disabled) count += 1;
    return count;
  }

  /** null: refused (a Harmony account has this id); `entry` null: a new member; `write`: the stored row changes. */
  private async planExternal(profile: ExternalProfile): Promise<{ entry: Entry | null; write: boolean } | null> {
    const entry = this.entries.get(profile.id);
    if (entry) {
      if (!entry.external) return null;
      const ext = entry.external;
      const same =
        ext.member &&
        ext.source === profile.source &&
        ext.guildId === profile.guildId &&
        ext.username === profile.username &&
        ext.globalName === profile.globalName &&
        ext.avatar === profile.avatar &&
        ext.bot === profile.bot &&
        ext.nick === profile.nick;
      return { entry, write: !same };
    }
    return (await this.deps.users.byId(profile.id)) === null ? { entry: null, write: true } : null;
  }

  /** A mirrored member shown or hidden; never over a Harmony account (the writer refused that already). */
  private applyMirrored(userId: string, change: Extract<DirectoryChange, { kind: 'external' }>): void {
    const entry = this.entries.get(userId) ?? null;
    if (entry && !entry.external) return;
    if (change.profile) this.applyExternal(entry, change.profile);
    else if (entry?.external?.source === change.source) this.hideExternal(entry);
  }

  private applyExternal(existing: Entry | null, profile: ExternalProfile): void {
    const user: DirectoryUser = { id: profile.id, username: profile.username, globalName: profile.globalName, avatar: profile.avatar, bot: profile.bot };
    if (!existing) {
      const entry = this.blankEntry(user);
      entry.shared = true;
      entry.external = { ...profile, member: true };
      entry.serverName = profile.nick;
      this.entries.set(profile.id, entry);
      this.changed(entry);
      return;
    }
    const before = JSON.stringify([existing.user, existing.serverName, existing.disabled, existing.external]);
    existing.user = user;
    existing.serverName = profile.nick;
    existing.disabled = false;
    existing.external = { ...profile, member: true };
    if (JSON.stringify([existing.user, existing.serverName, existing.disabled, existing.external]) !== before) this.changed(existing);
  }

  private hideExternal(entry: Entry): void {
    if (entry.external) entry.external.member = false;
    if (entry.disabled) return;
    entry.disabled = true;
    this.changed(entry);
  }

  // ---- internals ----

  private async applyMerge(entry: Entry, check: { ok: true; value: KvMerge }): Promise<KvCheck<KvMerge>> {
    await this.commit(entry, async () => {
      await this.deps.store.putUser(entry.user.id, entry.shared, undefined, this.deps.clock.now());
      await this.deps.store.putKv(entry.user.id, check.value.patch);
      return { kind: 'kv', set: { ...check.value.patch }, deleted: [] };
    });
    return check;
  }

  /**
   * Runs `write` (it stores the change and says what changed) in a transaction that emits the change, then waits
   * until this node has applied it from the bus, so the caller reads its own write.
   */
  private async commit(entry: Entry, write: () => Promise<DirectoryChange>): Promise<void> {
    await this.commitAll(async (change) => change(entry.user, entry.disabled, await write()));
  }

  /** `write` stores, and announces each change it made with `change`; one transaction, waited for as `commit`. */
  private async commitAll(write: (change: (user: DirectoryUser, disabled: boolean, change: DirectoryChange) => void) => Promise<void>): Promise<void> {
    const events: DirectoryEvent[] = [];
    let applied: Promise<void> = Promise.resolve();
    try {
      await this.deps.uow.write(async (emit) => {
        events.length = 0;
        await write((user, disabled, change) => {
          const event: DirectoryEvent = { type: 'presence.directory', ref: crypto.randomUUID(), user: { ...user }, disabled, change };
          // Events are applied in order: the last one's arrival means all of them are.
          applied = new Promise<void>((resolve) => this.awaited.set(event.ref, resolve));
          events.push(event);
          emit(event);
        });
      });
      if (events.length === 0) return;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), OWN_CHANGE_WAIT_MS);
      });
      if (await Promise.race([applied.then(() => false), late])) for (const event of events) this.apply(event);
      clearTimeout(timer);
    } finally {
      for (const event of events) this.awaited.delete(event.ref);
    }
  }

  /** A `presence.directory` event, from this node's writes or another's: the entry follows it. */
  private apply(event: DirectoryEvent): void {
    const { change } = event;
    if (change.kind === 'external') {
      this.applyMirrored(event.user.id, change);
      this.awaited.get(event.ref)?.();
      return;
    }
    let entry = this.entries.get(event.user.id);
    if (!entry) {
      entry = this.blankEntry({ ...event.user });
      entry.disabled = event.disabled;
      this.entries.set(event.user.id, entry);
    }
    switch (change.kind) {
      case 'kv':
        for (const [key, value] of Object.entries(change.set)) entry.kv.set(key, value);
        for (const key of change.deleted) entry.kv.delete(key);
        this.changed(entry);
        break;
      case 'sharing':
        entry.shared = change.shared;
        if (change.guild) {
          entry.guildId = change.guild.id;
          entry.serverName = change.guild.serverName;
        }
        this.changed(entry);
        break;
      case 'token':
        if (entry.tokenHex) this.tokens.delete(entry.tokenHex);
        entry.tokenHex = change.tokenHash;
        if (change.tokenHash) this.tokens.set(change.tokenHash, entry.user.id);
        break;
      case 'github': {
        const before = JSON.stringify(entry.github?.profile ?? null);
        entry.github = change.link ? { ...change.link, attemptedAt: Math.max(entry.github?.attemptedAt ?? 0, change.link.fetchedAt ?? 0) } : null;
        if (JSON.stringify(entry.github?.profile ?? null) !== before || change.link === null) this.changed(entry);
        break;
      }
    }
    this.awaited.get(event.ref)?.();
  }

  private async mustEnsure(userId: string): Promise<Entry> {
    const entry = await this.ensure(userId);
    // Callers resolve the user first (a token, a session, a chat message): a miss is a bug, not bad input.
    if (!entry) throw new Error(`unknown user ${userId}`);
    return entry;
  }

  /** The user's entry, created (not shared, nothing stored yet) on first use; null for an unknown user. */
  private async ensure(userId: string): Promise<Entry | null> {
    const existing = this.entries.get(userId);
    if (existing) return existing;
    const user = await this.deps.users.byId(userId);
    if (!user) return null;
    const entry = this.blankEntry({ id: user.id, username: user.username, globalName: user.globalName, avatar: user.avatar, bot: user.bot });
    entry.disabled = user.disabled;
    this.entries.set(userId, entry);
    return entry;
  }

  /** Not shared, nothing stored yet. */
  private blankEntry(user: DirectoryUser): Entry {
    return {
      user,
      shared: false,
      disabled: false,
      external: null,
      guildId: null,
      serverName: null,
      kv: new Map(),
      github: null,
      lastSeen: null,
      lastSeenSavedAt: 0,
      tokenHex: null,
      version: 1,
    };
  }

  private async load(): Promise<void> {
    for (const row of await this.deps.store.users()) {
      this.entries.set(row.userId, {
        user: { id: row.userId, username: row.username, globalName: row.globalName, avatar: row.avatar, bot: row.bot },
        shared: row.shared,
        disabled: row.disabled,
        external: null,
        guildId: row.guildId,
        serverName: row.nick,
        kv: new Map(),
        github: null,
        lastSeen: row.lastSeen,
        lastSeenSavedAt: row.lastSeen ?? 0,
        tokenHex: null,
        version: 1,
      });
    }
    for (const row of await this.deps.store.externalUsers()) {
      // An id both a Harmony account and a mirrored member never gets here (putExternal refuses it); the account wins.
      if (this.entries.has(row.userId)) continue;
      const profile: ExternalProfile = {
        id: row.userId,
        source: row.source,
        guildId: row.guildId,
        username: row.username,
        globalName: row.globalName,
        avatar: row.avatar,
        bot: row.bot,
        nick: row.nick,
      };
      const entry = this.blankEntry({ id: row.userId, username: row.username, globalName: row.globalName, avatar: row.avatar, bot: row.bot });
      entry.shared = row.shared;
      // Hidden until a bridge claims the server (restoreExternal): with the bridge off nobody from Discord shows.
      entry.disabled = true;
      entry.external = { ...profile, member: row.member };
      entry.serverName = row.nick;
      entry.lastSeen = row.lastSeen;
      entry.lastSeenSavedAt = row.lastSeen ?? 0;
      this.entries.set(row.userId, entry);
    }
    for (const { userId, key, value } of await this.deps.store.allKv()) this.entries.get(userId)?.kv.set(key, value);
    for (const { userId, tokenHash } of await this.deps.store.allTokens()) {
      const entry = this.entries.get(userId);
      if (!entry) continue;
      entry.tokenHex = digestHex(tokenHash);
      this.tokens.set(entry.tokenHex, userId);
    }
    for (const link of await this.deps.store.allGithub()) {
      const entry = this.entries.get(link.userId);
      if (!entry) continue;
      const profile = link.profileJson ? (JSON.parse(link.profileJson) as GitHubProfile) : null;
      entry.github = { username: link.username, profile, fetchedAt: link.fetchedAt, attemptedAt: link.fetchedAt ?? 0 };
    }
  }

  /** Applies one event (a type not in DIRECTORY_EVENT_TYPES is no case here: the compiler says so). */
  private async onEvent(event: AppliedEvent): Promise<void> {
    switch (event.type) {
      case 'presence.update': {
        const entry = this.entries.get(event.presence.userId);
        if (!entry) return;
        // Readers see the change at once; last_seen reaches the database behind it, without holding up the events
        // that follow (a write's round trip to PostgreSQL would otherwise delay every later presence change).
        this.saveLastSeen(entry, event.presence);
        this.changed(entry);
        return;
      }
      case 'user.update': {
        const entry = this.entries.get(event.user.id);
        // Chat events are about Harmony accounts; a mirrored member's profile comes from the bridge only.
        if (!entry || entry.external) return;
        const u = event.user;
        entry.user = { id: u.id, username: u.username, globalName: u.globalName, avatar: u.avatar, bot: u.bot };
        // Re-enabling an account emits nothing of its own; its next profile change brings it back.
        entry.disabled = u.disabled;
        this.changed(entry);
        return;
      }
      case 'member.join':
      case 'member.update': {
        const entry = this.entries.get(event.member.userId);
        if (!entry || entry.external || entry.guildId !== event.member.guildId || entry.serverName === event.member.nick) return;
        entry.serverName = event.member.nick;
        this.changed(entry);
        return;
      }
      case 'member.leave': {
        const entry = this.entries.get(event.userId);
        if (!entry || entry.external || entry.guildId !== event.guildId || entry.serverName === null) return;
        entry.serverName = null;
        this.changed(entry);
        return;
      }
      case 'guild.delete':
        for (const userId of event.memberIds) {
          const entry = this.entries.get(userId);
          if (!entry || entry.external || entry.guildId !== event.guildId) continue;
          entry.guildId = null;
          entry.serverName = null;
          this.changed(entry);
        }
        return;
      case 'credentials.revoked': {
        // Sent when an account is disabled or deleted (and for token resets, which change nothing here).
        if (event.tokenHash !== null) return;
        const entry = this.entries.get(event.userId);
        if (!entry || entry.external) return;
        const user = await this.deps.users.byId(event.userId);
        if (!user) {
          if (entry.tokenHex) this.tokens.delete(entry.tokenHex);
          this.entries.delete(event.userId);
          this.notify(event.userId);
        } else if (user.disabled !== entry.disabled) {
          entry.disabled = user.disabled;
          this.changed(entry);
        }
        return;
      }
    }
  }

  /** Offline transitions are always written; while online at most once a minute. */
  /** Moves last_seen in memory now, and queues its write (writes stay in order; `idle` waits for them). */
  private saveLastSeen(entry: Entry, presence: Presence): void {
    const at = presence.lastSeen;
    if (at === null || at === entry.lastSeen) return;
    entry.lastSeen = at;
    if (presence.status !== 'offline' && at - entry.lastSeenSavedAt < LAST_SEEN_SAVE_EVERY_MS) return;
    entry.lastSeenSavedAt = at;
    this.lastSeenWrites = this.lastSeenWrites
      .then(() => this.deps.uow.write(async () => this.deps.store.setLastSeen(entry.user.id, at)))
      .catch((error) => console.error('last_seen could not be saved:', error));
  }

  private changed(entry: Entry): void {
    entry.version += 1;
    this.notify(entry.user.id);
  }

  private notify(userId: string): void {
    for (const listener of this.listeners) {
      try {
        listener(userId);
      } catch (error) {
        console.error('presence listener failed:', error);
      }
    }
  }
}

function externalUser(p: ExternalProfile): DirectoryUser {
  return { id: p.id, username: p.username, globalName: p.globalName, avatar: p.avatar, bot: p.bot };
}

function externalRow(p: ExternalProfile): ExternalProfileRow {
  return { userId: p.id, source: p.source, guildId: p.guildId, username: p.username, globalName: p.globalName, avatar: p.avatar, bot: p.bot, nick: p.nick };
}

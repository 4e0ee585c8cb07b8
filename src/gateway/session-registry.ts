// Every live or resumable session, by id, with the indexes audience resolution needs: sessions of a user,
// sessions in a guild, and how many sessions each dialect has (a dialect with none is not encoded for).
import type { GatewaySession } from './session.ts';

export class SessionRegistry {
  private readonly byId = new Map<string, GatewaySession>();
  private readonly byUser = new Map<string, Set<GatewaySession>>();
  private readonly byGuild = new Map<string, Set<GatewaySession>>();
  private readonly perDialect = new Map<string, number>();

  get size(): number {
    return this.byId.size;
  }

  get(sessionId: string): GatewaySession | undefined {
    return this.byId.get(sessionId);
  }

  all(): IterableIterator<GatewaySession> {
    return this.byId.values();
  }

  ofUser(userId: string): readonly GatewaySession[] {
    return [...(this.byUser.get(userId) ?? [])];
  }

  ofGuild(guildId: string): readonly GatewaySession[] {
    return [...(this.byGuild.get(guildId) ?? [])];
  }

  /** Sessions (live or resumable) of a dialect. */
  countOf(dialectId: string): number {
    return this.perDialect.get(dialectId) ?? 0;
  }

  add(session: GatewaySession): void {
    this.byId.set(session.id, session);
    addTo(this.byUser, session.userId, session);
    for (const guildId of session.guilds.keys()) addTo(this.byGuild, guildId, session);
    this.perDialect.set(session.dialect.id, this.countOf(session.dialect.id) + 1);
  }

  remove(session: GatewaySession): void {
    if (this.byId.get(session.id) !== session) return;
    this.byId.delete(session.id);
    removeFrom(this.byUser, session.userId, session);
    for (const guildId of session.guilds.keys()) removeFrom(this.byGuild, guildId, session);
    this.perDialect.set(session.dialect.id, this.countOf(session.dialect.id) - 1);
  }

  /** Keeps the guild index in step when a session's user joins or leaves a guild. */
  guildJoined(session: GatewaySession, guildId: string): void {
    if (this.byId.has(session.id)) addTo(this.byGuild, guildId, session);
  }

  guildLeft(session: GatewaySession, guildId: string): void {
    removeFrom(this.byGuild, guildId, session);
  }
}

function addTo(index: Map<string, Set<GatewaySession>>, key: string, session: GatewaySession): void {
  let set = index.get(key);
  if (!set) {
    set = new Set();
    index.set(key, set);
  }
  set.add(session);
}

function removeFrom(index: Map<string, Set<GatewaySession>>, key: string, session: GatewaySession): void {
  const set = index.get(key);
  if (!set) return;
  set.delete(session);
  if (set.size === 0) index.delete(key);
}

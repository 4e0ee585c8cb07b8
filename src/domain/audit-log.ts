// The guild audit log: each moderation or settings change is recorded with who made it, in the same transaction
// as the change, and announced after commit (audit.create) to the members who may read the log (VIEW_AUDIT_LOG).
// Entries are kept 90 days (Discord keeps 45); older ones are pruned as new ones are written.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { AccessService } from './access.ts';
import type { AuditChange, AuditEntry, AuditQuery, AuditRecord, AuditValue } from './model/audit.ts';
import { Permission } from './permissions.ts';
import type { AuditLogRepo } from './ports/index.ts';
import type { Emit } from './ports/unit-of-work.ts';
import { type SnowflakeGenerator, snowflakeAt } from './snowflake.ts';

export type { AuditAction, AuditChange, AuditEntry, AuditOptions, AuditQuery, AuditRecord, AuditValue } from './model/audit.ts';
export { AUDIT_ACTIONS } from './model/audit.ts';

export const AUDIT_REASON_MAX = 512;
export const AUDIT_RETENTION_DAYS = 90;
const PRUNE_EVERY_MS = 60 * 60 * 1000;

/**
 * The reason the current request gave for its change (Discord's X-Audit-Log-Reason header). The HTTP guard sets it
 * per request; it is request metadata like a trace id, so services record it without every signature carrying it.
 */
const requestReason = new AsyncLocalStorage<string | null>();

/**
 * Called by the HTTP layer once per request, before its handler runs. Most requests give no reason: the async
 * context is then left as it is (empty for a request), since a value entered here is carried along by every await of
 * the rest of the request.
 */
export function enterAuditReason(reason: string | null): void {
  if (reason === null && (requestReason.getStore() ?? null) === null) return;
  requestReason.enterWith(reason === null ? null : reason.slice(0, AUDIT_REASON_MAX));
}

/** The changes between two records, for the keys given (`[key, old, new]`); unchanged values are left out. */
export function diff(pairs: ReadonlyArray<readonly [string, AuditValue | undefined, AuditValue | undefined]>): AuditChange[] {
  return pairs
    .filter(([, before, after]) => after !== undefined && JSON.stringify(before ?? null) !== JSON.stringify(after))
    .map(([key, before, after]) => ({ key, ...(before === undefined || before === null ? {} : { old: before }), ...(after === null ? {} : { new: after }) }));
}

/** A new object's fields as changes from nothing. */
export function created(pairs: ReadonlyArray<readonly [string, AuditValue | undefined]>): AuditChange[] {
  return pairs.filter(([, value]) => value !== undefined && value !== null).map(([key, value]) => ({ key, new: value as AuditValue }));
}

/** A removed object's fields as changes to nothing. */
export function removed(pairs: ReadonlyArray<readonly [string, AuditValue | undefined]>): AuditChange[] {
  return pairs.filter(([, value]) => value !== undefined && value !== null).map(([key, value]) => ({ key, old: value as AuditValue }));
}

export class AuditLog {
  private lastPrune = 0;

  constructor(
    private readonly store: AuditLogRepo,
    private readonly access: AccessService,
    private readonly ids: SnowflakeGenerator,
  ) {}

  /** Records one entry inside the caller's transaction; its event goes out with the change's after commit. */
  async record(emit: Emit, record: AuditRecord): Promise<AuditEntry> {
    const { id, at } = this.ids.mint();
    const entry: AuditEntry = {
      id,
      guildId: record.guildId,
      userId: record.actorId,
      targetId: record.targetId ?? null,
      action: record.action,
      changes: record.changes ?? [],
      options: record.options ?? null,
      reason: requestReason.getStore() ?? null,
      createdAt: at,
    };
    await this.store.insert(entry);
    if (at - this.lastPrune > PRUNE_EVERY_MS) {
      this.lastPrune = at;
      await this.store.deleteBefore(snowflakeAt(at - AUDIT_RETENTION_DAYS * 24 * 60 * 60 * 1000));
    }
    emit({ type: 'audit.create', entry });
    return entry;
  }

  /** Newest first (with only `after`: the oldest after it, oldest first, as Discord pages), for members with VIEW_AUDIT_LOG. */
  async list(guildId: string, viewerId: string, query: AuditQuery): Promise<AuditEntry[]> {
    await this.access.requireGuildPermission(guildId, viewerId, Permission.ViewAuditLog);
    return this.store.list(guildId, query);
  }

  /** Whether this member may read the guild's log now (who hears audit.create). */
  async canView(guildId: string, userId: string): Promise<boolean> {
    try {
      await this.access.requireGuildPermission(guildId, userId, Permission.ViewAuditLog);
      return true;
    } catch {
      return false;
    }
  }
}

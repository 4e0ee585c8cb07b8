// The guild audit log: each moderation or settings change is recorded with who made it, in the same transaction
// as the change, and announced after commit (audit.create) to the members who may read the log (VIEW_AUDIT_LOG).
// Entries are kept 90 days (Discord keeps 45); older ones are pruned as new ones are written.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Emit } from '../db/unit-of-work.ts';
import type { AuditLogStore } from '../store/audit-log-store.ts';
import type { AccessService } from './access.ts';
import { Permission } from './permissions.ts';
import { type SnowflakeGenerator, snowflakeAt } from './snowflake.ts';

/** What was done. The dialects name them on their wires (Discord's AuditLogEvent numbers, v1's names as they are). */
export const AUDIT_ACTIONS = [
  'guild.update',
  'channel.create',
  'channel.update',
  'channel.delete',
  'overwrite.create',
  'overwrite.update',
  'overwrite.delete',
  'member.kick',
  'member.ban',
  'member.unban',
  'member.update',
  'member.roles',
  'bot.add',
  'bot.remove',
  'role.create',
  'role.update',
  'role.delete',
  'invite.create',
  'invite.delete',
  'webhook.create',
  'webhook.update',
  'webhook.delete',
  'message.delete',
  'message.bulk_delete',
  'message.pin',
  'message.unpin',
  'thread.create',
  'thread.update',
  'thread.delete',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** A JSON value as a change carries it (permissions as decimal strings, as Discord shows them). */
export type AuditValue = string | number | boolean | null | AuditValue[] | { [key: string]: AuditValue };

/** One changed field. `key` is Discord's audit log change key (name, topic, permissions, nick, $add, ...). */
export type AuditChange = { key: string; old?: AuditValue; new?: AuditValue };

/** Extra facts some actions carry (Discord's "optional audit entry info"). */
export type AuditOptions = {
  channelId?: string;
  messageId?: string;
  count?: number;
  /** An overwrite's target and its kind (0 role, 1 member), and the role's name. */
  overwriteId?: string;
  overwriteType?: number;
  roleName?: string;
};

export type AuditEntry = {
  id: string;
  guildId: string;
  /** Who did it; null when nobody did (a system action). */
  userId: string | null;
  targetId: string | null;
  action: AuditAction;
  changes: AuditChange[];
  options: AuditOptions | null;
  reason: string | null;
  createdAt: number;
};

export type AuditRecord = {
  guildId: string;
  actorId: string | null;
  action: AuditAction;
  targetId?: string | null;
  changes?: AuditChange[];
  options?: AuditOptions;
};

/** `actions`: any of these (one Discord event number can stand for several); empty matches nothing. */
export type AuditQuery = { userId?: string; actions?: readonly AuditAction[]; before?: string; after?: string; limit: number };

export const AUDIT_REASON_MAX = 512;
export const AUDIT_RETENTION_DAYS = 90;
const PRUNE_EVERY_MS = 60 * 60 * 1000;

/**
 * The reason the current request gave for its change (Discord's X-Audit-Log-Reason header). The HTTP guard sets it
 * per request; it is request metadata like a trace id, so services record it without every signature carrying it.
 */
const requestReason = new AsyncLocalStorage<string | null>();

/** Called by the HTTP layer once per request, before its handler runs. */
export function enterAuditReason(reason: string | null): void {
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
    private readonly store: AuditLogStore,
    private readonly access: AccessService,
    private readonly ids: SnowflakeGenerator,
  ) {}

  /** Records one entry inside the caller's transaction; its event goes out with the change's after commit. */
  record(emit: Emit, record: AuditRecord): AuditEntry {
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
    this.store.insert(entry);
    if (at - this.lastPrune > PRUNE_EVERY_MS) {
      this.lastPrune = at;
      this.store.deleteBefore(snowflakeAt(at - AUDIT_RETENTION_DAYS * 24 * 60 * 60 * 1000));
    }
    emit({ type: 'audit.create', entry });
    return entry;
  }

  /** Newest first (with only `after`: the oldest after it, oldest first, as Discord pages), for members with VIEW_AUDIT_LOG. */
  async list(guildId: string, viewerId: string, query: AuditQuery): Promise<AuditEntry[]> {
    this.access.requireGuildPermission(guildId, viewerId, Permission.ViewAuditLog);
    return this.store.list(guildId, query);
  }

  /** Whether this member may read the guild's log now (who hears audit.create). */
  canView(guildId: string, userId: string): boolean {
    try {
      this.access.requireGuildPermission(guildId, userId, Permission.ViewAuditLog);
      return true;
    } catch {
      return false;
    }
  }
}

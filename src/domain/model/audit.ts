// Audit log entries: what was done in a guild, by whom, with which changes.

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

// Audit log entries in Discord's shape: the domain's actions as AuditLogEvent numbers, options as the strings
// Discord sends, changes as {key, old_value, new_value}.
import { type APIAuditLogChange, type APIAuditLogEntry, type APIAuditLogOptions, AuditLogEvent, type AuditLogOptionsType } from 'discord-api-types/v10';
import type { AuditAction, AuditEntry } from '../../../domain/audit-log.ts';

/** Removing a bot is a kick on Discord (there is no "bot remove" event). */
export const AUDIT_LOG_EVENTS: Record<AuditAction, AuditLogEvent> = {
  'guild.update': AuditLogEvent.GuildUpdate,
  'channel.create': AuditLogEvent.ChannelCreate,
  'channel.update': AuditLogEvent.ChannelUpdate,
  'channel.delete': AuditLogEvent.ChannelDelete,
  'overwrite.create': AuditLogEvent.ChannelOverwriteCreate,
  'overwrite.update': AuditLogEvent.ChannelOverwriteUpdate,
  'overwrite.delete': AuditLogEvent.ChannelOverwriteDelete,
  'member.kick': AuditLogEvent.MemberKick,
  'member.ban': AuditLogEvent.MemberBanAdd,
  'member.unban': AuditLogEvent.MemberBanRemove,
  'member.update': AuditLogEvent.MemberUpdate,
  'member.roles': AuditLogEvent.MemberRoleUpdate,
  'bot.add': AuditLogEvent.BotAdd,
  'bot.remove': AuditLogEvent.MemberKick,
  'role.create': AuditLogEvent.RoleCreate,
  'role.update': AuditLogEvent.RoleUpdate,
  'role.delete': AuditLogEvent.RoleDelete,
  'invite.create': AuditLogEvent.InviteCreate,
  'invite.delete': AuditLogEvent.InviteDelete,
  'webhook.create': AuditLogEvent.WebhookCreate,
  'webhook.update': AuditLogEvent.WebhookUpdate,
  'webhook.delete': AuditLogEvent.WebhookDelete,
  'message.delete': AuditLogEvent.MessageDelete,
  'message.bulk_delete': AuditLogEvent.MessageBulkDelete,
  'message.pin': AuditLogEvent.MessagePin,
  'message.unpin': AuditLogEvent.MessageUnpin,
  'thread.create': AuditLogEvent.ThreadCreate,
  'thread.update': AuditLogEvent.ThreadUpdate,
  'thread.delete': AuditLogEvent.ThreadDelete,
};

/** The domain actions an AuditLogEvent number stands for (a kick is also a bot removal). */
export function actionsOf(event: number): AuditAction[] {
  return (Object.entries(AUDIT_LOG_EVENTS) as [AuditAction, AuditLogEvent][]).filter(([, n]) => n === event).map(([action]) => action);
}

function options(entry: AuditEntry): APIAuditLogOptions | undefined {
  const o = entry.options;
  if (!o) return undefined;
  return {
    ...(o.channelId !== undefined ? { channel_id: o.channelId } : {}),
    ...(o.messageId !== undefined ? { message_id: o.messageId } : {}),
    ...(o.count !== undefined ? { count: String(o.count) } : {}),
    ...(o.overwriteId !== undefined ? { id: o.overwriteId } : {}),
    ...(o.overwriteType !== undefined ? { type: String(o.overwriteType) as AuditLogOptionsType } : {}),
    ...(o.roleName !== undefined ? { role_name: o.roleName } : {}),
  };
}

export function auditLogEntry(entry: AuditEntry): APIAuditLogEntry {
  const changes = entry.changes.map(
    (c) => ({ key: c.key, ...(c.old !== undefined ? { old_value: c.old } : {}), ...(c.new !== undefined ? { new_value: c.new } : {}) }) as APIAuditLogChange,
  );
  const opts = options(entry);
  return {
    id: entry.id,
    user_id: entry.userId,
    target_id: entry.targetId,
    action_type: AUDIT_LOG_EVENTS[entry.action],
    ...(changes.length > 0 ? { changes } : {}),
    ...(opts ? { options: opts } : {}),
    ...(entry.reason !== null ? { reason: entry.reason } : {}),
  };
}

// Derived facts the UI asks about: what the current user may do in a guild or channel, and how to
// name people. Computed from the snapshot with the same algorithm the server uses.
import { basePermissions, channelPermissions, type PermissionContext } from '../lib/permissions.ts';
import type { Channel, Member } from '../lib/wire.ts';
import type { AppState } from './app-state.ts';

function context(s: AppState, guildId: string): PermissionContext | null {
  const detail = s.details[guildId];
  const me = s.session?.user.id;
  if (!detail || !me) return null;
  const member = s.members[guildId]?.[me];
  return { guildId, ownerId: detail.owner_id, userId: me, roles: detail.roles, memberRoleIds: member?.roles ?? [] };
}

export function guildPermissions(s: AppState, guildId: string): bigint {
  const ctx = context(s, guildId);
  return ctx ? basePermissions(ctx) : 0n;
}

export function permissionsIn(s: AppState, guildId: string, channel: Channel | undefined): bigint {
  const ctx = context(s, guildId);
  return ctx && channel ? channelPermissions(ctx, channel.permission_overwrites ?? []) : 0n;
}

export function memberName(member: Member | undefined): string | null {
  if (!member) return null;
  return member.nick?.trim() || member.user.global_name?.trim() || member.user.username;
}

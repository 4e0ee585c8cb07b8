// Roles in Discord's shape. A bot's managed role carries tags.bot_id, as Discord's integration roles do.
import type { APIRole, RoleFlags } from 'discord-api-types/v10';
import type { Role } from '../../../domain/roles.ts';

export function role(r: Role): APIRole {
  return {
    id: r.id,
    name: r.name,
    color: r.color,
    colors: { primary_color: r.color, secondary_color: null, tertiary_color: null },
    hoist: r.hoist,
    icon: null,
    unicode_emoji: null,
    position: r.position,
    permissions: r.permissions.toString(),
    managed: r.botId !== null,
    mentionable: r.mentionable,
    ...(r.botId !== null ? { tags: { bot_id: r.botId } } : {}),
    flags: 0 as RoleFlags,
  };
}

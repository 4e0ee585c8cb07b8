// Custom emoji in Discord's shape. `user` (the uploader) is shown only to callers with MANAGE_GUILD_EXPRESSIONS,
// as Discord does; Harmony's emoji are never managed by an integration and always usable.
import type { APIEmoji } from 'discord-api-types/v10';
import type { CustomEmoji } from '../../../domain/custom-emoji.ts';
import type { User } from '../../../domain/users.ts';
import { user } from './user.ts';

export function customEmoji(e: CustomEmoji, uploader?: User | null): APIEmoji {
  return {
    id: e.id,
    name: e.name,
    roles: e.roleIds,
    ...(uploader ? { user: user(uploader) } : {}),
    require_colons: true,
    managed: false,
    animated: e.animated,
    available: true,
  };
}

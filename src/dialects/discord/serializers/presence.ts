// Presences in Discord's shape (PRESENCE_UPDATE, GUILD_CREATE's `presences`, GUILD_MEMBERS_CHUNK).
// Harmony's activities are already Discord-shaped; Discord also gives each one an id, derived here.
import { ActivityType, type GatewayActivity, type GatewayPresenceUpdate, type PresenceUpdateReceiveStatus } from 'discord-api-types/v10';
import type { Activity } from '../../../domain/presence/activity.ts';
import type { Presence } from '../../../domain/presence/presence-service.ts';

/** Discord's ids: "custom" for a custom status, "spotify:1" for Spotify, otherwise any stable string. */
export function activity(a: Activity, index: number): GatewayActivity {
  const id =
    a.type === ActivityType.Custom
      ? 'custom'
      : a.name === 'Spotify' && a.type === ActivityType.Listening
        ? 'spotify:1'
        : `${a.created_at.toString(16)}${index}`;
  return { id, ...a };
}

export function presence(p: Presence, guildId: string): GatewayPresenceUpdate {
  return {
    user: { id: p.userId },
    guild_id: guildId,
    status: p.status as PresenceUpdateReceiveStatus,
    activities: p.activities.map(activity),
    client_status: { ...p.clientStatus } as GatewayPresenceUpdate['client_status'],
  };
}

// Lanyard's wire shapes, so existing Lanyard clients (use-lanyard, profile cards) work pointed at Harmony:
// the presence object of GET /v1/users/:id and of the socket's INIT_STATE / PRESENCE_UPDATE.
import type { PresenceSnapshot } from '../../domain/presence/presence-directory.ts';
import { lanyardSpotify } from '../../domain/presence/spotify.ts';

export function lanyardPresence(s: PresenceSnapshot) {
  const { user, presence } = s;
  const spotify = lanyardSpotify(presence.activities);
  return {
    discord_user: {
      id: user.id,
      username: user.username,
      global_name: user.globalName,
      display_name: user.globalName ?? user.username,
      avatar: user.avatar,
      discriminator: '0',
      public_flags: 0,
      bot: user.bot,
    },
    discord_status: presence.status,
    activities: presence.activities,
    spotify,
    listening_to_spotify: spotify !== null,
    kv: s.kv,
    active_on_discord_web: presence.clientStatus.web !== undefined,
    active_on_discord_desktop: presence.clientStatus.desktop !== undefined,
    active_on_discord_mobile: presence.clientStatus.mobile !== undefined,
    /** Unix ms of the last time the user was seen online; null if never. */
    last_seen: s.lastSeen,
  };
}

export type LanyardPresence = ReturnType<typeof lanyardPresence>;

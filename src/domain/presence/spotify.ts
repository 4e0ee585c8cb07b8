// "Listening to Spotify" is an ordinary activity (type 2, name "Spotify"); websites want it pre-digested.
// Both public faces derive it here from the same fields, so they can never disagree about the song:
//   details = song, state = artist, assets.large_text = album, assets.large_image = "spotify:<image id>",
//   sync_id = track id, timestamps = start/end of the track.
import { ActivityType } from 'discord-api-types/v10';
import type { Activity, ActivityParty, ActivityTimestamps } from './activity.ts';

/** Lanyard's `spotify` object, field for field. Missing fields are null; timestamps are passed through. */
export type LanyardSpotify = {
  track_id: string | null;
  timestamps: ActivityTimestamps | null;
  album: string | null;
  album_art_url: string | null;
  artist: string | null;
  song: string | null;
};

/**
 * The harmy presence API's `spotifyActivity`. The seed's example only shows `null`; this is the shape the
 * hosted API documents (a camelCase activity with `details`/`state` renamed to `song`/`artist`), so clients
 * written for it keep working:
 * `{ name: "Spotify", type: 2, song, artist, applicationId, timestamps, party, syncId,
 *    assets: { largeText, largeImage }, flags, createdTimestamp }`.
 * `largeImage` is the bare Spotify image id (prefix removed); the album art URL is
 * `https://i.scdn.co/image/<largeImage>`. Missing fields are null, `flags` defaults to 0.
 */
export type HarmySpotifyActivity = {
  name: 'Spotify';
  type: ActivityType.Listening;
  song: string | null;
  artist: string | null;
  applicationId: string | null;
  timestamps: ActivityTimestamps | null;
  party: ActivityParty | null;
  syncId: string | null;
  assets: { largeText: string | null; largeImage: string | null } | null;
  flags: number;
  createdTimestamp: number;
};

const SPOTIFY_IMAGE = /^spotify:([A-Za-z0-9]{1,128})$/;

/** The first Spotify listening activity, or null. */
export function findSpotifyActivity(activities: readonly Activity[]): Activity | null {
  return activities.find((a) => a.type === ActivityType.Listening && a.name === 'Spotify') ?? null;
}

/** The Spotify image id from `spotify:<id>`, or null for any other asset key. */
export function spotifyImageId(largeImage: string | undefined): string | null {
  return largeImage ? (SPOTIFY_IMAGE.exec(largeImage)?.[1] ?? null) : null;
}

/** `https://i.scdn.co/image/<id>` for a `spotify:<id>` asset, else null. */
export function spotifyAlbumArtUrl(largeImage: string | undefined): string | null {
  const id = spotifyImageId(largeImage);
  return id ? `https://i.scdn.co/image/${id}` : null;
}

/** Lanyard's `spotify` for these activities, or null when the user is not listening to Spotify. */
export function lanyardSpotify(activities: readonly Activity[]): LanyardSpotify | null {
  const a = findSpotifyActivity(activities);
  if (!a) return null;
  return {
    track_id: a.sync_id ?? null,
    timestamps: a.timestamps ? { ...a.timestamps } : null,
    album: a.assets?.large_text ?? null,
    album_art_url: spotifyAlbumArtUrl(a.assets?.large_image),
    artist: a.state ?? null,
    song: a.details ?? null,
  };
}

/** The seed's `spotifyActivity` for these activities, or null when the user is not listening to Spotify. */
export function harmySpotifyActivity(activities: readonly Activity[]): HarmySpotifyActivity | null {
  const a = findSpotifyActivity(activities);
  if (!a) return null;
  return {
    name: 'Spotify',
    type: ActivityType.Listening,
    song: a.details ?? null,
    artist: a.state ?? null,
    applicationId: a.application_id ?? null,
    timestamps: a.timestamps ? { ...a.timestamps } : null,
    party: a.party ? { ...a.party } : null,
    syncId: a.sync_id ?? null,
    assets: a.assets
      ? {
          largeText: a.assets.large_text ?? null,
          // Strip the prefix as the hosted API does; keep a non-Spotify key as it is rather than lose it.
          largeImage: spotifyImageId(a.assets.large_image) ?? a.assets.large_image ?? null,
        }
      : null,
    flags: a.flags ?? 0,
    createdTimestamp: a.created_at,
  };
}

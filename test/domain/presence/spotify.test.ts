import { describe, expect, it } from 'bun:test';
import type { Activity } from '../../../src/domain/presence/activity.ts';
import { findSpotifyActivity, harmySpotifyActivity, lanyardSpotify, spotifyAlbumArtUrl } from '../../../src/domain/presence/spotify.ts';

const listening: Activity = {
  name: 'Spotify',
  type: 2,
  created_at: 1_720_814_203_334,
  details: 'BMW',
  state: 'Pashanim',
  timestamps: { start: 1_720_814_201_608, end: 1_720_814_322_741 },
  assets: { large_image: 'spotify:ab67616d0000b273fa2f0c9e719ca71f2686ddf3', large_text: 'Himmel über Berlin' },
  party: { id: 'spotify:470320681905684500' },
  sync_id: '56MDdzieU2dTT3YLpCdpcA',
  flags: 48,
};
const custom: Activity = { name: 'Custom Status', type: 4, created_at: 1, state: 'busy' };
const game: Activity = { name: 'Minecraft', type: 0, created_at: 2 };

describe('findSpotifyActivity', () => {
  it('finds the listening activity named Spotify among others', () => {
    expect(findSpotifyActivity([custom, game, listening])).toBe(listening);
  });

  it('ignores an activity named Spotify that is not listening, and listening to something else', () => {
    expect(
      findSpotifyActivity([
        { ...listening, type: 0 },
        { ...listening, name: 'Apple Music' },
      ]),
    ).toBeNull();
  });
});

describe('lanyardSpotify', () => {
  it("builds Lanyard's spotify object", () => {
    expect(lanyardSpotify([custom, listening])).toEqual({
      track_id: '56MDdzieU2dTT3YLpCdpcA',
      timestamps: { start: 1_720_814_201_608, end: 1_720_814_322_741 },
      album: 'Himmel über Berlin',
      album_art_url: 'https://i.scdn.co/image/ab67616d0000b273fa2f0c9e719ca71f2686ddf3',
      artist: 'Pashanim',
      song: 'BMW',
    });
  });

  it('is null when nobody is listening to Spotify', () => {
    expect(lanyardSpotify([custom, game])).toBeNull();
    expect(lanyardSpotify([])).toBeNull();
  });

  it('answers null for each field the activity lacks', () => {
    expect(lanyardSpotify([{ name: 'Spotify', type: 2, created_at: 3 }])).toEqual({
      track_id: null,
      timestamps: null,
      album: null,
      album_art_url: null,
      artist: null,
      song: null,
    });
  });
});

describe('spotifyAlbumArtUrl', () => {
  it('turns spotify:<id> into an i.scdn.co URL', () => {
    expect(spotifyAlbumArtUrl('spotify:ab67616d0000b273')).toBe('https://i.scdn.co/image/ab67616d0000b273');
  });

  it('refuses other asset keys and ids that would change the URL', () => {
    expect(spotifyAlbumArtUrl('mp:external/abc')).toBeNull();
    expect(spotifyAlbumArtUrl('spotify:../../evil')).toBeNull();
    expect(spotifyAlbumArtUrl('spotify:')).toBeNull();
    expect(spotifyAlbumArtUrl(undefined)).toBeNull();
  });
});

describe('harmySpotifyActivity', () => {
  it("builds the hosted harmy API's spotifyActivity", () => {
    expect(harmySpotifyActivity([game, listening])).toEqual({
      name: 'Spotify',
      type: 2,
      song: 'BMW',
      artist: 'Pashanim',
      applicationId: null,
      timestamps: { start: 1_720_814_201_608, end: 1_720_814_322_741 },
      party: { id: 'spotify:470320681905684500' },
      syncId: '56MDdzieU2dTT3YLpCdpcA',
      assets: { largeText: 'Himmel über Berlin', largeImage: 'ab67616d0000b273fa2f0c9e719ca71f2686ddf3' },
      flags: 48,
      createdTimestamp: 1_720_814_203_334,
    });
  });

  it('is null when nobody is listening to Spotify', () => {
    expect(harmySpotifyActivity([custom])).toBeNull();
  });

  it('fills nulls and flags 0 for a bare activity', () => {
    expect(harmySpotifyActivity([{ name: 'Spotify', type: 2, created_at: 3 }])).toEqual({
      name: 'Spotify',
      type: 2,
      song: null,
      artist: null,
      applicationId: null,
      timestamps: null,
      party: null,
      syncId: null,
      assets: null,
      flags: 0,
      createdTimestamp: 3,
    });
  });

  it('keeps a non-Spotify large image key as it is', () => {
    const result = harmySpotifyActivity([{ ...listening, assets: { large_image: 'mp:external/x' } }]);
    expect(result?.assets).toEqual({ largeText: null, largeImage: 'mp:external/x' });
  });
});

import { describe, expect, it } from 'bun:test';
import { parseActivity, parsePresenceUpdate } from '../../../src/domain/presence/activity.ts';

const NOW = 1_720_814_203_334;

const spotify = {
  name: 'Spotify',
  type: 2,
  details: 'BMW',
  state: 'Pashanim',
  timestamps: { start: 1_720_814_201_608, end: 1_720_814_322_741 },
  assets: { large_image: 'spotify:ab67616d0000b273fa2f0c9e719ca71f2686ddf3', large_text: 'Himmel über Berlin' },
  party: { id: 'spotify:470320681905684500' },
  sync_id: '56MDdzieU2dTT3YLpCdpcA',
  session_id: '0a1b2c3d4e5f',
  flags: 48,
  created_at: 1_720_814_203_000,
};

function errorOf(input: unknown): string {
  const result = parsePresenceUpdate(input, NOW);
  if (result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result.value)}`);
  return result.error;
}

function update(activities: unknown[], extra: Record<string, unknown> = {}) {
  return { since: null, activities, status: 'online', afk: false, ...extra };
}

describe('parsePresenceUpdate (gateway op 3)', () => {
  it('accepts what discord.js sends and fills created_at with now', () => {
    // discord.js 14 ClientPresence#_parse: { activities: [{ type, name, state, url }], afk, since, status }
    const result = parsePresenceUpdate(
      {
        activities: [{ type: 0, name: 'Minecraft', state: undefined, url: undefined }],
        afk: false,
        since: null,
        status: 'idle',
      },
      NOW,
    );
    expect(result).toEqual({
      ok: true,
      value: { status: 'idle', afk: false, since: null, activities: [{ name: 'Minecraft', type: 0, created_at: NOW }] },
    });
  });

  it('keeps every known field of a full Spotify activity and its created_at', () => {
    const result = parsePresenceUpdate(update([spotify]), NOW);
    expect(result).toEqual({ ok: true, value: { status: 'online', afk: false, since: null, activities: [spotify] } });
  });

  it('drops unknown fields at every level', () => {
    const result = parsePresenceUpdate(
      {
        ...update([
          {
            name: 'Game',
            type: 0,
            id: 'ec0b28a579ecb4bd',
            secrets: { join: 'secret' },
            instance: true,
            platform: 'desktop',
            assets: { large_image: 'abc', invite_cover_image: 'x' },
            timestamps: { start: 5, middle: 6 },
            emoji: { name: '🎮', extra: 1 },
          },
        ]),
        client_status: { web: 'online' },
      },
      NOW,
    );
    expect(result).toEqual({
      ok: true,
      value: {
        status: 'online',
        afk: false,
        since: null,
        activities: [
          {
            name: 'Game',
            type: 0,
            created_at: NOW,
            assets: { large_image: 'abc' },
            timestamps: { start: 5 },
            emoji: { name: '🎮' },
          },
        ],
      },
    });
  });

  it('treats null optional fields as absent', () => {
    const result = parsePresenceUpdate(
      update([{ name: 'Custom Status', type: 4, state: 'coding', url: null, details: null, emoji: null, buttons: null }]),
      NOW,
    );
    expect(result).toEqual({
      ok: true,
      value: {
        status: 'online',
        afk: false,
        since: null,
        activities: [{ name: 'Custom Status', type: 4, state: 'coding', created_at: NOW }],
      },
    });
  });

  it('defaults a missing since to null and a missing afk to false', () => {
    expect(parsePresenceUpdate({ status: 'dnd', activities: [] }, NOW)).toEqual({
      ok: true,
      value: { status: 'dnd', activities: [], afk: false, since: null },
    });
  });

  it('keeps since as an integer of milliseconds', () => {
    const result = parsePresenceUpdate(update([], { since: 1_720_000_000_123.7, status: 'idle', afk: true }), NOW);
    expect(result).toEqual({
      ok: true,
      value: { status: 'idle', activities: [], afk: true, since: 1_720_000_000_123 },
    });
  });

  it('accepts all five statuses, invisible included', () => {
    for (const status of ['online', 'idle', 'dnd', 'invisible', 'offline'] as const) {
      const result = parsePresenceUpdate(update([], { status }), NOW);
      expect(result.ok && result.value.status).toBe(status);
    }
  });

  it('reduces {label, url} buttons to their labels and keeps string labels', () => {
    const result = parseActivity({ name: 'Game', type: 0, buttons: [{ label: 'Join', url: 'https://example.com/join' }, 'Watch'] }, NOW);
    expect(result).toEqual({ ok: true, value: { name: 'Game', type: 0, created_at: NOW, buttons: ['Join', 'Watch'] } });
  });

  it('counts characters, not UTF-16 units: 128 emoji fit a 128-character name', () => {
    const name = '🎵'.repeat(128);
    expect(parseActivity({ name, type: 0 }, NOW)).toEqual({ ok: true, value: { name, type: 0, created_at: NOW } });
    expect(parseActivity({ name: `${name}x`, type: 0 }, NOW).ok).toBe(false);
  });

  it('keeps party sizes and emoji ids', () => {
    const result = parseActivity(
      {
        name: 'Game',
        type: 5,
        party: { id: 'p1', size: [2, 4] },
        emoji: { name: 'blob', id: '123456789012345678', animated: true },
      },
      NOW,
    );
    expect(result).toEqual({
      ok: true,
      value: {
        name: 'Game',
        type: 5,
        created_at: NOW,
        party: { id: 'p1', size: [2, 4] },
        emoji: { name: 'blob', id: '123456789012345678', animated: true },
      },
    });
  });

  describe('refuses, naming the rule', () => {
    const cases: [string, unknown, string][] = [
      ['a non-object payload', 'online', 'presence must be an object'],
      ['an array payload', [], 'presence must be an object'],
      ['an unknown status', update([], { status: 'busy' }), 'status must be one of online, idle, dnd, invisible, offline'],
      ['a missing status', { activities: [] }, 'status must be one of online, idle, dnd, invisible, offline'],
      ['missing activities', { status: 'online' }, 'activities must be an array'],
      ['11 activities', update(Array.from({ length: 11 }, () => ({ name: 'x', type: 0 }))), 'activities must hold at most 10 items'],
      ['a non-boolean afk', update([], { afk: 'yes' }), 'afk must be a boolean'],
      ['a negative since', update([], { since: -1 }), 'since must be a non-negative Unix timestamp in milliseconds'],
      ['a string since', update([], { since: '5' }), 'since must be a non-negative Unix timestamp in milliseconds'],
      ['an unknown activity type', update([{ name: 'x', type: 6 }]), 'activities[0].type must be one of 0, 1, 2, 3, 4, 5'],
      ['a fractional type', update([{ name: 'x', type: 1.5 }]), 'activities[0].type must be one of 0, 1, 2, 3, 4, 5'],
      ['a missing type', update([{ name: 'x' }]), 'activities[0].type must be one of 0, 1, 2, 3, 4, 5'],
      ['an activity that is not an object', update([null]), 'activities[0] must be an object'],
      ['an empty name', update([{ name: '', type: 0 }]), 'activities[0].name must be a string of 1-128 characters'],
      ['a 129-character name', update([{ name: 'n'.repeat(129), type: 0 }]), 'activities[0].name must be a string of 1-128 characters'],
      ['a numeric name', update([{ name: 5, type: 0 }]), 'activities[0].name must be a string of 1-128 characters'],
      ['129-character details', update([{ name: 'x', type: 0, details: 'd'.repeat(129) }]), 'activities[0].details must be a string of 0-128 characters'],
      ['129-character state', update([{ name: 'x', type: 0, state: 's'.repeat(129) }]), 'activities[0].state must be a string of 0-128 characters'],
      ['a javascript: url', update([{ name: 'x', type: 1, url: 'javascript:alert(1)' }]), 'activities[0].url must be an http(s) URL of at most 512 characters'],
      [
        'a 513-character url',
        update([{ name: 'x', type: 1, url: `https://twitch.tv/${'a'.repeat(495)}` }]),
        'activities[0].url must be an http(s) URL of at most 512 characters',
      ],
      [
        'a numeric application_id (precision already lost)',
        // biome-ignore lint/correctness/noPrecisionLoss: the point: a JSON number has already lost the id
        update([{ name: 'x', type: 0, application_id: 383226320970055681 }]),
        'activities[0].application_id must be a snowflake string',
      ],
      [
        'a bad timestamp',
        update([{ name: 'x', type: 0, timestamps: { start: 'soon' } }]),
        'activities[0].timestamps.start must be a non-negative Unix timestamp in milliseconds',
      ],
      [
        'an oversized asset text',
        update([{ name: 'x', type: 0, assets: { large_text: 't'.repeat(129) } }]),
        'activities[0].assets.large_text must be a string of 0-128 characters',
      ],
      [
        'an oversized asset image',
        update([{ name: 'x', type: 0, assets: { small_image: 'i'.repeat(513) } }]),
        'activities[0].assets.small_image must be a string of 0-512 characters',
      ],
      ['an emoji without a name', update([{ name: 'x', type: 4, emoji: { id: null } }]), 'activities[0].emoji.name must be a string of 1-64 characters'],
      ['a party of three numbers', update([{ name: 'x', type: 0, party: { size: [1, 2, 3] } }]), 'activities[0].party.size must be [current, max]'],
      ['a party fuller than its size', update([{ name: 'x', type: 0, party: { size: [5, 4] } }]), 'activities[0].party.size current must not exceed max'],
      ['three buttons', update([{ name: 'x', type: 0, buttons: ['a', 'b', 'c'] }]), 'activities[0].buttons must hold at most 2 items'],
      [
        'a button with a non-web url',
        update([{ name: 'x', type: 0, buttons: [{ label: 'a', url: 'file:///etc/passwd' }] }]),
        'activities[0].buttons[0].url must be an http(s) URL of at most 512 characters',
      ],
      [
        'a 33-character button label',
        update([{ name: 'x', type: 0, buttons: ['b'.repeat(33)] }]),
        'activities[0].buttons[0] must be a string of 1-32 characters',
      ],
      ['negative flags', update([{ name: 'x', type: 0, flags: -1 }]), 'activities[0].flags must be an integer from 0 to 2147483647'],
      [
        'an oversized sync_id in the second activity',
        update([
          { name: 'x', type: 0 },
          { ...spotify, sync_id: 'x'.repeat(129) },
        ]),
        'activities[1].sync_id must be a string of 0-128 characters',
      ],
    ];
    for (const [what, input, error] of cases) {
      it(`${what}: "${error}"`, () => {
        expect(errorOf(input)).toBe(error);
      });
    }
  });
});

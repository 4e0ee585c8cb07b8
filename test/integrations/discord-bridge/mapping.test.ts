// Recorded Discord payloads (test/fixtures/discord: READY, GUILD_CREATE, PRESENCE_UPDATE with Spotify,
// GUILD_MEMBER_UPDATE, GUILD_MEMBER_REMOVE) through the bridge's mapping: discord.js builds its structures
// from them exactly as on a live connection, and what the presence faces would show is asserted field by field.
import { afterEach, beforeEach, describe, expect, it } from 'bun:test';
import type { Guild } from 'discord.js';
import { ActivityType } from 'discord-api-types/v10';
import { defaultConfig } from '../../../src/config.ts';
import { createCore } from '../../../src/core.ts';
import { openDatabase } from '../../../src/db/database.ts';
import { lanyardPresence } from '../../../src/dialects/lanyard/serializers.ts';
import { seedPresence } from '../../../src/dialects/presence/serializers.ts';
import type { MirroredPresence } from '../../../src/domain/presence/presence-service.ts';
import { followGuild } from '../../../src/integrations/discord-bridge/discord-bridge.ts';
import { GuildMirror } from '../../../src/integrations/discord-bridge/guild-mirror.ts';
import { profileFromMember } from '../../../src/integrations/discord-bridge/member-mapping.ts';
import { presenceFromApi, presenceFromDiscordJs } from '../../../src/integrations/discord-bridge/presence-mapping.ts';
import { fixture, type Packet, recordedClient } from './recorded-client.ts';

const GUILD = '1080913214437306468';
const VAQ = '470320681905684500';
const MIRA = '289451357393928192';
const TOBI = '835512296164065321';
const NOW = 1732406500000;

type Json = any;

/** A client that has seen READY and the GUILD_CREATE. */
async function withGuild() {
  const recorded = recordedClient();
  recorded.feed(await fixture('ready'));
  recorded.feed(await fixture('guild-create'));
  const guild = recorded.client.guilds.cache.get(GUILD) as Guild;
  return { ...recorded, guild };
}

const vscode = {
  name: 'Visual Studio Code',
  type: ActivityType.Playing,
  created_at: 1732405944110,
  timestamps: { start: 1732402800000 },
  application_id: '383226320970055681',
  details: 'Editing presence-mapping.ts',
  state: 'Workspace: harmy',
  assets: { large_image: '565945077491433494', large_text: 'Editing a TS file', small_image: '565945770067623946', small_text: 'Visual Studio Code' },
  buttons: ['View Repository'],
};
const customStatus = { name: 'Custom Status', type: ActivityType.Custom, created_at: 1732405944109, state: 'building harmy', emoji: { name: '🛠️' } };
const spotify = {
  name: 'Spotify',
  type: ActivityType.Listening,
  created_at: 1732406401234,
  timestamps: { start: 1732406401102, end: 1732406614102 },
  details: 'Never Gonna Give You Up',
  state: 'Rick Astley',
  party: { id: 'spotify:470320681905684500' },
  assets: { large_image: 'spotify:ab67616d0000b27315ebbedaacef61af244262a8', large_text: 'Whenever You Need Somebody' },
  sync_id: '4cOdK2wGLETKBW3PvgPWqT',
  flags: 48,
};

describe('profileFromMember (GUILD_CREATE members)', () => {
  it('gives every member their Discord id, names, avatar hash as sent and guild nickname', async () => {
    const { guild } = await withGuild();
    const profiles = [...guild.members.cache.values()].map(profileFromMember);
    const base = { source: 'discord', guildId: GUILD };
    expect(profiles).toEqual([
      { ...base, id: '1310021822539161600', username: 'Harmy', globalName: null, avatar: null, bot: true, nick: null },
      { ...base, id: VAQ, username: 'vaqqq', globalName: 'Vaq', avatar: '5c11d7292c91e510c2b4f07946ea6d72', bot: false, nick: null },
      // The user's avatar, not the guild-specific one: the hosted API shows the profile picture.
      { ...base, id: MIRA, username: 'mira.codes', globalName: 'Mira ✨', avatar: 'a_1f3e5d7c9b0a2f4e6d8c0b2a4f6e8d0c', bot: false, nick: 'mira (on call)' },
      { ...base, id: TOBI, username: 'tobi_w', globalName: null, avatar: null, bot: false, nick: null },
      { ...base, id: '159985870458322944', username: 'MEE6', globalName: null, avatar: 'b50adff099924dd5e6b72d13f77eb9d7', bot: true, nick: null },
    ]);
  });
});

describe('presence mapping (GUILD_CREATE presences)', () => {
  it('keeps status, every device and the activities; drops ids, session ids and platforms', async () => {
    const { guild } = await withGuild();
    expect(presenceFromDiscordJs(guild.presences.cache.get(VAQ) ?? null, NOW)).toEqual({
      status: 'dnd',
      activities: [customStatus, vscode],
      clientStatus: { desktop: 'dnd', mobile: 'dnd' },
    });
  });

  it('reads timestamps Discord sent as numeric strings as numbers', async () => {
    const { guild } = await withGuild();
    expect(presenceFromDiscordJs(guild.presences.cache.get(MIRA) ?? null, NOW)).toEqual({
      status: 'idle',
      activities: [
        { name: 'Factorio', type: ActivityType.Playing, created_at: 1732405944111, timestamps: { start: 1732399200000 }, application_id: '356943499456937984' },
      ],
      clientStatus: { web: 'idle' },
    });
  });

  it('takes a member without a presence as offline', async () => {
    const { guild } = await withGuild();
    expect(guild.presences.cache.get(TOBI)).toBeUndefined();
    expect(presenceFromDiscordJs(null, NOW)).toEqual({ status: 'offline', activities: [], clientStatus: {} });
  });

  it('gives the same result from the raw payload as from discord.js structures', async () => {
    const { guild } = await withGuild();
    const raw: Json[] = (await fixture('guild-create')).d as Json;
    for (const presence of (raw as Json).presences) {
      expect(presenceFromApi(presence, NOW)).toEqual(presenceFromDiscordJs(guild.presences.cache.get(presence.user.id) ?? null, NOW));
    }
  });
});

describe('presence mapping (PRESENCE_UPDATE with Spotify)', () => {
  it('maps the Spotify activity and the custom status, raw and through discord.js alike', async () => {
    const { guild, feed } = await withGuild();
    const packet = await fixture('presence-update-spotify');
    const expected: MirroredPresence = { status: 'online', activities: [spotify, customStatus], clientStatus: { desktop: 'online' } };
    expect(presenceFromApi(packet.d as Json, NOW)).toEqual(expected);
    feed(packet);
    expect(presenceFromDiscordJs(guild.presences.cache.get(VAQ) ?? null, NOW)).toEqual(expected);
  });
});

describe('presenceFromApi on payloads Discord should not send', () => {
  const base = { name: 'Game', type: 0, created_at: 1 };

  it('drops a field it refuses and keeps the rest of the activity', () => {
    const p = presenceFromApi({ status: 'online', activities: [{ ...base, url: 'javascript:alert(1)', details: 'd' }] }, NOW);
    expect(p.activities).toEqual([{ ...base, details: 'd' }]);
  });

  it('drops an activity without a name or with an unknown type, and fills a missing created_at', () => {
    const p = presenceFromApi({ status: 'online', activities: [{ type: 0 }, { name: 'x', type: 7 }, 'nope', { name: 'Ok', type: 3 }] }, NOW);
    expect(p.activities).toEqual([{ name: 'Ok', type: ActivityType.Watching, created_at: NOW }]);
  });

  it('keeps at most 10 activities', () => {
    const p = presenceFromApi({ status: 'online', activities: Array.from({ length: 30 }, (_, i) => ({ ...base, name: `g${i}` })) }, NOW);
    expect(p.activities.map((a) => a.name)).toEqual(['g0', 'g1', 'g2', 'g3', 'g4', 'g5', 'g6', 'g7', 'g8', 'g9']);
  });

  it('shows unknown statuses (and invisible) as offline without activities, and only known device statuses', () => {
    expect(presenceFromApi({ status: 'invisible', activities: [base] }, NOW)).toEqual({ status: 'offline', activities: [], clientStatus: {} });
    expect(presenceFromApi({ status: 'online', activities: null, client_status: { web: 'online', vr: 'online', mobile: 'offline', desktop: 1 } }, NOW)).toEqual(
      {
        status: 'online',
        activities: [],
        clientStatus: { web: 'online' },
      },
    );
  });
});

describe('GuildMirror fed with recorded payloads', () => {
  let core: Awaited<ReturnType<typeof createCore>>;
  let mirror: GuildMirror;

  beforeEach(async () => {
    core = await createCore({ db: openDatabase(':memory:'), config: defaultConfig(), clock: { now: () => NOW } });
    mirror = new GuildMirror({ directory: core.services.presenceDirectory, presence: core.services.presence, clock: core.clock, guildId: GUILD });
  });
  afterEach(async () => {
    core.services.systemBot.stop();
    // Last-seen writes still queued finish before the database closes (as Harmony.stop does).
    await core.services.presenceDirectory.idle();
    core.services.presenceDirectory.stop();
    await core.searchIndexer.stop();
    await core.uow.close();
    core.db.close(false);
  });

  const seed = (id: string) => {
    const s = core.services.presenceDirectory.snapshot(id, false);
    return s ? seedPresence(s) : null;
  };
  const lanyard = (id: string) => {
    const s = core.services.presenceDirectory.snapshot(id, false);
    return s ? lanyardPresence(s) : null;
  };

  async function synced() {
    const recorded = await withGuild();
    const result = await mirror.sync(recorded.guild.members.cache.values(), (id) => recorded.guild.presences.cache.get(id) ?? null);
    followGuild(recorded.client, mirror);
    return { ...recorded, result };
  }

  it('shows every member of the GUILD_CREATE in the seed shape and Lanyard shape', async () => {
    const { result } = await synced();
    expect(result).toEqual({ tracked: 5, refused: [], left: [] });
    expect(mirror.members).toBe(5);
    expect(seed(VAQ)).toEqual({
      presence: { userId: VAQ, status: 'dnd', global_name: 'Vaq', server_name: null, avatar: '5c11d7292c91e510c2b4f07946ea6d72', spotifyActivity: null },
      KV: {},
      github: null,
    });
    expect(seed(MIRA)?.presence.server_name).toBe('mira (on call)');
    expect(lanyard(VAQ)).toEqual({
      discord_user: {
        id: VAQ,
        username: 'vaqqq',
        global_name: 'Vaq',
        display_name: 'Vaq',
        avatar: '5c11d7292c91e510c2b4f07946ea6d72',
        discriminator: '0',
        public_flags: 0,
        bot: false,
      },
      discord_status: 'dnd',
      activities: [customStatus, vscode],
      spotify: null,
      listening_to_spotify: false,
      kv: {},
      active_on_discord_web: false,
      active_on_discord_desktop: true,
      active_on_discord_mobile: true,
      last_seen: NOW,
    });
    expect(lanyard(TOBI)?.discord_status).toBe('offline');
  });

  it('applies a PRESENCE_UPDATE with Spotify to both faces', async () => {
    const { feed } = await synced();
    feed(await fixture('presence-update-spotify'));
    expect(seed(VAQ)?.presence).toEqual({
      userId: VAQ,
      status: 'online',
      global_name: 'Vaq',
      server_name: null,
      avatar: '5c11d7292c91e510c2b4f07946ea6d72',
      spotifyActivity: {
        name: 'Spotify',
        type: 2,
        song: 'Never Gonna Give You Up',
        artist: 'Rick Astley',
        applicationId: null,
        timestamps: { start: 1732406401102, end: 1732406614102 },
        party: { id: 'spotify:470320681905684500' },
        syncId: '4cOdK2wGLETKBW3PvgPWqT',
        assets: { largeText: 'Whenever You Need Somebody', largeImage: 'ab67616d0000b27315ebbedaacef61af244262a8' },
        flags: 48,
        createdTimestamp: 1732406401234,
      },
    });
    expect(lanyard(VAQ)?.spotify).toEqual({
      track_id: '4cOdK2wGLETKBW3PvgPWqT',
      timestamps: { start: 1732406401102, end: 1732406614102 },
      album: 'Whenever You Need Somebody',
      album_art_url: 'https://i.scdn.co/image/ab67616d0000b27315ebbedaacef61af244262a8',
      artist: 'Rick Astley',
      song: 'Never Gonna Give You Up',
    });
    expect(lanyard(VAQ)?.active_on_discord_mobile).toBe(false);
  });

  it('follows a song played again, which changes only the timestamps', async () => {
    const { feed } = await synced();
    const first = await fixture('presence-update-spotify');
    feed(first);
    const again: Packet = await fixture('presence-update-spotify');
    (again.d as Json).activities[0].timestamps = { start: 1732406614500, end: 1732406827500 };
    feed(again);
    expect(lanyard(VAQ)?.spotify?.timestamps).toEqual({ start: 1732406614500, end: 1732406827500 });
  });

  it('follows a nickname change (GUILD_MEMBER_UPDATE)', async () => {
    const { feed } = await synced();
    feed(await fixture('guild-member-update'));
    await mirror.idle();
    expect(seed(VAQ)?.presence.server_name).toBe('vaq (away)');
  });

  it('removes a member who left (GUILD_MEMBER_REMOVE) and clears their presence', async () => {
    const { feed } = await synced();
    await core.services.presenceDirectory.setKv(TOBI, 'kept', 'yes');
    feed(await fixture('guild-member-remove'));
    await mirror.idle();
    expect(seed(TOBI)).toBeNull();
    expect(mirror.members).toBe(4);
    expect(core.services.presenceDirectory.kv(TOBI)).toEqual({ kept: 'yes' });
  });

  it('shows a member who joins (GUILD_MEMBER_ADD) and their next presence', async () => {
    const { feed } = await synced();
    const joined = { ...((await fixture('guild-member-update')).d as Json), nick: null, joined_at: '2024-11-24T00:10:00.000000+00:00' };
    joined.user = { ...joined.user, id: '1000000000000000042', username: 'newbie', global_name: 'New Bie', avatar: null };
    feed({ op: 0, t: 'GUILD_MEMBER_ADD', s: 70, d: joined });
    await mirror.idle();
    expect(seed('1000000000000000042')?.presence).toMatchObject({ status: 'offline', global_name: 'New Bie', server_name: null });
    feed({
      op: 0,
      t: 'PRESENCE_UPDATE',
      s: 71,
      d: { user: { id: '1000000000000000042' }, guild_id: GUILD, status: 'idle', activities: [], client_status: { mobile: 'idle' } },
    });
    expect(lanyard('1000000000000000042')).toMatchObject({ discord_status: 'idle', active_on_discord_mobile: true });
  });

  it('ignores presences of other guilds and of people it does not mirror', async () => {
    const { feed } = await synced();
    const elsewhere: Packet = await fixture('presence-update-spotify');
    (elsewhere.d as Json).guild_id = '999999999999999999';
    feed(elsewhere);
    expect(seed(VAQ)?.presence.status).toBe('dnd');
    feed({ op: 0, t: 'PRESENCE_UPDATE', s: 80, d: { user: { id: '1000000000000000099' }, guild_id: GUILD, status: 'online', activities: [] } });
    expect(core.services.presence.get('1000000000000000099').status).toBe('offline');
  });

  it('leaves a Harmony account with a member id alone', async () => {
    const { user } = await core.services.users.createUser({ username: 'alice', password: 'correct horse battery', admin: false });
    const recorded = await withGuild();
    const member = recorded.guild.members.cache.get(VAQ);
    if (!member) throw new Error('no member');
    Object.defineProperty(member, 'id', { value: user.id });
    (member.user as Json).id = user.id;
    const result = await mirror.sync([member], () => recorded.guild.presences.cache.get(VAQ) ?? null);
    expect(result).toEqual({ tracked: 0, refused: [user.id], left: [] });
    expect(core.services.presence.get(user.id).status).toBe('offline');
  });
});

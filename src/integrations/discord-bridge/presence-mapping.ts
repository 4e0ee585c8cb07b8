// A Discord presence (status, activities, client_status) in Harmony's presence model, from a raw payload
// (PRESENCE_UPDATE, GUILD_CREATE's and GUILD_MEMBERS_CHUNK's `presences`) or from discord.js's Presence.
// Every activity goes through parseActivity, the same validation the gateway's op 3 gets: what reaches the
// public faces is rebuilt from known fields only. A field Discord sends in a shape we refuse costs that field,
// not the activity; an activity without a usable name or type is left out.
import type { Activity as DiscordJsActivity, Presence as DiscordJsPresence } from 'discord.js';
import { type Activity, parseActivity } from '../../domain/presence/activity.ts';
import type { MirroredPresence, Presence } from '../../domain/presence/presence-service.ts';

type DeviceStatus = Exclude<Presence['status'], 'offline'>;
const DEVICE_STATUSES = new Set<string>(['online', 'idle', 'dnd']);
const DEVICES = ['desktop', 'mobile', 'web'] as const;
// Discord sends at most a handful; a misbehaving API must not make us validate thousands.
const ACTIVITIES_READ = 20;
const ACTIVITIES_KEPT = 10;
// Top-level fields parseActivity knows; anything else Discord sends (id, session_id, platform, ...) is dropped.
const FIELDS = [
  'name',
  'type',
  'url',
  'created_at',
  'timestamps',
  'application_id',
  'details',
  'state',
  'emoji',
  'party',
  'assets',
  'sync_id',
  'flags',
  'buttons',
] as const;

/** The presence parts of a raw payload; `user` and `guild_id` are read by the caller. */
export type ApiPresenceLike = { status?: string; activities?: unknown; client_status?: unknown };

/** A raw presence as Harmony keeps it. `now` fills a missing `created_at`. */
export function presenceFromApi(raw: ApiPresenceLike, now: number): MirroredPresence {
  const status = visibleStatus(raw.status);
  if (status === 'offline') return { status, activities: [], clientStatus: {} };
  const list = Array.isArray(raw.activities) ? raw.activities.slice(0, ACTIVITIES_READ) : [];
  return { status, activities: activities(list, now), clientStatus: clientStatus(raw.client_status) };
}

/** A discord.js Presence (null: none cached, which Discord means as offline). */
export function presenceFromDiscordJs(presence: DiscordJsPresence | null, now: number): MirroredPresence {
  if (!presence) return { status: 'offline', activities: [], clientStatus: {} };
  return presenceFromApi({ status: presence.status, activities: presence.activities.map(apiActivity), client_status: presence.clientStatus ?? {} }, now);
}

/** discord.js's camelCase Activity back in the wire shape parseActivity reads. */
export function apiActivity(a: DiscordJsActivity): Record<string, unknown> {
  return {
    name: a.name,
    type: a.type,
    url: a.url,
    created_at: a.createdTimestamp,
    timestamps: a.timestamps ? { start: a.timestamps.start?.getTime() ?? null, end: a.timestamps.end?.getTime() ?? null } : null,
    application_id: a.applicationId,
    details: a.details,
    state: a.state,
    emoji: a.emoji ? { name: a.emoji.name, id: a.emoji.id ?? undefined, animated: a.emoji.animated ?? undefined } : null,
    party: a.party,
    assets: a.assets
      ? { large_image: a.assets.largeImage, large_text: a.assets.largeText, small_image: a.assets.smallImage, small_text: a.assets.smallText }
      : null,
    sync_id: a.syncId,
    flags: a.flags.bitfield,
    buttons: a.buttons,
  };
}

function visibleStatus(status: unknown): Presence['status'] {
  return typeof status === 'string' && DEVICE_STATUSES.has(status) ? (status as DeviceStatus) : 'offline';
}

function clientStatus(input: unknown): Presence['clientStatus'] {
  const out: Presence['clientStatus'] = {};
  if (typeof input !== 'object' || input === null) return out;
  const given = input as Record<string, unknown>;
  for (const device of DEVICES) {
    const value = given[device];
    if (typeof value === 'string' && DEVICE_STATUSES.has(value)) out[device] = value as DeviceStatus;
  }
  return out;
}

function activities(list: unknown[], now: number): Activity[] {
  const out: Activity[] = [];
  for (const item of list) {
    const activity = readActivity(item, now);
    if (activity) out.push(activity);
    if (out.length === ACTIVITIES_KEPT) break;
  }
  return out;
}

/**
 * Validates one activity, dropping the optional fields parseActivity refuses one by one (its error names the
 * field). Null when name or type is unusable.
 */
function readActivity(item: unknown, now: number): Activity | null {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return null;
  const source = item as Record<string, unknown>;
  const input: Record<string, unknown> = {};
  for (const field of FIELDS) if (source[field] != null) input[field] = source[field];
  if (input.timestamps) input.timestamps = numericTimestamps(input.timestamps);
  // discord.js fills these with 0 and [] when Discord left them out; neither says anything, so neither is kept.
  if (input.flags === 0) delete input.flags;
  if (Array.isArray(input.buttons) && input.buttons.length === 0) delete input.buttons;
  for (let attempt = 0; attempt <= FIELDS.length; attempt++) {
    const parsed = parseActivity(input, now);
    if (parsed.ok) return parsed.value;
    const field = /^activity\.([a-z_]+)/.exec(parsed.error)?.[1];
    if (!field || field === 'name' || field === 'type' || !(field in input)) return null;
    delete input[field];
  }
  return null;
}

/** Discord sends some games' timestamps as numeric strings; discord.js reads them with Number() too. */
function numericTimestamps(input: unknown): unknown {
  if (typeof input !== 'object' || input === null) return input;
  const t = input as Record<string, unknown>;
  const num = (v: unknown) => (typeof v === 'string' && /^\d{1,16}$/.test(v) ? Number(v) : v);
  return { start: num(t.start), end: num(t.end) };
}

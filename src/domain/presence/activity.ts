// A user's activities and status as the gateway's presence update (op 3, and IDENTIFY's `presence`) sets
// them. Everything here ends up on public presence endpoints, so the input is rebuilt from known fields
// only, with every string and list bounded; anything else is dropped or refused with the rule's name.
import { ActivityType } from 'discord-api-types/v10';
import { fitsChars } from './char-limit.ts';

/** Statuses a client may ask for. `invisible` is kept: viewers see `offline`, the user's own sessions do not. */
export const PRESENCE_STATUSES = ['online', 'idle', 'dnd', 'invisible', 'offline'] as const;
export type PresenceStatus = (typeof PRESENCE_STATUSES)[number];

/** Limits, in characters (code points). Discord's own where it documents them (128 for texts, 512 for URLs). */
export const ACTIVITY_LIMITS = {
  activities: 10,
  name: 128,
  details: 128,
  state: 128,
  url: 512,
  emojiName: 64,
  partyId: 128,
  assetImage: 512,
  assetText: 128,
  syncId: 128,
  sessionId: 128,
  buttons: 2,
  buttonLabel: 32,
} as const;

export type ActivityTimestamps = { start?: number; end?: number };
export type ActivityEmoji = { name: string; id?: string | null; animated?: boolean };
export type ActivityParty = { id?: string; size?: [current: number, max: number] };
export type ActivityAssets = { large_image?: string; large_text?: string; small_image?: string; small_text?: string };

/**
 * One activity in Discord's shape. `buttons` holds labels only: Discord never shows a button's URL to other
 * users, and neither do we (a `{label, url}` button from a client is reduced to its label).
 */
export type Activity = {
  name: string;
  type: ActivityType;
  url?: string;
  created_at: number;
  timestamps?: ActivityTimestamps;
  application_id?: string;
  details?: string;
  state?: string;
  emoji?: ActivityEmoji;
  party?: ActivityParty;
  assets?: ActivityAssets;
  sync_id?: string;
  session_id?: string;
  flags?: number;
  buttons?: string[];
};

export type PresenceUpdate = {
  status: PresenceStatus;
  activities: Activity[];
  afk: boolean;
  /** Unix ms since when the client is idle, or null. */
  since: number | null;
};

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

/** Thrown inside the parser only; parsePresenceUpdate turns it into `{ ok: false }`. */
class Invalid extends Error {}

type Obj = Record<string, unknown>;

const SNOWFLAKE = /^\d{1,20}$/;
const KNOWN_TYPES = new Set<number>([
  ActivityType.Playing,
  ActivityType.Streaming,
  ActivityType.Listening,
  ActivityType.Watching,
  ActivityType.Custom,
  ActivityType.Competing,
]);
// Flags are a bitfield Discord keeps growing; accept any 31-bit value rather than today's list.
const MAX_FLAGS = 0x7fffffff;

/**
 * Validates a presence update `{ since, activities, status, afk }` (gateway op 3's `d`).
 * `status` and `activities` are required; a missing `since` means null and a missing `afk` false, as
 * clients that omit them mean. `now` (Unix ms) fills `created_at` where the client left it out.
 */
export function parsePresenceUpdate(input: unknown, now: number): ParseResult<PresenceUpdate> {
  try {
    const d = object(input, 'presence');
    const status = d.status;
    if (typeof status !== 'string' || !(PRESENCE_STATUSES as readonly string[]).includes(status)) {
      throw new Invalid(`status must be one of ${PRESENCE_STATUSES.join(', ')}`);
    }
    const list = d.activities;
    if (!Array.isArray(list)) throw new Invalid('activities must be an array');
    if (list.length > ACTIVITY_LIMITS.activities) {
      throw new Invalid(`activities must hold at most ${ACTIVITY_LIMITS.activities} items`);
    }
    const activities = list.map((item, i) => readActivity(item, now, `activities[${i}]`));
    const afk = d.afk ?? false;
    if (typeof afk !== 'boolean') throw new Invalid('afk must be a boolean');
    const since = d.since == null ? null : timestamp(d.since, 'since');
    return { ok: true, value: { status: status as PresenceStatus, activities, afk, since } };
  } catch (error) {
    if (error instanceof Invalid) return { ok: false, error: error.message };
    throw error;
  }
}

/** Validates one activity (the Discord bridge mirrors activities one by one). `path` names it in errors. */
export function parseActivity(input: unknown, now: number, path = 'activity'): ParseResult<Activity> {
  try {
    return { ok: true, value: readActivity(input, now, path) };
  } catch (error) {
    if (error instanceof Invalid) return { ok: false, error: error.message };
    throw error;
  }
}

function readActivity(input: unknown, now: number, path: string): Activity {
  const a = object(input, path);
  const type = a.type;
  if (typeof type !== 'number' || !KNOWN_TYPES.has(type)) {
    throw new Invalid(`${path}.type must be one of 0, 1, 2, 3, 4, 5`);
  }
  const activity: Activity = {
    name: text(a.name, `${path}.name`, ACTIVITY_LIMITS.name, 1),
    type: type as ActivityType,
    created_at: a.created_at == null ? now : timestamp(a.created_at, `${path}.created_at`),
  };
  // Optional fields: null and absent both mean "not set", as Discord's clients send either.
  if (a.url != null) activity.url = httpUrl(a.url, `${path}.url`);
  if (a.timestamps != null) activity.timestamps = readTimestamps(a.timestamps, `${path}.timestamps`);
  if (a.application_id != null) activity.application_id = snowflake(a.application_id, `${path}.application_id`);
  if (a.details != null) activity.details = text(a.details, `${path}.details`, ACTIVITY_LIMITS.details);
  if (a.state != null) activity.state = text(a.state, `${path}.state`, ACTIVITY_LIMITS.state);
  if (a.emoji != null) activity.emoji = readEmoji(a.emoji, `${path}.emoji`);
  if (a.party != null) activity.party = readParty(a.party, `${path}.party`);
  if (a.assets != null) activity.assets = readAssets(a.assets, `${path}.assets`);
  if (a.sync_id != null) activity.sync_id = text(a.sync_id, `${path}.sync_id`, ACTIVITY_LIMITS.syncId);
  if (a.session_id != null) activity.session_id = text(a.session_id, `${path}.session_id`, ACTIVITY_LIMITS.sessionId);
  if (a.flags != null) activity.flags = integer(a.flags, `${path}.flags`, MAX_FLAGS);
  if (a.buttons != null) activity.buttons = readButtons(a.buttons, `${path}.buttons`);
  return activity;
}

function readTimestamps(input: unknown, path: string): ActivityTimestamps {
  const t = object(input, path);
  const out: ActivityTimestamps = {};
  if (t.start != null) out.start = timestamp(t.start, `${path}.start`);
  if (t.end != null) out.end = timestamp(t.end, `${path}.end`);
  return out;
}

function readEmoji(input: unknown, path: string): ActivityEmoji {
  const e = object(input, path);
  const out: ActivityEmoji = { name: text(e.name, `${path}.name`, ACTIVITY_LIMITS.emojiName, 1) };
  if (e.id !== undefined) out.id = e.id === null ? null : snowflake(e.id, `${path}.id`);
  if (e.animated != null) {
    if (typeof e.animated !== 'boolean') throw new Invalid(`${path}.animated must be a boolean`);
    out.animated = e.animated;
  }
  return out;
}

function readParty(input: unknown, path: string): ActivityParty {
  const p = object(input, path);
  const out: ActivityParty = {};
  if (p.id != null) out.id = text(p.id, `${path}.id`, ACTIVITY_LIMITS.partyId);
  if (p.size != null) {
    const size = p.size;
    if (!Array.isArray(size) || size.length !== 2) throw new Invalid(`${path}.size must be [current, max]`);
    const current = integer(size[0], `${path}.size[0]`, Number.MAX_SAFE_INTEGER);
    const max = integer(size[1], `${path}.size[1]`, Number.MAX_SAFE_INTEGER);
    if (current > max) throw new Invalid(`${path}.size current must not exceed max`);
    out.size = [current, max];
  }
  return out;
}

function readAssets(input: unknown, path: string): ActivityAssets {
  const s = object(input, path);
  const out: ActivityAssets = {};
  // Images are asset ids or prefixed keys (`spotify:<id>`, `mp:external/...`), not URLs: bounded, not parsed.
  if (s.large_image != null) out.large_image = text(s.large_image, `${path}.large_image`, ACTIVITY_LIMITS.assetImage);
  if (s.large_text != null) out.large_text = text(s.large_text, `${path}.large_text`, ACTIVITY_LIMITS.assetText);
  if (s.small_image != null) out.small_image = text(s.small_image, `${path}.small_image`, ACTIVITY_LIMITS.assetImage);
  if (s.small_text != null) out.small_text = text(s.small_text, `${path}.small_text`, ACTIVITY_LIMITS.assetText);
  return out;
}

function readButtons(input: unknown, path: string): string[] {
  if (!Array.isArray(input)) throw new Invalid(`${path} must be an array`);
  if (input.length > ACTIVITY_LIMITS.buttons) throw new Invalid(`${path} must hold at most ${ACTIVITY_LIMITS.buttons} items`);
  return input.map((button: unknown, i) => {
    const at = `${path}[${i}]`;
    if (typeof button === 'string') return text(button, at, ACTIVITY_LIMITS.buttonLabel, 1);
    const b = object(button, at);
    // The URL is still checked so a client learns its button is wrong, then dropped (see Activity).
    httpUrl(b.url, `${at}.url`);
    return text(b.label, `${at}.label`, ACTIVITY_LIMITS.buttonLabel, 1);
  });
}

function object(input: unknown, path: string): Obj {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new Invalid(`${path} must be an object`);
  return input as Obj;
}

function text(input: unknown, path: string, max: number, min = 0): string {
  if (typeof input !== 'string' || input.length < min || !fitsChars(input, max)) {
    throw new Invalid(`${path} must be a string of ${min}-${max} characters`);
  }
  return input;
}

// Only web links: these URLs are rendered as links by the websites that show a presence.
function httpUrl(input: unknown, path: string): string {
  const message = `${path} must be an http(s) URL of at most ${ACTIVITY_LIMITS.url} characters`;
  if (typeof input !== 'string' || !fitsChars(input, ACTIVITY_LIMITS.url)) throw new Invalid(message);
  const parsed = URL.parse(input);
  if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) throw new Invalid(message);
  return input;
}

function snowflake(input: unknown, path: string): string {
  // A snowflake sent as a JSON number has already lost precision; only strings are accepted.
  if (typeof input !== 'string' || !SNOWFLAKE.test(input)) throw new Invalid(`${path} must be a snowflake string`);
  return input;
}

// Unix milliseconds. Fractions are truncated (some clients compute them as float seconds * 1000).
function timestamp(input: unknown, path: string): number {
  if (typeof input !== 'number' || !Number.isFinite(input) || input < 0 || input > Number.MAX_SAFE_INTEGER) {
    throw new Invalid(`${path} must be a non-negative Unix timestamp in milliseconds`);
  }
  return Math.trunc(input);
}

function integer(input: unknown, path: string, max: number): number {
  if (typeof input !== 'number' || !Number.isInteger(input) || input < 0 || input > max) {
    throw new Invalid(`${path} must be an integer from 0 to ${max}`);
  }
  return input;
}

// PresenceService adds a user's sessions up (the status and activities of the session changed last, each platform's
// status as the last session in order sets it). A new session is folded into the sum kept so far, and a closed one
// that neither was the newest nor set a platform's status last leaves the sum alone, instead of the sum being taken
// again over every session (10,000 sessions of one bot made IDENTIFY, and their disconnection, quadratic). These
// random runs hold it to the sum taken afresh after every step: opens, updates, closes, clock ties and mirrored
// presences.
import { describe, expect, it } from 'bun:test';
import { ActivityType } from 'discord-api-types/v10';
import type { PresenceStatus, PresenceUpdate } from '../../../src/domain/presence/activity.ts';
import { type Platform, PresenceService } from '../../../src/domain/presence/presence-service.ts';
import { EventHub } from '../../../src/events/event-hub.ts';

type Session = { platform: Platform; update: PresenceUpdate; at: number; clients?: Partial<Record<Platform, string>> };

const USER = '1';
const PLATFORMS: Platform[] = ['desktop', 'mobile', 'web'];
const STATUSES: PresenceStatus[] = ['online', 'idle', 'dnd', 'invisible'];

/** The sum as the service took it before the fold was kept: over every session, in the order they were added. */
function expected(sessions: Map<string, Session>) {
  const all = [...sessions.values()];
  const newest = all.reduce<Session | null>((a, b) => (a === null || b.at >= a.at ? b : a), null);
  const seen = (s: Session) => (s.update.status === 'invisible' ? 'offline' : s.update.status);
  const status = newest ? seen(newest) : 'offline';
  const clientStatus: Record<string, string> = {};
  for (const s of all) {
    if (s.clients) Object.assign(clientStatus, s.clients);
    else if (seen(s) !== 'offline') clientStatus[s.platform] = seen(s);
  }
  return { status, activities: status === 'offline' || !newest ? [] : newest.update.activities, clientStatus };
}

/** A small deterministic generator, so a failing run can be replayed from its seed. */
function random(seed: number) {
  let x = seed;
  return (n: number) => {
    // mulberry32
    x = (x + 0x6d2b79f5) | 0;
    let t = Math.imul(x ^ (x >>> 15), 1 | x);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) % n;
  };
}

describe('PresenceService: a user’s sessions added up', () => {
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    it(`matches the sum over every session after each of 300 random steps (seed ${seed})`, () => {
      const pick = random(seed);
      let now = 1_000;
      const service = new PresenceService(new EventHub(), { now: () => now });
      const sessions = new Map<string, Session>();
      let next = 0;
      for (let step = 0; step < 300; step++) {
        // Ties in time are part of the run: a session changed in the same millisecond as another still wins.
        if (pick(3) > 0) now += pick(5);
        const update: PresenceUpdate = {
          status: STATUSES[pick(STATUSES.length)] as PresenceStatus,
          activities: pick(2) ? [{ name: `game ${step}`, type: ActivityType.Playing, created_at: now }] : [],
          afk: false,
          since: null,
        };
        const ids = [...sessions.keys()];
        const action = ids.length === 0 ? 0 : pick(10);
        if (action < 5) {
          const id = `s${next++}`;
          const platform = PLATFORMS[pick(3)] as Platform;
          service.sessionOpened(USER, id, platform, update);
          sessions.set(id, { platform, update, at: now });
        } else if (action < 7) {
          const id = ids[pick(ids.length)] as string;
          service.sessionUpdated(USER, id, update);
          const s = sessions.get(id) as Session;
          s.update = update;
          s.at = now;
        } else if (action < 9) {
          const id = ids[pick(ids.length)] as string;
          service.sessionClosed(USER, id);
          sessions.delete(id);
        } else {
          // A mirrored presence: a new session the first time, the same one (kept in its place) after.
          const source = `m${pick(2)}`;
          const status = STATUSES[pick(3)] as 'online' | 'idle' | 'dnd';
          const clients = { [PLATFORMS[pick(3)] as Platform]: status };
          service.setMirrored(USER, source, { status, activities: update.activities, clientStatus: clients });
          const id = `mirror:${source}`;
          const kept = sessions.get(id);
          const platform = Object.keys(clients)[0] as Platform;
          const session = { platform, update: { ...update, status }, at: now, clients };
          if (kept) Object.assign(kept, session);
          else sessions.set(id, session);
        }
        const { userId: _, lastSeen: __, ...got } = service.get(USER);
        expect({ step, ...got }).toEqual({ step, ...expected(sessions) });
      }
    });
  }
});

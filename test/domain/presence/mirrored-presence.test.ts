// PresenceService.setMirrored: a presence another platform already merged (Discord's status, activities and a
// status per device) is taken as given, announced once per real change, and offline moves last_seen.
import { describe, expect, it } from 'bun:test';
import { ActivityType } from 'discord-api-types/v10';
import type { Activity } from '../../../src/domain/presence/activity.ts';
import { type MirroredPresence, PresenceService } from '../../../src/domain/presence/presence-service.ts';
import type { DomainEvent } from '../../../src/events/domain-events.ts';
import { EventHub } from '../../../src/events/event-hub.ts';

const ID = '470320681905684500';
const game: Activity = { name: 'Factorio', type: ActivityType.Playing, created_at: 1700000000000 };

function setup() {
  let now = 1_000;
  const hub = new EventHub();
  const events: DomainEvent[] = [];
  hub.subscribe((e) => events.push(e));
  const service = new PresenceService(hub, { now: () => now });
  return { service, events, tick: (ms: number) => (now += ms) };
}

describe('PresenceService.setMirrored', () => {
  it('keeps the status, activities and every device status as given', () => {
    const { service, events } = setup();
    service.setMirrored(ID, 'discord', { status: 'dnd', activities: [game], clientStatus: { desktop: 'dnd', mobile: 'online' } });
    expect(service.get(ID)).toEqual({ userId: ID, status: 'dnd', activities: [game], clientStatus: { desktop: 'dnd', mobile: 'online' }, lastSeen: 1_000 });
    expect(events).toHaveLength(1);
  });

  it('announces nothing when the same presence comes again', () => {
    const { service, events, tick } = setup();
    const p: MirroredPresence = { status: 'idle', activities: [game], clientStatus: { web: 'idle' } };
    service.setMirrored(ID, 'discord', p);
    tick(10);
    service.setMirrored(ID, 'discord', { ...p, activities: [{ ...game }] });
    expect(events).toHaveLength(1);
    service.setMirrored(ID, 'discord', { ...p, activities: [] });
    expect(events).toHaveLength(2);
  });

  it('drops the devices no longer reported', () => {
    const { service } = setup();
    service.setMirrored(ID, 'discord', { status: 'online', activities: [], clientStatus: { desktop: 'online', web: 'online' } });
    service.setMirrored(ID, 'discord', { status: 'online', activities: [], clientStatus: { mobile: 'online' } });
    expect(service.get(ID).clientStatus).toEqual({ mobile: 'online' });
  });

  it('goes offline on an offline presence or null, keeping when the user was last seen', () => {
    const { service, tick } = setup();
    service.setMirrored(ID, 'discord', { status: 'online', activities: [game], clientStatus: { desktop: 'online' } });
    tick(500);
    service.setMirrored(ID, 'discord', { status: 'offline', activities: [], clientStatus: {} });
    expect(service.get(ID)).toEqual({ userId: ID, status: 'offline', activities: [], clientStatus: {}, lastSeen: 1_500 });
    tick(500);
    service.setMirrored(ID, 'discord', null);
    expect(service.get(ID).lastSeen).toBe(1_500);
  });

  it('counts as one more session next to a Harmony gateway session: the newest report wins, devices merge', () => {
    const { service, tick } = setup();
    service.sessionOpened(ID, 's1', 'web', { status: 'idle', activities: [], afk: true, since: null });
    tick(1);
    service.setMirrored(ID, 'discord', { status: 'dnd', activities: [game], clientStatus: { desktop: 'dnd' } });
    expect(service.get(ID)).toMatchObject({ status: 'dnd', activities: [game], clientStatus: { web: 'idle', desktop: 'dnd' } });
  });
});

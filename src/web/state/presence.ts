// The user's own status and custom activity. Chosen in settings, kept in localStorage, and handed to the
// HarmonyClient, which sends it inside every IDENTIFY (and as op 3 when it changes), so a new session never
// flashes online before its chosen status.
import type { PresenceData } from '../../sdk/events.ts';
import type { HarmonyClient } from '../../sdk/harmony-client.ts';
import { app } from './app-state.ts';
import { currentClient } from './client.ts';

export type OwnStatus = 'online' | 'idle' | 'dnd' | 'invisible';
export type OwnPresence = { status: OwnStatus; activity: string };

const KEY = 'harmony.presence';
const STATUSES: readonly OwnStatus[] = ['online', 'idle', 'dnd', 'invisible'];

export function ownPresence(): OwnPresence {
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) ?? 'null') as Partial<OwnPresence> | null;
    const status = STATUSES.includes(saved?.status as OwnStatus) ? (saved!.status as OwnStatus) : 'online';
    return { status, activity: typeof saved?.activity === 'string' ? saved.activity : '' };
  } catch {
    return { status: 'online', activity: '' };
  }
}

/** Saves, shows and sends; returns false when there is no live gateway to send it on (it goes out on connect). */
export function setOwnPresence(presence: OwnPresence): boolean {
  localStorage.setItem(KEY, JSON.stringify(presence));
  showOwnPresence();
  const client = currentClient();
  return client ? client.setPresence(presenceData(presence)) : false;
}

/** Gives a new client the saved presence; online with no activity is what every session starts with anyway. */
export function handOverPresence(client: HarmonyClient): void {
  const own = ownPresence();
  if (own.status !== 'online' || own.activity !== '') client.setPresence(presenceData(own));
}

/** Shows the chosen status on the user's own entries at once; others see `invisible` as offline. */
export function showOwnPresence(): void {
  const me = app.get().session?.user.id;
  if (!me) return;
  const own = ownPresence();
  const visible = own.status === 'invisible' ? 'offline' : own.status;
  const activities = presenceData(own).activities ?? [];
  app.update((s) => ({ ...s, presences: { ...s.presences, [me]: visible }, activities: { ...s.activities, [me]: activities } }));
}

function presenceData({ status, activity }: OwnPresence): PresenceData {
  return { status, activities: activity ? [{ name: 'Custom Status', type: 4, state: activity }] : [] };
}

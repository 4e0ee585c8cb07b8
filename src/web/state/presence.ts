// The user's own status and custom activity. Chosen in settings, kept in localStorage, and sent as a
// gateway op 3 presence update on every (re)connect, because a fresh gateway session starts online.
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

/** Saves and sends; returns false when there is no open gateway to send it on (it goes out on connect). */
export function setOwnPresence(presence: OwnPresence): boolean {
  localStorage.setItem(KEY, JSON.stringify(presence));
  const client = currentClient();
  return client ? sendPresence(client, true) : false;
}

export function sendPresence(client: HarmonyClient, always = false): boolean {
  const { status, activity } = ownPresence();
  const me = app.get().session?.user.id;
  if (me) {
    const visible = status === 'invisible' ? 'offline' : status;
    app.update((s) => ({ ...s, presences: { ...s.presences, [me]: visible } }));
  }
  if (!always && status === 'online' && activity === '') return true;
  const activities = activity ? [{ name: 'Custom Status', type: 4, state: activity }] : [];
  return gatewaySend(client, { op: 3, d: { since: null, afk: false, status, activities } });
}

/**
 * HarmonyClient has no public presence-update call yet, so this reaches its gateway connection's
 * frame sender (bracket access keeps it type-checked). Replace with the SDK's method once it has one.
 */
function gatewaySend(client: HarmonyClient, frame: { op: number; d: unknown }): boolean {
  if (client.sessionId === null) return false;
  client['gateway']['send'](frame);
  return true;
}

// How people look: Discord's default avatar for those without a picture, the colour of their highest coloured
// role, the hoisted role they are listed under, what their presence says (custom status, activity), and
// counts in words ("1 member", "2 members").
import type { Activity } from '../../sdk/events.ts';
import { appRoot } from './urls.ts';
import type { Member, Role } from './wire.ts';

/** Discord's default avatar for an account without one: /embed/avatars/{(id >> 22) % 6}.png, served by Harmony. */
export function defaultAvatarUrl(userId: string): string | null {
  if (!/^\d+$/.test(userId)) return null;
  return new URL(`embed/avatars/${Number((BigInt(userId) >> 22n) % 6n)}.png`, appRoot()).href;
}

/** The member's roles, highest first (position, then the older id as Discord breaks ties). */
export function rolesOf(roles: readonly Role[], member: Pick<Member, 'roles'> | undefined): Role[] {
  if (!member) return [];
  const ids = new Set(member.roles ?? []);
  return roles.filter((r) => ids.has(r.id)).sort((a, b) => b.position - a.position || (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
}

/** The colour of the member's highest role that has one, as CSS; null: the default text colour. */
export function roleColour(roles: readonly Role[], member: Pick<Member, 'roles'> | undefined): string | null {
  const coloured = rolesOf(roles, member).find((r) => r.color !== 0);
  return coloured ? colourCss(coloured.color) : null;
}

/**
 * A role colour as a name's text colour: the hue kept, the lightness clamped per theme (.role-colour in the
 * stylesheet) so that a dark role on the dark theme, or a pale one on the light theme, still reads at 4.5:1.
 */
export function roleColourStyle(colour: string | null): Record<string, string> | undefined {
  return colour ? { '--role-colour': colour } : undefined;
}

export function colourCss(colour: number): string {
  return `#${colour.toString(16).padStart(6, '0')}`;
}

/** The highest hoisted ("display separately") role: the member-list group an online member is shown in. */
export function hoistedRole(roles: readonly Role[], member: Pick<Member, 'roles'> | undefined): Role | null {
  return rolesOf(roles, member).find((r) => r.hoist) ?? null;
}

/** A custom status (activity type 4) is its `state`. */
export function customStatus(activities: readonly Activity[] | undefined): string | null {
  const custom = activities?.find((a) => a.type === 4);
  return custom?.state?.trim() || null;
}

const VERBS: Record<number, string> = { 0: 'Playing', 1: 'Streaming', 2: 'Listening to', 3: 'Watching', 5: 'Competing in' };

/** The first activity that is not a custom status, as Discord words it ("Playing chess"). */
export function activityText(activities: readonly Activity[] | undefined): string | null {
  const activity = activities?.find((a) => a.type !== 4 && a.name);
  if (!activity) return null;
  const verb = VERBS[activity.type];
  return verb ? `${verb} ${activity.name}` : activity.name;
}

/** "1 member", "2 members", "0 members"; `many` when the plural is not `one` + "s". */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString('en')} ${count === 1 ? one : many}`;
}

// The card a click on a person's name or avatar opens (member list, messages): their picture, display name and
// username, BOT tag, presence, custom status and activity, their roles in this server with colours, and a way on:
// "Message" opens the DM with them, "Edit profile" (yourself) opens settings. A modal <dialog> beside what was
// clicked, so Escape, focus trapping and focus return come with it; a click outside closes it.
import { useEffect, useRef } from 'preact/hooks';
import { activityText, colourCss, customStatus, roleColour, roleColourStyle, rolesOf } from '../lib/people.ts';
import { navigate, paths } from '../lib/router.tsx';
import type { User } from '../lib/wire.ts';
import { app, notify } from '../state/app-state.ts';
import { openDm } from '../state/inbox.ts';
import { memberName } from '../state/selectors.ts';
import { Store, useSelector } from '../state/store.ts';
import { Avatar, displayName, statusLabel } from './avatar.tsx';
import { restoreFocus, trapTab } from './dialog.tsx';
import { Icon } from './icons.tsx';

type OpenProfile = { user: User; guildId: string | null; anchor: { left: number; top: number; right: number; bottom: number } };

const profile = new Store<OpenProfile | null>(null);

/** Opens `user`'s card beside `anchor` (their roles and nickname are those of `guildId`, when given). */
export function openProfile(user: User, guildId: string | null, anchor: Element): void {
  const { left, top, right, bottom } = anchor.getBoundingClientRect();
  profile.update(() => ({ user, guildId, anchor: { left, top, right, bottom } }));
}

export function closeProfile(): void {
  profile.update(() => null);
}

/** Rendered once (in the layout); shows the open card, if any. */
export function ProfilePopover() {
  const open = useSelector(profile, (p) => p);
  return open ? <ProfileCard key={`${open.user.id}:${open.guildId}`} open={open} /> : null;
}

const CARD_WIDTH = 300;

function ProfileCard({ open }: { open: OpenProfile }) {
  const ref = useRef<HTMLDialogElement>(null);
  const { guildId } = open;
  const member = useSelector(app, (s) => (guildId ? s.members[guildId]?.[open.user.id] : undefined));
  const roles = useSelector(app, (s) => (guildId ? (s.details[guildId]?.roles ?? []) : []));
  const status = useSelector(app, (s) => s.presences[open.user.id] ?? 'offline');
  const activities = useSelector(app, (s) => s.activities[open.user.id]);
  const meId = useSelector(app, (s) => s.session?.user.id);
  const user = member?.user ?? open.user;
  const memberRoles = rolesOf(roles, member).filter((r) => r.id !== guildId);
  const colour = roleColour(roles, member);
  const custom = customStatus(activities);
  const activity = activityText(activities);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    // Beside the anchor when there is room (right of it, else left), the top clamped into the window.
    const narrow = window.innerWidth < CARD_WIDTH + 32;
    if (!narrow) {
      const fitsRight = open.anchor.right + 8 + CARD_WIDTH <= window.innerWidth;
      dialog.style.left = `${Math.max(8, fitsRight ? open.anchor.right + 8 : open.anchor.left - CARD_WIDTH - 8)}px`;
      dialog.style.top = `${Math.max(8, Math.min(open.anchor.top, window.innerHeight - 420))}px`;
    }
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    const onBackdrop = (e: MouseEvent) => {
      if (e.target === dialog) closeProfile();
    };
    dialog.addEventListener('click', onBackdrop);
    return () => {
      dialog.removeEventListener('click', onBackdrop);
      dialog.close();
      restoreFocus(opener, dialog);
    };
  }, []);

  const shownName = memberName(member) ?? displayName(user);
  return (
    <dialog
      ref={ref}
      class="profile-card"
      aria-label={`Profile of ${shownName}`}
      data-user-id={user.id}
      onKeyDown={(e) => trapTab(e, e.currentTarget)}
      onCancel={(e) => {
        e.preventDefault();
        closeProfile();
      }}
    >
      <div class="profile-card-body">
        <button type="button" class="icon-button profile-close" aria-label="Close" onClick={closeProfile}>
          <Icon name="close" size={16} />
        </button>
        <Avatar user={user} size="lg" status={status} />
        <h2 class={colour ? 'profile-name role-colour' : 'profile-name'} style={roleColourStyle(colour)}>
          {shownName}
          {user.bot ? <span class="bot-tag">BOT</span> : null}
        </h2>
        <p class="profile-username">{user.username}</p>
        <p class="profile-status">{statusLabel(status)}</p>
        {custom ? <p class="profile-custom-status">{custom}</p> : null}
        {activity ? <p class="profile-activity">{activity}</p> : null}
        {memberRoles.length > 0 ? (
          <section class="profile-roles" aria-label="Roles">
            <h3 class="section-title">Roles</h3>
            <ul>
              {memberRoles.map((r) => (
                <li key={r.id} class="role-pill">
                  <span class="role-dot" style={{ backgroundColor: r.color ? colourCss(r.color) : undefined }} aria-hidden="true" />
                  {r.name}
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        <div class="profile-actions">
          {user.id === meId ? (
            <button
              type="button"
              class="button"
              onClick={() => {
                closeProfile();
                navigate(paths.settings());
              }}
            >
              Edit profile
            </button>
          ) : (
            <button
              type="button"
              class="button primary"
              onClick={() =>
                openDm(user.id).then(
                  (dm) => {
                    closeProfile();
                    navigate(paths.dm(dm.id));
                  },
                  (e: unknown) => notify(e instanceof Error ? e.message : String(e)),
                )
              }
            >
              Message
            </button>
          )}
        </div>
      </div>
    </dialog>
  );
}

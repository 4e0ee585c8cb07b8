// Who is in the guild as Discord lists them: online members under their highest hoisted role ("Mods — 2"), the
// rest of those online under "Online", then "Offline"; names in their role colour, bots marked BOT, the custom
// status or activity under the name, and a click on someone opens their profile card.

import { useEffect, useState } from 'preact/hooks';
import { activityText, customStatus, hoistedRole, roleColour, roleColourStyle } from '../lib/people.ts';
import { navigate, paths } from '../lib/router.tsx';
import type { Member, Role, Status } from '../lib/wire.ts';
import { app, notify } from '../state/app-state.ts';
import { openDm } from '../state/inbox.ts';
import { type CommandIndex, loadCommandIndex } from '../state/interactions.ts';
import { memberName } from '../state/selectors.ts';
import { useSelector } from '../state/store.ts';
import { Avatar } from './avatar.tsx';
import { ContextCommands } from './command-picker.tsx';
import { openProfile } from './profile-popover.tsx';

export function MemberList({
  members,
  presences,
  roles = [],
  channelId,
}: {
  members: Record<string, Member> | undefined;
  presences: Record<string, Status>;
  /** The guild's roles, for colours and hoisted groups (absent: none). */
  roles?: readonly Role[];
  /** The channel shown: its USER commands are offered in each member's Apps menu. */
  channelId?: string;
}) {
  // The channel's USER commands: each member gets an Apps menu only when there are some.
  const [apps, setApps] = useState<Apps | null>(null);
  useEffect(() => {
    setApps(null);
    if (!channelId) return;
    let live = true;
    loadCommandIndex(channelId).then(
      (index) => live && setApps({ ...index, channelId }),
      () => {},
    );
    return () => {
      live = false;
    };
  }, [channelId]);
  if (!members) return <p class="loading">Loading members…</p>;
  const list = Object.values(members).sort((a, b) => (memberName(a) ?? '').localeCompare(memberName(b) ?? ''));
  const statusOf = (m: Member): Status => presences[m.user.id] ?? 'offline';
  // Hoisted roles, highest first, each with the online members whose highest hoisted role it is.
  const hoisted = new Map<string, { role: Role; members: Member[] }>();
  for (const r of [...roles].filter((r) => r.hoist).sort((a, b) => b.position - a.position)) hoisted.set(r.id, { role: r, members: [] });
  const online: Member[] = [];
  const offline: Member[] = [];
  for (const m of list) {
    if (statusOf(m) === 'offline') {
      offline.push(m);
      continue;
    }
    const group = hoistedRole(roles, m);
    if (group) hoisted.get(group.id)?.members.push(m);
    else online.push(m);
  }
  const row = { statusOf, apps, roles };
  return (
    <div class="member-list">
      {[...hoisted.values()].map((g) => (
        <Group key={g.role.id} title={g.role.name} members={g.members} {...row} />
      ))}
      <Group title="Online" members={online} {...row} />
      <Group title="Offline" members={offline} {...row} />
    </div>
  );
}

type Apps = CommandIndex & { channelId: string };

function Group({
  title,
  members,
  statusOf,
  apps,
  roles,
}: {
  title: string;
  members: Member[];
  statusOf: (m: Member) => Status;
  apps: Apps | null;
  roles: readonly Role[];
}) {
  if (members.length === 0) return null;
  return (
    <section aria-label={`${title} members`}>
      <h3 class="section-title" title={title}>
        <span class="truncate">{title}</span> — {members.length}
      </h3>
      <ul>
        {members.map((m) => (
          <li key={m.user.id} class={statusOf(m) === 'offline' ? 'member offline' : 'member'} data-user-id={m.user.id}>
            <button type="button" class="member-open" aria-haspopup="dialog" onClick={(e) => openProfile(m.user, m.guild_id ?? null, e.currentTarget)}>
              <span class="visually-hidden">Profile of </span>
              <span class="member-names">
                <span class="member-name-line">
                  <MemberName member={m} roles={roles} />
                  {m.user.bot ? <span class="bot-tag">BOT</span> : null}
                </span>
                <MemberStatusLine userId={m.user.id} />
              </span>
              {/* Drawn first (CSS order) but read last: "Profile of bob …, Do not disturb" (the dot is an image named
                  by the status). */}
              <span class="member-avatar">
                <Avatar user={m.user} size="sm" status={statusOf(m)} />
              </span>
            </button>
            {apps && apps.commands.some((c) => c.type === 2) ? (
              <ContextCommands
                channelId={apps.channelId}
                guildId={m.guild_id ?? null}
                commandType={2}
                targetId={m.user.id}
                label={`Apps for ${memberName(m)}`}
                class="icon-button member-apps"
                icon
                preloaded={apps}
              />
            ) : null}
            {m.user.id !== app.get().session?.user.id ? (
              <button
                type="button"
                class="button small member-message"
                aria-label={`Message ${memberName(m)}`}
                onClick={() =>
                  openDm(m.user.id).then(
                    (dm) => navigate(paths.dm(dm.id)),
                    (e: unknown) => notify(e instanceof Error ? e.message : String(e)),
                  )
                }
              >
                Message
              </button>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

function MemberName({ member, roles }: { member: Member; roles: readonly Role[] }) {
  const name = memberName(member) ?? '';
  const colour = roleColour(roles, member);
  return (
    <span class={colour ? 'member-name role-colour' : 'member-name'} title={name} style={roleColourStyle(colour)}>
      {name}
    </span>
  );
}

/** The custom status, else the activity ("Playing chess"), under the name; nothing when there is neither. */
function MemberStatusLine({ userId }: { userId: string }) {
  const activities = useSelector(app, (s) => s.activities[userId]);
  const text = customStatus(activities) ?? activityText(activities);
  return text ? (
    <span class="member-activity" title={text}>
      {text}
    </span>
  ) : null;
}

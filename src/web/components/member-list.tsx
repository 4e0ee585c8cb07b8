// Who is in the guild, online first, with presence dots and bots marked BOT.

import { useEffect, useState } from 'preact/hooks';
import { navigate, paths } from '../lib/router.tsx';
import type { Member, Status } from '../lib/wire.ts';
import { app, notify } from '../state/app-state.ts';
import { openDm } from '../state/inbox.ts';
import { type CommandIndex, loadCommandIndex } from '../state/interactions.ts';
import { memberName } from '../state/selectors.ts';
import { Avatar } from './avatar.tsx';
import { ContextCommands } from './command-picker.tsx';

export function MemberList({
  members,
  presences,
  channelId,
}: {
  members: Record<string, Member> | undefined;
  presences: Record<string, Status>;
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
  const online = list.filter((m) => statusOf(m) !== 'offline');
  const offline = list.filter((m) => statusOf(m) === 'offline');
  return (
    <div class="member-list">
      <Group title="Online" members={online} statusOf={statusOf} apps={apps} />
      <Group title="Offline" members={offline} statusOf={statusOf} apps={apps} />
    </div>
  );
}

type Apps = CommandIndex & { channelId: string };

function Group({ title, members, statusOf, apps }: { title: string; members: Member[]; statusOf: (m: Member) => Status; apps: Apps | null }) {
  if (members.length === 0) return null;
  return (
    <section aria-label={`${title} members`}>
      <h3 class="section-title">
        {title} — {members.length}
      </h3>
      <ul>
        {members.map((m) => (
          <li key={m.user.id} class={statusOf(m) === 'offline' ? 'member offline' : 'member'} data-user-id={m.user.id}>
            <Avatar user={m.user} size="sm" status={statusOf(m)} />
            <span class="member-name">{memberName(m)}</span>
            {m.user.bot ? <span class="bot-tag">BOT</span> : null}
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

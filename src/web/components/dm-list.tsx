// The direct messages on the home sidebar: the person (or bot) with their presence, or a group DM with its name and
// size, the last message, the mention badge, bold while unread, and a button to close the DM (it comes back with its
// next message) or leave the group. "New group DM" picks up to 9 people you share a server with.
import { useState } from 'preact/hooks';
import { renderPreview } from '../lib/markup.tsx';
import { plural } from '../lib/people.ts';
import { Link, navigate, paths, type Route } from '../lib/router.tsx';
import { useAction } from '../lib/use-async.ts';
import type { User } from '../lib/wire.ts';
import { ensureMembers } from '../state/actions.ts';
import { app } from '../state/app-state.ts';
import { closeDm, createGroupDm, type DmChannel, dmList, inbox, isUnread, mentionCount, otherRecipient } from '../state/inbox.ts';
import { useSelector } from '../state/store.ts';
import { Avatar, displayName } from './avatar.tsx';
import { Dialog } from './dialog.tsx';
import { initials } from './guild-rail.tsx';
import { Icon } from './icons.tsx';
import { ErrorText, Field } from './ui.tsx';
import { MentionBadge } from './unread.tsx';

export function DmList({ route }: { route?: Route }) {
  const dms = useSelector(inbox, dmList);
  const activeId = route?.name === 'dm' ? route.channelId : null;
  const [creating, setCreating] = useState(false);
  return (
    <section class="dm-section" aria-labelledby="dm-list-title">
      <div class="section-title">
        <h3 id="dm-list-title">Direct messages</h3>
        <button type="button" class="icon-button" aria-label="New group DM" title="New group DM" onClick={() => setCreating(true)}>
          <Icon name="plus" size={18} />
        </button>
      </div>
      {creating ? <NewGroupDialog onClose={() => setCreating(false)} /> : null}
      {dms.length === 0 ? <p class="hint">No direct messages yet. Open one with “Message” on someone in a server’s member list.</p> : null}
      <ul class="dm-list" aria-labelledby="dm-list-title">
        {dms.map((dm) => (
          <DmRow key={dm.id} dm={dm} active={dm.id === activeId} />
        ))}
      </ul>
    </section>
  );
}

export function dmPartner(dm: DmChannel | undefined, users: Record<string, User>): User | undefined {
  if (dm?.type === GROUP_DM) return undefined;
  const id = dm ? otherRecipient(dm) : undefined;
  return id ? users[id] : undefined;
}

export const GROUP_DM = 3;

/** A group's name: its own, or its other members' names. */
export function groupName(dm: DmChannel, users: Record<string, User>, meId: string | undefined): string {
  if (dm.name) return dm.name;
  const names = (dm.recipient_ids ?? []).filter((id) => id !== meId).map((id) => (users[id] ? displayName(users[id]) : '…'));
  return names.join(', ') || 'Group DM';
}

/** Picks 1-9 people you share a server with (bots cannot be in a group) and names the group. */
function NewGroupDialog({ onClose }: { onClose: () => void }) {
  const guildIds = useSelector(app, (s) => s.guildOrder);
  useState(() => {
    for (const id of guildIds) void ensureMembers(id).catch(() => {});
    return null;
  });
  const meId = useSelector(app, (s) => s.session?.user.id);
  const members = useSelector(app, (s) => s.members);
  const people = new Map<string, User>();
  for (const guild of Object.values(members)) for (const m of Object.values(guild)) if (!m.user.bot && m.user.id !== meId) people.set(m.user.id, m.user);
  const sorted = [...people.values()].sort((a, b) => displayName(a).localeCompare(displayName(b)));
  const [picked, setPicked] = useState<string[]>([]);
  const [name, setName] = useState('');
  const create = useAction(async () => {
    const group = await createGroupDm(picked, name);
    onClose();
    navigate(paths.dm(group.id));
  });
  return (
    <Dialog title="New group DM" onClose={onClose}>
      <form
        class="stack"
        onSubmit={(e) => {
          e.preventDefault();
          void create.run();
        }}
      >
        <Field label="Group name">
          <input class="input" maxLength={100} value={name} onInput={(e) => setName(e.currentTarget.value)} placeholder="Optional" />
        </Field>
        <fieldset class="notify-levels">
          <legend>People ({picked.length}/9)</legend>
          {sorted.length === 0 ? <p class="hint">Nobody shares a server with you yet.</p> : null}
          {sorted.map((u) => (
            <label key={u.id} class="radio">
              <input
                type="checkbox"
                checked={picked.includes(u.id)}
                disabled={!picked.includes(u.id) && picked.length >= 9}
                onChange={(e) => setPicked(e.currentTarget.checked ? [...picked, u.id] : picked.filter((id) => id !== u.id))}
              />
              {displayName(u)}
            </label>
          ))}
        </fieldset>
        <ErrorText error={create.error} />
        <div class="dialog-actions">
          <button type="submit" class="button primary" disabled={create.busy || picked.length === 0}>
            Create group
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function DmRow({ dm, active }: { dm: DmChannel; active: boolean }) {
  const partner = useSelector(inbox, (s) => dmPartner(dm, s.users));
  const preview = useSelector(inbox, (s) => s.previews[dm.id]);
  // The last message as it reads (markdown, mentions by name, spoilers closed), on the row's one line.
  const users = useSelector(inbox, (s) => s.users);
  const me = useSelector(app, (s) => s.session?.user);
  const unread = useSelector(inbox, (s) => isUnread(s, dm.id));
  const mentions = useSelector(inbox, (s) => mentionCount(s, dm.id));
  const status = useSelector(app, (s) => (partner ? (s.presences[partner.id] ?? 'offline') : 'offline'));
  const meId = useSelector(app, (s) => s.session?.user.id);
  const group = dm.type === GROUP_DM;
  const title = useSelector(inbox, (s) => (group ? groupName(dm, s.users, meId) : null));
  const name = group ? (title as string) : partner ? displayName(partner) : 'Direct message';
  const classes = ['dm-row', active ? 'active' : '', unread ? 'unread' : ''].filter(Boolean).join(' ');
  return (
    <li class={classes} data-channel-id={dm.id}>
      <Link to={paths.dm(dm.id)} class="dm-link" aria-current={active ? 'page' : undefined}>
        {partner ? <Avatar user={partner} size="sm" status={status} /> : null}
        {group ? (
          <span class="avatar avatar-sm group-icon" aria-hidden="true">
            <span class="avatar-initial avatar-c0">{initials(name)}</span>
          </span>
        ) : null}
        <span class="dm-text">
          {/* The name carries the mark itself: Chromium left it unstyled when only the row's class changed (a row
              already listed, read, then written to). */}
          <span class={unread ? 'dm-name unread' : 'dm-name'}>
            {name}
            {unread ? <span class="visually-hidden"> (unread)</span> : null}
            {partner?.bot ? <span class="bot-tag">BOT</span> : null}
          </span>
          {preview ? (
            <span class="dm-preview">
              {preview.authorId === meId ? 'You: ' : ''}
              {renderPreview(preview.content, { nameOf: (id) => (id === me?.id ? displayName(me) : users[id] ? displayName(users[id]) : null), meId })}
            </span>
          ) : group ? (
            <span class="dm-preview">{plural(dm.recipient_ids?.length ?? 0, 'member')}</span>
          ) : null}
        </span>
        <MentionBadge count={mentions} />
      </Link>
      <button
        type="button"
        class="icon-button dm-close"
        aria-label={group ? `Leave group ${name}` : `Close DM with ${name}`}
        title={group ? 'Leave group' : 'Close DM'}
        onClick={async () => {
          await closeDm(dm.id);
          if (active) navigate(paths.home());
        }}
      >
        <Icon name="close" size={16} />
      </button>
    </li>
  );
}

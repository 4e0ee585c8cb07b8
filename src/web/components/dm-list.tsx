// The direct messages on the home sidebar: the person (or bot) with their presence, the last message, the mention
// badge, bold while unread, and a button to close the DM (it comes back with its next message).
import { Link, navigate, paths, type Route } from '../lib/router.tsx';
import type { User } from '../lib/wire.ts';
import { app } from '../state/app-state.ts';
import { closeDm, type DmChannel, dmList, inbox, isUnread, mentionCount, otherRecipient } from '../state/inbox.ts';
import { useSelector } from '../state/store.ts';
import { Avatar, displayName } from './avatar.tsx';
import { Icon } from './icons.tsx';
import { MentionBadge } from './unread.tsx';

export function DmList({ route }: { route?: Route }) {
  const dms = useSelector(inbox, dmList);
  const activeId = route?.name === 'dm' ? route.channelId : null;
  return (
    <section class="dm-section" aria-labelledby="dm-list-title">
      <h3 class="section-title" id="dm-list-title">
        Direct messages
      </h3>
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
  const id = dm ? otherRecipient(dm) : undefined;
  return id ? users[id] : undefined;
}

function DmRow({ dm, active }: { dm: DmChannel; active: boolean }) {
  const partner = useSelector(inbox, (s) => dmPartner(dm, s.users));
  const preview = useSelector(inbox, (s) => s.previews[dm.id]);
  const unread = useSelector(inbox, (s) => isUnread(s, dm.id));
  const mentions = useSelector(inbox, (s) => mentionCount(s, dm.id));
  const status = useSelector(app, (s) => (partner ? (s.presences[partner.id] ?? 'offline') : 'offline'));
  const meId = useSelector(app, (s) => s.session?.user.id);
  const name = partner ? displayName(partner) : 'Direct message';
  const classes = ['dm-row', active ? 'active' : '', unread ? 'unread' : ''].filter(Boolean).join(' ');
  return (
    <li class={classes} data-channel-id={dm.id}>
      <Link to={paths.dm(dm.id)} class="dm-link" aria-current={active ? 'page' : undefined} aria-label={`${name}${unread ? ' (unread)' : ''}`}>
        {partner ? <Avatar user={partner} size="sm" status={status} /> : null}
        <span class="dm-text">
          <span class="dm-name">
            {name}
            {partner?.bot ? <span class="bot-tag">BOT</span> : null}
          </span>
          {preview ? (
            <span class="dm-preview">
              {preview.authorId === meId ? 'You: ' : ''}
              {preview.content}
            </span>
          ) : null}
        </span>
        <MentionBadge count={mentions} />
      </Link>
      <button
        type="button"
        class="icon-button dm-close"
        aria-label={`Close DM with ${name}`}
        title="Close DM"
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

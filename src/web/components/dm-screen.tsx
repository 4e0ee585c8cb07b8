// /app/dm/:channel — a direct message: the person with their presence, the history with its "new messages"
// divider, the composer, search within the conversation, and "Close DM". Read while shown and focused, like a channel.
import { useEffect, useRef, useState } from 'preact/hooks';
import { navigate, paths, type Route } from '../lib/router.tsx';
import type { Message } from '../lib/wire.ts';
import { ensureMessages } from '../state/actions.ts';
import { app } from '../state/app-state.ts';
import { api } from '../state/client.ts';
import { addDm, closeDm, type DmChannel, inbox, openDm, otherRecipient } from '../state/inbox.ts';
import { useSelector } from '../state/store.ts';
import { Avatar, displayName, statusLabel } from './avatar.tsx';
import { Composer } from './composer.tsx';
import { dmPartner, GROUP_DM, groupName } from './dm-list.tsx';
import { DmSearchPanel } from './history-panels.tsx';
import { HomeSidebar } from './home-screen.tsx';
import { Icon } from './icons.tsx';
import { Layout, PageHeader, useDocumentTitle, useOpenNav } from './layout.tsx';
import { MessageList } from './message-list.tsx';
import { ErrorText, Loading } from './ui.tsx';
import { NewMessagesBar, useMarkRead, useUnreadMarker } from './unread.tsx';

export function DmScreen({ route, channelId }: { route: Route; channelId: string }) {
  const dm = useSelector(inbox, (s) => s.dms[channelId]);
  const [error, setError] = useState<string | null>(null);
  // Whether this screen has shown the DM: one that then leaves the list was closed (here or on another device),
  // and must not be opened again behind the person's back.
  const shown = useRef(false);
  if (dm) shown.current = true;
  useEffect(() => {
    if (dm) return;
    if (shown.current) {
      navigate(paths.home(), { replace: true });
      return;
    }
    // Opened by address (a reload, a notification): a DM we closed comes back to the list by opening it again.
    api<DmChannel>('GET', `/channels/${channelId}`)
      .then((channel) => {
        if (channel.type === 3) return addDm(channel);
        const other = otherRecipient(channel);
        return other ? openDm(other) : channel;
      })
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [channelId, !dm]);
  return (
    <Layout route={route} sidebar={<HomeSidebar route={route} />}>
      {dm ? (
        <DmChat dm={dm} />
      ) : (
        <>
          <PageHeader title="Direct message" />
          <div class="page">{error ? <ErrorText error={error} /> : <Loading />}</div>
        </>
      )}
    </Layout>
  );
}

function DmChat({ dm }: { dm: DmChannel }) {
  const openNav = useOpenNav();
  const partner = useSelector(inbox, (s) => dmPartner(dm, s.users));
  const log = useSelector(app, (s) => s.messages[dm.id]);
  const meId = useSelector(app, (s) => s.session?.user.id);
  const status = useSelector(app, (s) => (partner ? (s.presences[partner.id] ?? 'offline') : 'offline'));
  const [replyTo, setReplyTo] = useState<Message | null>(null);
  const [searchText, setSearchText] = useState('');
  const [searching, setSearching] = useState<string | null>(null);
  const [unreadAfter, clearMarker] = useUnreadMarker(dm.id);
  const group = dm.type === GROUP_DM;
  const members = useSelector(inbox, (s) =>
    group ? (dm.recipient_ids ?? []).map((id) => (s.users[id] ? displayName(s.users[id]) : id === meId ? 'you' : '…')).join(', ') : '',
  );
  const groupTitle = useSelector(inbox, (s) => (group ? groupName(dm, s.users, meId) : ''));
  const name = group ? groupTitle : partner ? displayName(partner) : 'Direct message';
  useDocumentTitle(group ? name : `@${name}`);
  useMarkRead(dm.id);
  useEffect(() => {
    ensureMessages(dm.id);
  }, [dm.id, !log]);
  useEffect(() => {
    setSearching(null);
    setSearchText('');
  }, [dm.id]);

  return (
    <div class="chat">
      <header class="chat-header">
        <button type="button" class="icon-button nav-toggle" aria-label="Open navigation" onClick={openNav}>
          <Icon name="menu" />
        </button>
        {partner ? <Avatar user={partner} size="sm" status={status} /> : null}
        <h1 class="channel-title">{name}</h1>
        <p class="channel-topic">{group ? members : partner?.bot ? 'Bot' : statusLabel(status)}</p>
        <form
          class="search-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (searchText.trim()) setSearching(searchText.trim());
          }}
        >
          <input
            class="input small"
            type="search"
            aria-label="Search messages"
            placeholder="Search"
            value={searchText}
            onInput={(e) => setSearchText(e.currentTarget.value)}
          />
        </form>
        <button
          type="button"
          class="button small"
          onClick={async () => {
            await closeDm(dm.id);
            navigate(paths.home());
          }}
        >
          {group ? 'Leave group' : 'Close DM'}
        </button>
      </header>
      <div class="chat-body">
        <section class="chat-main" aria-label={`Direct message with ${name}`}>
          <NewMessagesBar channelId={dm.id} after={unreadAfter} onDismiss={clearMarker} />
          <MessageList
            channelId={dm.id}
            channelName={name}
            log={log}
            members={undefined}
            meId={meId}
            canManageMessages={false}
            canReact
            onReply={setReplyTo}
            unreadAfter={unreadAfter}
            kind="dm"
          />
          <Composer
            channelId={dm.id}
            channelName={name}
            target={group ? name : `@${name}`}
            canSend
            replyTo={replyTo}
            replyName={replyTo ? displayName(replyTo.author) : null}
            onCancelReply={() => setReplyTo(null)}
          />
        </section>
        {searching ? <DmSearchPanel dm={dm} text={searching} onClose={() => setSearching(null)} /> : null}
      </div>
    </div>
  );
}

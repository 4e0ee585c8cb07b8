// A channel: header, history, who is typing, the composer, and the member list beside it (a panel
// you open on narrow screens).
import { useEffect, useRef, useState } from 'preact/hooks';
import { Flags, has } from '../lib/permissions.ts';
import { useAction } from '../lib/use-async.ts';
import type { Channel, GuildDetail, Message } from '../lib/wire.ts';
import { createThread, ensureMessages, showThread } from '../state/actions.ts';
import { app } from '../state/app-state.ts';
import { memberName, permissionsIn } from '../state/selectors.ts';
import { useSelector } from '../state/store.ts';
import { displayName } from './avatar.tsx';
import { Composer } from './composer.tsx';
import { Dialog } from './dialog.tsx';
import { PinsPanel, SearchPanel } from './history-panels.tsx';
import { Icon } from './icons.tsx';
import { useDocumentTitle } from './layout.tsx';
import { MemberList } from './member-list.tsx';
import { MessageList } from './message-list.tsx';
import { ThreadPanel } from './thread-panel.tsx';
import { ErrorText, Field } from './ui.tsx';
import { NewMessagesBar, useMarkRead, useUnreadMarker } from './unread.tsx';

export function ChatView({ guild, channel, onOpenNav }: { guild: GuildDetail; channel: Channel; onOpenNav: () => void }) {
  const log = useSelector(app, (s) => s.messages[channel.id]);
  const members = useSelector(app, (s) => s.members[guild.id]);
  const presences = useSelector(app, (s) => s.presences);
  const meId = useSelector(app, (s) => s.session?.user.id);
  const perms = useSelector(app, (s) => permissionsIn(s, guild.id, channel));
  const [replyTo, setReplyTo] = useState<Message | null>(null);
  const [threadFrom, setThreadFrom] = useState<Message | null>(null);
  // The open thread, when it belongs to this channel.
  const thread = useSelector(app, (s) => {
    const open = s.openThreadId ? s.threads[guild.id]?.[s.openThreadId] : undefined;
    return open?.thread?.parent_id === channel.id ? open : undefined;
  });
  const onThread = (message: Message) => {
    if (message.thread_id) void showThread(message.thread_id);
    else setThreadFrom(message);
  };
  useDocumentTitle(`#${channel.name} · ${guild.name}`);
  const [unreadAfter, clearMarker] = useUnreadMarker(channel.id);
  useMarkRead(channel.id);
  const [showMembers, setShowMembers] = useState(() => matchMedia('(min-width: 1100px)').matches);
  // Pins or search results beside the channel, in the member list's place.
  const [panel, setPanel] = useState<{ kind: 'pins' } | { kind: 'search'; text: string } | null>(null);
  const [searchText, setSearchText] = useState('');
  const roles = useSelector(app, (s) => s.details[guild.id]?.roles);
  const membersToggle = useRef<HTMLButtonElement>(null);
  const memberPanel = useRef<HTMLElement>(null);
  // Below 1100 px the member list is a drawer over the chat: focus goes into it when it opens and back to the
  // toggle when it closes (by its close button, the backdrop or Escape).
  const drawer = () => matchMedia('(max-width: 1099px)').matches;
  const toggleMembers = (next: boolean) => {
    setShowMembers(next);
    if (!next && drawer()) membersToggle.current?.focus();
  };
  useEffect(() => {
    if (showMembers && drawer()) memberPanel.current?.querySelector<HTMLElement>('.drawer-close')?.focus();
  }, [showMembers]);

  useEffect(() => {
    ensureMessages(channel.id);
  }, [channel.id, !log]);
  useEffect(() => setReplyTo(null), [channel.id]);

  const replyName = replyTo ? (memberName(members?.[replyTo.author.id]) ?? displayName(replyTo.author)) : null;

  return (
    <div class={showMembers && !thread && !panel ? 'chat with-members' : 'chat'}>
      <header class="chat-header">
        <button type="button" class="icon-button nav-toggle" aria-label="Open navigation" onClick={onOpenNav}>
          <Icon name="menu" />
        </button>
        <h1 class="channel-title" title={`#${channel.name}`}>
          <span aria-hidden="true">#</span>
          {channel.name}
        </h1>
        {channel.topic ? <p class="channel-topic">{channel.topic}</p> : null}
        <form
          class="search-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (searchText.trim()) setPanel({ kind: 'search', text: searchText.trim() });
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
          class="icon-button"
          aria-label="Pinned messages"
          title="Pinned messages"
          aria-pressed={panel?.kind === 'pins'}
          onClick={() => setPanel(panel?.kind === 'pins' ? null : { kind: 'pins' })}
        >
          <Icon name="pin" />
        </button>
        <button
          type="button"
          class="button small members-toggle"
          aria-pressed={showMembers}
          aria-controls={showMembers && !thread && !panel ? 'member-panel' : undefined}
          ref={membersToggle}
          onClick={() => toggleMembers(!showMembers)}
        >
          Members
        </button>
      </header>
      <div class="chat-body">
        <section class="chat-main" aria-label={`#${channel.name}`}>
          <NewMessagesBar channelId={channel.id} after={unreadAfter} onDismiss={clearMarker} />
          <MessageList
            unreadAfter={unreadAfter}
            channelId={channel.id}
            channelName={channel.name}
            log={log}
            members={members}
            meId={meId}
            canManageMessages={has(perms, Flags.ManageMessages)}
            canReact={has(perms, Flags.AddReactions)}
            onReply={setReplyTo}
            onThread={onThread}
            canCreateThread={has(perms, Flags.CreatePublicThreads)}
          />
          <TypingIndicator channelId={channel.id} guildId={guild.id} />
          <Composer
            channelId={channel.id}
            guildId={guild.id}
            channelName={channel.name}
            canSend={has(perms, Flags.SendMessages)}
            replyTo={replyTo}
            replyName={replyName}
            onCancelReply={() => setReplyTo(null)}
          />
        </section>
        {thread ? <ThreadPanel guild={guild} parent={channel} thread={thread} /> : null}
        {panel?.kind === 'pins' && !thread ? (
          <PinsPanel guild={guild} channel={channel} canManage={has(perms, Flags.ManageMessages)} onClose={() => setPanel(null)} />
        ) : null}
        {panel?.kind === 'search' && !thread ? <SearchPanel guild={guild} text={panel.text} onClose={() => setPanel(null)} /> : null}
        {showMembers && !thread && !panel ? (
          <>
            <div class="member-scrim" onClick={() => toggleMembers(false)} aria-hidden="true" />
            <aside
              class="member-panel"
              id="member-panel"
              aria-label="Members"
              ref={memberPanel}
              onKeyDown={(e) => e.key === 'Escape' && drawer() && toggleMembers(false)}
            >
              <div class="drawer-header">
                <span class="section-title">Members</span>
                <button type="button" class="icon-button drawer-close" aria-label="Close members" onClick={() => toggleMembers(false)}>
                  <Icon name="close" size={18} />
                </button>
              </div>
              <MemberList members={members} presences={presences} roles={roles} channelId={channel.id} />
            </aside>
          </>
        ) : null}
      </div>
      {threadFrom ? <CreateThreadDialog channel={channel} from={threadFrom} onClose={() => setThreadFrom(null)} /> : null}
    </div>
  );
}

/** Names a new public thread started from a message; it opens beside the channel once made. */
function CreateThreadDialog({ channel, from, onClose }: { channel: Channel; from: Message; onClose: () => void }) {
  const [name, setName] = useState(() => from.content.trim().slice(0, 60) || 'New thread');
  const create = useAction(async () => {
    await createThread(channel.id, name.trim(), from.id);
    onClose();
  });
  return (
    <Dialog title="Create thread" onClose={onClose}>
      <form
        class="stack"
        onSubmit={(e) => {
          e.preventDefault();
          void create.run();
        }}
      >
        <Field label="Thread name">
          <input class="input" required maxLength={100} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </Field>
        <ErrorText error={create.error} />
        <div class="dialog-actions">
          <button type="submit" class="button primary" disabled={create.busy || !name.trim()}>
            Create thread
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function TypingIndicator({ channelId, guildId }: { channelId: string; guildId: string }) {
  const typing = useSelector(app, (s) => s.typing[channelId]);
  const members = useSelector(app, (s) => s.members[guildId]);
  const now = Date.now();
  const names = Object.entries(typing ?? {})
    .filter(([, until]) => until > now)
    .map(([id]) => memberName(members?.[id]) ?? 'Someone');
  const text =
    names.length === 0
      ? ''
      : names.length === 1
        ? `${names[0]} is typing…`
        : names.length <= 3
          ? `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]} are typing…`
          : 'Several people are typing…';
  return (
    <div class="typing" aria-live="polite">
      {text}
    </div>
  );
}

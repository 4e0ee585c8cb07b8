// A thread beside its channel: its history, a composer, and archive / unarchive for its owner and for
// people with manage_threads. Posting in an archived thread unarchives it (the server does), unless it is locked.
import { useEffect, useState } from 'preact/hooks';
import { Flags, has } from '../lib/permissions.ts';
import { useAction } from '../lib/use-async.ts';
import type { Channel, GuildDetail, Message } from '../lib/wire.ts';
import { ensureMessages, openThread, setThreadArchived } from '../state/actions.ts';
import { app } from '../state/app-state.ts';
import { memberName, permissionsIn } from '../state/selectors.ts';
import { useSelector } from '../state/store.ts';
import { displayName } from './avatar.tsx';
import { Composer } from './composer.tsx';
import { Icon } from './icons.tsx';
import { MessageList } from './message-list.tsx';
import { ErrorText } from './ui.tsx';

export function ThreadPanel({ guild, parent, thread }: { guild: GuildDetail; parent: Channel; thread: Channel }) {
  const log = useSelector(app, (s) => s.messages[thread.id]);
  const members = useSelector(app, (s) => s.members[guild.id]);
  const meId = useSelector(app, (s) => s.session?.user.id);
  // A thread has no overwrites of its own: what we may do there is what we may do in its parent.
  const perms = useSelector(app, (s) => permissionsIn(s, guild.id, parent));
  const [replyTo, setReplyTo] = useState<Message | null>(null);
  const state = thread.thread;
  const manager = has(perms, Flags.ManageThreads);
  const canArchive = manager || state?.owner_id === meId;
  const canSend = has(perms, Flags.SendMessagesInThreads) && (!state?.locked || manager);
  const archive = useAction(() => setThreadArchived(thread, !state?.archived));

  useEffect(() => {
    ensureMessages(thread.id);
  }, [thread.id, !log]);
  useEffect(() => setReplyTo(null), [thread.id]);

  const replyName = replyTo ? (memberName(members?.[replyTo.author.id]) ?? displayName(replyTo.author)) : null;
  const name = thread.name;

  return (
    <aside class="thread-panel" aria-label={`Thread ${name}`}>
      <header class="thread-header">
        <Icon name="thread" size={18} />
        <h2 class="thread-title">{name}</h2>
        {state?.archived ? <span class="thread-badge">Archived</span> : null}
        {state?.locked ? <span class="thread-badge">Locked</span> : null}
        {canArchive ? (
          <button type="button" class="button small" disabled={archive.busy} onClick={() => void archive.run()}>
            {state?.archived ? 'Unarchive' : 'Archive'}
          </button>
        ) : null}
        <button type="button" class="icon-button" aria-label="Close thread" title="Close thread" onClick={() => openThread(null)}>
          <Icon name="close" size={18} />
        </button>
      </header>
      <ErrorText error={archive.error} />
      <MessageList
        channelId={thread.id}
        channelName={name}
        kind="thread"
        log={log}
        members={members}
        meId={meId}
        canManageMessages={has(perms, Flags.ManageMessages)}
        canReact={has(perms, Flags.AddReactions)}
        onReply={setReplyTo}
      />
      <Composer
        channelId={thread.id}
        guildId={guild.id}
        channelName={name}
        canSend={canSend}
        replyTo={replyTo}
        replyName={replyName}
        onCancelReply={() => setReplyTo(null)}
      />
    </aside>
  );
}

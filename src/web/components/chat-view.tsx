// A channel: header, history, who is typing, the composer, and the member list beside it (a panel
// you open on narrow screens).
import { useEffect, useState } from 'preact/hooks';
import { Flags, has } from '../lib/permissions.ts';
import type { Channel, GuildDetail, Message } from '../lib/wire.ts';
import { ensureMessages } from '../state/actions.ts';
import { app } from '../state/app-state.ts';
import { memberName, permissionsIn } from '../state/selectors.ts';
import { useSelector } from '../state/store.ts';
import { displayName } from './avatar.tsx';
import { Composer } from './composer.tsx';
import { Icon } from './icons.tsx';
import { useDocumentTitle } from './layout.tsx';
import { MemberList } from './member-list.tsx';
import { MessageList } from './message-list.tsx';

export function ChatView({ guild, channel, onOpenNav }: { guild: GuildDetail; channel: Channel; onOpenNav: () => void }) {
  const log = useSelector(app, (s) => s.messages[channel.id]);
  const members = useSelector(app, (s) => s.members[guild.id]);
  const presences = useSelector(app, (s) => s.presences);
  const meId = useSelector(app, (s) => s.session?.user.id);
  const perms = useSelector(app, (s) => permissionsIn(s, guild.id, channel));
  const [replyTo, setReplyTo] = useState<Message | null>(null);
  useDocumentTitle(`#${channel.name} · ${guild.name}`);
  const [showMembers, setShowMembers] = useState(() => matchMedia('(min-width: 1100px)').matches);

  useEffect(() => {
    ensureMessages(channel.id);
  }, [channel.id, !log]);
  useEffect(() => setReplyTo(null), [channel.id]);

  const replyName = replyTo ? (memberName(members?.[replyTo.author.id]) ?? displayName(replyTo.author)) : null;

  return (
    <div class={showMembers ? 'chat with-members' : 'chat'}>
      <header class="chat-header">
        <button type="button" class="icon-button nav-toggle" aria-label="Open navigation" onClick={onOpenNav}>
          <Icon name="menu" />
        </button>
        <h1 class="channel-title">
          <span aria-hidden="true">#</span>
          {channel.name}
        </h1>
        {channel.topic ? <p class="channel-topic">{channel.topic}</p> : null}
        <button
          type="button"
          class="button small members-toggle"
          aria-pressed={showMembers}
          aria-controls="member-panel"
          onClick={() => setShowMembers(!showMembers)}
        >
          Members
        </button>
      </header>
      <div class="chat-body">
        <section class="chat-main" aria-label={`#${channel.name}`}>
          <MessageList
            channelId={channel.id}
            channelName={channel.name}
            log={log}
            members={members}
            meId={meId}
            canManageMessages={has(perms, Flags.ManageMessages)}
            canReact={has(perms, Flags.AddReactions)}
            onReply={setReplyTo}
          />
          <TypingIndicator channelId={channel.id} guildId={guild.id} />
          <Composer
            channelId={channel.id}
            channelName={channel.name}
            canSend={has(perms, Flags.SendMessages)}
            replyTo={replyTo}
            replyName={replyName}
            onCancelReply={() => setReplyTo(null)}
          />
        </section>
        {showMembers ? (
          <aside class="member-panel" id="member-panel" aria-label="Members">
            <MemberList members={members} presences={presences} />
          </aside>
        ) : null}
      </div>
    </div>
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

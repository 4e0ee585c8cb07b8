// The scrolling history of one channel. Opens at the newest message, loads older pages when you
// scroll near the top (keeping your place), and follows new messages only when you are at the bottom.
import { useLayoutEffect, useRef } from 'preact/hooks';
import type { MarkupContext } from '../lib/markup.tsx';
import type { Member, Message } from '../lib/wire.ts';
import { loadOlder } from '../state/actions.ts';
import { compareIds, type MessageLog } from '../state/app-state.ts';
import { memberName } from '../state/selectors.ts';
import { displayName } from './avatar.tsx';
import { MessageItem } from './message-item.tsx';
import { ErrorText } from './ui.tsx';

const GROUP_WINDOW_MS = 5 * 60 * 1000;
const LOAD_THRESHOLD_PX = 150;

export type MessageListProps = {
  channelId: string;
  channelName: string;
  log: MessageLog | undefined;
  members: Record<string, Member> | undefined;
  meId: string | undefined;
  canManageMessages: boolean;
  canReact: boolean;
  onReply: (message: Message) => void;
  /** Thread actions on each message (see MessageItem). */
  onThread?: (message: Message) => void;
  canCreateThread?: boolean;
  /** What the start of the history says: "the channel" or "the thread". */
  kind?: 'channel' | 'thread';
  /** The "new messages" divider goes before the first message after this one by someone else (unread.tsx). */
  unreadAfter?: string | null;
};

export function MessageList({
  channelId,
  channelName,
  log,
  members,
  meId,
  canManageMessages,
  canReact,
  onReply,
  onThread,
  canCreateThread,
  kind = 'channel',
  unreadAfter = null,
}: MessageListProps) {
  const scroller = useRef<HTMLElement>(null);
  const atBottom = useRef(true);
  const restore = useRef<{ height: number; top: number } | null>(null);
  const items = log?.items ?? [];
  const newest = items[items.length - 1]?.id;
  const oldest = items[0]?.id;

  const maybeLoadOlder = () => {
    const el = scroller.current;
    if (!el || !log?.hasMore || log.loading) return;
    if (el.scrollTop < LOAD_THRESHOLD_PX) {
      restore.current = { height: el.scrollHeight, top: el.scrollTop };
      void loadOlder(channelId);
    }
  };

  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
    maybeLoadOlder();
  };

  // Older page prepended: keep the message you were looking at where it was.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && restore.current) {
      el.scrollTop = el.scrollHeight - restore.current.height + restore.current.top;
      restore.current = null;
    }
  }, [oldest]);

  // A first page shorter than the screen cannot be scrolled up: fetch more now.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && el.scrollHeight <= el.clientHeight && log?.hasMore && !log.loading) void loadOlder(channelId);
  }, [oldest, log?.loading]);

  // New message at the bottom: follow it if we were following.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && atBottom.current) el.scrollTop = el.scrollHeight;
  }, [newest]);

  // Another channel: start at the bottom again.
  useLayoutEffect(() => {
    atBottom.current = true;
    restore.current = null;
    const el = scroller.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [channelId]);

  const authorNames = new Map(items.map((m) => [m.author.id, displayName(m.author)]));
  const nameOf = (userId: string): string | null => memberName(members?.[userId]) ?? authorNames.get(userId) ?? null;
  const markup: MarkupContext = { nameOf, meId };
  const byId = new Map(items.map((m) => [m.id, m]));
  const firstUnread = unreadAfter ? items.find((m) => compareIds(m.id, unreadAfter) > 0 && m.author.id !== meId)?.id : undefined;

  return (
    // Chromium and Firefox make a scrollable section keyboard-focusable on their own.
    <section
      class="message-scroller"
      ref={scroller}
      onScroll={onScroll}
      aria-label={kind === 'thread' ? `Messages in thread ${channelName}` : `Messages in #${channelName}`}
    >
      <div class="message-log" role="log" aria-live="polite" aria-relevant="additions">
        {log && !log.hasMore ? (
          <div class="channel-start">
            <h3>{kind === 'thread' ? channelName : `Welcome to #${channelName}`}</h3>
            <p>This is the start of the {kind}.</p>
          </div>
        ) : null}
        {log?.loading ? (
          <p class="loading" role="status">
            Loading messages…
          </p>
        ) : null}
        {log?.hasMore && !log.loading ? (
          <button type="button" class="link-button load-older" onClick={() => void loadOlder(channelId)}>
            Load older messages
          </button>
        ) : null}
        <ErrorText error={log?.error} />
        {items.map((message, i) => {
          const previous = items[i - 1];
          const grouped =
            !!previous &&
            !previous.system &&
            previous.author.id === message.author.id &&
            Date.parse(message.timestamp) - Date.parse(previous.timestamp) < GROUP_WINDOW_MS;
          const item = (
            <MessageItem
              key={message.id}
              message={message}
              replied={message.reply_to ? byId.get(message.reply_to) : undefined}
              grouped={grouped}
              markup={markup}
              authorName={memberName(members?.[message.author.id]) ?? displayName(message.author)}
              canDelete={message.author.id === meId || canManageMessages}
              canReact={canReact}
              onReply={onReply}
              onThread={onThread}
              canCreateThread={canCreateThread}
            />
          );
          if (message.id !== firstUnread) return item;
          return [
            <div key="unread-divider" class="unread-divider" id={`unread-divider-${channelId}`}>
              <span>New messages</span>
            </div>,
            item,
          ];
        })}
      </div>
    </section>
  );
}

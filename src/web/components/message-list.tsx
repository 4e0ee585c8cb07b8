// The scrolling history of one channel, virtualized: however many messages are loaded (10 000 after a long
// scroll up), only those in view plus an overscan margin are in the DOM; the rest are two spacers whose heights
// come from each message's measured height (an estimate until it has been shown). Your place is kept by an anchor
// — the first message in view and how far it sits from the top — restored after every change above it (an older
// page, a height measured), so nothing jumps. Opens at the newest message, loads older pages near the top, newer
// ones near the bottom after a jump (history.ts), follows new messages only while you are at the bottom, and brings
// a jumped-to message into view with a highlight.
import { memo } from 'preact/compat';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { MarkupContext } from '../lib/markup.tsx';
import type { Member, Message } from '../lib/wire.ts';
import { loadOlder } from '../state/actions.ts';
import { app, compareIds, type MessageLog } from '../state/app-state.ts';
import { history, jumpToPresent, loadNewer } from '../state/history.ts';
import { inbox } from '../state/inbox.ts';
import { memberName } from '../state/selectors.ts';
import { useSelector } from '../state/store.ts';
import { displayName } from './avatar.tsx';
import { MessageItem } from './message-item.tsx';
import { ErrorText } from './ui.tsx';

const GROUP_WINDOW_MS = 5 * 60 * 1000;
const LOAD_THRESHOLD_PX = 150;
/** Rendered beyond each edge of the view, so a fast scroll rarely shows a blank. */
const OVERSCAN_PX = 500;
/** A message not yet shown counts this tall until it is measured. */
const ESTIMATE_PX = 56;
const BOTTOM_SLACK_PX = 40;
/** A message re-renders only when its own props change, not on every scroll of the list. */
const Item = memo(MessageItem);

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
  /** What the start of the history says: "the channel", "the thread", or the DM's beginning with its people. */
  kind?: 'channel' | 'thread' | 'dm';
  /** The "new messages" divider goes before the first message after this one by someone else (unread.tsx). */
  unreadAfter?: string | null;
};

/** The first index whose running bottom passes `y` (offsets[i + 1] > y). */
function indexAt(offsets: readonly number[], y: number): number {
  let lo = 0;
  let hi = offsets.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((offsets[mid + 1] ?? 0) > y) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

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
  const body = useRef<HTMLDivElement>(null);
  /** At the bottom of the present: new messages keep it there. */
  const follow = useRef(true);
  /** The first message in view and its distance from the top of the scroller, in px (negative when cut). */
  const anchor = useRef<{ id: string; offset: number } | null>(null);
  const heights = useRef(new Map<string, number>());
  const measured = useRef({ sum: 0, count: 0 });
  const [viewport, setViewport] = useState(800);
  const [, rerender] = useState(0);
  const [following, setFollowing] = useState(true);
  /** The newest loaded message is in view (also true when everything fits, and no scroll ever happens). */
  const [atBottom, setAtBottom] = useState(true);
  const jump = useSelector(history, (h) => (h.jump?.channelId === channelId ? h.jump : null));
  const items = log?.items ?? [];
  const mentionLookups = useMentionLookups(items[0]?.guild_id ?? null, meId);
  const newest = items[items.length - 1]?.id;
  const oldest = items[0]?.id;

  const offsets = new Array<number>(items.length + 1);
  offsets[0] = 0;
  // Unmeasured messages count as tall as the measured ones are on average, so a page coming into view barely
  // moves what is around it (and needs fewer passes to settle).
  const estimate = measured.current.count ? measured.current.sum / measured.current.count : ESTIMATE_PX;
  for (let i = 0; i < items.length; i++) offsets[i + 1] = (offsets[i] ?? 0) + (heights.current.get(items[i]!.id) ?? estimate);
  const total = offsets[items.length] ?? 0;
  const anchorIndex = anchor.current && !follow.current ? items.findIndex((m) => m.id === anchor.current?.id) : -1;
  const viewTop = follow.current || anchorIndex < 0 ? Math.max(0, total - viewport) : (offsets[anchorIndex] ?? 0) - (anchor.current?.offset ?? 0);
  const start = items.length ? indexAt(offsets, viewTop - OVERSCAN_PX) : 0;
  const end = items.length ? Math.min(items.length, indexAt(offsets, viewTop + viewport + OVERSCAN_PX) + 1) : 0;

  /** Remembers the first message in view (the place to keep) and whether we are at the bottom. */
  const capture = () => {
    const el = scroller.current;
    if (!el) return;
    const top = el.getBoundingClientRect().top;
    const slots = body.current?.querySelectorAll<HTMLElement>('[data-slot]') ?? [];
    for (const slot of slots) {
      const rect = slot.getBoundingClientRect();
      if (rect.bottom > top) {
        anchor.current = { id: slot.dataset.slot ?? '', offset: rect.top - top };
        break;
      }
    }
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < BOTTOM_SLACK_PX;
    follow.current = atBottom && !log?.hasNewer;
    setFollowing(follow.current);
  };

  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    // Following the newest messages while the list changes height (a picker or the mention list opening under it):
    // this scroll is the layout's, not the reader's, and must not end the following. The render it asks for puts
    // the bottom back in view.
    if (follow.current && el.clientHeight !== viewport) {
      setViewport(el.clientHeight);
      rerender((n) => n + 1);
      return;
    }
    capture();
    setViewport(el.clientHeight);
    rerender((n) => n + 1);
    if (el.scrollTop < LOAD_THRESHOLD_PX && log?.hasMore && !log.loading) void loadOlder(channelId);
    if (log?.hasNewer && el.scrollHeight - el.scrollTop - el.clientHeight < LOAD_THRESHOLD_PX) void loadNewer(channelId);
  };

  // After every render: measure what is shown, then put the view back where it was (or at the bottom).
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    if (el.clientHeight && el.clientHeight !== viewport) setViewport(el.clientHeight);
    let changed = false;
    for (const slot of body.current?.querySelectorAll<HTMLElement>('[data-slot]') ?? []) {
      const id = slot.dataset.slot ?? '';
      const height = slot.offsetHeight;
      const before = heights.current.get(id);
      if (height > 0 && before !== height) {
        if (before === undefined) measured.current.count += 1;
        measured.current.sum += height - (before ?? 0);
        heights.current.set(id, height);
        changed = true;
      }
    }
    if (follow.current) {
      if (el.scrollHeight - el.clientHeight - el.scrollTop >= 1) el.scrollTop = el.scrollHeight;
    } else if (anchor.current) {
      const slot = body.current?.querySelector<HTMLElement>(`[data-slot="${anchor.current.id}"]`);
      // Whole pixels only: a fractional correction would fire another scroll, and another render, forever.
      const drift = Math.round(slot ? slot.getBoundingClientRect().top - el.getBoundingClientRect().top - anchor.current.offset : 0);
      if (drift !== 0) el.scrollTop += drift;
    }
    if (changed) rerender((n) => n + 1);
    // Where the view ended up, for "Jump to present": after a jump in a channel that fits on the screen there is no
    // scroll (so no capture) and the newest messages are in view all along.
    const bottom = el.scrollHeight - el.scrollTop - el.clientHeight < BOTTOM_SLACK_PX;
    if (bottom !== atBottom) setAtBottom(bottom);
  });

  // The list gets shorter or taller without a scroll (the composer's emoji picker or mention list opening, a reply
  // bar, a phone's keyboard): render again, so the layout effect keeps the bottom, or the message read, in view.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    let height = el.clientHeight;
    const observer = new ResizeObserver(() => {
      if (el.clientHeight === height) return;
      height = el.clientHeight;
      setViewport(height);
      rerender((n) => n + 1);
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  // A first page shorter than the screen cannot be scrolled up: fetch more now.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && el.scrollHeight <= el.clientHeight && log?.hasMore && !log.loading) void loadOlder(channelId);
  }, [oldest, log?.loading]);

  // Another channel: start at the bottom again.
  useLayoutEffect(() => {
    follow.current = true;
    anchor.current = null;
    setFollowing(true);
  }, [channelId]);

  // Your own new message brings you to it, wherever you were reading.
  useLayoutEffect(() => {
    if (!newest || items[items.length - 1]?.author.id !== meId || log?.hasNewer) return;
    follow.current = true;
    anchor.current = null;
    setFollowing(true);
  }, [newest]);

  // A jump: the message a third of the way down the view, highlighted by MessageItem.
  useLayoutEffect(() => {
    if (!jump || !items.some((m) => m.id === jump.messageId)) return;
    follow.current = false;
    setFollowing(false);
    anchor.current = { id: jump.messageId, offset: Math.round(viewport / 3) };
    rerender((n) => n + 1);
  }, [jump?.seq, newest, oldest]);

  const toPresent = async () => {
    if (log?.hasNewer) await jumpToPresent(channelId);
    anchor.current = null;
    follow.current = true;
    setFollowing(true);
    rerender((n) => n + 1);
  };

  // Built once per change of the loaded messages, not on every scroll.
  const { authorNames, byId } = useMemo(
    () => ({ authorNames: new Map(items.map((m) => [m.author.id, displayName(m.author)])), byId: new Map(items.map((m) => [m.id, m])) }),
    [items],
  );
  // In a DM there are no members: a mention of someone who has not written on the loaded page is named from the
  // people the inbox knows (the DM's recipients) or the session (you).
  const nameOf = (userId: string): string | null => memberName(members?.[userId]) ?? authorNames.get(userId) ?? knownName(userId);
  const markup: MarkupContext = useMemo(() => ({ nameOf, meId, ...mentionLookups }), [members, authorNames, meId, mentionLookups]);
  const firstUnread = useMemo(
    () => (unreadAfter ? items.find((m) => compareIds(m.id, unreadAfter) > 0 && m.author.id !== meId)?.id : undefined),
    [items, unreadAfter, meId],
  );
  const shown = items.slice(start, end);

  return (
    <div class="message-list">
      {/* Chromium and Firefox make a scrollable section keyboard-focusable on their own. */}
      <section
        class="message-scroller"
        ref={scroller}
        onScroll={onScroll}
        aria-label={kind === 'thread' ? `Messages in thread ${channelName}` : kind === 'dm' ? `Messages with ${channelName}` : `Messages in #${channelName}`}
      >
        {/* A log, but not itself live: virtualized rows come and go as you scroll, and a live region would read
            them out again. New messages from others are announced once, by <NewMessageAnnouncer> below. */}
        <div class="message-log" role="log" aria-live="off" ref={body}>
          {log && !log.hasMore ? (
            <div class="channel-start">
              <h3>{kind === 'channel' ? `Welcome to #${channelName}` : channelName}</h3>
              <p>{kind === 'dm' ? `This is the beginning of your direct messages with ${channelName}.` : `This is the start of the ${kind}.`}</p>
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
          <div class="history-spacer" style={{ height: `${offsets[start] ?? 0}px` }} />
          {shown.map((message, n) => {
            const i = start + n;
            const previous = items[i - 1];
            const grouped =
              !!previous &&
              !previous.system &&
              previous.author.id === message.author.id &&
              Date.parse(message.timestamp) - Date.parse(previous.timestamp) < GROUP_WINDOW_MS;
            return (
              <div key={message.id} class="message-slot" data-slot={message.id}>
                {message.id === firstUnread ? (
                  <div class="unread-divider" id={`unread-divider-${channelId}`}>
                    <span>New messages</span>
                  </div>
                ) : null}
                <Item
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
              </div>
            );
          })}
          <div class="history-spacer" style={{ height: `${total - (offsets[end] ?? total)}px` }} />
        </div>
      </section>
      <NewMessageAnnouncer channelId={channelId} log={log} meId={meId} nameOf={nameOf} />
      {log?.hasNewer || (!following && !atBottom) ? (
        <button type="button" class="button small jump-present" onClick={() => void toPresent()}>
          Jump to present
        </button>
      ) : null}
    </div>
  );
}

/** How many announcements the live region keeps (older ones were read already). */
const ANNOUNCED_KEPT = 5;
/** A message older than this when it reaches the list is history arriving (a page, a catch-up), not news. */
const NEWS_MS = 60_000;

/**
 * The polite live region for screen readers: "bob: lunch?" for each message someone else posts while the list
 * is at the present. History never reaches it: not the first page, not older or newer pages after a scroll or a
 * jump, not rows re-rendered by the virtual list; only messages after the newest one already shown.
 */
function NewMessageAnnouncer({
  channelId,
  log,
  meId,
  nameOf,
}: {
  channelId: string;
  log: MessageLog | undefined;
  meId: string | undefined;
  nameOf: (userId: string) => string | null;
}) {
  const [said, setSaid] = useState<{ id: string; text: string }[]>([]);
  const seen = useRef<{ channelId: string; newest: string | undefined; atPresent: boolean } | null>(null);
  const items = log?.items ?? [];
  const newest = items[items.length - 1]?.id;
  useEffect(() => {
    const before = seen.current;
    seen.current = { channelId, newest, atPresent: !!log && !log.hasNewer && !log.loading };
    if (!before || before.channelId !== channelId) {
      setSaid([]);
      return;
    }
    if (!before.newest || !before.atPresent || !newest || newest === before.newest) return;
    const fresh = items.filter(
      (m) => compareIds(m.id, before.newest as string) > 0 && m.author.id !== meId && !m.system && Date.now() - Date.parse(m.timestamp) < NEWS_MS,
    );
    if (fresh.length === 0) return;
    setSaid((old) => [...old, ...fresh.map((m) => ({ id: m.id, text: announcement(m, nameOf) }))].slice(-ANNOUNCED_KEPT));
  }, [channelId, newest, log?.hasNewer]);
  return (
    <div class="visually-hidden" aria-live="polite" aria-relevant="additions" data-testid="new-message-announcer">
      {said.map((s) => (
        <p key={s.id}>{s.text}</p>
      ))}
    </div>
  );
}

/** "bob: see you at 5", with mentions as names; a message without text says what it carries. */
function announcement(message: Message, nameOf: (userId: string) => string | null): string {
  const author = nameOf(message.author.id) ?? displayName(message.author);
  const text = message.content
    .replace(/<@!?(\d+)>/g, (_, id: string) => `@${nameOf(id) ?? 'someone'}`)
    .replace(/<a?(:\w+:)\d+>/g, '$1')
    .trim();
  if (text) return `${author}: ${text}`;
  if (message.attachments?.length) return `${author} sent ${message.attachments.length === 1 ? 'a file' : `${message.attachments.length} files`}`;
  return `${author} sent a message`;
}

const NO_ROLES: string[] = [];

/** Roles of the messages' server, every channel the reader knows of, and the reader's roles, for mentions. */
function useMentionLookups(guildId: string | null, meId: string | undefined): Pick<MarkupContext, 'roleOf' | 'channelOf' | 'myRoleIds'> {
  const details = useSelector(app, (s) => s.details);
  const threads = useSelector(app, (s) => s.threads);
  const myRoleIds = useSelector(app, (s) => (guildId && meId ? (s.members[guildId]?.[meId]?.roles ?? NO_ROLES) : NO_ROLES));
  return useMemo(
    () => ({
      myRoleIds,
      roleOf: (roleId) => (guildId ? (details[guildId]?.roles.find((r) => r.id === roleId) ?? null) : null),
      channelOf: (channelId) => {
        for (const detail of Object.values(details)) {
          const channel = detail.channels.find((c) => c.id === channelId);
          if (channel) return { name: channel.name ?? channelId, guildId: detail.id };
        }
        // A thread: named, opened from its parent (it has no page of its own).
        const thread = guildId ? threads[guildId]?.[channelId] : undefined;
        return thread ? { name: thread.name, guildId, thread: true } : null;
      },
    }),
    [guildId, details, threads, myRoleIds],
  );
}

function knownName(userId: string): string | null {
  const me = app.get().session?.user;
  if (me?.id === userId) return displayName(me);
  const user = inbox.get().users[userId];
  return user ? displayName(user) : null;
}

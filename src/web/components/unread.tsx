// Unread markers and notification settings: mention badges for channels, servers and DMs, marking a channel read
// while it is on screen and the window has focus, the "new messages" divider with its jump bar, and the dialog that
// sets a server's and a channel's notification level and mute.
import { useEffect, useState } from 'preact/hooks';
import { useAction } from '../lib/use-async.ts';
import type { Channel, GuildDetail } from '../lib/wire.ts';
import { app, compareIds } from '../state/app-state.ts';
import { jumpToMessage } from '../state/history.ts';
import { guildBadge, inbox, isUnread, markRead, mentionCount, type NotifyLevel, notifySettingIn, saveNotifySettings } from '../state/inbox.ts';
import { useSelector } from '../state/store.ts';
import { Dialog } from './dialog.tsx';
import { ErrorText } from './ui.tsx';

export function MentionBadge({ count }: { count: number }) {
  if (count <= 0) return null;
  return (
    <span class="mention-badge" role="status" aria-label={`${count} ${count === 1 ? 'mention' : 'mentions'}`}>
      {count > 99 ? '99+' : count}
    </span>
  );
}

/** `unread` (bold) and `muted` (dimmed) for a channel row, and its mention count. */
export function useChannelMarks(guildId: string | null, channelId: string): { unread: boolean; mentions: number; muted: boolean } {
  const unread = useSelector(inbox, (s) => isUnread(s, channelId));
  const mentions = useSelector(inbox, (s) => mentionCount(s, channelId));
  const muted = useSelector(inbox, (s) => notifySettingIn(s, guildId, channelId).muted);
  return { unread: unread && !muted, mentions: muted ? 0 : mentions, muted };
}

export function GuildBadge({ guildId }: { guildId: string }) {
  const mentions = useSelector(inbox, (s) => guildBadge(s, guildId).mentions);
  const unread = useSelector(inbox, (s) => guildBadge(s, guildId).unread);
  if (mentions > 0) return <MentionBadge count={mentions} />;
  return unread ? <span class="unread-pip" data-testid="unread-pip" aria-label="Unread messages" role="status" /> : null;
}

function visibleAndFocused(): boolean {
  return document.visibilityState === 'visible' && document.hasFocus();
}

/** Marks the channel read whenever a new message arrives in it while it is shown and the window has focus. */
export function useMarkRead(channelId: string): void {
  const latest = useSelector(inbox, (s) => s.latest[channelId]);
  const unread = useSelector(inbox, (s) => isUnread(s, channelId) || mentionCount(s, channelId) > 0);
  useEffect(() => {
    if (unread && visibleAndFocused()) markRead(channelId);
  }, [channelId, latest, unread]);
  useEffect(() => {
    const onBack = () => {
      if (visibleAndFocused()) markRead(channelId);
    };
    document.addEventListener('visibilitychange', onBack);
    addEventListener('focus', onBack);
    return () => {
      document.removeEventListener('visibilitychange', onBack);
      removeEventListener('focus', onBack);
    };
  }, [channelId]);
}

/**
 * Where the "new messages" divider goes: after the message read last when the channel was opened (null: no divider).
 * It stays while the channel is open, though opening it marks everything read.
 */
export function useUnreadMarker(channelId: string): [string | null, () => void] {
  const [marker, setMarker] = useState<{ channelId: string; after: string | null }>(() => ({ channelId, after: openingMarker(channelId) }));
  useEffect(() => {
    if (marker.channelId !== channelId) setMarker({ channelId, after: openingMarker(channelId) });
  }, [channelId]);
  const after = marker.channelId === channelId ? marker.after : openingMarker(channelId);
  return [after, () => setMarker({ channelId, after: null })];
}

function openingMarker(channelId: string): string | null {
  const s = inbox.get();
  const lastRead = s.reads[channelId]?.lastRead ?? null;
  return lastRead && isUnread(s, channelId) ? lastRead : null;
}

/** The divider when it is rendered; else (the history list renders only what is near the view) the message after it. */
function jumpToFirstUnread(channelId: string, after: string, meId: string | undefined): void {
  const divider = document.getElementById(`unread-divider-${channelId}`);
  if (divider) {
    divider.scrollIntoView({ block: 'center' });
    return;
  }
  const first = app.get().messages[channelId]?.items.find((m) => compareIds(m.id, after) > 0 && m.author.id !== meId);
  if (first) void jumpToMessage(channelId, first.id);
}

/** "N new messages since …" with a jump to the divider; dismissed by "Mark as read". */
export function NewMessagesBar({ channelId, after, onDismiss }: { channelId: string; after: string | null; onDismiss: () => void }) {
  const meId = useSelector(app, (s) => s.session?.user.id);
  const count = useSelector(app, (s) =>
    after ? (s.messages[channelId]?.items ?? []).filter((m) => compareIds(m.id, after) > 0 && m.author.id !== meId).length : 0,
  );
  if (!after || count === 0) return null;
  return (
    <div class="new-messages-bar" role="status">
      <span>
        {count} new {count === 1 ? 'message' : 'messages'}
      </span>
      <button type="button" class="link-button" onClick={() => jumpToFirstUnread(channelId, after, meId)}>
        Jump to first unread
      </button>
      <button type="button" class="link-button" onClick={onDismiss}>
        Mark as read
      </button>
    </div>
  );
}

const LEVELS: { value: NotifyLevel; label: string }[] = [
  { value: 0, label: 'All messages' },
  { value: 1, label: 'Only @mentions' },
  { value: 2, label: 'Nothing' },
];

/** A server's and one of its channels' notification level and mute, saved on the server for all your devices. */
export function NotificationSettingsDialog({ guild, channel, onClose }: { guild: GuildDetail; channel: Channel | undefined; onClose: () => void }) {
  const settings = useSelector(inbox, (s) => s.settings[guild.id]);
  const own = settings?.channel_overrides.find((c) => c.channel_id === channel?.id);
  const save = useAction((change: Parameters<typeof saveNotifySettings>[1]) => saveNotifySettings(guild.id, change));
  const guildLevel = settings?.message_notifications ?? 3;
  const channelLevel = own?.message_notifications ?? 3;
  const setChannel = (change: { message_notifications?: NotifyLevel; muted?: boolean }) =>
    channel &&
    void save.run({
      channel_overrides: [
        { channel_id: channel.id, message_notifications: change.message_notifications ?? channelLevel, muted: change.muted ?? own?.muted ?? false },
      ],
    });
  return (
    <Dialog title={`Notifications — ${guild.name}`} onClose={onClose}>
      <div class="stack">
        <fieldset class="notify-levels">
          <legend>Server: notify me about</legend>
          {LEVELS.map((l) => (
            <label key={l.value} class="radio">
              <input
                type="radio"
                name="guild-level"
                checked={(guildLevel === 3 ? 1 : guildLevel) === l.value}
                onChange={() => void save.run({ message_notifications: l.value })}
              />
              {l.label}
            </label>
          ))}
        </fieldset>
        <label class="switch">
          <input
            type="checkbox"
            role="switch"
            aria-checked={settings?.muted ?? false}
            checked={settings?.muted ?? false}
            onChange={(e) => void save.run({ muted: e.currentTarget.checked })}
          />
          <span>Mute {guild.name}</span>
        </label>
        {channel ? (
          <>
            <fieldset class="notify-levels">
              <legend>#{channel.name}: notify me about</legend>
              <label class="radio">
                <input type="radio" name="channel-level" checked={channelLevel === 3} onChange={() => setChannel({ message_notifications: 3 })} />
                Same as the server
              </label>
              {LEVELS.map((l) => (
                <label key={l.value} class="radio">
                  <input type="radio" name="channel-level" checked={channelLevel === l.value} onChange={() => setChannel({ message_notifications: l.value })} />
                  {l.label}
                </label>
              ))}
            </fieldset>
            <label class="switch">
              <input
                type="checkbox"
                role="switch"
                aria-checked={own?.muted ?? false}
                checked={own?.muted ?? false}
                onChange={(e) => setChannel({ muted: e.currentTarget.checked })}
              />
              <span>Mute #{channel.name}</span>
            </label>
          </>
        ) : null}
        <ErrorText error={save.error} />
      </div>
    </Dialog>
  );
}

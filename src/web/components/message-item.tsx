// One message: author, time, reply reference, content (text only, see markup.tsx), files, embeds and components
// (message-attachments.tsx, message-embeds.tsx, message-components.tsx), reactions, and the actions the viewer may take. A delete button is rendered only for the author or a moderator.
import { useEffect, useRef, useState } from 'preact/hooks';
import { type MarkupContext, mentionsMe, renderContent, renderPreview } from '../lib/markup.tsx';
import { roleColourStyle } from '../lib/people.ts';
import { useAction } from '../lib/use-async.ts';
import type { Message } from '../lib/wire.ts';
import { deleteMessage, editMessage, removeMessage, toggleReaction } from '../state/actions.ts';
import { history, jumpToMessage, setEditing } from '../state/history.ts';
import { useSelector } from '../state/store.ts';
import { Avatar, displayName } from './avatar.tsx';
import { ContextCommands } from './command-picker.tsx';
import { useComposerAssist } from './composer-assist.tsx';
import { EmojiGlyph, emojiLabel } from './custom-emoji.tsx';
import { ConfirmDialog } from './dialog.tsx';
import { EmojiPicker } from './emoji-picker.tsx';
import { Icon } from './icons.tsx';
import { MessageAttachments } from './message-attachments.tsx';
import { MessageComponents } from './message-components.tsx';
import { MessageEmbeds } from './message-embeds.tsx';
import { openProfile } from './profile-popover.tsx';
import { joinPhrase, useAuthorColour } from './system-message.tsx';
import { ErrorText } from './ui.tsx';

export type MessageItemProps = {
  message: Message;
  /** The message this one answers, when it is loaded. */
  replied: Message | undefined | null;
  /** Same author as the previous message, a moment ago: show without the header. */
  grouped: boolean;
  markup: MarkupContext;
  authorName: string;
  canDelete: boolean;
  canReact: boolean;
  onReply: (message: Message) => void;
  /** Opens the message's thread, or starts one from it (absent: no thread actions, e.g. inside a thread). */
  onThread?: (message: Message) => void;
  canCreateThread?: boolean;
};

export function MessageItem({
  message,
  replied,
  grouped,
  markup,
  authorName,
  canDelete,
  canReact,
  onReply,
  onThread,
  canCreateThread = false,
}: MessageItemProps) {
  const editing = useSelector(history, (h) => h.editingId === message.id);
  const jumped = useSelector(history, (h) => h.jump?.messageId === message.id);
  const [confirming, setConfirming] = useState(false);
  const [picking, setPicking] = useState(false);
  const react = useAction((emoji: string) => toggleReaction(message, emoji));
  const own = message.author.id === markup.meId;
  const pinged = mentionsMe(message, markup.meId, markup.myRoleIds);
  const time = new Date(message.timestamp);
  // An interaction's answer always shows who ran what and the bot that answered.
  const compact = grouped && !message.reply_to && !message.interaction;
  const colour = useAuthorColour(message);
  const showProfile = (e: { currentTarget: Element }) => openProfile(message.author, message.guild_id ?? null, e.currentTarget);
  if (message.system === 'join') {
    return (
      <article
        class="message system-message"
        data-message-id={message.id}
        data-system="join"
        aria-label={`${authorName} joined at ${time.toLocaleTimeString()}`}
      >
        <span class="join-arrow" aria-hidden="true">
          →
        </span>
        <span class="message-content">
          {joinPhrase(
            message.id,
            (name) => (
              <button type="button" class={colour ? 'author-button role-colour' : 'author-button'} style={roleColourStyle(colour)} onClick={showProfile}>
                {name}
              </button>
            ),
            authorName,
          )}
        </span>
        <time dateTime={message.timestamp} title={time.toLocaleString()}>
          {formatTime(time)}
        </time>
      </article>
    );
  }

  return (
    <article
      class={`message${compact ? ' grouped' : ''}${pinged ? ' pinged' : ''}${jumped ? ' jumped' : ''}`}
      data-message-id={message.id}
      aria-label={`${authorName} at ${time.toLocaleTimeString()}`}
    >
      {message.reply_to ? <ReplyReference channelId={message.channel_id} replyTo={message.reply_to} replied={replied} markup={markup} /> : null}
      {message.interaction?.name && message.interaction.type === 2 ? (
        <p class="interaction-header">
          {markup.nameOf(message.interaction.user_id) ?? 'Someone'} used{' '}
          <strong>{message.interaction.command_type === 1 ? `/${message.interaction.name}` : message.interaction.name}</strong>
        </p>
      ) : null}
      <div class="message-row">
        <div class="message-gutter">
          {compact ? null : (
            <button type="button" class="avatar-button" aria-label={`Profile of ${authorName}`} tabIndex={-1} onClick={showProfile}>
              <Avatar user={message.author} />
            </button>
          )}
        </div>
        <div class="message-main">
          {compact ? null : (
            <header class="message-header">
              <button
                type="button"
                class={colour ? 'author author-button role-colour' : 'author author-button'}
                style={roleColourStyle(colour)}
                onClick={showProfile}
              >
                {authorName}
              </button>
              {message.author.bot ? <span class="bot-tag">BOT</span> : null}
              <time dateTime={message.timestamp} title={time.toLocaleString()}>
                {formatTime(time)}
              </time>
            </header>
          )}
          {message.interaction?.loading ? (
            <p class="message-content thinking" role="status">
              <span class="spinner" aria-hidden="true" /> {authorName} is thinking…
            </p>
          ) : editing ? (
            <EditBox message={message} onDone={() => setEditing(null)} />
          ) : (
            <div class="message-content">
              {renderContent(message.content, markup)}
              {message.edited_timestamp ? (
                <span class="edited" title={new Date(message.edited_timestamp).toLocaleString()}>
                  {' '}
                  (edited)
                </span>
              ) : null}
            </div>
          )}
          <MessageAttachments attachments={message.attachments} />
          {message.thread_id && onThread ? (
            <button type="button" class="link-button thread-link" onClick={() => onThread(message)}>
              <Icon name="thread" size={16} /> View thread
            </button>
          ) : null}
          <MessageEmbeds embeds={message.embeds} markup={markup} />
          <MessageComponents message={message} />
          {message.interaction?.ephemeral ? (
            // Never in history: it lives in this page until dismissed or reloaded.
            <p class="ephemeral-note">
              Only you can see this ·{' '}
              <button type="button" class="link-button" onClick={() => removeMessage(message.channel_id, message.id)}>
                Dismiss
              </button>
            </p>
          ) : null}
          {message.reactions?.length ? (
            <div class="reactions">
              {message.reactions.map((r) => (
                <button
                  type="button"
                  key={r.emoji}
                  class={r.me ? 'reaction mine' : 'reaction'}
                  aria-pressed={r.me}
                  aria-label={`${emojiLabel(r.emoji)} ${r.count} ${r.me ? '(you reacted; click to remove)' : '(click to react)'}`}
                  disabled={!canReact && !r.me}
                  onClick={() => void react.run(r.emoji)}
                >
                  <EmojiGlyph emoji={r.emoji} /> <span class="count">{r.count}</span>
                </button>
              ))}
            </div>
          ) : null}
          <ErrorText error={react.error} />
        </div>
        <div class="message-actions">
          <button type="button" class="icon-button" aria-label="Reply" title="Reply" onClick={() => onReply(message)}>
            <Icon name="reply" size={18} />
          </button>
          {canReact ? (
            <button
              type="button"
              class="icon-button"
              aria-label="Add reaction"
              title="Add reaction"
              data-emoji-opener
              aria-expanded={picking}
              onClick={() => setPicking(!picking)}
            >
              <Icon name="smile" size={18} />
            </button>
          ) : null}
          {onThread && !message.thread_id && canCreateThread ? (
            <button type="button" class="icon-button" aria-label="Create thread" title="Create thread" onClick={() => onThread(message)}>
              <Icon name="thread" size={18} />
            </button>
          ) : null}
          {message.interaction?.ephemeral ? null : (
            <ContextCommands
              channelId={message.channel_id}
              guildId={message.guild_id ?? null}
              commandType={3}
              targetId={message.id}
              label="Apps for this message"
              icon
            />
          )}
          {own ? (
            <button type="button" class="icon-button" aria-label="Edit message" title="Edit" onClick={() => setEditing(message.id)}>
              <Icon name="pencil" size={18} />
            </button>
          ) : null}
          {canDelete ? (
            <button type="button" class="icon-button danger-text" aria-label="Delete message" title="Delete" onClick={() => setConfirming(true)}>
              <Icon name="trash" size={18} />
            </button>
          ) : null}
        </div>
      </div>
      {picking ? (
        <EmojiPicker
          guildId={message.guild_id ?? null}
          action="React with"
          onPick={(emoji) => {
            setPicking(false);
            // Back to where the person was, as on Escape: the message's own reaction button.
            document.querySelector<HTMLButtonElement>(`article[data-message-id="${message.id}"] [data-emoji-opener]`)?.focus();
            void react.run(emoji);
          }}
          onClose={() => {
            setPicking(false);
            // Back to where the person was: the message's own reaction button.
            document.querySelector<HTMLButtonElement>(`article[data-message-id="${message.id}"] [data-emoji-opener]`)?.focus();
          }}
        />
      ) : null}
      {confirming ? (
        <ConfirmDialog
          title="Delete message?"
          message={<blockquote class="quote">{message.content.slice(0, 300)}</blockquote>}
          confirmLabel="Delete"
          danger
          onClose={() => setConfirming(false)}
          onConfirm={() => deleteMessage(message)}
        />
      ) : null}
    </article>
  );
}

/** The replied message's header; a click brings it into view (loading the history around it when needed). */
function ReplyReference({
  channelId,
  replyTo,
  replied,
  markup,
}: {
  channelId: string;
  replyTo: string;
  replied: Message | undefined | null;
  markup: MarkupContext;
}) {
  const jump = useAction(() => jumpToMessage(channelId, replyTo));
  return (
    <button type="button" class="reply-ref" aria-label="Jump to the replied message" onClick={() => void jump.run()}>
      ↪{' '}
      {replied ? (
        <>
          <span class="author">@{markup.nameOf(replied.author.id) ?? displayName(replied.author)}</span>{' '}
          <span class="reply-snippet">
            {replied.content ? renderPreview(replied.content, markup) : replied.attachments?.length ? <em>Click to see attachment</em> : null}
          </span>
        </>
      ) : (
        'Reply to an earlier message'
      )}
      {jump.error ? <span class="reply-missing"> (not found)</span> : null}
    </button>
  );
}

/** Editing in place, with the composer's `@`/`#`/`:` autocomplete (Escape closes the list first, then the edit). */
function EditBox({ message, onDone }: { message: Message; onDone: () => void }) {
  const [text, setText] = useState(message.content);
  const box = useRef<HTMLTextAreaElement>(null);
  const assist = useComposerAssist({ text, setText, box, guildId: message.guild_id ?? null, channelId: message.channel_id });
  // Focus goes into the box with the caret at the end (as in Discord: ready to add to what was written), and back
  // where it came from (the composer after ↑, or the Edit button) once the edit is saved or cancelled, unless the
  // person has moved on to something else meanwhile.
  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const ownBox = box.current;
    if (ownBox) {
      ownBox.focus();
      ownBox.setSelectionRange(ownBox.value.length, ownBox.value.length);
      assist.track();
    }
    return () => {
      const now = document.activeElement;
      if (opener?.isConnected && (now === ownBox || now === document.body || now === null)) opener.focus();
    };
  }, []);
  const save = useAction(async () => {
    if (text.trim() && text !== message.content) await editMessage(message.id, text);
    onDone();
  });
  return (
    <div class="edit-box">
      {assist.list}
      <textarea
        class="input"
        aria-label="Edit message"
        value={text}
        rows={Math.min(8, text.split('\n').length + 1)}
        ref={box}
        {...assist.inputProps}
        onKeyUp={assist.track}
        onClick={assist.track}
        onInput={(e) => {
          setText(e.currentTarget.value);
          assist.track();
        }}
        onKeyDown={(e) => {
          if (assist.onKeyDown(e)) return;
          if (e.key === 'Escape') onDone();
          if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            void save.run();
          }
        }}
      />
      <p class="hint">
        Enter to save · Escape to cancel
        <button type="button" class="link-button" onClick={() => void save.run()}>
          Save
        </button>
      </p>
      <ErrorText error={save.error} />
    </div>
  );
}

function formatTime(date: Date): string {
  const now = new Date();
  const sameDay = date.toDateString() === now.toDateString();
  const clock = date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return sameDay ? `Today at ${clock}` : `${date.toLocaleDateString()} ${clock}`;
}

// Writing a message: Enter sends, Shift+Enter starts a new line, Escape cancels a reply. Files join the message
// from the attach button, by dropping them on the composer, or by pasting them; they are listed (and can be
// removed) until it is sent. Tells the channel you are typing (throttled) and keeps your text and files if
// sending fails. Text starting with `/` opens the command picker (command-picker.tsx) instead; `@`, `#` and `:`
// open autocomplete (composer-assist.tsx), and the emoji button the emoji picker.
import { useEffect, useRef, useState } from 'preact/hooks';
import { useAction } from '../lib/use-async.ts';
import type { Message } from '../lib/wire.ts';
import { sendMessage, signalTyping, stopTypingSignal } from '../state/actions.ts';
import { app } from '../state/app-state.ts';
import { editLastMessage, jumpToPresent } from '../state/history.ts';
import { type CommandIndex, loadCommandIndex } from '../state/interactions.ts';
import { type CommandEntry, CommandForm, CommandPicker, matching, PendingInteractions, PICKER_SIZE } from './command-picker.tsx';
import { useComposerAssist } from './composer-assist.tsx';
import { customEmoji } from './custom-emoji.tsx';
import { EmojiPicker } from './emoji-picker.tsx';
import { Icon } from './icons.tsx';
import { ErrorText } from './ui.tsx';

const MAX_LENGTH = 4000;
/** The server's default; a server configured for fewer answers with an error the composer shows. */
const MAX_FILES = 10;

const sizeText = (bytes: number) =>
  bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

export function Composer({
  channelId,
  guildId = null,
  channelName,
  target = `#${channelName}`,
  canSend,
  replyTo,
  replyName,
  onCancelReply,
}: {
  channelId: string;
  /** The channel's server (null in a DM): its members, roles and channels fill the command pickers. */
  guildId?: string | null;
  channelName: string;
  /** Who the composer writes to, as its label says it ("Message …"): `#channel` unless given (`@bob` in a DM). */
  target?: string;
  canSend: boolean;
  replyTo: Message | null;
  replyName: string | null;
  onCancelReply: () => void;
}) {
  const [text, setText] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [dragging, setDragging] = useState(false);
  const box = useRef<HTMLTextAreaElement>(null);
  const picker = useRef<HTMLInputElement>(null);
  const [commands, setCommands] = useState<{ channelId: string; index: CommandIndex | null } | null>(null);
  const [command, setCommand] = useState<CommandEntry | null>(null);
  const slash = text.startsWith('/') && !text.includes('\n');
  // The picker's entries for what follows the `/` (null while the channel's commands are still being read), and
  // the highlighted one, which Enter picks; ↑↓ move it.
  const index = commands?.channelId === channelId ? commands.index : null;
  const entries = slash && index ? matching(index, text.slice(1)).slice(0, PICKER_SIZE) : null;
  const [active, setActive] = useState(0);
  const current = entries?.length ? Math.min(active, entries.length - 1) : -1;
  // A command is being chosen, not a message written: `/` alone, the commands still loading, or a name that
  // commands start with. Send waits for the pick; text no command matches (`/shrug hi`) is a message again.
  const choosing = slash && (entries === null || entries.length > 0 || text.slice(1).trim() === '');
  const [emojiOpen, setEmojiOpen] = useState(false);
  const emojiOpener = useRef<HTMLButtonElement>(null);
  const assist = useComposerAssist({ text, setText, box, guildId, channelId });
  const send = useAction(async (content: string, attached: File[]) => {
    await sendMessage(channelId, content, replyTo?.id, attached);
    // Sent while reading old history: back to the present, where it now is.
    if (app.get().messages[channelId]?.hasNewer) await jumpToPresent(channelId);
    stopTypingSignal();
    setText('');
    setFiles([]);
    onCancelReply();
  });
  const addFiles = (list: FileList | null | undefined) => {
    if (!list?.length) return;
    const added = [...list];
    setFiles((current) => [...current, ...added].slice(0, MAX_FILES));
  };

  useEffect(() => {
    setFiles([]);
    setCommand(null);
  }, [channelId]);

  // A new query starts at the top of its list.
  useEffect(() => setActive(0), [text, channelId]);

  // The command index is read the first time `/` is typed in this channel.
  useEffect(() => {
    if (!slash || commands?.channelId === channelId) return;
    setCommands({ channelId, index: null });
    loadCommandIndex(channelId)
      .then((index) => setCommands((c) => (c?.channelId === channelId ? { channelId, index } : c)))
      .catch(() => setCommands((c) => (c?.channelId === channelId ? { channelId, index: { applications: [], commands: [] } } : c)));
  }, [slash, channelId]);

  useEffect(() => {
    box.current?.focus();
  }, [channelId, replyTo?.id]);

  // Grow with the text, up to a limit set in CSS.
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${el.scrollHeight}px`;
  }, [text]);

  const pick = (entry: CommandEntry) => {
    setCommand(entry);
    setText('');
  };

  const submit = () => {
    // Enter on `/name` picks the highlighted command, as clicking it would.
    const match = entries?.[current];
    if (match) return pick(match);
    // `/` alone or the commands still loading: wait rather than post `/name` as text.
    if (choosing) return;
    const content = text.trim();
    if ((!content && files.length === 0) || send.busy) return;
    void send.run(content, files);
  };

  if (!canSend) {
    return <p class="composer-disabled">You do not have permission to send messages in #{channelName}.</p>;
  }

  if (command) {
    return (
      <div class="composer">
        <CommandForm
          key={command.label}
          entry={command}
          bot={commands?.index?.applications.find((a) => a.id === command.command.application_id)}
          channelId={channelId}
          guildId={guildId}
          onDone={() => {
            setCommand(null);
            setTimeout(() => box.current?.focus(), 0);
          }}
        />
        <PendingInteractions channelId={channelId} />
      </div>
    );
  }

  return (
    <form
      class={dragging ? 'composer dragging' : 'composer'}
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
      onDragOver={(e) => {
        if (!e.dataTransfer?.types.includes('Files')) return;
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(e) => {
        if (!e.dataTransfer?.files.length) return;
        e.preventDefault();
        setDragging(false);
        addFiles(e.dataTransfer.files);
      }}
    >
      {replyTo ? (
        <div class="reply-bar">
          <span>
            Replying to <strong>{replyName}</strong>
          </span>
          <button type="button" class="icon-button" aria-label="Cancel reply" onClick={onCancelReply}>
            <Icon name="close" size={16} />
          </button>
        </div>
      ) : null}
      {slash ? <CommandPicker index={index} query={text.slice(1)} active={current} onHover={setActive} onPick={pick} /> : null}
      <PendingInteractions channelId={channelId} />
      {slash ? null : assist.list}
      {emojiOpen ? (
        <EmojiPicker
          guildId={guildId}
          action="Insert"
          onPick={(key) => {
            setEmojiOpen(false);
            const custom = customEmoji(key);
            assist.insertAtCaret(custom ? `<${custom.animated ? 'a' : ''}:${custom.name}:${custom.id}>` : key);
          }}
          onClose={() => {
            setEmojiOpen(false);
            // Back to the control that opened it, as a dialog does.
            emojiOpener.current?.focus();
          }}
        />
      ) : null}
      {files.length > 0 ? (
        <ul class="composer-files" aria-label="Files to send">
          {files.map((file, i) => (
            // A list the user builds; the position is the identity (two files may share a name).
            <li key={i} class="composer-file">
              <span class="composer-file-name">{file.name}</span> <span class="hint">{sizeText(file.size)}</span>
              <button
                type="button"
                class="icon-button"
                aria-label={`Remove ${file.name}`}
                onClick={() => setFiles((current) => current.filter((_, j) => j !== i))}
              >
                <Icon name="close" size={14} />
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <div class="composer-row">
        <input
          ref={picker}
          type="file"
          multiple
          class="visually-hidden"
          tabIndex={-1}
          aria-hidden="true"
          aria-label="Files to attach"
          onChange={(e) => {
            addFiles(e.currentTarget.files);
            e.currentTarget.value = '';
          }}
        />
        <button type="button" class="icon-button" aria-label="Attach files" title="Attach files" onClick={() => picker.current?.click()}>
          <Icon name="paperclip" size={20} />
        </button>
        <textarea
          ref={box}
          class="composer-input"
          rows={1}
          aria-label={`Message ${target}`}
          placeholder={`Message ${target}`}
          maxLength={MAX_LENGTH}
          value={text}
          {...(slash ? {} : assist.inputProps)}
          onKeyUp={assist.track}
          onClick={assist.track}
          onInput={(e) => {
            setText(e.currentTarget.value);
            assist.track();
            if (e.currentTarget.value) signalTyping(channelId);
          }}
          onPaste={(e) => {
            if (!e.clipboardData?.files.length) return;
            e.preventDefault();
            addFiles(e.clipboardData.files);
          }}
          onKeyDown={(e) => {
            if (!slash && assist.onKeyDown(e)) return;
            if (entries?.length && (e.key === 'ArrowDown' || e.key === 'ArrowUp') && !e.isComposing) {
              e.preventDefault();
              setActive((current + (e.key === 'ArrowDown' ? 1 : -1) + entries.length) % entries.length);
            } else if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
              e.preventDefault();
              submit();
            } else if (e.key === 'Escape' && replyTo) {
              onCancelReply();
            } else if (e.key === 'ArrowUp' && text === '' && files.length === 0 && editLastMessage(channelId)) {
              // ↑ in an empty composer edits your last message, as in Discord and Slack.
              e.preventDefault();
            }
          }}
        />
        <button
          type="button"
          class="icon-button"
          ref={emojiOpener}
          aria-label="Emoji"
          title="Emoji"
          data-emoji-opener
          aria-expanded={emojiOpen}
          onClick={() => setEmojiOpen(!emojiOpen)}
        >
          <Icon name="smile" size={20} />
        </button>
        <button type="submit" class="button primary" disabled={send.busy || choosing || (!text.trim() && files.length === 0)}>
          Send
        </button>
      </div>
      {text.length > MAX_LENGTH - 500 ? (
        <p class="hint">
          {text.length} / {MAX_LENGTH}
        </p>
      ) : null}
      <ErrorText error={send.error} />
    </form>
  );
}

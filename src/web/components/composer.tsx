// Writing a message: Enter sends, Shift+Enter starts a new line, Escape cancels a reply. Tells the
// channel you are typing (throttled) and keeps your text if sending fails.
import { useEffect, useRef, useState } from 'preact/hooks';
import { useAction } from '../lib/use-async.ts';
import type { Message } from '../lib/wire.ts';
import { sendMessage, signalTyping, stopTypingSignal } from '../state/actions.ts';
import { Icon } from './icons.tsx';
import { ErrorText } from './ui.tsx';

const MAX_LENGTH = 4000;

export function Composer({
  channelId,
  channelName,
  canSend,
  replyTo,
  replyName,
  onCancelReply,
}: {
  channelId: string;
  channelName: string;
  canSend: boolean;
  replyTo: Message | null;
  replyName: string | null;
  onCancelReply: () => void;
}) {
  const [text, setText] = useState('');
  const box = useRef<HTMLTextAreaElement>(null);
  const send = useAction(async (content: string) => {
    await sendMessage(channelId, content, replyTo?.id);
    stopTypingSignal();
    setText('');
    onCancelReply();
  });

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

  const submit = () => {
    const content = text.trim();
    if (!content || send.busy) return;
    void send.run(content);
  };

  if (!canSend) {
    return <p class="composer-disabled">You do not have permission to send messages in #{channelName}.</p>;
  }

  return (
    <form
      class="composer"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
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
      <div class="composer-row">
        <textarea
          ref={box}
          class="composer-input"
          rows={1}
          aria-label={`Message #${channelName}`}
          placeholder={`Message #${channelName}`}
          maxLength={MAX_LENGTH}
          value={text}
          onInput={(e) => {
            setText(e.currentTarget.value);
            if (e.currentTarget.value) signalTyping(channelId);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
              e.preventDefault();
              submit();
            } else if (e.key === 'Escape' && replyTo) {
              onCancelReply();
            }
          }}
        />
        <button type="submit" class="button primary" disabled={send.busy || !text.trim()}>
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

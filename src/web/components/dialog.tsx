// Modal dialogs on the native <dialog> element, which brings focus trapping, Escape to close and
// the right roles for screen readers. ConfirmDialog replaces window.confirm (which tests cannot answer).
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { useAction } from '../lib/use-async.ts';
import { Icon } from './icons.tsx';
import { ErrorText } from './ui.tsx';

export function Dialog({ title, onClose, children, wide }: { title: string; onClose: () => void; children: ComponentChildren; wide?: boolean }) {
  const ref = useRef<HTMLDialogElement>(null);
  const latestClose = useRef(onClose);
  latestClose.current = onClose;
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (!dialog.open) dialog.showModal();
    // A click on the backdrop lands on the <dialog> itself: a mouse shortcut for Escape.
    const onBackdrop = (e: MouseEvent) => {
      if (e.target === dialog) latestClose.current();
    };
    dialog.addEventListener('click', onBackdrop);
    return () => {
      dialog.removeEventListener('click', onBackdrop);
      dialog.close();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      class={wide ? 'dialog wide' : 'dialog'}
      aria-labelledby="dialog-title"
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <div class="dialog-body">
        <header class="dialog-header">
          <h2 id="dialog-title">{title}</h2>
          <button type="button" class="icon-button" aria-label="Close" onClick={onClose}>
            <Icon name="close" size={18} />
          </button>
        </header>
        {children}
      </div>
    </dialog>
  );
}

export function ConfirmDialog({
  title,
  message,
  confirmLabel,
  danger,
  onConfirm,
  onClose,
}: {
  title: string;
  message: ComponentChildren;
  confirmLabel: string;
  danger?: boolean;
  onConfirm: () => Promise<unknown>;
  onClose: () => void;
}) {
  const action = useAction(onConfirm);
  return (
    <Dialog title={title} onClose={onClose}>
      <div class="dialog-message">{message}</div>
      <ErrorText error={action.error} />
      <div class="dialog-actions">
        <button type="button" class="button subtle" onClick={onClose}>
          Cancel
        </button>
        <button
          type="button"
          class={danger ? 'button danger' : 'button primary'}
          disabled={action.busy}
          onClick={async () => {
            if (await action.run()) onClose();
          }}
        >
          {confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}

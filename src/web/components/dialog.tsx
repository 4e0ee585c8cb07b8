// Modal dialogs on the native <dialog> element, which brings focus trapping, Escape to close and
// the right roles for screen readers. ConfirmDialog replaces window.confirm (which tests cannot answer).
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { useAction } from '../lib/use-async.ts';
import { Icon } from './icons.tsx';
import { ErrorText } from './ui.tsx';

const TABBABLE =
  'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * Keeps Tab and Shift+Tab inside a modal: from its last control Tab comes back to the first, and the other way
 * round. A modal <dialog> makes the page behind it inert, but Tab still leaves it, for the browser's own controls.
 */
export function trapTab(event: KeyboardEvent, container: HTMLElement): void {
  if (event.key !== 'Tab') return;
  const tabbable = [...container.querySelectorAll<HTMLElement>(TABBABLE)].filter((el) => el.getClientRects().length > 0);
  const first = tabbable[0];
  const last = tabbable[tabbable.length - 1];
  if (!first || !last) return;
  const active = document.activeElement;
  if (event.shiftKey && (active === first || !container.contains(active))) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && (active === last || !container.contains(active))) {
    event.preventDefault();
    first.focus();
  }
}

/**
 * Gives focus back to what opened a modal once it closes (the dialog is unmounted, so the browser's own return
 * of focus does not happen), unless focus has already moved on to something else.
 */
export function restoreFocus(opener: HTMLElement | null, dialog: HTMLElement): void {
  const now = document.activeElement;
  if (opener?.isConnected && (now === null || now === document.body || dialog.contains(now))) opener.focus();
}

export function Dialog({ title, onClose, children, wide }: { title: string; onClose: () => void; children: ComponentChildren; wide?: boolean }) {
  const ref = useRef<HTMLDialogElement>(null);
  const latestClose = useRef(onClose);
  latestClose.current = onClose;
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    // A click on the backdrop lands on the <dialog> itself: a mouse shortcut for Escape.
    const onBackdrop = (e: MouseEvent) => {
      if (e.target === dialog) latestClose.current();
    };
    dialog.addEventListener('click', onBackdrop);
    return () => {
      dialog.removeEventListener('click', onBackdrop);
      dialog.close();
      restoreFocus(opener, dialog);
    };
  }, []);
  return (
    <dialog
      ref={ref}
      class={wide ? 'dialog wide' : 'dialog'}
      aria-labelledby="dialog-title"
      onKeyDown={(e) => trapTab(e, e.currentTarget)}
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

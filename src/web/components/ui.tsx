// Small building blocks every screen uses: error text, labelled fields, a copy button and the
// "shown once" secret box (bot tokens, presence API tokens).
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';

export function ErrorText({ error, id }: { error: string | null | undefined; id?: string }) {
  if (!error) return null;
  return (
    <p class="error-text" role="alert" id={id}>
      {error}
    </p>
  );
}

export function Field({ label, hint, children }: { label: string; hint?: ComponentChildren; children: ComponentChildren }) {
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: the control is passed in as children and sits inside the label
    <label class="field">
      <span class="field-label">{label}</span>
      {children}
      {hint ? <span class="field-hint">{hint}</span> : null}
    </label>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p class="loading" role="status">
      {label}
    </p>
  );
}

export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = async () => {
    setState((await copyText(text)) ? 'copied' : 'failed');
    setTimeout(() => setState('idle'), 2500);
  };
  return (
    <button type="button" class="button" onClick={copy}>
      {state === 'copied' ? 'Copied!' : state === 'failed' ? 'Select and copy by hand' : label}
    </button>
  );
}

/** A secret the server will never show again: read-only, selectable, with a copy button and a warning. */
export function SecretOnce({ label, secret, warning, onDone }: { label: string; secret: string; warning: string; onDone?: () => void }) {
  return (
    <section class="secret-once" aria-label={label}>
      <p class="warning" role="alert">
        <strong>Copy it now:</strong> {warning}
      </p>
      <div class="secret-row">
        <input class="input mono" readOnly value={secret} aria-label={label} data-testid="secret-value" onFocus={(e) => (e.currentTarget as HTMLInputElement).select()} />
        <CopyButton text={secret} label="Copy token" />
      </div>
      {onDone ? (
        <button type="button" class="button subtle" onClick={onDone}>
          I have copied it
        </button>
      ) : null}
    </section>
  );
}

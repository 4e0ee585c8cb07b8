// Small building blocks every screen uses: error text, labelled fields, a copy button and the
// "shown once" secret box (bot tokens, presence API tokens).
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { describeError } from '../lib/errors.ts';
import { readAsDataUri } from '../lib/urls.ts';

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

/**
 * An on/off switch whose change is saved on the server: it shows the new position while saving (so it
 * never flicks back), and the saved value (or the old one, with the error) afterwards.
 */
export function Switch({
  label,
  checked,
  onToggle,
  hint,
}: {
  label: ComponentChildren;
  checked: boolean;
  onToggle: (next: boolean) => Promise<unknown>;
  hint?: string;
}) {
  const [pending, setPending] = useState<boolean | null>(null);
  const [error, setError] = useState<string | null>(null);
  const shown = pending ?? checked;
  return (
    <>
      <label class="switch">
        <input
          type="checkbox"
          role="switch"
          aria-checked={shown}
          checked={shown}
          disabled={pending !== null}
          onChange={async (e) => {
            const next = e.currentTarget.checked;
            setPending(next);
            setError(null);
            try {
              await onToggle(next);
            } catch (failure) {
              setError(describeError(failure));
            } finally {
              setPending(null);
            }
          }}
        />
        <span>
          {label}
          {hint ? <span class="hint"> — {hint}</span> : null}
        </span>
      </label>
      <ErrorText error={error} />
    </>
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
export function SecretOnce({
  label,
  secret,
  warning,
  onDone,
  copyLabel = 'Copy token',
}: {
  label: string;
  secret: string;
  warning: string;
  onDone?: () => void;
  copyLabel?: string;
}) {
  return (
    <section class="secret-once" aria-label={label}>
      <p class="warning" role="alert">
        <strong>Copy it now:</strong> {warning}
      </p>
      <div class="secret-row">
        <input
          class="input mono"
          readOnly
          value={secret}
          aria-label={label}
          data-testid="secret-value"
          onFocus={(e) => (e.currentTarget as HTMLInputElement).select()}
        />
        <CopyButton text={secret} label={copyLabel} />
      </div>
      {onDone ? (
        <button type="button" class="button subtle" onClick={onDone}>
          I have copied it
        </button>
      ) : null}
    </section>
  );
}

/** The server's limits for avatars and guild icons, and for emoji (src/domain/images.ts). */
export const PROFILE_IMAGE_MAX_BYTES = 512 * 1024;
export const EMOJI_IMAGE_MAX_BYTES = 256 * 1024;

/** Image types the server accepts; the file picker offers only these (the server checks the bytes anyway). */
export const IMAGE_ACCEPT = 'image/png,image/jpeg,image/gif,image/webp';

/**
 * Picks an image file and hands it on as a data URI, refusing files over `maxBytes` before reading them.
 * `label` names the control for screen readers and tests.
 */
export function ImagePicker({ label, maxBytes, disabled, onPick }: { label: string; maxBytes: number; disabled?: boolean; onPick: (dataUri: string) => void }) {
  const [error, setError] = useState<string | null>(null);
  return (
    <span class="image-picker">
      <input
        class="input"
        type="file"
        accept={IMAGE_ACCEPT}
        aria-label={label}
        disabled={disabled}
        onChange={async (e) => {
          const file = e.currentTarget.files?.[0];
          setError(null);
          if (!file) return;
          if (file.size > maxBytes) {
            setError(`That file is over ${Math.round(maxBytes / 1024)} KiB.`);
            return;
          }
          try {
            onPick(await readAsDataUri(file));
          } catch (failure) {
            setError(failure instanceof Error ? failure.message : String(failure));
          }
        }}
      />
      {error ? (
        <span class="error-text" role="alert">
          {error}
        </span>
      ) : null}
    </span>
  );
}

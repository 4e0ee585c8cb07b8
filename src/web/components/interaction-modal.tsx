// The modal an application answered with (INTERACTION_MODAL_CREATE): its text inputs in a dialog; submitting
// sends a MODAL_SUBMIT interaction (type 5) naming the modal's interaction id and custom id, one row per input.
import { useState } from 'preact/hooks';
import { useAction } from '../lib/use-async.ts';
import { app } from '../state/app-state.ts';
import { closeModal, interactionState, invoke, type ShownModal } from '../state/interactions.ts';
import { useSelector } from '../state/store.ts';
import { Dialog } from './dialog.tsx';
import { ErrorText } from './ui.tsx';

export function InteractionModal() {
  const modal = useSelector(interactionState, (s) => s.modal);
  return modal ? <ModalForm key={modal.id} modal={modal} /> : null;
}

function ModalForm({ modal }: { modal: ShownModal }) {
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(modal.inputs.map((i) => [i.custom_id, i.value ?? ''])));
  const guildId = useSelector(app, (s) => Object.values(s.details).find((g) => g.channels.some((c) => c.id === modal.channel_id))?.id ?? null);
  const submit = useAction(async () => {
    const components = modal.inputs.map((i) => ({ type: 1, components: [{ type: 4, custom_id: i.custom_id, value: values[i.custom_id] ?? '' }] }));
    await invoke(
      {
        type: 5,
        application_id: modal.application_id,
        channel_id: modal.channel_id,
        guild_id: guildId,
        data: { id: modal.id, custom_id: modal.custom_id, components },
      },
      modal.title,
    );
    closeModal();
  });
  return (
    <Dialog title={modal.title} onClose={closeModal}>
      <form
        class="form interaction-modal"
        onSubmit={(e) => {
          e.preventDefault();
          void submit.run();
        }}
      >
        {modal.inputs.map((i) => {
          const common = {
            'aria-label': i.label,
            placeholder: i.placeholder ?? undefined,
            required: i.required,
            minLength: i.min_length ?? undefined,
            maxLength: i.max_length ?? undefined,
            value: values[i.custom_id] ?? '',
          };
          const set = (value: string) => setValues((v) => ({ ...v, [i.custom_id]: value }));
          return (
            <div key={i.custom_id} class="field">
              <span>{i.label}</span>
              {i.description ? <span class="hint">{i.description}</span> : null}
              {i.style === 2 ? (
                <textarea {...common} rows={4} onInput={(e) => set(e.currentTarget.value)} />
              ) : (
                <input {...common} type="text" onInput={(e) => set(e.currentTarget.value)} />
              )}
            </div>
          );
        })}
        <ErrorText error={submit.error} />
        <div class="dialog-actions">
          <button type="button" class="button subtle" onClick={closeModal}>
            Cancel
          </button>
          <button type="submit" class="button primary" disabled={submit.busy}>
            Submit
          </button>
        </div>
      </form>
    </Dialog>
  );
}

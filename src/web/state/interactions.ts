// Interactions from the person's side: the command index a channel offers, invoking (POST /interactions with a
// nonce), and what the gateway says back to this person's sessions: SUCCESS / FAILURE per nonce, a modal to show,
// autocomplete choices. The app state keeps messages; this small store keeps what is in flight.
import type { HarmonyClient } from '../../sdk/harmony-client.ts';
import type { ApplicationCommand, User } from '../lib/wire.ts';
import { api, currentClient } from './client.ts';
import { Store } from './store.ts';

export type CommandIndex = { applications: User[]; commands: ApplicationCommand[] };

export type ModalInput = {
  custom_id: string;
  style: number;
  label: string;
  description: string | null;
  placeholder: string | null;
  value: string | null;
  required: boolean;
  min_length: number | null;
  max_length: number | null;
};
export type ShownModal = {
  id: string;
  nonce: string | null;
  channel_id: string;
  application_id: string;
  custom_id: string;
  title: string;
  inputs: ModalInput[];
};

/** `key` names what was used (a component: message id and custom id) so it can show its own spinner. */
export type Pending = { nonce: string; channelId: string; label: string; key: string | null; state: 'pending' | 'failed' };
export type Choice = { name: string; value: string | number };

type InteractionState = {
  /** By nonce: what this person invoked and has no answer for yet (or that failed). */
  pending: Record<string, Pending>;
  modal: ShownModal | null;
  /** The latest autocomplete answer, by the nonce of its request. */
  suggestions: { nonce: string; choices: Choice[] } | null;
};

export const interactionState = new Store<InteractionState>({ pending: {}, modal: null, suggestions: null });

export type Invocation = {
  type: 2 | 3 | 4 | 5;
  application_id: string;
  channel_id: string;
  guild_id: string | null;
  message_id?: string;
  data: unknown;
};

let counter = 0;
/** Up to 25 characters, unique to this page. */
function newNonce(): string {
  counter += 1;
  return `${Date.now().toString(36)}${counter.toString(36)}${Math.random().toString(36).slice(2, 8)}`.slice(0, 25);
}

export function loadCommandIndex(channelId: string): Promise<CommandIndex> {
  return api<CommandIndex>('GET', `/channels/${channelId}/application-command-index`);
}

/** Sends the interaction; `label` is what the pending line shows. Autocomplete (type 4) is not tracked as pending. */
/** `files`: the uploads ATTACHMENT options name (`data.attachments` ids are their n), sent as multipart. */
export async function invoke(body: Invocation, label: string, key: string | null = null, files: readonly File[] = []): Promise<string> {
  const nonce = newNonce();
  if (body.type !== 4) {
    interactionState.update((s) => {
      // Using the same component again replaces its earlier state (a failure shown before).
      const kept = Object.fromEntries(Object.entries(s.pending).filter(([, p]) => key === null || p.key !== key));
      return { ...s, pending: { ...kept, [nonce]: { nonce, channelId: body.channel_id, label, key, state: 'pending' } } };
    });
  }
  try {
    await api(
      'POST',
      '/interactions',
      { ...body, nonce },
      files.map((file) => ({ name: file.name, data: file })),
    );
  } catch (error) {
    forget(nonce);
    throw error;
  }
  return nonce;
}

export function forget(nonce: string): void {
  interactionState.update((s) => {
    if (!s.pending[nonce]) return s;
    const { [nonce]: _gone, ...rest } = s.pending;
    return { ...s, pending: rest };
  });
}

export function closeModal(): void {
  interactionState.update((s) => ({ ...s, modal: null }));
}

export function watchInteractions(client: HarmonyClient): void {
  client.on('dispatch', ({ t, d }) => {
    if (currentClient() !== client) return;
    const data = d as Record<string, unknown>;
    const nonce = typeof data?.nonce === 'string' ? data.nonce : null;
    switch (t) {
      case 'INTERACTION_SUCCESS':
        if (nonce) forget(nonce);
        return;
      case 'INTERACTION_FAILURE':
        if (!nonce) return;
        interactionState.update((s) => {
          const p = s.pending[nonce];
          return p ? { ...s, pending: { ...s.pending, [nonce]: { ...p, state: 'failed' } } } : s;
        });
        return;
      case 'INTERACTION_MODAL_CREATE':
        if (nonce) forget(nonce);
        interactionState.update((s) => ({ ...s, modal: d as ShownModal }));
        return;
      case 'APPLICATION_COMMAND_AUTOCOMPLETE_RESPONSE':
        if (nonce) interactionState.update((s) => ({ ...s, suggestions: { nonce, choices: (data.choices as Choice[]) ?? [] } }));
        return;
    }
  });
}

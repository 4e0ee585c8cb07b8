// Server Settings -> Webhooks: per channel, its webhooks; create one (its URL shown once, with a copy button),
// rename it, delete it. Needs manage_webhooks; the API checks again.
import { useState } from 'preact/hooks';
import { useAction, useLoad } from '../../lib/use-async.ts';
import type { GuildDetail, Webhook } from '../../lib/wire.ts';
import { app } from '../../state/app-state.ts';
import { api } from '../../state/client.ts';
import { memberName } from '../../state/selectors.ts';
import { useSelector } from '../../state/store.ts';
import { ConfirmDialog } from '../dialog.tsx';
import { ErrorText, Field, Loading, SecretOnce } from '../ui.tsx';

const URL_WARNING =
  'this URL holds the webhook’s secret token and is shown only once. Anyone with it can post here. If you lose it, delete the webhook and create another.';

export function WebhooksTab({ guild }: { guild: GuildDetail }) {
  const [channelId, setChannelId] = useState(guild.channels[0]?.id ?? '');
  const hooks = useLoad(() => (channelId ? api<Webhook[]>('GET', `/channels/${channelId}/webhooks`) : Promise.resolve([])), [channelId]);
  const members = useSelector(app, (s) => s.members[guild.id]);
  const [name, setName] = useState('');
  const [shown, setShown] = useState<Webhook | null>(null);
  const [renaming, setRenaming] = useState<{ id: string; name: string } | null>(null);
  const [confirm, setConfirm] = useState<Webhook | null>(null);
  const create = useAction(async () => {
    const created = await api<Webhook>('POST', `/channels/${channelId}/webhooks`, { name: name.trim() });
    setShown(created);
    setName('');
    hooks.reload();
  });
  const rename = useAction(async () => {
    if (!renaming) return;
    await api('PATCH', `/webhooks/${renaming.id}`, { name: renaming.name.trim() });
    setRenaming(null);
    hooks.reload();
  });

  return (
    <div class="stack">
      <Field label="Channel">
        <select
          class="input"
          value={channelId}
          onChange={(e) => {
            setChannelId(e.currentTarget.value);
            setShown(null);
          }}
        >
          {guild.channels.map((c) => (
            <option key={c.id} value={c.id}>
              #{c.name}
            </option>
          ))}
        </select>
      </Field>
      <form
        class="card inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          void create.run();
        }}
      >
        <Field label="Name">
          <input class="input" value={name} maxLength={80} placeholder="Deploys" onInput={(e) => setName(e.currentTarget.value)} />
        </Field>
        <button type="submit" class="button primary" disabled={create.busy || !channelId || name.trim() === ''}>
          Create webhook
        </button>
      </form>
      {shown?.url ? (
        <SecretOnce label={`URL of webhook ${shown.name}`} secret={shown.url} warning={URL_WARNING} copyLabel="Copy URL" onDone={() => setShown(null)} />
      ) : null}
      <ErrorText error={create.error ?? rename.error ?? hooks.error} />
      {hooks.loading && !hooks.data ? <Loading /> : null}
      {hooks.data?.length === 0 ? <p class="hint">No webhooks in this channel.</p> : null}
      {hooks.data?.length ? (
        <table class="table" aria-label="Webhooks">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Created by</th>
              <th scope="col">Created</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {hooks.data.map((w) => (
              <tr key={w.id}>
                <td>
                  {renaming?.id === w.id ? (
                    <form
                      class="inline-form"
                      onSubmit={(e) => {
                        e.preventDefault();
                        void rename.run();
                      }}
                    >
                      <input
                        class="input"
                        aria-label={`New name for ${w.name}`}
                        value={renaming.name}
                        maxLength={80}
                        onInput={(e) => setRenaming({ id: w.id, name: e.currentTarget.value })}
                      />
                      <button type="submit" class="button small primary" disabled={rename.busy || renaming.name.trim() === ''}>
                        Save
                      </button>
                    </form>
                  ) : (
                    w.name
                  )}
                </td>
                <td>{w.creator_id ? (memberName(members?.[w.creator_id]) ?? w.creator_id) : '—'}</td>
                <td>{new Date(w.created_at).toLocaleString()}</td>
                <td class="actions">
                  <button type="button" class="button small" aria-label={`Rename webhook ${w.name}`} onClick={() => setRenaming({ id: w.id, name: w.name })}>
                    Rename
                  </button>
                  <button type="button" class="button small danger" aria-label={`Delete webhook ${w.name}`} onClick={() => setConfirm(w)}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {confirm ? (
        <ConfirmDialog
          title={`Delete the webhook ${confirm.name}?`}
          message="Its URL stops working at once. Messages it posted stay."
          confirmLabel="Delete webhook"
          danger
          onConfirm={async () => {
            await api('DELETE', `/webhooks/${confirm.id}`);
            hooks.reload();
          }}
          onClose={() => setConfirm(null)}
        />
      ) : null}
    </div>
  );
}

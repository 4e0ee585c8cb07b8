// Server Settings -> Invites: every active invite with its uses and expiry; create and revoke.
import { useState } from 'preact/hooks';
import { useAction, useLoad } from '../../lib/use-async.ts';
import type { GuildDetail, Invite } from '../../lib/wire.ts';
import { app } from '../../state/app-state.ts';
import { api } from '../../state/client.ts';
import { memberName } from '../../state/selectors.ts';
import { useSelector } from '../../state/store.ts';
import { inviteLink } from '../channel-sidebar.tsx';
import { CopyButton, ErrorText, Field, Loading } from '../ui.tsx';

const AGES = [
  { seconds: 3600, label: '1 hour' },
  { seconds: 86400, label: '1 day' },
  { seconds: 7 * 86400, label: '7 days' },
  { seconds: 0, label: 'Never' },
];

export function InvitesTab({ guild }: { guild: GuildDetail }) {
  const invites = useLoad(() => api<Invite[]>('GET', `/guilds/${guild.id}/invites`), [guild.id]);
  const members = useSelector(app, (s) => s.members[guild.id]);
  const [channelId, setChannelId] = useState(guild.channels[0]?.id ?? '');
  const [maxAge, setMaxAge] = useState(7 * 86400);
  const [maxUses, setMaxUses] = useState(0);
  const create = useAction(async () => {
    await api('POST', `/channels/${channelId}/invites`, { max_age: maxAge, max_uses: maxUses });
    invites.reload();
  });
  const revoke = useAction(async (code: string) => {
    await api('DELETE', `/invites/${encodeURIComponent(code)}`);
    invites.reload();
  });
  const channelName = (id: string) => guild.channels.find((c) => c.id === id)?.name ?? 'hidden channel';

  return (
    <div class="stack">
      <form
        class="card inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          void create.run();
        }}
      >
        <Field label="Channel">
          <select class="input" value={channelId} onChange={(e) => setChannelId(e.currentTarget.value)}>
            {guild.channels.map((c) => (
              <option key={c.id} value={c.id}>
                #{c.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Expires after">
          <select class="input" value={String(maxAge)} onChange={(e) => setMaxAge(Number(e.currentTarget.value))}>
            {AGES.map((a) => (
              <option key={a.seconds} value={String(a.seconds)}>
                {a.label}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Max uses (0 = unlimited)">
          <input class="input" type="number" min={0} max={100} value={maxUses} onInput={(e) => setMaxUses(Number(e.currentTarget.value) || 0)} />
        </Field>
        <button type="submit" class="button primary" disabled={create.busy || !channelId}>
          Create invite
        </button>
      </form>
      <ErrorText error={create.error ?? revoke.error ?? invites.error} />
      {invites.loading && !invites.data ? <Loading /> : null}
      {invites.data?.length === 0 ? <p class="hint">No active invites.</p> : null}
      {invites.data?.length ? (
        <table class="table">
          <thead>
            <tr>
              <th scope="col">Code</th>
              <th scope="col">Channel</th>
              <th scope="col">Created by</th>
              <th scope="col">Uses</th>
              <th scope="col">Expires</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {invites.data.map((i) => (
              <tr key={i.code}>
                <td>
                  <code>{i.code}</code>
                </td>
                <td>#{channelName(i.channel_id)}</td>
                <td>{i.inviter_id ? (memberName(members?.[i.inviter_id]) ?? i.inviter_id) : '—'}</td>
                <td>
                  {i.uses}
                  {i.max_uses ? ` / ${i.max_uses}` : ''}
                </td>
                <td>{i.expires_at ? new Date(i.expires_at).toLocaleString() : 'never'}</td>
                <td class="actions">
                  <CopyButton text={inviteLink(i.code)} label="Copy link" />
                  <button type="button" class="button small danger" aria-label={`Revoke invite ${i.code}`} onClick={() => void revoke.run(i.code)}>
                    Revoke
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}

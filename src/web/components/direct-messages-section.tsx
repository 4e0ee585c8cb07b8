// User settings › Direct messages: who may open a DM with you (GET/PATCH /users/@me/settings). Off, the
// default, is Discord's "server members only": people and bots who share a server with you.
import { useLoad } from '../lib/use-async.ts';
import type { UserSettings } from '../lib/wire.ts';
import { api } from '../state/client.ts';
import { ErrorText, Loading, Switch } from './ui.tsx';

export function DirectMessagesSection() {
  const settings = useLoad(() => api<UserSettings>('GET', '/users/@me/settings'), []);
  const everyone = settings.data?.allow_dms_from === 'everyone';
  return (
    <section class="card stack" aria-labelledby="dm-title">
      <h2 id="dm-title">Direct messages</h2>
      {settings.loading && !settings.data ? <Loading /> : null}
      <ErrorText error={settings.error} />
      {settings.data ? (
        <>
          <Switch
            label="Allow direct messages from anyone"
            hint={everyone ? 'anyone on this server can message you' : 'server members only'}
            checked={everyone}
            onToggle={async (next) => settings.set(await api<UserSettings>('PATCH', '/users/@me/settings', { allow_dms_from: next ? 'everyone' : 'members' }))}
          />
          <p class="hint">
            Off, only people and bots who share a server with you can open a DM with you or keep writing in one. The presence bot can always reach you.
          </p>
        </>
      ) : null}
    </section>
  );
}

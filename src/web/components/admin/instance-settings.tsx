// Admin -> Instance settings: whether anyone may register.
import { useAction, useLoad } from '../../lib/use-async.ts';
import { api } from '../../state/client.ts';
import { ErrorText, Loading } from '../ui.tsx';

type Settings = { registration: 'open' | 'closed' };

export function InstanceSettings() {
  const settings = useLoad(() => api<Settings>('GET', '/admin/settings'), []);
  const save = useAction(async (registration: Settings['registration']) => settings.set(await api<Settings>('PATCH', '/admin/settings', { registration })));
  if (!settings.data) return settings.error ? <ErrorText error={settings.error} /> : <Loading />;
  return (
    <section class="card stack" aria-labelledby="registration-title">
      <h2 id="registration-title">Registration</h2>
      <fieldset class="radio-group">
        <legend>Who may create an account</legend>
        <label class="radio">
          <input type="radio" name="registration" checked={settings.data.registration === 'open'} disabled={save.busy} onChange={() => void save.run('open')} />
          Open — anyone who can reach this server
        </label>
        <label class="radio">
          <input type="radio" name="registration" checked={settings.data.registration === 'closed'} disabled={save.busy} onChange={() => void save.run('closed')} />
          Closed — nobody new can register; existing accounts keep working
        </label>
      </fieldset>
      <ErrorText error={save.error} />
    </section>
  );
}

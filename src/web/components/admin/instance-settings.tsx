// Admin -> Instance settings: whether anyone may register. The choice shows at once and is saved
// right away; a refusal puts the radio back and says why.
import { useState } from 'preact/hooks';
import { useAction, useLoad } from '../../lib/use-async.ts';
import { api } from '../../state/client.ts';
import { ErrorText, Loading } from '../ui.tsx';

type Registration = 'open' | 'closed';
type Settings = { registration: Registration };

export function InstanceSettings() {
  const settings = useLoad(() => api<Settings>('GET', '/admin/settings'), []);
  const [pending, setPending] = useState<Registration | null>(null);
  const save = useAction(async (registration: Registration) => {
    setPending(registration);
    try {
      settings.set(await api<Settings>('PATCH', '/admin/settings', { registration }));
    } finally {
      setPending(null);
    }
  });
  if (!settings.data) return settings.error ? <ErrorText error={settings.error} /> : <Loading />;
  const shown = pending ?? settings.data.registration;
  return (
    <section class="card stack" aria-labelledby="registration-title">
      <h2 id="registration-title">Registration</h2>
      <fieldset class="radio-group">
        <legend>Who may create an account</legend>
        <label class="radio">
          <input type="radio" name="registration" checked={shown === 'open'} disabled={save.busy} onChange={() => void save.run('open')} />
          Open — anyone who can reach this server
        </label>
        <label class="radio">
          <input type="radio" name="registration" checked={shown === 'closed'} disabled={save.busy} onChange={() => void save.run('closed')} />
          Closed — nobody new can register; existing accounts keep working
        </label>
      </fieldset>
      <ErrorText error={save.error} />
    </section>
  );
}

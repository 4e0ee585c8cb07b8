// User settings › Account: who you are, the sessions you are signed in with (sign one or all others out), a new
// password (which signs every other session out) and deleting the account.
import { useState } from 'preact/hooks';
import { useAction, useLoad } from '../lib/use-async.ts';
import type { SelfUser } from '../lib/wire.ts';
import { api } from '../state/client.ts';
import { logOut } from '../state/session.ts';
import { ActionsTable } from './actions-table.tsx';
import { Dialog } from './dialog.tsx';
import { ErrorText, Field, Loading } from './ui.tsx';

type SessionInfo = { id: string; current: boolean; device: string | null; address: string | null; created_at: string; last_used_at: string };

const when = (iso: string) => new Date(iso).toLocaleString();

export function AccountSection({ user }: { user: SelfUser }) {
  const [deleting, setDeleting] = useState(false);
  return (
    <section class="card stack" aria-labelledby="account-title">
      <h2 id="account-title">Account</h2>
      <p class="hint">
        Username <strong>{user.username}</strong> · user id <code>{user.id}</code>
        {user.admin ? ' · instance administrator' : ''}
      </p>
      <SessionsList />
      <PasswordForm />
      <div class="row">
        <button type="button" class="button" onClick={() => void logOut()}>
          Log out
        </button>
        <button type="button" class="button danger" onClick={() => setDeleting(true)}>
          Delete account…
        </button>
      </div>
      {deleting ? <DeleteAccountDialog onClose={() => setDeleting(false)} /> : null}
    </section>
  );
}

function SessionsList() {
  const sessions = useLoad(() => api<SessionInfo[]>('GET', '/users/@me/sessions'), []);
  const revoke = useAction(async (id: string) => {
    await api('DELETE', `/users/@me/sessions/${id}`);
    sessions.reload();
  });
  const revokeOthers = useAction(async () => {
    await api('DELETE', '/users/@me/sessions');
    sessions.reload();
  });
  const others = (sessions.data ?? []).filter((s) => !s.current).length;
  return (
    <div class="stack">
      <h3>Where you are signed in</h3>
      {sessions.loading && !sessions.data ? <Loading /> : null}
      <ErrorText error={sessions.error ?? revoke.error ?? revokeOthers.error} />
      {sessions.data ? (
        <ActionsTable class="sessions-table" columns={['Device', 'Address', 'Last used']}>
          {sessions.data.map((s) => (
            <tr key={s.id}>
              <td>
                {s.device ?? 'Unknown device'} {s.current ? <span class="tag">this session</span> : null}
              </td>
              <td>{s.address ?? '—'}</td>
              <td title={`Signed in ${when(s.created_at)}`}>{when(s.last_used_at)}</td>
              <td>
                {s.current ? null : (
                  <button type="button" class="button subtle" disabled={revoke.busy} onClick={() => void revoke.run(s.id)}>
                    Sign out <span class="visually-hidden">{s.device ?? 'unknown device'}</span>
                  </button>
                )}
              </td>
            </tr>
          ))}
        </ActionsTable>
      ) : null}
      {others > 0 ? (
        <button type="button" class="button" disabled={revokeOthers.busy} onClick={() => void revokeOthers.run()}>
          Sign out all other sessions
        </button>
      ) : null}
    </div>
  );
}

function PasswordForm() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [done, setDone] = useState(false);
  const change = useAction(async () => {
    if (next !== repeat) throw new Error('The new passwords do not match.');
    await api('PUT', '/users/@me/password', { password: current, new_password: next });
    setCurrent('');
    setNext('');
    setRepeat('');
    setDone(true);
  });
  return (
    <form
      class="stack"
      aria-labelledby="password-title"
      onSubmit={(e) => {
        e.preventDefault();
        setDone(false);
        void change.run();
      }}
    >
      <h3 id="password-title">Change password</h3>
      <Field label="Current password">
        <input class="input" type="password" autocomplete="current-password" required value={current} onInput={(e) => setCurrent(e.currentTarget.value)} />
      </Field>
      <Field label="New password">
        <input class="input" type="password" autocomplete="new-password" required minLength={8} value={next} onInput={(e) => setNext(e.currentTarget.value)} />
      </Field>
      <Field label="Repeat the new password">
        <input class="input" type="password" autocomplete="new-password" required value={repeat} onInput={(e) => setRepeat(e.currentTarget.value)} />
      </Field>
      <ErrorText error={change.error} />
      {done ? <p role="status">Password changed. Every other session was signed out.</p> : null}
      <button type="submit" class="button primary" disabled={change.busy}>
        Change password
      </button>
    </form>
  );
}

function DeleteAccountDialog({ onClose }: { onClose: () => void }) {
  const [password, setPassword] = useState('');
  const remove = useAction(async () => {
    await api('DELETE', '/users/@me', { password });
    await logOut();
  });
  return (
    <Dialog title="Delete your account?" onClose={onClose}>
      <form
        class="stack"
        onSubmit={(e) => {
          e.preventDefault();
          void remove.run();
        }}
      >
        <p class="dialog-message">
          Your messages stay, shown as from “Deleted User”. You leave every server and every session is signed out. This cannot be undone.
        </p>
        <Field label="Password">
          <input class="input" type="password" autocomplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        </Field>
        <ErrorText error={remove.error} />
        <div class="dialog-actions">
          <button type="button" class="button subtle" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class="button danger" disabled={remove.busy}>
            Delete account
          </button>
        </div>
      </form>
    </Dialog>
  );
}

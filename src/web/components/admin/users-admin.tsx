// Admin -> Users: search people, make or unmake admins, disable or re-enable accounts.
import { useEffect, useState } from 'preact/hooks';
import { useAction, useLoad } from '../../lib/use-async.ts';
import type { AdminUser } from '../../lib/wire.ts';
import { app } from '../../state/app-state.ts';
import { api } from '../../state/client.ts';
import { useSelector } from '../../state/store.ts';
import { Avatar, displayName } from '../avatar.tsx';
import { ErrorText, Field, Loading } from '../ui.tsx';

export function UsersAdmin() {
  const me = useSelector(app, (s) => s.session?.user.id);
  const [query, setQuery] = useState('');
  const [search, setSearch] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setSearch(query.trim()), 250);
    return () => clearTimeout(timer);
  }, [query]);
  const users = useLoad(() => api<AdminUser[]>('GET', `/admin/users${search ? `?query=${encodeURIComponent(search)}` : ''}`), [search]);
  const change = useAction(async (user: AdminUser, body: { admin?: boolean; disabled?: boolean }) => {
    const updated = await api<AdminUser>('PATCH', `/admin/users/${user.id}`, body);
    users.set((users.data ?? []).map((u) => (u.id === updated.id ? updated : u)));
  });
  return (
    <div class="stack">
      <Field label="Search users">
        <input class="input" type="search" maxLength={64} value={query} onInput={(e) => setQuery(e.currentTarget.value)} />
      </Field>
      <ErrorText error={users.error ?? change.error} />
      {users.loading && !users.data ? <Loading /> : null}
      <table class="table">
        <thead>
          <tr>
            <th scope="col">User</th>
            <th scope="col">Joined</th>
            <th scope="col">Role</th>
            <th scope="col">
              <span class="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {users.data?.map((u) => (
            <tr key={u.id} class={u.disabled ? 'disabled-row' : ''} data-user-id={u.id}>
              <td class="member-cell">
                <Avatar user={u} size="sm" />
                <span>
                  {displayName(u)} <span class="hint">@{u.username}</span>
                </span>
              </td>
              <td>{new Date(u.created_at).toLocaleDateString()}</td>
              <td>
                {u.admin ? <span class="tag">admin</span> : 'member'}
                {u.disabled ? <span class="tag danger-tag">disabled</span> : null}
              </td>
              <td class="actions">
                {u.id === me ? (
                  <span class="hint">you</span>
                ) : (
                  <>
                    <button type="button" class="button small" disabled={change.busy} onClick={() => void change.run(u, { admin: !u.admin })}>
                      {u.admin ? 'Remove admin' : 'Make admin'}
                    </button>
                    <button
                      type="button"
                      class={u.disabled ? 'button small' : 'button small danger'}
                      disabled={change.busy}
                      onClick={() => void change.run(u, { disabled: !u.disabled })}
                    >
                      {u.disabled ? 'Enable' : 'Disable'}
                    </button>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

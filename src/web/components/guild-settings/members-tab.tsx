// Server Settings -> Members: give and take roles (manage_roles), kick (kick_members), ban and
// unban (ban_members). The owner cannot be acted on; the API has the final word on hierarchy.
import { useState } from 'preact/hooks';
import { Flags, has } from '../../lib/permissions.ts';
import { useAction, useLoad } from '../../lib/use-async.ts';
import type { Ban, GuildDetail, Member } from '../../lib/wire.ts';
import { fetchMember, reloadMembers } from '../../state/actions.ts';
import { app } from '../../state/app-state.ts';
import { api } from '../../state/client.ts';
import { memberName } from '../../state/selectors.ts';
import { useSelector } from '../../state/store.ts';
import { ActionsTable } from '../actions-table.tsx';
import { Avatar } from '../avatar.tsx';
import { ConfirmDialog, Dialog } from '../dialog.tsx';
import { ErrorText, Field, Loading } from '../ui.tsx';

export function MembersTab({ guild, perms }: { guild: GuildDetail; perms: bigint }) {
  const members = useSelector(app, (s) => s.members[guild.id]);
  const me = useSelector(app, (s) => s.session?.user.id);
  const [query, setQuery] = useState('');
  const [acting, setActing] = useState<null | { kind: 'kick' | 'ban' | 'roles'; member: Member }>(null);
  const [bansVersion, setBansVersion] = useState(0);
  const canBan = has(perms, Flags.BanMembers);
  const list = Object.values(members ?? {})
    .filter((m) => (memberName(m) ?? '').toLowerCase().includes(query.toLowerCase()) || m.user.username.toLowerCase().includes(query.toLowerCase()))
    .sort((a, b) => (memberName(a) ?? '').localeCompare(memberName(b) ?? ''));
  const roleName = (id: string) => guild.roles.find((r) => r.id === id)?.name ?? '?';

  return (
    <div class="stack">
      <Field label="Search members">
        <input class="input" type="search" value={query} onInput={(e) => setQuery(e.currentTarget.value)} />
      </Field>
      {!members ? <Loading /> : null}
      <ActionsTable columns={['Member', 'Roles']}>
        {list.map((m) => {
          const protectedMember = m.user.id === guild.owner_id || m.user.id === me;
          return (
            <tr key={m.user.id}>
              <td class="member-cell">
                <Avatar user={m.user} size="sm" />
                <span>{memberName(m)}</span>
                {m.user.bot ? <span class="bot-tag">BOT</span> : null}
                {m.user.id === guild.owner_id ? <span class="tag">owner</span> : null}
              </td>
              <td>{(m.roles ?? []).map(roleName).join(', ') || '—'}</td>
              <td class="actions">
                {has(perms, Flags.ManageRoles) && !m.user.bot ? (
                  <button type="button" class="button small" onClick={() => setActing({ kind: 'roles', member: m })}>
                    Roles
                  </button>
                ) : null}
                {has(perms, Flags.KickMembers) && !protectedMember ? (
                  <button type="button" class="button small danger" aria-label={`Kick ${memberName(m)}`} onClick={() => setActing({ kind: 'kick', member: m })}>
                    Kick
                  </button>
                ) : null}
                {canBan && !protectedMember ? (
                  <button type="button" class="button small danger" aria-label={`Ban ${memberName(m)}`} onClick={() => setActing({ kind: 'ban', member: m })}>
                    Ban
                  </button>
                ) : null}
              </td>
            </tr>
          );
        })}
      </ActionsTable>
      {canBan ? <BanList guildId={guild.id} version={bansVersion} /> : null}
      {acting?.kind === 'kick' ? (
        <ConfirmDialog
          title={`Kick ${memberName(acting.member)}?`}
          message="They can come back with an invite."
          confirmLabel="Kick"
          danger
          onClose={() => setActing(null)}
          onConfirm={async () => {
            await api('DELETE', `/guilds/${guild.id}/members/${acting.member.user.id}`);
            await reloadMembers(guild.id);
          }}
        />
      ) : null}
      {acting?.kind === 'ban' ? (
        <BanDialog guildId={guild.id} member={acting.member} onClose={() => setActing(null)} onBanned={() => setBansVersion((n) => n + 1)} />
      ) : null}
      {acting?.kind === 'roles' ? <RolesDialog guild={guild} member={acting.member} onClose={() => setActing(null)} /> : null}
    </div>
  );
}

function BanDialog({ guildId, member, onClose, onBanned }: { guildId: string; member: Member; onClose: () => void; onBanned: () => void }) {
  const [reason, setReason] = useState('');
  const ban = useAction(async () => {
    await api('PUT', `/guilds/${guildId}/bans/${member.user.id}`, reason.trim() ? { reason: reason.trim() } : {});
    await reloadMembers(guildId);
    onBanned();
    onClose();
  });
  return (
    <Dialog title={`Ban ${memberName(member)}?`} onClose={onClose}>
      <form
        class="stack"
        onSubmit={(e) => {
          e.preventDefault();
          void ban.run();
        }}
      >
        <p>They are removed and cannot rejoin until the ban is lifted.</p>
        <Field label="Reason (optional)">
          <input class="input" maxLength={512} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
        </Field>
        <ErrorText error={ban.error} />
        <div class="dialog-actions">
          <button type="button" class="button subtle" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class="button danger" disabled={ban.busy}>
            Ban
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function RolesDialog({ guild, member, onClose }: { guild: GuildDetail; member: Member; onClose: () => void }) {
  const current = useSelector(app, (s) => s.members[guild.id]?.[member.user.id]) ?? member;
  // The box shows the click at once; the member's roles from the server take over once the change is saved.
  const [pending, setPending] = useState<Record<string, boolean>>({});
  const toggle = useAction(async (roleId: string, on: boolean) => {
    setPending((p) => ({ ...p, [roleId]: on }));
    try {
      await api(on ? 'PUT' : 'DELETE', `/guilds/${guild.id}/members/${member.user.id}/roles/${roleId}`);
      await fetchMember(guild.id, member.user.id);
    } finally {
      setPending(({ [roleId]: _, ...rest }) => rest);
    }
  });
  const assignable = [...guild.roles].filter((r) => r.id !== guild.id && !r.managed).sort((a, b) => b.position - a.position);
  return (
    <Dialog title={`Roles of ${memberName(current)}`} onClose={onClose}>
      <fieldset class="stack">
        <legend class="visually-hidden">Roles</legend>
        {assignable.length === 0 ? <p class="hint">Create roles in the Roles tab first.</p> : null}
        {assignable.map((r) => (
          <label key={r.id} class="checkbox">
            <input
              type="checkbox"
              checked={pending[r.id] ?? current.roles?.includes(r.id) ?? false}
              disabled={toggle.busy}
              onChange={(e) => void toggle.run(r.id, e.currentTarget.checked)}
            />
            {r.name}
          </label>
        ))}
      </fieldset>
      <ErrorText error={toggle.error} />
    </Dialog>
  );
}

function BanList({ guildId, version }: { guildId: string; version: number }) {
  const bans = useLoad(() => api<Ban[]>('GET', `/guilds/${guildId}/bans`), [guildId, version]);
  const unban = useAction(async (userId: string) => {
    await api('DELETE', `/guilds/${guildId}/bans/${userId}`);
    bans.reload();
  });
  return (
    <section class="card stack" aria-labelledby="bans-title">
      <h2 id="bans-title">Bans</h2>
      <ErrorText error={bans.error ?? unban.error} />
      {bans.data?.length === 0 ? <p class="hint">Nobody is banned.</p> : null}
      <ul class="plain-list">
        {bans.data?.map((b) => (
          <li key={b.user.id} class="row">
            <span>
              {b.user.username}
              {b.reason ? <span class="hint"> — {b.reason}</span> : null}
            </span>
            <button type="button" class="button small" onClick={() => void unban.run(b.user.id)}>
              Lift ban
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

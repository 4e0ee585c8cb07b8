// Server Settings -> Roles: create, order, rename and set permissions (grouped as the seed's table).
// Bot roles are managed from the Bots tab; @everyone can be edited but not moved or deleted.
import { useEffect, useState } from 'preact/hooks';
import { parseBits } from '../../lib/permissions.ts';
import { useAction } from '../../lib/use-async.ts';
import type { GuildDetail, Role } from '../../lib/wire.ts';
import { reloadGuild } from '../../state/actions.ts';
import { api } from '../../state/client.ts';
import { ConfirmDialog } from '../dialog.tsx';
import { PermissionPicker } from '../permission-picker.tsx';
import { ErrorText, Field } from '../ui.tsx';

export function RolesTab({ guild }: { guild: GuildDetail }) {
  const roles = [...guild.roles].sort((a, b) => b.position - a.position);
  const [selected, setSelected] = useState<string>(roles[0]?.id ?? guild.id);
  const role = roles.find((r) => r.id === selected) ?? roles[0];
  const create = useAction(async () => {
    const created = await api<Role>('POST', `/guilds/${guild.id}/roles`, { name: 'new role' });
    await reloadGuild(guild.id);
    setSelected(created.id);
  });
  const move = useAction(async (r: Role, direction: 1 | -1) => {
    const movable = roles.filter((x) => x.id !== guild.id);
    const index = movable.findIndex((x) => x.id === r.id);
    const neighbour = movable[index - direction];
    if (!neighbour) return;
    // Setting a position does not shift the others, so the two roles trade places (ties are split).
    const patch = (role: Role, position: number) => api('PATCH', `/guilds/${guild.id}/roles/${role.id}`, { position: Math.max(1, position) });
    if (r.position === neighbour.position) await patch(r, neighbour.position + direction);
    else {
      await patch(r, neighbour.position);
      await patch(neighbour, r.position);
    }
    await reloadGuild(guild.id);
  });

  return (
    <div class="split">
      <section class="card stack role-list" aria-label="Roles">
        <div class="row">
          <h2>Roles</h2>
          <button type="button" class="button small primary" disabled={create.busy} onClick={() => void create.run()}>
            Create role
          </button>
        </div>
        <ErrorText error={create.error ?? move.error} />
        <ul class="select-list">
          {roles.map((r, i) => (
            <li key={r.id} class={r.id === role?.id ? 'selected' : ''}>
              <button type="button" class="select-item" aria-pressed={r.id === role?.id} onClick={() => setSelected(r.id)}>
                {r.id === guild.id ? '@everyone' : r.name}
                {r.managed ? <span class="tag">bot</span> : null}
              </button>
              {r.id !== guild.id ? (
                <span class="order-buttons">
                  <button
                    type="button"
                    class="icon-button"
                    aria-label={`Move ${r.name} up`}
                    disabled={i === 0 || move.busy}
                    onClick={() => void move.run(r, 1)}
                  >
                    ↑
                  </button>
                  <button
                    type="button"
                    class="icon-button"
                    aria-label={`Move ${r.name} down`}
                    disabled={roles[i + 1]?.id === guild.id || move.busy}
                    onClick={() => void move.run(r, -1)}
                  >
                    ↓
                  </button>
                </span>
              ) : null}
            </li>
          ))}
        </ul>
      </section>
      {role ? <RoleEditor key={role.id} guild={guild} role={role} /> : null}
    </div>
  );
}

function RoleEditor({ guild, role }: { guild: GuildDetail; role: Role }) {
  const everyone = role.id === guild.id;
  const [name, setName] = useState(role.name);
  const [bits, setBits] = useState(parseBits(role.permissions));
  const [hoist, setHoist] = useState(role.hoist);
  const [mentionable, setMentionable] = useState(role.mentionable);
  const [saved, setSaved] = useState(false);
  const [deleting, setDeleting] = useState(false);
  useEffect(() => setBits(parseBits(role.permissions)), [role.permissions]);
  const save = useAction(async () => {
    const body = everyone ? { permissions: bits.toString() } : { name: name.trim(), permissions: bits.toString(), hoist, mentionable };
    await api('PATCH', `/guilds/${guild.id}/roles/${role.id}`, body);
    await reloadGuild(guild.id);
    setSaved(true);
  });
  return (
    <form
      class="card stack"
      aria-label={`Edit role ${everyone ? '@everyone' : role.name}`}
      onSubmit={(e) => {
        e.preventDefault();
        setSaved(false);
        void save.run();
      }}
    >
      <h2>{everyone ? '@everyone' : role.name}</h2>
      {everyone ? <p class="hint">What every member may do, before other roles add to it.</p> : null}
      {role.managed ? <p class="hint">This role belongs to a bot; its permissions are what the bot was granted (see the Bots tab).</p> : null}
      {everyone ? null : (
        <>
          <Field label="Role name">
            <input class="input" required maxLength={100} value={name} onInput={(e) => setName(e.currentTarget.value)} />
          </Field>
          <label class="checkbox">
            <input type="checkbox" checked={hoist} onChange={(e) => setHoist(e.currentTarget.checked)} /> Show members separately
          </label>
          <label class="checkbox">
            <input type="checkbox" checked={mentionable} onChange={(e) => setMentionable(e.currentTarget.checked)} /> Anyone may @mention this role
          </label>
        </>
      )}
      <h3>Permissions</h3>
      <PermissionPicker value={bits} onChange={setBits} idPrefix={`role-${role.id}`} />
      <ErrorText error={save.error} />
      {saved ? (
        <p class="success" role="status">
          Role saved.
        </p>
      ) : null}
      <div class="row">
        <button type="submit" class="button primary" disabled={save.busy}>
          Save role
        </button>
        {everyone || role.managed ? null : (
          <button type="button" class="button danger" onClick={() => setDeleting(true)}>
            Delete role
          </button>
        )}
      </div>
      {deleting ? (
        <ConfirmDialog
          title={`Delete the role ${role.name}?`}
          message="Members with it lose what it granted."
          confirmLabel="Delete role"
          danger
          onClose={() => setDeleting(false)}
          onConfirm={async () => {
            await api('DELETE', `/guilds/${guild.id}/roles/${role.id}`);
            await reloadGuild(guild.id);
          }}
        />
      ) : null}
    </form>
  );
}

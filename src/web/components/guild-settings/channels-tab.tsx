// Server Settings -> Channel permissions: per channel, overwrites for a role or a member, each
// permission allowed, inherited or denied.
import { useState } from 'preact/hooks';
import { parseBits } from '../../lib/permissions.ts';
import { useAction } from '../../lib/use-async.ts';
import type { Channel, GuildDetail } from '../../lib/wire.ts';
import { reloadGuild } from '../../state/actions.ts';
import { app } from '../../state/app-state.ts';
import { api } from '../../state/client.ts';
import { memberName } from '../../state/selectors.ts';
import { useSelector } from '../../state/store.ts';
import { OverwritePicker } from '../permission-picker.tsx';
import { ErrorText, Field } from '../ui.tsx';

type Overwrite = NonNullable<Channel['permission_overwrites']>[number];

export function ChannelsTab({ guild }: { guild: GuildDetail }) {
  const [channelId, setChannelId] = useState(guild.channels[0]?.id ?? '');
  const [targetId, setTargetId] = useState<string | null>(null);
  const [adding, setAdding] = useState('');
  const members = useSelector(app, (s) => s.members[guild.id]);
  const channel = guild.channels.find((c) => c.id === channelId);
  const overwrites = channel?.permission_overwrites ?? [];
  const nameOf = (o: Pick<Overwrite, 'id' | 'type'>) =>
    o.type === 0
      ? o.id === guild.id
        ? '@everyone'
        : (guild.roles.find((r) => r.id === o.id)?.name ?? 'deleted role')
      : (memberName(members?.[o.id]) ?? `user ${o.id}`);
  const add = useAction(async () => {
    const [type, id] = adding.split(':');
    if (!channel || !id) return;
    await api('PUT', `/channels/${channel.id}/permissions/${id}`, { type: Number(type), allow: '0', deny: '0' });
    await reloadGuild(guild.id);
    setTargetId(id);
    setAdding('');
  });
  if (!channel) return <p>This server has no channels you can see.</p>;
  const current = overwrites.find((o) => o.id === targetId);
  const candidates = [
    ...guild.roles
      .filter((r) => !overwrites.some((o) => o.id === r.id))
      .map((r) => ({ value: `0:${r.id}`, label: r.id === guild.id ? '@everyone' : `Role: ${r.name}` })),
    ...Object.values(members ?? {})
      .filter((m) => !overwrites.some((o) => o.id === m.user.id))
      .map((m) => ({ value: `1:${m.user.id}`, label: `Member: ${memberName(m)}` })),
  ];

  return (
    <div class="stack">
      <Field label="Channel">
        <select
          class="input"
          value={channelId}
          onChange={(e) => {
            setChannelId(e.currentTarget.value);
            setTargetId(null);
          }}
        >
          {guild.channels.map((c) => (
            <option key={c.id} value={c.id}>
              #{c.name}
            </option>
          ))}
        </select>
      </Field>
      <div class="split">
        <section class="card stack" aria-label="Overwrites">
          <h2>Overwrites in #{channel.name}</h2>
          {overwrites.length === 0 ? <p class="hint">None: everyone has their server-wide permissions here.</p> : null}
          <ul class="select-list">
            {overwrites.map((o) => (
              <li key={o.id} class={o.id === targetId ? 'selected' : ''}>
                <button type="button" class="select-item" aria-pressed={o.id === targetId} onClick={() => setTargetId(o.id)}>
                  {nameOf(o)}
                </button>
              </li>
            ))}
          </ul>
          <form
            class="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              void add.run();
            }}
          >
            <Field label="Add an overwrite for">
              <select class="input" value={adding} onChange={(e) => setAdding(e.currentTarget.value)}>
                <option value="">Choose a role or member…</option>
                {candidates.map((c) => (
                  <option key={c.value} value={c.value}>
                    {c.label}
                  </option>
                ))}
              </select>
            </Field>
            <button type="submit" class="button" disabled={!adding || add.busy}>
              Add
            </button>
          </form>
          <ErrorText error={add.error} />
        </section>
        {current ? (
          <OverwriteEditor key={`${channel.id}:${current.id}`} guildId={guild.id} channel={channel} overwrite={current} name={nameOf(current)} />
        ) : null}
      </div>
    </div>
  );
}

function OverwriteEditor({ guildId, channel, overwrite, name }: { guildId: string; channel: Channel; overwrite: Overwrite; name: string }) {
  const [allow, setAllow] = useState(parseBits(overwrite.allow));
  const [deny, setDeny] = useState(parseBits(overwrite.deny));
  const [saved, setSaved] = useState(false);
  const save = useAction(async () => {
    await api('PUT', `/channels/${channel.id}/permissions/${overwrite.id}`, { type: overwrite.type, allow: allow.toString(), deny: deny.toString() });
    await reloadGuild(guildId);
    setSaved(true);
  });
  const remove = useAction(async () => {
    await api('DELETE', `/channels/${channel.id}/permissions/${overwrite.id}`);
    await reloadGuild(guildId);
  });
  return (
    <form
      class="card stack"
      aria-label={`Permissions of ${name} in #${channel.name}`}
      onSubmit={(e) => {
        e.preventDefault();
        setSaved(false);
        void save.run();
      }}
    >
      <h2>
        {name} in #{channel.name}
      </h2>
      <OverwritePicker
        allow={allow}
        deny={deny}
        idPrefix={`ow-${overwrite.id}`}
        onChange={(a, d) => {
          setAllow(a);
          setDeny(d);
        }}
      />
      <ErrorText error={save.error ?? remove.error} />
      {saved ? (
        <p class="success" role="status">
          Saved.
        </p>
      ) : null}
      <div class="row">
        <button type="submit" class="button primary" disabled={save.busy}>
          Save overwrite
        </button>
        <button type="button" class="button danger" disabled={remove.busy} onClick={() => void remove.run()}>
          Remove overwrite
        </button>
      </div>
    </form>
  );
}

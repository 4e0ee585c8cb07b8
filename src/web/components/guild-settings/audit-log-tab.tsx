// Server Settings -> Audit log (view_audit_log): who changed what and when, with the reason they gave, newest
// first. Reasons and names are shown as text; the API decides who may read the log.
import { useState } from 'preact/hooks';
import { useLoad } from '../../lib/use-async.ts';
import type { AuditLog, AuditLogEntry, GuildDetail, User } from '../../lib/wire.ts';
import { api } from '../../state/client.ts';
import { ErrorText, Loading } from '../ui.tsx';

const PAGE = 50;

/** What each action reads as ("kicked alice"); the target's name is filled in when it is a person or a role. */
const ACTIONS: Record<string, string> = {
  'guild.update': 'changed the server settings',
  'channel.create': 'created channel',
  'channel.update': 'changed channel',
  'channel.delete': 'deleted channel',
  'overwrite.create': 'added permissions in',
  'overwrite.update': 'changed permissions in',
  'overwrite.delete': 'removed permissions in',
  'member.kick': 'kicked',
  'member.ban': 'banned',
  'member.unban': 'lifted the ban of',
  'member.update': 'changed the nickname of',
  'member.roles': 'changed the roles of',
  'bot.add': 'added the bot',
  'bot.remove': 'removed the bot',
  'role.create': 'created role',
  'role.update': 'changed role',
  'role.delete': 'deleted role',
  'invite.create': 'created an invite',
  'invite.delete': 'revoked an invite',
  'webhook.create': 'created a webhook',
  'webhook.update': 'changed a webhook',
  'webhook.delete': 'deleted a webhook',
  'message.delete': 'deleted a message by',
  'message.bulk_delete': 'bulk deleted messages in',
  'message.pin': 'pinned a message by',
  'message.unpin': 'unpinned a message by',
  'thread.create': 'created thread',
  'thread.update': 'changed thread',
  'thread.delete': 'deleted thread',
};

const shown = (value: unknown): string => {
  if (value === null || value === undefined) return '—';
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'object' && v && 'name' in v ? String(v.name) : shown(v))).join(', ');
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
};

/** A created field shows its value, a removed one what it was, a changed one both. */
const change = (c: AuditLogEntry['changes'][number]): string => {
  if (c.key.startsWith('$') || c.old_value === null) return shown(c.new_value);
  if (c.new_value === null) return `was ${shown(c.old_value)}`;
  return `${shown(c.old_value)} → ${shown(c.new_value)}`;
};

export function AuditLogTab({ guild }: { guild: GuildDetail }) {
  const [before, setBefore] = useState<string | undefined>(undefined);
  const log = useLoad(() => api<AuditLog>('GET', `/guilds/${guild.id}/audit-log?limit=${PAGE}${before ? `&before=${before}` : ''}`), [guild.id, before]);
  const users = new Map<string, User>((log.data?.users ?? []).map((u) => [u.id, u]));
  const channelName = (id: string | null) => guild.channels.find((c) => c.id === id)?.name;
  const roleName = (id: string | null) => guild.roles.find((r) => r.id === id)?.name;

  const target = (e: AuditLogEntry): string => {
    if (!e.target_id) return '';
    const person = users.get(e.target_id);
    if (person) return person.global_name ?? person.username;
    if (e.action.startsWith('role.')) return roleName(e.target_id) ?? shown(e.changes.find((c) => c.key === 'name')?.old_value ?? e.target_id);
    if (e.action.startsWith('channel.') || e.action.startsWith('overwrite.') || e.action === 'message.bulk_delete') {
      const name = channelName(e.target_id) ?? e.changes.find((c) => c.key === 'name')?.old_value;
      return name ? `#${name}` : e.target_id;
    }
    const name = e.changes.find((c) => c.key === 'name');
    return name ? shown(name.new_value ?? name.old_value) : '';
  };

  return (
    <div class="stack">
      <ErrorText error={log.error} />
      {log.loading && !log.data ? <Loading /> : null}
      {log.data?.entries.length === 0 ? <p class="hint">Nothing has been recorded yet.</p> : null}
      {log.data?.entries.length ? (
        <table class="table" aria-label="Audit log">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">What</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {log.data.entries.map((e) => {
              const actor = e.user_id ? users.get(e.user_id) : undefined;
              const changes = e.changes.filter((c) => !c.key.startsWith('$') || e.action === 'member.roles');
              return (
                <tr key={e.id}>
                  <td>{new Date(e.created_at).toLocaleString()}</td>
                  <td>{actor ? (actor.global_name ?? actor.username) : e.user_id ? e.user_id : 'a webhook'}</td>
                  <td>
                    {ACTIONS[e.action] ?? e.action} {target(e)}
                    {changes.length > 0 ? (
                      <ul class="plain-list hint">
                        {changes.map((c) => (
                          <li key={c.key}>
                            {c.key === '$add' ? 'added' : c.key === '$remove' ? 'removed' : c.key}: {change(c)}
                          </li>
                        ))}
                      </ul>
                    ) : null}
                  </td>
                  <td>{e.reason ?? <span class="hint">—</span>}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
      <div class="row">
        {before ? (
          <button type="button" class="button small" onClick={() => setBefore(undefined)}>
            Newest
          </button>
        ) : null}
        {log.data && log.data.entries.length === PAGE ? (
          <button type="button" class="button small" onClick={() => setBefore(log.data?.entries.at(-1)?.id)}>
            Older
          </button>
        ) : null}
      </div>
    </div>
  );
}

// The guild's column: its name and menu (invite, settings, leave), the channels you can see with their active
// threads under each, and create / edit / delete for people with manage_channels.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { Flags, has } from '../lib/permissions.ts';
import { Link, navigate, paths } from '../lib/router.tsx';
import { appRoot } from '../lib/urls.ts';
import { useAction } from '../lib/use-async.ts';
import type { Channel, GuildDetail, Invite } from '../lib/wire.ts';
import { createChannel, deleteChannel, deleteGuild, leaveGuild, openThread, updateChannel } from '../state/actions.ts';
import { app } from '../state/app-state.ts';
import { api } from '../state/client.ts';
import { guildPermissions, permissionsIn } from '../state/selectors.ts';
import { useSelector } from '../state/store.ts';
import { ConfirmDialog, Dialog } from './dialog.tsx';
import { Icon } from './icons.tsx';
import { CopyButton, ErrorText, Field } from './ui.tsx';
import { MentionBadge, NotificationSettingsDialog, useChannelMarks } from './unread.tsx';

const SETTINGS_FLAGS = [Flags.ManageGuild, Flags.ManageRoles, Flags.ManageChannels, Flags.KickMembers, Flags.BanMembers];

export function ChannelSidebar({ guild, channelId }: { guild: GuildDetail; channelId: string | null }) {
  const perms = useSelector(app, (s) => guildPermissions(s, guild.id));
  const me = useSelector(app, (s) => s.session?.user.id);
  const current = guild.channels.find((c) => c.id === channelId) ?? guild.channels[0];
  const invitePerms = useSelector(app, (s) => permissionsIn(s, guild.id, current));
  const [dialog, setDialog] = useState<null | 'create' | 'invite' | 'leave' | 'delete' | 'notify' | { edit: Channel }>(null);
  const canManageChannels = has(perms, Flags.ManageChannels);
  const canSettings = SETTINGS_FLAGS.some((f) => has(perms, f));
  const owner = guild.owner_id === me;
  const close = () => setDialog(null);

  return (
    <div class="sidebar-inner">
      <header class="sidebar-header">
        <h2 class="guild-name" title={guild.name}>
          {guild.name}
        </h2>
      </header>
      <div class="guild-actions">
        {current && has(invitePerms, Flags.CreateInstantInvite) ? (
          <button type="button" class="button small" onClick={() => setDialog('invite')}>
            Invite people
          </button>
        ) : null}
        <button type="button" class="button small" onClick={() => setDialog('notify')}>
          Notifications
        </button>
        {canSettings ? (
          <Link to={paths.guildSettings(guild.id)} class="button small">
            Server settings
          </Link>
        ) : null}
      </div>
      <nav class="channel-nav" aria-label="Channels">
        <div class="section-title">
          <span>Text channels</span>
          {canManageChannels ? (
            <button type="button" class="icon-button" aria-label="Create channel" title="Create channel" onClick={() => setDialog('create')}>
              <Icon name="plus" size={18} />
            </button>
          ) : null}
        </div>
        <ul class="channel-list">
          {guild.channels.map((c) => (
            <ChannelRow key={c.id} guildId={guild.id} channel={c}>
              <li class={c.id === current?.id ? 'channel-row active' : 'channel-row'}>
                <UnreadLink guildId={guild.id} channel={c} current={c.id === current?.id} />
                {canManageChannels ? (
                  <button
                    type="button"
                    class="icon-button channel-edit"
                    aria-label={`Edit channel ${c.name}`}
                    title="Edit channel"
                    onClick={() => setDialog({ edit: c })}
                  >
                    <Icon name="gear" size={16} />
                  </button>
                ) : null}
              </li>
            </ChannelRow>
          ))}
        </ul>
        {guild.channels.length === 0 ? <p class="hint">No channels you can see.</p> : null}
      </nav>
      <div class="guild-footer">
        {owner ? (
          <button type="button" class="button small danger-text" onClick={() => setDialog('delete')}>
            Delete server
          </button>
        ) : (
          <button type="button" class="button small danger-text" onClick={() => setDialog('leave')}>
            Leave server
          </button>
        )}
      </div>

      {dialog === 'notify' ? <NotificationSettingsDialog guild={guild} channel={current} onClose={close} /> : null}
      {dialog === 'create' ? <ChannelDialog guildId={guild.id} onClose={close} /> : null}
      {dialog && typeof dialog === 'object' ? <ChannelDialog guildId={guild.id} channel={dialog.edit} onClose={close} /> : null}
      {dialog === 'invite' && current ? <InviteDialog channel={current} onClose={close} /> : null}
      {dialog === 'leave' ? (
        <ConfirmDialog
          title={`Leave ${guild.name}?`}
          message="You will need a new invite to come back."
          confirmLabel="Leave server"
          danger
          onClose={close}
          onConfirm={async () => {
            await leaveGuild(guild.id);
            navigate(paths.home());
          }}
        />
      ) : null}
      {dialog === 'delete' ? (
        <ConfirmDialog
          title={`Delete ${guild.name}?`}
          message="Every channel and message in it is deleted for everyone. This cannot be undone."
          confirmLabel="Delete server"
          danger
          onClose={close}
          onConfirm={async () => {
            await deleteGuild(guild.id);
            navigate(paths.home());
          }}
        />
      ) : null}
    </div>
  );
}

/** A channel's link: bold while unread, dimmed while muted, with its mention count. */
function UnreadLink({ guildId, channel, current }: { guildId: string; channel: Channel; current: boolean }) {
  const marks = useChannelMarks(guildId, channel.id);
  const classes = ['channel-link', marks.unread ? 'unread' : '', marks.muted ? 'muted' : ''].filter(Boolean).join(' ');
  return (
    <Link to={paths.channel(guildId, channel.id)} class={classes} aria-current={current ? 'page' : undefined} title={`#${channel.name}`}>
      <span aria-hidden="true">#</span> {channel.name}
      <MentionBadge count={marks.mentions} />
    </Link>
  );
}

function ChannelDialog({ guildId, channel, onClose }: { guildId: string; channel?: Channel; onClose: () => void }) {
  const [name, setName] = useState(channel?.name ?? '');
  const [topic, setTopic] = useState(channel?.topic ?? '');
  const [confirmDelete, setConfirmDelete] = useState(false);
  const save = useAction(async () => {
    if (channel) {
      await updateChannel(channel.id, { name: name.trim(), topic: topic.trim() || null });
      onClose();
    } else {
      const created = await createChannel(guildId, name.trim());
      onClose();
      navigate(paths.channel(guildId, created.id));
    }
  });
  if (confirmDelete && channel) {
    return (
      <ConfirmDialog
        title={`Delete #${channel.name}?`}
        message="The channel and all of its messages are deleted for everyone."
        confirmLabel="Delete channel"
        danger
        onClose={onClose}
        onConfirm={async () => {
          await deleteChannel(channel);
          navigate(paths.channel(guildId));
        }}
      />
    );
  }
  return (
    <Dialog title={channel ? `Edit #${channel.name}` : 'Create a channel'} onClose={onClose}>
      <form
        class="stack"
        onSubmit={(e) => {
          e.preventDefault();
          void save.run();
        }}
      >
        <Field label="Channel name">
          <input class="input" required maxLength={100} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </Field>
        {channel ? (
          <Field label="Topic">
            <input class="input" maxLength={1024} value={topic} onInput={(e) => setTopic(e.currentTarget.value)} />
          </Field>
        ) : null}
        <ErrorText error={save.error} />
        <div class="dialog-actions">
          {channel ? (
            <button type="button" class="button danger" onClick={() => setConfirmDelete(true)}>
              Delete channel
            </button>
          ) : null}
          <button type="submit" class="button primary" disabled={save.busy || !name.trim()}>
            {channel ? 'Save' : 'Create channel'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** A channel's row and, under it, its active threads; a thread opens beside its channel. */
function ChannelRow({ guildId, channel, children }: { guildId: string; channel: Channel; children: ComponentChildren }) {
  const threads = useSelector(app, (s) => s.threads[guildId]);
  const openId = useSelector(app, (s) => s.openThreadId);
  const active = Object.values(threads ?? {})
    .filter((t) => t.thread?.parent_id === channel.id && !t.thread.archived)
    .sort((a, b) => a.name.localeCompare(b.name));
  return (
    <>
      {children}
      {active.map((t) => (
        <li key={t.id} class={t.id === openId ? 'channel-row thread-row active' : 'channel-row thread-row'}>
          <button
            type="button"
            class="channel-link thread-link"
            aria-label={`Thread ${t.name} in #${channel.name}`}
            aria-current={t.id === openId ? 'true' : undefined}
            onClick={() => {
              navigate(paths.channel(guildId, channel.id));
              openThread(t.id);
            }}
          >
            <Icon name="thread" size={14} /> {t.name}
          </button>
        </li>
      ))}
    </>
  );
}

export function inviteLink(code: string): string {
  return new URL(`invite/${encodeURIComponent(code)}`, appRoot()).href;
}

function InviteDialog({ channel, onClose }: { channel: Channel; onClose: () => void }) {
  const [invite, setInvite] = useState<Invite | null>(null);
  const create = useAction(async () => setInvite(await api<Invite>('POST', `/channels/${channel.id}/invites`, { max_age: 7 * 86400 })));
  return (
    <Dialog title={`Invite people to #${channel.name}`} onClose={onClose}>
      {invite ? (
        <div class="stack">
          <Field label="Invite link">
            <input class="input mono" readOnly value={inviteLink(invite.code)} data-testid="invite-link" onFocus={(e) => e.currentTarget.select()} />
          </Field>
          <p class="hint">
            Code <code data-testid="invite-code">{invite.code}</code>
            {invite.expires_at ? ` · expires ${new Date(invite.expires_at).toLocaleString()}` : ' · never expires'}
          </p>
          <CopyButton text={inviteLink(invite.code)} label="Copy link" />
        </div>
      ) : (
        <div class="stack">
          <p>Anyone with the link can join this server. Links expire after 7 days.</p>
          <ErrorText error={create.error} />
          <button type="button" class="button primary" disabled={create.busy} onClick={() => void create.run()}>
            Create invite link
          </button>
        </div>
      )}
    </Dialog>
  );
}

// Server Settings -> Overview: name, description and icon (manage_guild), and deleting the server (owner).
import { useState } from 'preact/hooks';
import { plural } from '../../lib/people.ts';
import { Flags, has } from '../../lib/permissions.ts';
import { navigate, paths } from '../../lib/router.tsx';
import { imageUrl } from '../../lib/urls.ts';
import { useAction } from '../../lib/use-async.ts';
import type { GuildDetail } from '../../lib/wire.ts';
import { deleteGuild, updateGuild } from '../../state/actions.ts';
import { app } from '../../state/app-state.ts';
import { useSelector } from '../../state/store.ts';
import { ConfirmDialog } from '../dialog.tsx';
import { initials } from '../guild-rail.tsx';
import { ErrorText, Field, ImagePicker, PROFILE_IMAGE_MAX_BYTES } from '../ui.tsx';

export function OverviewTab({ guild, perms }: { guild: GuildDetail; perms: bigint }) {
  const [name, setName] = useState(guild.name);
  const [description, setDescription] = useState(guild.description ?? '');
  // undefined: keep the icon; a data URI: upload it; null: remove it.
  const [icon, setIcon] = useState<string | null | undefined>(undefined);
  const [saved, setSaved] = useState(false);
  // Live once the member list is loaded (joins and leaves keep it current); the count the guild came with until then.
  const memberCount = useSelector(app, (s) => (s.members[guild.id] ? Object.keys(s.members[guild.id]!).length : guild.member_count));
  const [deleting, setDeleting] = useState(false);
  const owner = useSelector(app, (s) => s.session?.user.id === guild.owner_id);
  const canEdit = has(perms, Flags.ManageGuild);
  const save = useAction(async () => {
    await updateGuild(guild.id, { name: name.trim(), description: description.trim() || null, ...(icon === undefined ? {} : { icon }) });
    setIcon(undefined);
    setSaved(true);
  });
  return (
    <div class="stack">
      <form
        class="card stack"
        onSubmit={(e) => {
          e.preventDefault();
          setSaved(false);
          void save.run();
        }}
      >
        <h2>Overview</h2>
        <Field label="Server name">
          <input class="input" required maxLength={200} value={name} disabled={!canEdit} onInput={(e) => setName(e.currentTarget.value)} />
        </Field>
        <div class="guild-icon-preview">
          {icon ? (
            <img class="guild-icon-lg" src={icon} alt="New server icon" />
          ) : icon === undefined && imageUrl(guild.icon) ? (
            <img class="guild-icon-lg" src={imageUrl(guild.icon) ?? ''} alt="Server icon" />
          ) : (
            <span class="guild-icon-lg" aria-hidden="true">
              {initials(name || guild.name)}
            </span>
          )}
        </div>
        {canEdit ? (
          <Field label="Icon" hint="A PNG, JPEG, GIF or WebP image of at most 512 KiB, uploaded when you save.">
            <ImagePicker label="Server icon image" maxBytes={PROFILE_IMAGE_MAX_BYTES} onPick={(uri) => setIcon(uri)} />
          </Field>
        ) : null}
        {canEdit && (guild.icon || icon) ? (
          <button type="button" class="button" onClick={() => setIcon(null)}>
            Remove icon
          </button>
        ) : null}
        <Field label="Description">
          <textarea class="input" maxLength={1000} value={description} disabled={!canEdit} onInput={(e) => setDescription(e.currentTarget.value)} />
        </Field>
        <p class="hint">
          {plural(memberCount, 'member')} · created {new Date(guild.created_at).toLocaleDateString()}
        </p>
        <ErrorText error={save.error} />
        {saved ? (
          <p class="success" role="status">
            Saved.
          </p>
        ) : null}
        {canEdit ? (
          <button type="submit" class="button primary" disabled={save.busy || !name.trim()}>
            Save changes
          </button>
        ) : (
          <p class="hint">You need manage_guild to change these.</p>
        )}
      </form>
      {owner ? (
        <section class="card stack danger-zone">
          <h2>Delete server</h2>
          <p>Deletes every channel and message for everyone. This cannot be undone.</p>
          <button type="button" class="button danger" onClick={() => setDeleting(true)}>
            Delete server
          </button>
        </section>
      ) : null}
      {deleting ? (
        <ConfirmDialog
          title={`Delete ${guild.name}?`}
          message="Every channel and message in it is deleted for everyone."
          confirmLabel="Delete server"
          danger
          onClose={() => setDeleting(false)}
          onConfirm={async () => {
            await deleteGuild(guild.id);
            navigate(paths.home());
          }}
        />
      ) : null}
    </div>
  );
}

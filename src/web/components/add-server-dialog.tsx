// "Add a server": create one (you become its owner) or join one with an invite code or link.
import { useState } from 'preact/hooks';
import { navigate, paths } from '../lib/router.tsx';
import { useAction } from '../lib/use-async.ts';
import { createGuild, inviteCodeFrom, joinInvite } from '../state/actions.ts';
import { Dialog } from './dialog.tsx';
import { ErrorText, Field } from './ui.tsx';

export function AddServerDialog({ onClose }: { onClose: () => void }) {
  const [name, setName] = useState('');
  const [invite, setInvite] = useState('');
  const create = useAction(async () => {
    const guild = await createGuild(name.trim());
    onClose();
    navigate(paths.channel(guild.id, guild.channels[0]?.id));
  });
  const join = useAction(async () => {
    const code = inviteCodeFrom(invite);
    if (!code) throw new Error('That is not an invite code or invite link.');
    const guild = await joinInvite(code);
    onClose();
    navigate(paths.channel(guild.id));
  });

  return (
    <Dialog title="Add a server" onClose={onClose}>
      <form
        class="stack"
        onSubmit={(e) => {
          e.preventDefault();
          void create.run();
        }}
      >
        <h3>Create a server</h3>
        <Field label="Server name">
          <input class="input" required minLength={2} maxLength={100} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </Field>
        <ErrorText error={create.error} />
        <button type="submit" class="button primary" disabled={create.busy || !name.trim()}>
          Create server
        </button>
      </form>
      <hr />
      <form
        class="stack"
        onSubmit={(e) => {
          e.preventDefault();
          void join.run();
        }}
      >
        <h3>Join a server</h3>
        <Field label="Invite code or link" hint="For example aB3dE6 or https://chat.example.com/invite/aB3dE6">
          <input class="input" required value={invite} onInput={(e) => setInvite(e.currentTarget.value)} />
        </Field>
        <ErrorText error={join.error} />
        <button type="submit" class="button" disabled={join.busy || !invite.trim()}>
          Join server
        </button>
      </form>
    </Dialog>
  );
}

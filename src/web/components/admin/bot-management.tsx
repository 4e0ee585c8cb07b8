// Admin -> Bot Management: "Create New Bot", the token shown once (copy button, warning), regenerate
// with confirmation, delete, and the privileged gateway intents each bot may ask for.
import { useState } from 'preact/hooks';
import { useAction, useLoad } from '../../lib/use-async.ts';
import type { Bot } from '../../lib/wire.ts';
import { api } from '../../state/client.ts';
import { Avatar, displayName } from '../avatar.tsx';
import { ConfirmDialog, Dialog } from '../dialog.tsx';
import { ErrorText, Field, Loading, SecretOnce, Switch } from '../ui.tsx';

type Intent = keyof Bot['privileged_intents'];
const INTENTS: { id: Intent; label: string; hint: string }[] = [
  { id: 'message_content', label: 'Message content', hint: 'read what people write' },
  { id: 'members', label: 'Server members', hint: 'member lists and join/leave events' },
  { id: 'presence', label: 'Presence', hint: 'who is online and what they are doing' },
];

export const TOKEN_WARNING = 'this token is shown only once. Store it somewhere safe (an environment variable, not git). If you lose it, regenerate it.';

export function BotManagement() {
  const bots = useLoad(() => api<Bot[]>('GET', '/admin/bots'), []);
  const [creating, setCreating] = useState(false);
  const [shown, setShown] = useState<{ bot: Bot; token: string } | null>(null);
  const [confirm, setConfirm] = useState<null | { kind: 'regenerate' | 'delete'; bot: Bot }>(null);

  return (
    <div class="stack">
      <div class="row">
        <p class="hint">Bots connect with their token to the gateway and the REST API. Add them to servers in Server Settings → Bots.</p>
        <button type="button" class="button primary" onClick={() => setCreating(true)}>
          Create New Bot
        </button>
      </div>
      {shown ? (
        <section class="card stack" aria-label={`Token of ${shown.bot.username}`}>
          <h2>Token for {shown.bot.username}</h2>
          <SecretOnce label={`Token of ${shown.bot.username}`} secret={shown.token} warning={TOKEN_WARNING} onDone={() => setShown(null)} />
        </section>
      ) : null}
      <ErrorText error={bots.error} />
      {bots.loading && !bots.data ? <Loading /> : null}
      {bots.data?.length === 0 ? <p class="hint">No bots yet.</p> : null}
      <ul class="bot-cards">
        {bots.data?.map((bot) => (
          <li key={bot.id} class="card bot-card" data-bot-id={bot.id}>
            <div class="row">
              <Avatar user={bot} />
              <div class="bot-info">
                <h3>
                  {displayName(bot)} <span class="bot-tag">BOT</span>
                  {bot.system ? <span class="tag">built-in</span> : null}
                </h3>
                {bot.description ? <p class="hint">{bot.description}</p> : null}
                <p class="hint">
                  id <code>{bot.id}</code> · created {new Date(bot.created_at).toLocaleDateString()}
                </p>
              </div>
            </div>
            <fieldset class="intents">
              <legend>Privileged intents</legend>
              {INTENTS.map((i) => (
                <Switch
                  key={i.id}
                  label={i.label}
                  hint={i.hint}
                  checked={bot.privileged_intents[i.id]}
                  onToggle={async (on) => {
                    const updated = await api<Bot>('PATCH', `/admin/bots/${bot.id}`, { privileged_intents: { [i.id]: on } });
                    bots.set((bots.data ?? []).map((b) => (b.id === updated.id ? updated : b)));
                  }}
                />
              ))}
            </fieldset>
            <div class="row">
              <button type="button" class="button" onClick={() => setConfirm({ kind: 'regenerate', bot })}>
                Regenerate token
              </button>
              {bot.system ? null : (
                <button type="button" class="button danger" onClick={() => setConfirm({ kind: 'delete', bot })}>
                  Delete bot
                </button>
              )}
            </div>
          </li>
        ))}
      </ul>

      {creating ? (
        <CreateBotDialog
          onClose={() => setCreating(false)}
          onCreated={(bot, token) => {
            setCreating(false);
            setShown({ bot, token });
            bots.reload();
          }}
        />
      ) : null}
      {confirm?.kind === 'regenerate' ? (
        <ConfirmDialog
          title={`Regenerate the token of ${confirm.bot.username}?`}
          message="The current token stops working at once and the bot is disconnected until it uses the new one."
          confirmLabel="Regenerate token"
          danger
          onClose={() => setConfirm(null)}
          onConfirm={async () => {
            const { bot, token } = await api<{ bot: Bot; token: string }>('POST', `/admin/bots/${confirm.bot.id}/token`);
            setShown({ bot, token });
          }}
        />
      ) : null}
      {confirm?.kind === 'delete' ? (
        <ConfirmDialog
          title={`Delete ${confirm.bot.username}?`}
          message="The bot is removed from every server and its token stops working."
          confirmLabel="Delete bot"
          danger
          onClose={() => setConfirm(null)}
          onConfirm={async () => {
            await api('DELETE', `/admin/bots/${confirm.bot.id}`);
            if (shown?.bot.id === confirm.bot.id) setShown(null);
            bots.reload();
          }}
        />
      ) : null}
    </div>
  );
}

export function CreateBotDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (bot: Bot, token: string) => void }) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const create = useAction(async () => {
    const { bot, token } = await api<{ bot: Bot; token: string }>('POST', '/admin/bots', { username: name.trim(), description: description.trim() || null });
    onCreated(bot, token);
  });
  return (
    <Dialog title="Create New Bot" onClose={onClose}>
      <form
        class="stack"
        onSubmit={(e) => {
          e.preventDefault();
          void create.run();
        }}
      >
        <Field label="Bot name">
          <input class="input" required maxLength={64} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </Field>
        <Field label="Description">
          <textarea class="input" maxLength={1000} value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
        </Field>
        <ErrorText error={create.error} />
        <div class="dialog-actions">
          <button type="button" class="button subtle" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class="button primary" disabled={create.busy || !name.trim()}>
            Create bot
          </button>
        </div>
      </form>
    </Dialog>
  );
}

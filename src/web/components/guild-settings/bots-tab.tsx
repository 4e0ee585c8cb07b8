// Server Settings -> Bots, the seed's Quick Start step 2: search bots, "Add to Server" with
// permission checkboxes grouped by category, change a bot's permissions later, or remove it. An instance admin
// may also create a bot right here (Quick Start step 1 without a detour through the admin panel): its token is
// shown once, and the new bot is offered for adding at once.
import { useEffect, useState } from 'preact/hooks';
import { Flags, namesIn, parseBits } from '../../lib/permissions.ts';
import { useAction, useLoad } from '../../lib/use-async.ts';
import type { ApplicationCommand, Bot, GuildBot, GuildDetail, User } from '../../lib/wire.ts';
import { reloadGuild, reloadMembers } from '../../state/actions.ts';
import { app, notify } from '../../state/app-state.ts';
import { api } from '../../state/client.ts';
import { useSelector } from '../../state/store.ts';
import { CreateBotDialog, TOKEN_WARNING } from '../admin/bot-management.tsx';
import { Avatar, displayName } from '../avatar.tsx';
import { ConfirmDialog, Dialog } from '../dialog.tsx';
import { PermissionPicker } from '../permission-picker.tsx';
import { ErrorText, Field, Loading, SecretOnce } from '../ui.tsx';

/** What a typical chat bot needs: see, read history, talk, react. */
const DEFAULT_BOT_PERMISSIONS = Flags.ViewChannel | Flags.SendMessages | Flags.ReadMessageHistory | Flags.AddReactions | Flags.EmbedLinks;

export function BotsTab({ guild }: { guild: GuildDetail }) {
  const installed = useLoad(() => api<GuildBot[]>('GET', `/guilds/${guild.id}/bots`), [guild.id]);
  const commands = useLoad(() => api<ApplicationCommand[]>('GET', `/guilds/${guild.id}/commands`), [guild.id]);
  const [query, setQuery] = useState('');
  const [search, setSearch] = useState('');
  const results = useLoad(() => api<Bot[]>('GET', `/bots${search ? `?query=${encodeURIComponent(search)}` : ''}`), [search]);
  const [dialog, setDialog] = useState<null | { kind: 'add' | 'edit'; bot: User; bits: bigint } | { kind: 'remove'; bot: User }>(null);
  const installedIds = new Set((installed.data ?? []).map((b) => b.bot.id));
  const admin = useSelector(app, (s) => s.session?.user.admin === true);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<{ bot: Bot; token: string } | null>(null);

  // Search as you type, a moment after the last key.
  useEffect(() => {
    const timer = setTimeout(() => setSearch(query.trim()), 250);
    return () => clearTimeout(timer);
  }, [query]);

  const changed = async () => {
    installed.reload();
    await Promise.all([reloadMembers(guild.id), reloadGuild(guild.id)]);
  };

  return (
    <div class="stack">
      <section class="card stack" aria-labelledby="installed-bots-title">
        <h2 id="installed-bots-title">Bots in {guild.name}</h2>
        <ErrorText error={installed.error} />
        {installed.loading && !installed.data ? <Loading /> : null}
        {installed.data?.length === 0 ? <p class="hint">No bots yet. Find one below and add it.</p> : null}
        <ul class="bot-list">
          {installed.data?.map((b) => (
            <li key={b.bot.id} class="bot-row" data-bot-id={b.bot.id}>
              <Avatar user={b.bot} size="sm" />
              <div class="bot-info">
                <strong>{displayName(b.bot)}</strong> <span class="bot-tag">BOT</span>
                <p class="hint perm-summary">{b.permission_names.length ? b.permission_names.join(', ') : 'no permissions'}</p>
                <CommandSummary commands={(commands.data ?? []).filter((c) => c.application_id === b.bot.id)} />
              </div>
              <div class="actions">
                <button type="button" class="button small" onClick={() => setDialog({ kind: 'edit', bot: b.bot, bits: parseBits(b.permissions) })}>
                  Change permissions
                </button>
                <button type="button" class="button small danger" onClick={() => setDialog({ kind: 'remove', bot: b.bot })}>
                  Remove
                </button>
              </div>
            </li>
          ))}
        </ul>
      </section>

      <section class="card stack" aria-labelledby="find-bots-title">
        <h2 id="find-bots-title">Add a bot</h2>
        {admin ? (
          <div class="inline-form">
            <button type="button" class="button" onClick={() => setCreating(true)}>
              Create New Bot
            </button>
            <span class="hint">As an instance admin you can create one here; it is listed below to add.</span>
          </div>
        ) : null}
        {created ? (
          <SecretOnce label={`Token of ${created.bot.username}`} secret={created.token} warning={TOKEN_WARNING} onDone={() => setCreated(null)} />
        ) : null}
        <form
          class="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            setSearch(query.trim());
          }}
        >
          <Field label="Search bots">
            <input
              class="input"
              type="search"
              name="bot-search"
              maxLength={64}
              value={query}
              placeholder="Bot name"
              onInput={(e) => setQuery(e.currentTarget.value)}
            />
          </Field>
          <button type="submit" class="button">
            Search
          </button>
        </form>
        <ErrorText error={results.error} />
        {results.data?.length === 0 ? (
          <p class="hint">
            No bot matches “{search}”. {admin ? 'Create one with “Create New Bot” above.' : 'An instance admin creates bots.'}
          </p>
        ) : null}
        <ul class="bot-list" aria-label="Search results">
          {results.data?.map((bot) => (
            <li key={bot.id} class="bot-row" data-bot-id={bot.id}>
              <Avatar user={bot} size="sm" />
              <div class="bot-info">
                <strong>{displayName(bot)}</strong> <span class="bot-tag">BOT</span>
                {bot.description ? <p class="hint">{bot.description}</p> : null}
              </div>
              <div class="actions">
                {installedIds.has(bot.id) ? (
                  <span class="tag">In this server</span>
                ) : (
                  <button type="button" class="button small primary" onClick={() => setDialog({ kind: 'add', bot, bits: DEFAULT_BOT_PERMISSIONS })}>
                    Add to Server
                  </button>
                )}
              </div>
            </li>
          ))}
        </ul>
      </section>

      {creating ? (
        <CreateBotDialog
          onClose={() => setCreating(false)}
          onCreated={(bot, token) => {
            setCreating(false);
            setCreated({ bot, token });
            setQuery(bot.username);
            setSearch(bot.username);
            results.reload();
          }}
        />
      ) : null}
      {dialog && dialog.kind !== 'remove' ? (
        <BotPermissionsDialog
          guild={guild}
          bot={dialog.bot}
          initial={dialog.bits}
          adding={dialog.kind === 'add'}
          onClose={() => setDialog(null)}
          onDone={async () => {
            setDialog(null);
            if (dialog.kind === 'add') notify(`${displayName(dialog.bot)} was added to ${guild.name}.`, 'info');
            await changed();
          }}
        />
      ) : null}
      {dialog?.kind === 'remove' ? (
        <ConfirmDialog
          title={`Remove ${displayName(dialog.bot)}?`}
          message="The bot leaves this server and loses its role."
          confirmLabel="Remove bot"
          danger
          onClose={() => setDialog(null)}
          onConfirm={async () => {
            await api('DELETE', `/guilds/${guild.id}/bots/${dialog.bot.id}`);
            await changed();
          }}
        />
      ) : null}
    </div>
  );
}

/** How people will find a command: `/name` for slash commands, the menu it sits in for context menus. */
function commandLabel(c: ApplicationCommand): string {
  if (c.type === 2) return `${c.name} (user menu)`;
  if (c.type === 3) return `${c.name} (message menu)`;
  return `/${c.name}`;
}

/** The commands a bot registered here or globally (running them comes with interactions). */
function CommandSummary({ commands }: { commands: ApplicationCommand[] }) {
  if (commands.length === 0) return null;
  return (
    <p class="hint command-summary" data-testid="bot-commands">
      Commands: {commands.map(commandLabel).join(', ')}
    </p>
  );
}

function BotPermissionsDialog({
  guild,
  bot,
  initial,
  adding,
  onClose,
  onDone,
}: {
  guild: GuildDetail;
  bot: User;
  initial: bigint;
  adding: boolean;
  onClose: () => void;
  onDone: () => Promise<void>;
}) {
  const [bits, setBits] = useState(initial);
  const save = useAction(async () => {
    await api('PUT', `/guilds/${guild.id}/bots/${bot.id}`, { permissions: namesIn(bits) });
    await onDone();
  });
  return (
    <Dialog title={adding ? `Add ${displayName(bot)} to ${guild.name}` : `Permissions of ${displayName(bot)}`} onClose={onClose} wide>
      <form
        class="stack"
        onSubmit={(e) => {
          e.preventDefault();
          void save.run();
        }}
      >
        <p class="hint">Grant only what the bot needs. You can change this later.</p>
        {/* As in Discord, a bot's role adds to @everyone's permissions; say so, or "nothing ticked" reads as "no access". */}
        <p class="hint" data-testid="everyone-applies">
          @everyone's permissions still apply to the bot: even with nothing ticked here, it can read and post wherever @everyone can. To keep it out of a
          channel, deny it there in Channel permissions.
        </p>
        <PermissionPicker value={bits} onChange={setBits} idPrefix={`bot-${bot.id}`} />
        <ErrorText error={save.error} />
        <div class="dialog-actions">
          <button type="button" class="button subtle" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class="button primary" disabled={save.busy}>
            {adding ? 'Add to Server' : 'Save permissions'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

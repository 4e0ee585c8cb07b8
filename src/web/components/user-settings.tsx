// /app/settings — your profile, status and custom activity (sent over the gateway, op 3), who may DM you, and the
// presence API: share switch, API token (shown once), K/V editor, GitHub link, and a live preview
// of what websites see (the card SVG and the GET /user/:id JSON).
import { useEffect, useState } from 'preact/hooks';
import { isStatus } from '../lib/errors.ts';
import type { Route } from '../lib/router.tsx';
import { presenceUrl, safeHttpUrl } from '../lib/urls.ts';
import { useAction, useLoad } from '../lib/use-async.ts';
import type { SelfUser } from '../lib/wire.ts';
import { app } from '../state/app-state.ts';
import { api } from '../state/client.ts';
import { type OwnStatus, ownPresence, setOwnPresence } from '../state/presence.ts';
import { setUser } from '../state/session.ts';
import { useSelector } from '../state/store.ts';
import { savedTheme, setTheme, type Theme } from '../state/theme.ts';
import { AccountSection } from './account-section.tsx';
import { ActionsTable } from './actions-table.tsx';
import { Avatar } from './avatar.tsx';
import { ConfirmDialog } from './dialog.tsx';
import { DirectMessagesSection } from './direct-messages-section.tsx';
import { HomeSidebar } from './home-screen.tsx';
import { Layout, PageHeader } from './layout.tsx';
import { NotificationsSection } from './notifications-section.tsx';
import { ErrorText, Field, ImagePicker, Loading, PROFILE_IMAGE_MAX_BYTES, SecretOnce, Switch } from './ui.tsx';

type PresenceSettings = {
  shared: boolean;
  has_token: boolean;
  github: { username: string; url: string; avatar_url: string; bio: string | null; public_repos: number } | null;
  guild_id: string | null;
  url: string;
  bot_id: string | null;
};

const KV_KEY = /^[a-zA-Z0-9_]{1,255}$/;

export function UserSettings({ route }: { route: Route }) {
  const user = useSelector(app, (s) => s.session?.user);
  const [revision, setRevision] = useState(0);
  const changed = () => setRevision((n) => n + 1);
  if (!user) return null;
  return (
    <Layout route={route} sidebar={<HomeSidebar />}>
      <PageHeader title="User settings" />
      <div class="page settings-page">
        <ProfileSection user={user} onChange={changed} />
        <StatusSection onChange={changed} />
        <DirectMessagesSection />
        <AppearanceSection />
        <NotificationsSection />
        <PresenceSection userId={user.id} onChange={changed} />
        <PreviewSection userId={user.id} revision={revision} />
        <AccountSection user={user} />
      </div>
    </Layout>
  );
}

const THEMES: { value: Theme; label: string }[] = [
  { value: 'system', label: 'Same as the system' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

/** The theme, applied at once and kept on this device. */
function AppearanceSection() {
  const [theme, choose] = useState<Theme>(savedTheme);
  return (
    <section class="card stack" aria-labelledby="appearance-title">
      <h2 id="appearance-title">Appearance</h2>
      <fieldset class="stack">
        <legend>Theme</legend>
        {THEMES.map((t) => (
          <label key={t.value} class="radio">
            <input
              type="radio"
              name="theme"
              value={t.value}
              checked={theme === t.value}
              onChange={() => {
                choose(t.value);
                setTheme(t.value);
              }}
            />{' '}
            {t.label}
          </label>
        ))}
      </fieldset>
    </section>
  );
}

function ProfileSection({ user, onChange }: { user: SelfUser; onChange: () => void }) {
  const [name, setName] = useState(user.global_name ?? '');
  // undefined: keep the current avatar; a data URI: upload it; null: remove it.
  const [avatar, setAvatar] = useState<string | null | undefined>(undefined);
  const [saved, setSaved] = useState(false);
  const save = useAction(async () => {
    setUser(await api<SelfUser>('PATCH', '/users/@me', { global_name: name.trim() || null, ...(avatar === undefined ? {} : { avatar }) }));
    setAvatar(undefined);
    setSaved(true);
    onChange();
  });
  return (
    <form
      class="card stack"
      aria-labelledby="profile-title"
      onSubmit={(e) => {
        e.preventDefault();
        setSaved(false);
        void save.run();
      }}
    >
      <h2 id="profile-title">Profile</h2>
      <div class="profile-preview">
        <Avatar user={{ ...user, global_name: name || null, avatar: avatar === null ? null : user.avatar }} preview={avatar} size="lg" />
      </div>
      <Field label="Display name" hint="Shown instead of your username. Leave empty to use your username.">
        <input class="input" maxLength={64} value={name} onInput={(e) => setName(e.currentTarget.value)} />
      </Field>
      <Field label="Avatar" hint="A PNG, JPEG, GIF or WebP image of at most 512 KiB. It is uploaded when you save.">
        <ImagePicker label="Avatar image" maxBytes={PROFILE_IMAGE_MAX_BYTES} onPick={(uri) => setAvatar(uri)} />
      </Field>
      {user.avatar || avatar ? (
        <button type="button" class="button" onClick={() => setAvatar(null)}>
          Remove avatar
        </button>
      ) : null}
      <ErrorText error={save.error} />
      {saved ? (
        <p class="success" role="status">
          Profile saved.
        </p>
      ) : null}
      <button type="submit" class="button primary" disabled={save.busy}>
        Save profile
      </button>
    </form>
  );
}

const STATUSES: { value: OwnStatus; label: string; hint: string }[] = [
  { value: 'online', label: 'Online', hint: '' },
  { value: 'idle', label: 'Idle', hint: '' },
  { value: 'dnd', label: 'Do not disturb', hint: '' },
  { value: 'invisible', label: 'Invisible', hint: 'Others see you as offline.' },
];

function StatusSection({ onChange }: { onChange: () => void }) {
  const initial = ownPresence();
  const [status, setStatus] = useState<OwnStatus>(initial.status);
  const [activity, setActivity] = useState(initial.activity);
  const [message, setMessage] = useState<string | null>(null);
  const apply = (next: { status: OwnStatus; activity: string }) => {
    const sent = setOwnPresence(next);
    setMessage(sent ? 'Status updated.' : 'Saved; it is sent as soon as the live connection is back.');
    onChange();
  };
  return (
    <section class="card stack" aria-labelledby="status-title">
      <h2 id="status-title">Status</h2>
      <fieldset class="radio-group">
        <legend>Your status</legend>
        {STATUSES.map((s) => (
          <label key={s.value} class="radio">
            <input
              type="radio"
              name="status"
              value={s.value}
              checked={status === s.value}
              onChange={() => {
                setStatus(s.value);
                apply({ status: s.value, activity });
              }}
            />
            <span class={`dot dot-${s.value === 'invisible' ? 'offline' : s.value}`} aria-hidden="true" /> {s.label}
            {s.hint ? <span class="hint"> — {s.hint}</span> : null}
          </label>
        ))}
      </fieldset>
      <form
        class="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          apply({ status, activity: activity.trim() });
        }}
      >
        <Field label="Custom activity" hint="Shown under your name, on your presence card and in the presence API.">
          <input class="input" maxLength={128} value={activity} placeholder="What are you up to?" onInput={(e) => setActivity(e.currentTarget.value)} />
        </Field>
        <button type="submit" class="button">
          Set activity
        </button>
        {activity ? (
          <button
            type="button"
            class="button subtle"
            onClick={() => {
              setActivity('');
              apply({ status, activity: '' });
            }}
          >
            Clear
          </button>
        ) : null}
      </form>
      {message ? (
        <p class="success" role="status">
          {message}
        </p>
      ) : null}
    </section>
  );
}

function PresenceSection({ userId, onChange }: { userId: string; onChange: () => void }) {
  // A server without the presence API answers 404: the rest of the settings still work.
  const settings = useLoad(async () => {
    try {
      return await api<PresenceSettings>('GET', '/users/@me/presence');
    } catch (error) {
      if (isStatus(error, 404)) return null;
      throw error;
    }
  }, []);
  const [token, setToken] = useState<string | null>(null);
  const [confirmRevoke, setConfirmRevoke] = useState(false);
  const update = (next: PresenceSettings | null) => {
    settings.set(next);
    onChange();
  };
  const generate = useAction(async () => {
    const { token } = await api<{ token: string }>('POST', '/users/@me/presence/token');
    setToken(token);
    update(await api<PresenceSettings>('GET', '/users/@me/presence'));
  });

  if (settings.loading && !settings.data) return <Loading />;
  if (!settings.data) {
    return (
      <section class="card stack" aria-labelledby="presence-title">
        <h2 id="presence-title">Presence API</h2>
        {settings.error ? <ErrorText error={settings.error} /> : <p class="hint">Presence settings are not available on this server.</p>}
      </section>
    );
  }
  const s = settings.data;
  return (
    <section class="card stack" aria-labelledby="presence-title">
      <h2 id="presence-title">Presence API</h2>
      <p class="hint">
        Websites can show your live status, activity, K/V and GitHub profile from <code>{presenceUrl(userId)}</code> once you share your presence.
      </p>
      <Switch
        label="Share my presence"
        checked={s.shared}
        onToggle={async (shared) => update(await api<PresenceSettings>('PUT', '/users/@me/presence', { shared }))}
      />

      <h3>API token</h3>
      <p class="hint">Lets your own scripts write your K/V and read private (_) keys. {s.has_token ? 'You have a token.' : 'You have no token.'}</p>
      {token ? (
        <SecretOnce
          label="Presence API token"
          secret={token}
          warning="this token is shown only once. Generating a new one revokes it."
          onDone={() => setToken(null)}
        />
      ) : null}
      <div class="row">
        <button type="button" class="button" disabled={generate.busy} onClick={() => void generate.run()}>
          {s.has_token ? 'Generate a new token' : 'Generate token'}
        </button>
        {s.has_token ? (
          <button type="button" class="button danger" onClick={() => setConfirmRevoke(true)}>
            Revoke token
          </button>
        ) : null}
      </div>
      <ErrorText error={generate.error} />
      {confirmRevoke ? (
        <ConfirmDialog
          title="Revoke your presence API token?"
          message="Scripts using it stop working at once."
          confirmLabel="Revoke"
          danger
          onClose={() => setConfirmRevoke(false)}
          onConfirm={async () => {
            await api('DELETE', '/users/@me/presence/token');
            setToken(null);
            update({ ...s, has_token: false });
          }}
        />
      ) : null}

      <KvEditor onChange={onChange} />
      <GithubLink settings={s} onUpdate={update} />
    </section>
  );
}

function KvEditor({ onChange }: { onChange: () => void }) {
  const kv = useLoad(() => api<Record<string, string>>('GET', '/users/@me/presence/kv'), []);
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const [editing, setEditing] = useState<{ key: string; value: string } | null>(null);
  const put = useAction(async (k: string, v: string) => {
    if (!KV_KEY.test(k)) throw new Error('Keys are 1-255 letters, digits or _.');
    kv.set(await api<Record<string, string>>('PUT', `/users/@me/presence/kv/${encodeURIComponent(k)}`, { value: v }));
    onChange();
  });
  const remove = useAction(async (k: string) => {
    kv.set(await api<Record<string, string>>('DELETE', `/users/@me/presence/kv/${encodeURIComponent(k)}`));
    onChange();
  });
  const entries = Object.entries(kv.data ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return (
    <section class="stack" aria-labelledby="kv-title">
      <h3 id="kv-title">Key / value store</h3>
      <p class="hint">Keys starting with _ are private: only requests with your API token see them.</p>
      <ErrorText error={kv.error} />
      {entries.length ? (
        <ActionsTable class="kv-table" columns={['Key', 'Value']}>
          {entries.map(([k, v]) => (
            <tr key={k}>
              <td>
                <code>{k}</code> {k.startsWith('_') ? <span class="tag">private</span> : null}
              </td>
              <td>
                {editing?.key === k ? (
                  <textarea
                    class="input"
                    aria-label={`Value of ${k}`}
                    value={editing.value}
                    onInput={(e) => setEditing({ key: k, value: e.currentTarget.value })}
                  />
                ) : (
                  <span class="kv-value">{v}</span>
                )}
              </td>
              <td class="actions">
                {editing?.key === k ? (
                  <>
                    <button
                      type="button"
                      class="button small primary"
                      onClick={async () => {
                        if (await put.run(k, editing.value)) setEditing(null);
                      }}
                    >
                      Save
                    </button>
                    <button type="button" class="button small subtle" onClick={() => setEditing(null)}>
                      Cancel
                    </button>
                  </>
                ) : (
                  <>
                    <button type="button" class="button small" aria-label={`Edit ${k}`} onClick={() => setEditing({ key: k, value: v })}>
                      Edit
                    </button>
                    <button type="button" class="button small danger" aria-label={`Delete ${k}`} onClick={() => void remove.run(k)}>
                      Delete
                    </button>
                  </>
                )}
              </td>
            </tr>
          ))}
        </ActionsTable>
      ) : kv.data ? (
        <p class="hint">No keys yet.</p>
      ) : null}
      <form
        class="inline-form"
        onSubmit={async (e) => {
          e.preventDefault();
          if (await put.run(key.trim(), value)) {
            setKey('');
            setValue('');
          }
        }}
      >
        <Field label="New key">
          <input class="input mono" required maxLength={255} pattern="[A-Za-z0-9_]+" value={key} onInput={(e) => setKey(e.currentTarget.value)} />
        </Field>
        <Field label="Value">
          <input class="input" maxLength={30000} value={value} onInput={(e) => setValue(e.currentTarget.value)} />
        </Field>
        <button type="submit" class="button" disabled={put.busy}>
          Add key
        </button>
      </form>
      <ErrorText error={put.error ?? remove.error} />
    </section>
  );
}

function GithubLink({ settings, onUpdate }: { settings: PresenceSettings; onUpdate: (s: PresenceSettings) => void }) {
  const [username, setUsername] = useState('');
  const link = useAction(async () => onUpdate(await api<PresenceSettings>('PUT', '/users/@me/presence/github', { username: username.trim() })));
  const unlink = useAction(async () => onUpdate(await api<PresenceSettings>('DELETE', '/users/@me/presence/github')));
  const github = settings.github;
  const profileUrl = github ? safeHttpUrl(github.url) : null;
  return (
    <section class="stack" aria-labelledby="github-title">
      <h3 id="github-title">GitHub</h3>
      {github ? (
        <div class="row">
          <span>
            Linked to{' '}
            {profileUrl ? (
              <a href={profileUrl} target="_blank" rel="noopener noreferrer">
                {github.username}
              </a>
            ) : (
              github.username
            )}{' '}
            · {github.public_repos} public repositories
          </span>
          <button type="button" class="button small danger" disabled={unlink.busy} onClick={() => void unlink.run()}>
            Unlink
          </button>
        </div>
      ) : (
        <form
          class="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            void link.run();
          }}
        >
          <Field label="GitHub username">
            <input class="input" required maxLength={39} value={username} onInput={(e) => setUsername(e.currentTarget.value)} />
          </Field>
          <button type="submit" class="button" disabled={link.busy}>
            Link GitHub
          </button>
        </form>
      )}
      <ErrorText error={link.error ?? unlink.error} />
    </section>
  );
}

/** What a website sees right now; refreshed after every change here and every 15 s. */
function PreviewSection({ userId, revision }: { userId: string; revision: number }) {
  const [tick, setTick] = useState(0);
  const presences = useSelector(app, (s) => s.presences[userId]);
  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), 15000);
    return () => clearInterval(timer);
  }, []);
  // A short wait lets a just-sent op 3 reach the server before we ask it.
  const [stamp, setStamp] = useState(0);
  // Refreshes on every change signal: a saved change, the 15-second tick, a presence update.
  useEffect(() => {
    const timer = setTimeout(() => setStamp(Date.now()), 300);
    return () => clearTimeout(timer);
  }, [revision, tick, presences]);
  const json = useLoad(async () => {
    const response = await fetch(presenceUrl(userId), { cache: 'no-store' });
    return { status: response.status, text: pretty(await response.text()) };
  }, [userId, stamp]);
  // The card is fetched past the HTTP cache (it is cached for a few seconds) and shown from a blob URL.
  const [theme, setTheme] = useState<'dark' | 'light'>('dark');
  const card = useLoad(async () => {
    const response = await fetch(`${presenceUrl(userId, '/card.svg')}?theme=${theme}`, { cache: 'no-store' });
    return response.ok ? URL.createObjectURL(await response.blob()) : null;
  }, [userId, stamp, theme]);
  useEffect(() => {
    const url = card.data;
    return () => {
      if (url) URL.revokeObjectURL(url);
    };
  }, [card.data]);
  return (
    <section class="card stack" aria-labelledby="preview-title">
      <h2 id="preview-title">What websites see</h2>
      <div class="preview-grid">
        <figure>
          {card.data ? (
            <img class="presence-card" src={card.data} alt="Your presence card" width={400} height={120} />
          ) : (
            <p class="hint">{card.loading ? 'Loading…' : 'No card: share your presence first.'}</p>
          )}
          <figcaption class="hint">
            <code>{presenceUrl(userId, '/card.svg')}</code>{' '}
            <button type="button" class="link-button" onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')}>
              {theme === 'dark' ? 'Light theme' : 'Dark theme'}
            </button>
          </figcaption>
        </figure>
        <figure>
          <pre class="json-preview" data-testid="presence-json">
            {json.data ? `${json.data.status}\n${json.data.text}` : (json.error ?? 'Loading…')}
          </pre>
          <figcaption class="hint">
            <code>GET {presenceUrl(userId)}</code>
          </figcaption>
        </figure>
      </div>
    </section>
  );
}

function pretty(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

// Logging in and out, and keeping the session across reloads: the token and user are kept in
// localStorage (never in a URL), checked against the server on start, and dropped on a 401.
import { describeError } from '../lib/errors.ts';
import type { SelfUser } from '../lib/wire.ts';
import { loadGuilds } from './actions.ts';
import { app, emptyState, notify } from './app-state.ts';
import { api, createClient, dropClient, publicPost, whenUnauthorized } from './client.ts';
import { startLive } from './live.ts';

const KEY = 'harmony.session';
type Saved = { token: string; user: SelfUser };

export function restoreSession(): void {
  const saved = read();
  if (!saved) return;
  begin(saved);
  // The stored user may be stale (renamed, made admin elsewhere): refresh it; a 401 ends the session.
  api<SelfUser>('GET', '/users/@me')
    .then((user) => setUser(user))
    .catch(() => {});
}

export async function authenticate(mode: 'login' | 'register', username: string, password: string): Promise<SelfUser> {
  const saved = await publicPost<Saved>(mode === 'login' ? '/auth/login' : '/auth/register', { username, password });
  write(saved);
  begin(saved);
  return saved.user;
}

export async function logOut(): Promise<void> {
  try {
    await api('POST', '/auth/logout');
  } catch {
    // Logged out locally either way; the token is forgotten below.
  }
  end();
}

export function setUser(user: SelfUser): void {
  const session = app.get().session;
  if (!session) return;
  write({ token: session.token, user });
  app.update((s) => (s.session ? { ...s, session: { ...s.session, user } } : s));
}

function begin(saved: Saved): void {
  const client = createClient(saved.token);
  app.update(() => ({ ...emptyState(), session: saved, connection: 'connecting' }));
  startLive(client);
  // READY brings the guilds too; this REST call only covers a slow or unreachable gateway.
  loadGuilds().catch((error: unknown) => notify(describeError(error)));
}

function end(message?: string): void {
  const client = dropClient();
  void client?.disconnect();
  localStorage.removeItem(KEY);
  app.update(() => emptyState());
  if (message) notify(message);
}

whenUnauthorized(() => {
  if (app.get().session) end('Your session has ended. Please log in again.');
});

// Logging out in one tab logs out the others.
addEventListener('storage', (event: StorageEvent) => {
  if (event.key === KEY && event.newValue === null && app.get().session) end();
});

function read(): Saved | null {
  try {
    const value = JSON.parse(localStorage.getItem(KEY) ?? 'null') as Partial<Saved> | null;
    return value && typeof value.token === 'string' && value.user && typeof value.user.id === 'string' ? (value as Saved) : null;
  } catch {
    return null;
  }
}

function write(saved: Saved): void {
  localStorage.setItem(KEY, JSON.stringify(saved));
}

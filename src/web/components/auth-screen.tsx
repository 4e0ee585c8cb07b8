// Register and log in. Says up front that the first account becomes the instance admin, and shows
// the server's own words for every refusal (taken name, closed registration, wrong password, 429).
import { useState } from 'preact/hooks';
import { useAction } from '../lib/use-async.ts';
import { notify } from '../state/app-state.ts';
import { authenticate } from '../state/session.ts';
import { useDocumentTitle } from './layout.tsx';
import { ErrorText, Field } from './ui.tsx';

export function AuthScreen({ inviteCode }: { inviteCode?: string }) {
  const [mode, setMode] = useState<'login' | 'register'>('login');
  useDocumentTitle(mode === 'login' ? 'Log in' : 'Register');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const submit = useAction(async () => {
    const user = await authenticate(mode, username.trim(), password);
    if (mode === 'register' && user.admin) notify('Welcome! As the first account, you are this instance’s administrator.', 'info');
  });
  const onSubmit = (event: Event) => {
    event.preventDefault();
    void submit.run();
  };
  const switchTo = (next: 'login' | 'register') => {
    setMode(next);
    submit.clear();
  };

  return (
    <main class="auth-screen">
      <form class="auth-card" onSubmit={onSubmit} aria-labelledby="auth-title">
        <h1 class="brand">Harmony</h1>
        {/* The ARIA tabs pattern: one tab stop (the selected tab), arrow keys move between the tabs. */}
        <div
          class="tabs"
          role="tablist"
          aria-label="Account"
          onKeyDown={(e) => {
            if (!['ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(e.key)) return;
            e.preventDefault();
            const next = e.key === 'Home' ? 'login' : e.key === 'End' ? 'register' : mode === 'login' ? 'register' : 'login';
            switchTo(next);
            e.currentTarget.querySelector<HTMLElement>(`[data-mode="${next}"]`)?.focus();
          }}
        >
          <button
            type="button"
            role="tab"
            data-mode="login"
            aria-selected={mode === 'login'}
            tabIndex={mode === 'login' ? 0 : -1}
            class="tab"
            onClick={() => switchTo('login')}
          >
            Log in
          </button>
          <button
            type="button"
            role="tab"
            data-mode="register"
            aria-selected={mode === 'register'}
            tabIndex={mode === 'register' ? 0 : -1}
            class="tab"
            onClick={() => switchTo('register')}
          >
            Register
          </button>
        </div>
        <h2 id="auth-title">{mode === 'login' ? 'Welcome back' : 'Create an account'}</h2>
        {inviteCode ? <p class="hint">Log in or register to accept the invite {inviteCode}.</p> : null}
        {mode === 'register' ? (
          <p class="hint" data-testid="first-admin-hint">
            The first account created on a new Harmony server becomes its administrator.
          </p>
        ) : null}
        <Field label="Username">
          <input
            class="input"
            name="username"
            autoComplete="username"
            required
            maxLength={64}
            value={username}
            onInput={(e) => setUsername(e.currentTarget.value)}
          />
        </Field>
        <Field label="Password">
          <input
            class="input"
            type="password"
            name="password"
            autoComplete={mode === 'login' ? 'current-password' : 'new-password'}
            required
            maxLength={1024}
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </Field>
        <ErrorText error={submit.error} />
        <button type="submit" class="button primary wide" disabled={submit.busy}>
          {submit.busy ? 'Please wait…' : mode === 'login' ? 'Log in' : 'Create account'}
        </button>
      </form>
    </main>
  );
}

// The theme chosen in settings: the system's scheme, light or dark. Kept in localStorage and applied as
// data-theme on <html> (styles/people.css) when the app starts; also kept in a cookie, from which the server
// writes data-theme into the page itself (serve.ts), so even the first paint has it.
import { appRoot } from '../lib/urls.ts';

export type Theme = 'system' | 'light' | 'dark';

const KEY = 'harmony.theme';

export function savedTheme(): Theme {
  try {
    const theme = localStorage.getItem(KEY);
    return theme === 'light' || theme === 'dark' ? theme : 'system';
  } catch {
    return 'system';
  }
}

export function applyTheme(theme: Theme = savedTheme()): void {
  if (theme === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
}

export function setTheme(theme: Theme): void {
  try {
    if (theme === 'system') localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, theme);
  } catch {
    // Without storage the choice lasts until the page is left.
  }
  // Not a secret: only which colours to paint. Scoped to the app's root (which may sit under a path prefix).
  const path = appRoot().pathname;
  document.cookie =
    theme === 'system' ? `harmony_theme=; path=${path}; max-age=0; SameSite=Lax` : `harmony_theme=${theme}; path=${path}; max-age=31536000; SameSite=Lax`;
  applyTheme(theme);
}

// The theme chosen in settings: the system's scheme, light or dark. Kept in localStorage and applied as
// data-theme on <html> (styles/people.css), first thing when the app's script runs, before it renders anything.
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
  applyTheme(theme);
}

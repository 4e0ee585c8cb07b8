// The web app's entry (index.html loads it): apply the chosen theme, restore the saved session, then render.
import { render } from 'preact';
import { App } from './components/app.tsx';
import { restoreSession } from './state/session.ts';
import { applyTheme } from './state/theme.ts';

applyTheme();
restoreSession();
const root = document.getElementById('app');
if (root) {
  root.textContent = '';
  render(<App />, root);
}

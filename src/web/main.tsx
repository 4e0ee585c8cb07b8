// The web app's entry (index.html loads it): restore the saved session, then render.
import { render } from 'preact';
import { App } from './components/app.tsx';
import { restoreSession } from './state/session.ts';

restoreSession();
const root = document.getElementById('app');
if (root) {
  root.textContent = '';
  render(<App />, root);
}

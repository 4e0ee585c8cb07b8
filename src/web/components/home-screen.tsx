// /app — where you land: your servers, and how to create or join one.
import { useState } from 'preact/hooks';
import { Link, paths, type Route } from '../lib/router.tsx';
import { app } from '../state/app-state.ts';
import { useSelector } from '../state/store.ts';
import { AddServerDialog } from './add-server-dialog.tsx';
import { displayName } from './avatar.tsx';
import { DmList } from './dm-list.tsx';
import { Layout, PageHeader } from './layout.tsx';

export function HomeScreen({ route }: { route: Route }) {
  const user = useSelector(app, (s) => s.session?.user);
  const order = useSelector(app, (s) => s.guildOrder);
  const guilds = useSelector(app, (s) => s.guilds);
  const [adding, setAdding] = useState(false);
  return (
    <Layout route={route} sidebar={<HomeSidebar route={route} />}>
      <PageHeader title="Home" />
      <div class="page">
        <h2>Welcome{user ? `, ${displayName(user)}` : ''}</h2>
        {user?.admin ? (
          <p class="hint">
            You are an administrator of this Harmony instance: bots, users and registration are in the <Link to={paths.admin()}>admin panel</Link>.
          </p>
        ) : null}
        {order.length === 0 ? <p>You are not in any server yet. Create one, or join one with an invite.</p> : <h3>Your servers</h3>}
        <ul class="server-cards">
          {order.map((id) => (
            <li key={id}>
              <Link to={paths.channel(id)} class="server-card">
                {guilds[id]?.name}
              </Link>
            </li>
          ))}
        </ul>
        <button type="button" class="button primary" onClick={() => setAdding(true)}>
          Create or join a server
        </button>
        {adding ? <AddServerDialog onClose={() => setAdding(false)} /> : null}
      </div>
    </Layout>
  );
}

export function HomeSidebar({ route }: { route?: Route } = {}) {
  const admin = useSelector(app, (s) => s.session?.user.admin === true);
  return (
    <nav class="channel-nav" aria-label="Home">
      <ul class="channel-list">
        <li class="channel-row">
          <Link to={paths.home()} class="channel-link">
            Home
          </Link>
        </li>
        <li class="channel-row">
          <Link to={paths.settings()} class="channel-link">
            User settings
          </Link>
        </li>
        {admin ? (
          <li class="channel-row">
            <Link to={paths.admin()} class="channel-link">
              Admin panel
            </Link>
          </li>
        ) : null}
      </ul>
      <DmList route={route} />
    </nav>
  );
}

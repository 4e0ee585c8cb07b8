// /app/admin/:tab — the instance admin panel: Bot Management (the seed's Quick Start step 1),
// Users, and instance settings. Others are told it is for admins; the API refuses them anyway.
import { Link, paths, type Route } from '../../lib/router.tsx';
import { app } from '../../state/app-state.ts';
import { useSelector } from '../../state/store.ts';
import { Layout, PageHeader } from '../layout.tsx';
import { BotManagement } from './bot-management.tsx';
import { InstanceSettings } from './instance-settings.tsx';
import { UsersAdmin } from './users-admin.tsx';

const TABS = [
  { id: 'bots', label: 'Bot Management' },
  { id: 'users', label: 'Users' },
  { id: 'settings', label: 'Instance settings' },
] as const;

export function AdminPanel({ route, tab }: { route: Route; tab: string }) {
  const admin = useSelector(app, (s) => s.session?.user.admin === true);
  const current = TABS.find((t) => t.id === tab) ?? TABS[0];
  const sidebar = admin ? (
    <nav class="channel-nav" aria-label="Admin panel">
      <div class="section-title">
        <span>Admin panel</span>
      </div>
      <ul class="channel-list">
        {TABS.map((t) => (
          <li key={t.id} class={t.id === current.id ? 'channel-row active' : 'channel-row'}>
            <Link to={paths.admin(t.id)} class="channel-link" aria-current={t.id === current.id ? 'page' : undefined}>
              {t.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  ) : null;
  return (
    <Layout route={route} sidebar={sidebar}>
      <PageHeader title={admin ? current.label : 'Admin panel'} />
      <div class="page settings-page">
        {!admin ? (
          <p>The admin panel is for instance administrators only.</p>
        ) : current.id === 'users' ? (
          <UsersAdmin />
        ) : current.id === 'settings' ? (
          <InstanceSettings />
        ) : (
          <BotManagement />
        )}
      </div>
    </Layout>
  );
}

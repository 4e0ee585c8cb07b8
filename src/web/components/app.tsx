// The root: the login screen without a session, otherwise the screen the route names.
import { useRoute } from '../lib/router.tsx';
import { app } from '../state/app-state.ts';
import { useSelector } from '../state/store.ts';
import { AdminPanel } from './admin/admin-panel.tsx';
import { AuthScreen } from './auth-screen.tsx';
import { DmScreen } from './dm-screen.tsx';
import { GuildScreen } from './guild-screen.tsx';
import { GuildSettings } from './guild-settings/guild-settings.tsx';
import { HomeScreen, HomeSidebar } from './home-screen.tsx';
import { InteractionModal } from './interaction-modal.tsx';
import { InviteScreen } from './invite-screen.tsx';
import { Layout, Notices, PageHeader } from './layout.tsx';
import { UserSettings } from './user-settings.tsx';

export function App() {
  const signedIn = useSelector(app, (s) => s.session !== null);
  const route = useRoute();
  if (!signedIn) {
    return (
      <>
        <Notices />
        <AuthScreen inviteCode={route.name === 'invite' ? route.code : undefined} />
      </>
    );
  }
  return (
    <>
      <Notices />
      <Screen />
      <InteractionModal />
    </>
  );
}

function Screen() {
  const route = useRoute();
  switch (route.name) {
    case 'home':
      return <HomeScreen route={route} />;
    case 'channel':
      return <GuildScreen key={route.guildId} route={route} guildId={route.guildId} channelId={route.channelId} />;
    case 'dm':
      return <DmScreen key={route.channelId} route={route} channelId={route.channelId} />;
    case 'settings':
      return <UserSettings route={route} />;
    case 'guild-settings':
      return <GuildSettings key={route.guildId} route={route} guildId={route.guildId} tab={route.tab} />;
    case 'admin':
      return <AdminPanel route={route} tab={route.tab} />;
    case 'invite':
      return <InviteScreen route={route} code={route.code} />;
    default:
      return (
        <Layout route={route} sidebar={<HomeSidebar />}>
          <PageHeader title="Not found" />
          <div class="page">
            <p>There is nothing at this address.</p>
          </div>
        </Layout>
      );
  }
}

// /app/channels/:guild/:channel — loads the guild (roles, channels) and its members, picks the
// first channel when none is named, and shows the chat.
import { useEffect } from 'preact/hooks';
import { navigate, paths, type Route } from '../lib/router.tsx';
import { useLoad } from '../lib/use-async.ts';
import { ensureGuild, ensureMembers, loadThreads } from '../state/actions.ts';
import { app } from '../state/app-state.ts';
import { useSelector } from '../state/store.ts';
import { ChannelSidebar } from './channel-sidebar.tsx';
import { ChatView } from './chat-view.tsx';
import { Layout, PageHeader, useOpenNav } from './layout.tsx';
import { ErrorText, Loading } from './ui.tsx';

export function GuildScreen({ route, guildId, channelId }: { route: Route; guildId: string; channelId: string | null }) {
  const known = useSelector(app, (s) => !!s.guilds[guildId]);
  const detail = useSelector(app, (s) => s.details[guildId]);
  const hasMembers = useSelector(app, (s) => !!s.members[guildId]);
  const guildLoad = useLoad(() => ensureGuild(guildId), [guildId, !detail]);
  useLoad(() => ensureMembers(guildId), [guildId, hasMembers]);
  useLoad(() => loadThreads(guildId), [guildId]);
  const channel = detail?.channels.find((c) => c.id === channelId);
  const first = detail?.channels[0];

  useEffect(() => {
    // No channel named, or it is gone (deleted, hidden): go to the first one there is.
    if (detail && !channel && first) navigate(paths.channel(guildId, first.id), { replace: true });
  }, [detail, channel, first, guildId]);

  if (!detail) {
    return (
      <Layout route={route} sidebar={null}>
        <PageHeader title={known ? 'Loading…' : 'Server'} />
        <div class="page">{guildLoad.error ? <ErrorText error={guildLoad.error} /> : <Loading />}</div>
      </Layout>
    );
  }
  return (
    <Layout route={route} sidebar={<ChannelSidebar guild={detail} channelId={channel?.id ?? null} />}>
      {channel ? <ChatWithNav guild={detail} channel={channel} /> : <NoChannel />}
    </Layout>
  );
}

function ChatWithNav(props: Omit<Parameters<typeof ChatView>[0], 'onOpenNav'>) {
  const openNav = useOpenNav();
  return <ChatView {...props} onOpenNav={openNav} />;
}

function NoChannel() {
  return (
    <>
      <PageHeader title="No channels" />
      <div class="page">
        <p>There are no channels here that you can see.</p>
      </div>
    </>
  );
}

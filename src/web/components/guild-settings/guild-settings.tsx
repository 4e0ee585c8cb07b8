// /app/guilds/:id/settings/:tab — Server Settings. Tabs are links (bookmarkable, keyboard friendly);
// each tab is shown only to people whose permissions let them use it, and the API checks again.
import { Flags, has } from '../../lib/permissions.ts';
import { Link, paths, type Route } from '../../lib/router.tsx';
import { useLoad } from '../../lib/use-async.ts';
import { ensureGuild, ensureMembers } from '../../state/actions.ts';
import { app } from '../../state/app-state.ts';
import { guildPermissions } from '../../state/selectors.ts';
import { useSelector } from '../../state/store.ts';
import { Layout, PageHeader } from '../layout.tsx';
import { ErrorText, Loading } from '../ui.tsx';
import { AuditLogTab } from './audit-log-tab.tsx';
import { BotsTab } from './bots-tab.tsx';
import { ChannelsTab } from './channels-tab.tsx';
import { EmojiTab } from './emoji-tab.tsx';
import { InvitesTab } from './invites-tab.tsx';
import { MembersTab } from './members-tab.tsx';
import { OverviewTab } from './overview-tab.tsx';
import { RolesTab } from './roles-tab.tsx';
import { WebhooksTab } from './webhooks-tab.tsx';

type Tab = { id: string; label: string; allowed: (perms: bigint) => boolean };

const TABS: Tab[] = [
  { id: 'overview', label: 'Overview', allowed: () => true },
  { id: 'roles', label: 'Roles', allowed: (p) => has(p, Flags.ManageRoles) },
  { id: 'channels', label: 'Channel permissions', allowed: (p) => has(p, Flags.ManageRoles) || has(p, Flags.ManageChannels) },
  { id: 'invites', label: 'Invites', allowed: (p) => has(p, Flags.ManageGuild) },
  { id: 'emoji', label: 'Emoji', allowed: (p) => has(p, Flags.ManageGuildExpressions) },
  { id: 'members', label: 'Members', allowed: (p) => has(p, Flags.KickMembers) || has(p, Flags.BanMembers) || has(p, Flags.ManageRoles) },
  { id: 'bots', label: 'Bots', allowed: (p) => has(p, Flags.ManageGuild) || has(p, Flags.ManageRoles) },
  { id: 'webhooks', label: 'Webhooks', allowed: (p) => has(p, Flags.ManageWebhooks) },
  { id: 'audit-log', label: 'Audit log', allowed: (p) => has(p, Flags.ViewAuditLog) },
];

export function GuildSettings({ route, guildId, tab }: { route: Route; guildId: string; tab: string }) {
  const detail = useSelector(app, (s) => s.details[guildId]);
  const hasMembers = useSelector(app, (s) => !!s.members[guildId]);
  const perms = useSelector(app, (s) => guildPermissions(s, guildId));
  const loaded = useLoad(() => ensureGuild(guildId), [guildId, !detail]);
  useLoad(() => ensureMembers(guildId), [guildId, hasMembers]);
  const tabs = TABS.filter((t) => t.allowed(perms));
  const current = tabs.find((t) => t.id === tab) ?? tabs[0]!;

  const sidebar = detail ? (
    <nav class="channel-nav" aria-label="Server settings">
      <div class="section-title">
        <span>{detail.name}</span>
      </div>
      <ul class="channel-list">
        {tabs.map((t) => (
          <li key={t.id} class={t.id === current.id ? 'channel-row active' : 'channel-row'}>
            <Link to={paths.guildSettings(guildId, t.id)} class="channel-link" aria-current={t.id === current.id ? 'page' : undefined}>
              {t.label}
            </Link>
          </li>
        ))}
        <li class="channel-row">
          <Link to={paths.channel(guildId)} class="channel-link">
            ← Back to the server
          </Link>
        </li>
      </ul>
    </nav>
  ) : null;

  return (
    <Layout route={route} sidebar={sidebar}>
      <PageHeader title={`Server Settings — ${current.label}`} />
      <div class="page settings-page">
        {!detail ? (
          loaded.error ? (
            <ErrorText error={loaded.error} />
          ) : (
            <Loading />
          )
        ) : current.id === 'roles' ? (
          <RolesTab guild={detail} />
        ) : current.id === 'channels' ? (
          <ChannelsTab guild={detail} />
        ) : current.id === 'emoji' ? (
          <EmojiTab guild={detail} />
        ) : current.id === 'invites' ? (
          <InvitesTab guild={detail} />
        ) : current.id === 'members' ? (
          <MembersTab guild={detail} perms={perms} />
        ) : current.id === 'bots' ? (
          <BotsTab guild={detail} />
        ) : current.id === 'webhooks' ? (
          <WebhooksTab guild={detail} />
        ) : current.id === 'audit-log' ? (
          <AuditLogTab guild={detail} />
        ) : (
          <OverviewTab guild={detail} perms={perms} />
        )}
      </div>
    </Layout>
  );
}

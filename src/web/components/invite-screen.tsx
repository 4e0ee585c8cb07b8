// /invite/:code — what the invite leads to, and a button to join.
import { plural } from '../lib/people.ts';
import { navigate, paths, type Route } from '../lib/router.tsx';
import { imageUrl } from '../lib/urls.ts';
import { useAction, useLoad } from '../lib/use-async.ts';
import { joinInvite, previewInvite } from '../state/actions.ts';
import { app } from '../state/app-state.ts';
import { useSelector } from '../state/store.ts';
import { HomeSidebar } from './home-screen.tsx';
import { Layout, PageHeader } from './layout.tsx';
import { ErrorText, Loading } from './ui.tsx';

export function InviteScreen({ route, code }: { route: Route; code: string }) {
  const invite = useLoad(() => previewInvite(code), [code]);
  const member = useSelector(app, (s) => (invite.data ? !!s.guilds[invite.data.guild_id] : false));
  const join = useAction(async () => {
    const guild = await joinInvite(code);
    navigate(paths.channel(guild.id), { replace: true });
  });
  const guild = invite.data?.guild;
  return (
    <Layout route={route} sidebar={<HomeSidebar />}>
      <PageHeader title="Invite" />
      <div class="page narrow">
        {invite.loading && !invite.data ? <Loading /> : null}
        <ErrorText error={invite.error && `This invite cannot be used: ${invite.error}`} />
        {invite.data ? (
          <div class="card stack">
            <p>You have been invited to join</p>
            {imageUrl(guild?.icon) ? <img class="guild-icon-lg" src={imageUrl(guild?.icon) ?? ''} alt="" /> : null}
            <h2>{guild?.name ?? 'a server'}</h2>
            {guild?.member_count != null ? <p class="hint">{plural(guild.member_count, 'member')}</p> : null}
            {member ? (
              <button type="button" class="button primary" onClick={() => navigate(paths.channel(invite.data!.guild_id))}>
                You are already a member — open it
              </button>
            ) : (
              <button type="button" class="button primary" disabled={join.busy} onClick={() => void join.run()}>
                Join server
              </button>
            )}
            <ErrorText error={join.error} />
          </div>
        ) : null}
      </div>
    </Layout>
  );
}

// The column of servers on the far left: home, one button per guild, "add a server", and the
// admin panel for instance admins. Each is a real link, reachable with Tab.
import { useState } from 'preact/hooks';
import { Link, paths, type Route } from '../lib/router.tsx';
import { imageUrl } from '../lib/urls.ts';
import { app } from '../state/app-state.ts';
import { useSelector } from '../state/store.ts';
import { AddServerDialog } from './add-server-dialog.tsx';
import { Icon } from './icons.tsx';
import { GuildBadge } from './unread.tsx';

export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  return (
    words.length > 1
      ? words
          .slice(0, 2)
          .map((w) => [...w][0])
          .join('')
      : [...(words[0] ?? '?')].slice(0, 2).join('')
  ).toUpperCase();
}

export function GuildRail({ route }: { route: Route }) {
  const order = useSelector(app, (s) => s.guildOrder);
  const guilds = useSelector(app, (s) => s.guilds);
  const admin = useSelector(app, (s) => s.session?.user.admin === true);
  const [adding, setAdding] = useState(false);
  const activeGuild = route.name === 'channel' || route.name === 'guild-settings' ? route.guildId : null;

  return (
    <nav class="rail" aria-label="Servers">
      <Link to={paths.home()} class={`rail-item${route.name === 'home' ? ' active' : ''}`} title="Home" aria-label="Home">
        <Icon name="home" size={24} />
      </Link>
      <div class="rail-separator" />
      <ul class="rail-list">
        {order.map((id) => {
          const guild = guilds[id];
          if (!guild) return null;
          const icon = imageUrl(guild.icon);
          return (
            <li key={id}>
              <Link
                to={paths.channel(id)}
                class={`rail-item${activeGuild === id ? ' active' : ''}`}
                title={guild.name}
                aria-current={activeGuild === id ? 'page' : undefined}
              >
                {icon ? <img class="rail-icon" src={icon} alt="" /> : <span aria-hidden="true">{initials(guild.name)}</span>}
                <span class="visually-hidden">{guild.name}</span>
                <GuildBadge guildId={id} />
              </Link>
            </li>
          );
        })}
      </ul>
      <button type="button" class="rail-item rail-add" title="Add a server" aria-label="Add a server" onClick={() => setAdding(true)}>
        <Icon name="plus" size={24} />
      </button>
      {admin ? (
        <Link to={paths.admin()} class={`rail-item rail-admin${route.name === 'admin' ? ' active' : ''}`} title="Admin panel" aria-label="Admin panel">
          <Icon name="shield" size={22} />
        </Link>
      ) : null}
      {adding ? <AddServerDialog onClose={() => setAdding(false)} /> : null}
    </nav>
  );
}

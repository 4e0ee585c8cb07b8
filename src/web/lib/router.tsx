// A small history-API router: routes are paths under the app's root (see urls.ts), parsed into a
// typed Route; links are real <a href>s so they open in new tabs and work with the keyboard.
import type { ComponentChildren, PartialAnchorHTMLAttributes } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { appHref, currentAppPath } from './urls.ts';

export type Route =
  | { name: 'home' }
  | { name: 'channel'; guildId: string; channelId: string | null }
  | { name: 'dm'; channelId: string }
  | { name: 'settings' }
  | { name: 'guild-settings'; guildId: string; tab: string }
  | { name: 'admin'; tab: string }
  | { name: 'invite'; code: string }
  | { name: 'not-found' };

export function parseRoute(path: string): Route {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const [first, second, third, fourth] = parts;
  if (parts.length === 0 || (first === 'app' && parts.length === 1)) return { name: 'home' };
  if (first === 'invite' && second) return { name: 'invite', code: second };
  if (first !== 'app') return { name: 'not-found' };
  if (second === 'channels' && third) return { name: 'channel', guildId: third, channelId: fourth ?? null };
  if (second === 'dm' && third) return { name: 'dm', channelId: third };
  if (second === 'settings') return { name: 'settings' };
  if (second === 'guilds' && third && fourth === 'settings') return { name: 'guild-settings', guildId: third, tab: parts[4] ?? 'overview' };
  if (second === 'admin') return { name: 'admin', tab: third ?? 'bots' };
  if (second === 'invite' && third) return { name: 'invite', code: third };
  return { name: 'not-found' };
}

export const paths = {
  home: () => 'app',
  channel: (guildId: string, channelId?: string | null) => `app/channels/${guildId}${channelId ? `/${channelId}` : ''}`,
  dm: (channelId: string) => `app/dm/${channelId}`,
  settings: () => 'app/settings',
  guildSettings: (guildId: string, tab = 'overview') => `app/guilds/${guildId}/settings/${tab}`,
  admin: (tab = 'bots') => `app/admin/${tab}`,
};

const listeners = new Set<() => void>();

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  const href = appHref(path);
  if (href === location.pathname) return;
  if (options.replace) history.replaceState(null, '', href);
  else history.pushState(null, '', href);
  for (const listener of listeners) listener();
}

export function useRoute(): Route {
  const [path, setPath] = useState(currentAppPath);
  useEffect(() => {
    const sync = () => setPath(currentAppPath());
    listeners.add(sync);
    addEventListener('popstate', sync);
    return () => {
      listeners.delete(sync);
      removeEventListener('popstate', sync);
    };
  }, []);
  return parseRoute(path);
}

type LinkProps = Omit<PartialAnchorHTMLAttributes<HTMLAnchorElement>, 'href' | 'role'> & { to: string; children: ComponentChildren };

/** An in-app link: a plain click navigates without reloading; modified clicks behave as usual. */
export function Link({ to, children, ...rest }: LinkProps) {
  const onClick = (event: MouseEvent) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
  return (
    <a {...rest} href={appHref(to)} onClick={onClick}>
      {children}
    </a>
  );
}

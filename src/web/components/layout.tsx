// The frame every logged-in screen shares: servers rail and sidebar (a drawer on narrow screens),
// the reconnect banner, notices, and the user panel with settings and log out.
import { type ComponentChildren, createContext } from 'preact';
import { useContext, useEffect, useRef, useState } from 'preact/hooks';
import { Link, paths, type Route } from '../lib/router.tsx';
import { app, dismissNotice } from '../state/app-state.ts';
import { withBadge } from '../state/inbox.ts';
import { logOut } from '../state/session.ts';
import { useSelector } from '../state/store.ts';
import { Avatar, displayName, statusLabel } from './avatar.tsx';
import { GuildRail } from './guild-rail.tsx';
import { Icon } from './icons.tsx';
import { ProfilePopover } from './profile-popover.tsx';

const OpenNav = createContext<() => void>(() => {});

export function useOpenNav(): () => void {
  return useContext(OpenNav);
}

export function Layout({ route, sidebar, children }: { route: Route; sidebar: ComponentChildren; children: ComponentChildren }) {
  const [navOpen, setNavOpen] = useState(false);
  const connection = useSelector(app, (s) => s.connection);
  const routeKey = JSON.stringify(route);
  useEffect(() => setNavOpen(false), [routeKey]);
  // On narrow screens the drawer takes focus when it opens and gives it back to its toggle when it closes.
  const nav = useRef<HTMLDivElement>(null);
  const wasOpen = useRef(false);
  useEffect(() => {
    if (navOpen) nav.current?.querySelector<HTMLElement>('.nav-close')?.focus();
    else if (wasOpen.current) document.querySelector<HTMLElement>('#main .nav-toggle')?.focus();
    wasOpen.current = navOpen;
    if (!navOpen) return;
    // Escape inside a dialog opened from the drawer closes that dialog only.
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && !(e.target as Element).closest?.('dialog') && setNavOpen(false);
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [navOpen]);
  return (
    <OpenNav.Provider value={() => setNavOpen(true)}>
      <div class={navOpen ? 'layout nav-open' : 'layout'} data-connection={connection}>
        <a class="skip-link" href="#main">
          Skip to content
        </a>
        <ConnectionBanner />
        {/* On narrow screens the drawer closes once a link in it is followed, even to the current page, or a thread
            is opened (its panel would be under the drawer). */}
        <div class="nav" id="app-nav" ref={nav} onClickCapture={(e) => (e.target as Element).closest('a, .thread-link') && setNavOpen(false)}>
          <button type="button" class="icon-button nav-close" aria-label="Close navigation" onClick={() => setNavOpen(false)}>
            <Icon name="close" size={18} />
          </button>
          <GuildRail route={route} />
          <div class="sidebar">
            <div class="sidebar-content">{sidebar}</div>
            <UserPanel />
          </div>
        </div>
        {navOpen ? <div class="scrim" onClick={() => setNavOpen(false)} aria-hidden="true" /> : null}
        <main id="main" class="main" tabIndex={-1}>
          {children}
        </main>
        <ProfilePopover />
      </div>
    </OpenNav.Provider>
  );
}

/** A page header for screens other than chat: title plus the drawer button on small screens. */
export function PageHeader({ title, children }: { title: string; children?: ComponentChildren }) {
  const openNav = useOpenNav();
  useDocumentTitle(title);
  return (
    <header class="page-header">
      <button type="button" class="icon-button nav-toggle" aria-label="Open navigation" onClick={openNav}>
        <Icon name="menu" />
      </button>
      <h1>{title}</h1>
      {children}
    </header>
  );
}

/** Names the tab after the screen, so tabs, history and screen readers say where you are. */
export function useDocumentTitle(title: string): void {
  useEffect(() => {
    document.title = withBadge(`${title} — Harmony`);
  }, [title]);
}

function ConnectionBanner() {
  const connection = useSelector(app, (s) => s.connection);
  if (connection !== 'reconnecting' && connection !== 'offline') return null;
  return (
    <div class="banner" role="status" data-testid="reconnect-banner">
      {connection === 'reconnecting' ? 'Connection lost — reconnecting… Messages will catch up when it is back.' : 'Disconnected from the live gateway.'}
    </div>
  );
}

export function Notices() {
  const notices = useSelector(app, (s) => s.notices);
  if (notices.length === 0) return null;
  return (
    <div class="notices">
      {notices.map((n) => (
        <div key={n.id} class={`notice notice-${n.kind}`} role={n.kind === 'error' ? 'alert' : 'status'}>
          <span>{n.text}</span>
          <button type="button" class="icon-button" aria-label="Dismiss" onClick={() => dismissNotice(n.id)}>
            <Icon name="close" size={16} />
          </button>
        </div>
      ))}
    </div>
  );
}

function UserPanel() {
  const user = useSelector(app, (s) => s.session?.user);
  const status = useSelector(app, (s) => (s.session ? (s.presences[s.session.user.id] ?? 'online') : 'offline'));
  if (!user) return null;
  return (
    <div class="user-panel">
      <Avatar user={user} size="sm" status={status} />
      <div class="user-panel-names">
        <span class="user-panel-name" data-testid="current-user">
          {displayName(user)}
        </span>
        <span class="user-panel-status">{statusLabel(status)}</span>
      </div>
      <Link to={paths.settings()} class="icon-button" aria-label="User settings" title="User settings">
        <Icon name="gear" />
      </Link>
      <button type="button" class="icon-button" aria-label="Log out" title="Log out" onClick={() => void logOut()}>
        <Icon name="logout" />
      </button>
    </div>
  );
}

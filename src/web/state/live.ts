// The gateway side of the session: HarmonyClient events land in the app state here, and the
// connection's health drives the reconnect banner. The SDK reconnects and RESUMEs by itself.
import { HarmonyGatewayError } from '../../sdk/errors.ts';
import type { Activity, HarmonyEventName, HarmonyListener } from '../../sdk/events.ts';
import type { HarmonyClient } from '../../sdk/harmony-client.ts';
import { navigate, parseRoute, paths } from '../lib/router.tsx';
import { currentAppPath } from '../lib/urls.ts';
import type { Channel, Emoji, Guild, GuildDetail, Member, Role, SelfUser, Status } from '../lib/wire.ts';
import { applyReaction, fetchMember, receiveMessage, reloadGuild, removeMessage, setEmojis } from './actions.ts';
import {
  type AppState,
  app,
  notify,
  updateLog,
  withChannel,
  withGuild,
  withMember,
  withoutChannel,
  withoutGuild,
  withoutMember,
  withoutThread,
  withThread,
} from './app-state.ts';
import { currentClient, sessionLost } from './client.ts';
import { watchInbox } from './inbox.ts';
import { watchInteractions } from './interactions.ts';
import { watchNotifications } from './notifications.ts';
import { handOverPresence, showOwnPresence } from './presence.ts';
import { setUser } from './session.ts';

const TYPING_MS = 10_000;

export function startLive(client: HarmonyClient): void {
  let readyBefore = false;
  // Events from a client that has since been replaced (logout, new login) are ignored.
  const on = <K extends HarmonyEventName>(event: K, handler: HarmonyListener<K>) =>
    client.on(event, (payload) => (currentClient() === client ? handler(payload) : undefined));
  const connection = (value: 'ready' | 'reconnecting' | 'offline' | 'connecting') =>
    app.update((s) => (s.connection === value ? s : { ...s, connection: value }));

  on('ready', (ready) => {
    connection('ready');
    // READY lists every guild in full (roles, visible channels, who is online), as GUILD_CREATE would.
    const guilds = (ready.guilds as unknown[]).filter(isGuildDetail);
    app.update((s) => {
      // Its presences are the whole truth now: whoever went offline during an outage is not in them.
      let next: AppState = { ...s, guildOrder: [], guilds: {}, details: {}, presences: {} };
      // A fresh IDENTIFY after a long outage: loaded history and member lists may be stale.
      if (readyBefore) next = { ...next, members: {}, messages: {}, typing: {} };
      for (const g of guilds) next = withGuild(next, g, g);
      next = { ...next, threads: {} };
      for (const g of guilds) for (const thread of threadsOf(g)) next = withThread(next, thread);
      return next;
    });
    for (const g of ready.guilds) applyPresences(g.presences);
    // The client sends our own presence after READY; show it on our entries meanwhile.
    showOwnPresence();
    readyBefore = true;
  });
  on('resumed', () => connection('ready'));
  on('close', (info) => connection(info.reconnecting ? 'reconnecting' : 'offline'));
  on('error', (error) => {
    if (error instanceof HarmonyGatewayError && error.code === 4004) sessionLost();
  });

  on('messageCreate', (message) => {
    receiveMessage(message);
    clearTyping(message.channel_id, message.author.id);
  });
  on('messageUpdate', (update) => {
    app.update((s) =>
      updateLog(s, update.channel_id, (l) => ({ ...l, items: l.items.map((m) => (m.id === update.id ? { ...m, ...update, author: m.author } : m)) })),
    );
  });
  on('messageDelete', (d) => removeMessage(d.channel_id, d.id));
  on('reactionAdd', (r) => applyReaction(r.channel_id, r.message_id, r.emoji, r.user_id, true));
  on('reactionRemove', (r) => applyReaction(r.channel_id, r.message_id, r.emoji, r.user_id, false));
  on('typingStart', (t) => {
    if (t.user_id === app.get().session?.user.id) return;
    const until = Date.now() + TYPING_MS;
    app.update((s) => ({ ...s, typing: { ...s.typing, [t.channel_id]: { ...s.typing[t.channel_id], [t.user_id]: until } } }));
    setTimeout(() => clearTyping(t.channel_id, t.user_id, until), TYPING_MS + 50);
  });

  on('memberJoin', (m) => {
    if (!app.get().members[m.guild_id]) return;
    if (m.user) {
      const full = m as Partial<Member>;
      const member: Member = {
        user: m.user,
        guild_id: m.guild_id,
        nick: full.nick ?? null,
        roles: full.roles ?? [],
        joined_at: m.joined_at ?? new Date().toISOString(),
      };
      app.update((s) => withMember(s, m.guild_id, member));
    } else {
      fetchMember(m.guild_id, m.user_id).catch(() => {});
    }
  });
  on('memberLeave', (m) => {
    if (m.user_id === app.get().session?.user.id) leftGuild(m.guild_id);
    else app.update((s) => withoutMember(s, m.guild_id, m.user_id));
  });

  on('channelCreate', (c) => app.update((s) => withChannel(s, c)));
  on('channelUpdate', (c) => {
    // An update can hide a channel from us (overwrites): the guild's own list is the truth.
    app.update((s) => withChannel(s, c));
    if (c.guild_id) void reloadGuild(c.guild_id).catch(() => {});
  });
  on('channelDelete', (c) => app.update((s) => withoutChannel(s, c.id, c.guild_id)));

  on('threadCreate', (t) => app.update((s) => withThread(s, t)));
  on('threadUpdate', (t) => app.update((s) => withThread(s, t)));
  on('threadDelete', (t) => app.update((s) => withoutThread(s, t.id, t.guild_id)));
  on('threadListSync', (sync) => app.update((s) => sync.threads.reduce(withThread, s)));

  on('guildCreate', (g) => {
    if (isGuildDetail(g)) app.update((s) => threadsOf(g).reduce(withThread, withGuild(s, g, g)));
    else void reloadGuild(g.id).catch(() => {});
    applyPresences(g.presences);
  });
  on('guildUpdate', (g) => {
    if (app.get().guilds[g.id]) app.update((s) => withGuild(s, g as Guild));
  });
  on('guildDelete', (g) => leftGuild(g.id));

  on('presenceUpdate', (p) => {
    setStatus(p.user.id, p.status);
    setActivities(p.user.id, p.status === 'offline' ? [] : (p.activities ?? []));
  });

  // Dispatches the SDK passes through without a typed event of their own.
  on('dispatch', ({ t, d }) => {
    const data = d as Record<string, unknown>;
    switch (t) {
      case 'MEMBER_UPDATE': {
        const member = d as Member & { guild_id: string };
        app.update((s) => withMember(s, member.guild_id, member));
        return;
      }
      case 'GUILD_ROLE_CREATE':
      case 'GUILD_ROLE_UPDATE': {
        const role = data.role as Role;
        app.update((s) => withRoles(s, role.guild_id, (roles) => [...roles.filter((r) => r.id !== role.id), role]));
        return;
      }
      case 'GUILD_ROLE_DELETE':
        app.update((s) => withRoles(s, String(data.guild_id), (roles) => roles.filter((r) => r.id !== data.role_id)));
        return;
      case 'MESSAGE_DELETE_BULK':
        for (const id of data.ids as string[]) removeMessage(String(data.channel_id), id);
        return;
      case 'GUILD_EMOJIS_UPDATE':
        setEmojis(String(data.guild_id), data.emojis as Emoji[]);
        return;
      case 'USER_UPDATE': {
        const user = d as SelfUser;
        if (user.id === app.get().session?.user.id) setUser(user);
        return;
      }
    }
  });

  // Unread state, the DM list and notifications (inbox.ts, notifications.ts) follow the same gateway.
  watchInbox(client);
  watchNotifications(client);
  // Commands, components and modals this person invoked: pending, answered, failed (interactions.ts).
  watchInteractions(client);
  // The client keeps it and sends it inside every IDENTIFY.
  handOverPresence(client);
  client.connect().catch(() => {
    // Reported through 'error' and 'close' above; nothing else to do here.
  });
}

/** Kicked, banned, left elsewhere or the guild was deleted: forget it and leave its pages. */
function leftGuild(guildId: string): void {
  const name = app.get().guilds[guildId]?.name;
  if (!name) return;
  app.update((s) => withoutGuild(s, guildId));
  const route = parseRoute(currentAppPath());
  if ((route.name === 'channel' || route.name === 'guild-settings') && route.guildId === guildId) {
    navigate(paths.home(), { replace: true });
    notify(`You are no longer a member of ${name}.`, 'info');
  }
}

/** READY's guilds and GUILD_CREATE carry the active threads we can see. */
function threadsOf(g: unknown): Channel[] {
  const threads = (g as { threads?: unknown }).threads;
  return Array.isArray(threads) ? (threads as Channel[]) : [];
}

function isGuildDetail(g: unknown): g is GuildDetail {
  const x = g as Partial<GuildDetail> | null;
  return !!x && typeof x.id === 'string' && typeof x.owner_id === 'string' && Array.isArray(x.roles) && Array.isArray(x.channels);
}

function withRoles(s: AppState, guildId: string, change: (roles: Role[]) => Role[]): AppState {
  const detail = s.details[guildId];
  if (!detail) return s;
  return { ...s, details: { ...s.details, [guildId]: { ...detail, roles: change(detail.roles) } } };
}

function clearTyping(channelId: string, userId: string, until?: number): void {
  app.update((s) => {
    const current = s.typing[channelId]?.[userId];
    if (current === undefined || (until !== undefined && current !== until)) return s;
    const { [userId]: _done, ...rest } = s.typing[channelId]!;
    return { ...s, typing: { ...s.typing, [channelId]: rest } };
  });
}

function setStatus(userId: string, status: Status): void {
  app.update((s) => (s.presences[userId] === status ? s : { ...s, presences: { ...s.presences, [userId]: status } }));
}

function setActivities(userId: string, activities: Activity[]): void {
  app.update((s) => {
    const current = s.activities[userId] ?? [];
    if (current.length === 0 && activities.length === 0) return s;
    return { ...s, activities: { ...s.activities, [userId]: activities } };
  });
}

/** READY's guilds and GUILD_CREATE list the members who are online: `{ user: { id }, status, activities }` each. */
function applyPresences(list: unknown): void {
  if (!Array.isArray(list) || list.length === 0) return;
  app.update((s) => {
    const presences = { ...s.presences };
    const activities = { ...s.activities };
    for (const p of list as { user?: { id?: unknown }; status?: unknown; activities?: unknown }[]) {
      if (typeof p?.user?.id !== 'string' || typeof p.status !== 'string') continue;
      presences[p.user.id] = p.status as Status;
      if (Array.isArray(p.activities)) activities[p.user.id] = p.activities as Activity[];
    }
    return { ...s, presences, activities };
  });
}

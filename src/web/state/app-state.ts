// What the app knows right now, in one snapshot: the session, the guilds and their channels and
// roles, members, presences, loaded message pages and who is typing. Changed only via `app.update`.
import type { Activity } from '../../sdk/events.ts';
import type { Channel, Emoji, Guild, GuildDetail, Member, Message, SelfUser, Status } from '../lib/wire.ts';
import { Store } from './store.ts';

export type Connection = 'offline' | 'connecting' | 'ready' | 'reconnecting';

/** One channel's loaded history, oldest first. */
export type MessageLog = {
  items: Message[];
  /** False once a page came back shorter than asked: the start of the channel is loaded. */
  hasMore: boolean;
  /** True after a jump into old history (history.ts): newer messages exist that are not loaded. */
  hasNewer?: boolean;
  loading: boolean;
  error: string | null;
};

export type Notice = { id: number; kind: 'error' | 'info'; text: string };

export type AppState = {
  session: { token: string; user: SelfUser } | null;
  connection: Connection;
  /** Guild ids in the order the server lists them. */
  guildOrder: string[];
  guilds: Record<string, Guild>;
  /** Roles and visible channels, loaded when a guild is opened. */
  details: Record<string, GuildDetail>;
  /** guildId -> userId -> member, loaded when the guild is opened. */
  members: Record<string, Record<string, Member>>;
  presences: Record<string, Status>;
  /** userId -> what their presence says besides the status (custom status, playing ...); absent: nothing. */
  activities: Record<string, Activity[]>;
  /** guildId -> its custom emoji, loaded when first needed and kept current by GUILD_EMOJIS_UPDATE. */
  emojis: Record<string, Emoji[]>;
  messages: Record<string, MessageLog>;
  /** channelId -> userId -> ms until which they count as typing. */
  typing: Record<string, Record<string, number>>;
  /** guildId -> threadId -> the threads we know of there (active ones from the gateway, and any we opened). */
  threads: Record<string, Record<string, Channel>>;
  /** The thread open in the panel beside the channel. */
  openThreadId: string | null;
  notices: Notice[];
};

export const emptyState = (): AppState => ({
  session: null,
  connection: 'offline',
  guildOrder: [],
  guilds: {},
  details: {},
  members: {},
  presences: {},
  activities: {},
  emojis: {},
  messages: {},
  typing: {},
  threads: {},
  openThreadId: null,
  notices: [],
});

export const app = new Store<AppState>(emptyState());

let noticeId = 0;

/** Shows a message in the notice area; errors stay until dismissed, info fades after a few seconds. */
export function notify(text: string, kind: Notice['kind'] = 'error'): void {
  const id = ++noticeId;
  app.update((s) => ({ ...s, notices: [...s.notices.slice(-3), { id, kind, text }] }));
  if (kind === 'info') setTimeout(() => dismissNotice(id), 5000);
}

export function dismissNotice(id: number): void {
  app.update((s) => ({ ...s, notices: s.notices.filter((n) => n.id !== id) }));
}

// ---- small immutable helpers the actions and the gateway share ----

export function withGuild(s: AppState, guild: Guild, detail?: GuildDetail): AppState {
  const guildOrder = s.guildOrder.includes(guild.id) ? s.guildOrder : [...s.guildOrder, guild.id];
  const summary: Guild = {
    id: guild.id,
    name: guild.name,
    owner_id: guild.owner_id,
    icon: guild.icon,
    description: guild.description,
    created_at: guild.created_at,
  };
  const details = detail
    ? { ...s.details, [guild.id]: detail }
    : s.details[guild.id]
      ? { ...s.details, [guild.id]: { ...s.details[guild.id]!, ...summary } }
      : s.details;
  return { ...s, guildOrder, guilds: { ...s.guilds, [guild.id]: summary }, details };
}

export function withoutGuild(s: AppState, guildId: string): AppState {
  const { [guildId]: _gone, ...guilds } = s.guilds;
  const { [guildId]: _detail, ...details } = s.details;
  const { [guildId]: _members, ...members } = s.members;
  return { ...s, guildOrder: s.guildOrder.filter((id) => id !== guildId), guilds, details, members };
}

export function withChannel(s: AppState, channel: Channel): AppState {
  const guildId = channel.guild_id;
  const guild = guildId ? s.details[guildId] : undefined;
  if (!guild) return s;
  const others = guild.channels.filter((c) => c.id !== channel.id);
  const channels = [...others, channel].sort((a, b) => a.position - b.position || compareIds(a.id, b.id));
  return { ...s, details: { ...s.details, [guild.id]: { ...guild, channels } } };
}

export function withoutChannel(s: AppState, channelId: string, guildId: string | null | undefined): AppState {
  const guild = guildId ? s.details[guildId] : undefined;
  if (!guild) return s;
  return { ...s, details: { ...s.details, [guild.id]: { ...guild, channels: guild.channels.filter((c) => c.id !== channelId) } } };
}

/** Adds or replaces a thread (type 11/12 channel) of its guild. */
export function withThread(s: AppState, thread: Channel): AppState {
  const guildId = thread.guild_id;
  if (!guildId || !thread.thread) return s;
  return { ...s, threads: { ...s.threads, [guildId]: { ...s.threads[guildId], [thread.id]: thread } } };
}

export function withoutThread(s: AppState, threadId: string, guildId: string | null | undefined): AppState {
  const current = guildId ? s.threads[guildId] : undefined;
  const openThreadId = s.openThreadId === threadId ? null : s.openThreadId;
  if (!guildId || !current?.[threadId]) return { ...s, openThreadId };
  const { [threadId]: _gone, ...rest } = current;
  return { ...s, threads: { ...s.threads, [guildId]: rest }, openThreadId };
}

export function withMember(s: AppState, guildId: string, member: Member): AppState {
  const current = s.members[guildId];
  if (!current) return s;
  return { ...s, members: { ...s.members, [guildId]: { ...current, [member.user.id]: member } } };
}

export function withoutMember(s: AppState, guildId: string, userId: string): AppState {
  const current = s.members[guildId];
  if (!current?.[userId]) return s;
  const { [userId]: _gone, ...rest } = current;
  return { ...s, members: { ...s.members, [guildId]: rest } };
}

export function updateLog(s: AppState, channelId: string, change: (log: MessageLog) => MessageLog): AppState {
  const log = s.messages[channelId];
  if (!log) return s;
  return { ...s, messages: { ...s.messages, [channelId]: change(log) } };
}

/** Inserts or replaces by id, keeping id order (ids are time-ordered snowflakes). */
export function upsertMessage(items: Message[], message: Message): Message[] {
  const index = items.findIndex((m) => m.id === message.id);
  if (index >= 0) return items.map((m, i) => (i === index ? { ...m, ...message } : m));
  const next = [...items, message];
  return next.sort((a, b) => compareIds(a.id, b.id));
}

/** Snowflakes as strings: longer is larger, same length compares as text. Never through Number. */
export function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

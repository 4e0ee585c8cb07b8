// What is unread, and what may notify: the read state the server keeps per channel (READY's read_state, kept live
// by MESSAGE_CREATE and by MESSAGE_ACK from this person's other devices), the direct-message list with its last
// message, and the notification settings per server and channel. Kept apart from app-state.ts, which it only reads.
import type { HarmonyClient } from '../../sdk/harmony-client.ts';
import type { Channel, Message, User } from '../lib/wire.ts';
import { app, compareIds } from './app-state.ts';
import { api, currentClient } from './client.ts';
import { Store } from './store.ts';

/** Where the person stopped reading a channel (null: never) and how many mentions came since. */
export type ReadMark = { lastRead: string | null; mentions: number };
/** A DM as v1 sends it: `recipient_ids` are both people; a group DM (type 3) also has its owner and icon. */
export type DmChannel = Omit<Channel, 'name'> & { name?: string | null; recipient_ids?: string[]; owner_id?: string; icon?: string | null };
/** 0 all messages, 1 only mentions, 2 nothing, 3 inherit (Discord's message_notifications). */
export type NotifyLevel = 0 | 1 | 2 | 3;
export type ChannelNotify = { channel_id: string; message_notifications: NotifyLevel; muted: boolean };
export type GuildNotify = { guild_id: string; message_notifications: NotifyLevel; muted: boolean; channel_overrides: ChannelNotify[] };
export type Preview = { content: string; authorId: string };

export type InboxState = {
  reads: Record<string, ReadMark>;
  /** The newest message id known in each channel. */
  latest: Record<string, string>;
  /** channel id -> guild id, for the server badges (DMs and threads are not in it). */
  guildOf: Record<string, string>;
  dms: Record<string, DmChannel>;
  previews: Record<string, Preview>;
  /** The people DMs are with, fetched once each. */
  users: Record<string, User>;
  settings: Record<string, GuildNotify>;
};

const empty = (): InboxState => ({ reads: {}, latest: {}, guildOf: {}, dms: {}, previews: {}, users: {}, settings: {} });
export const inbox = new Store<InboxState>(empty());

type ReadyExtras = {
  guilds?: { id: string; channels?: Channel[] }[];
  private_channels?: DmChannel[];
  read_state?: { id: string; last_message_id: string | null; mention_count: number }[];
  user_guild_settings?: GuildNotify[];
};

const me = () => app.get().session?.user.id;

/** Follows the gateway of `client` (only while it is the current one). */
export function watchInbox(client: HarmonyClient): void {
  const live = () => currentClient() === client;
  client.on('ready', (ready) => {
    if (!live()) return;
    const d = ready as unknown as ReadyExtras;
    const next = empty();
    next.users = inbox.get().users;
    // Channels only: threads are read in their panel and do not mark their server unread.
    for (const g of d.guilds ?? []) {
      for (const c of g.channels ?? []) {
        next.guildOf[c.id] = g.id;
        if (c.last_message_id) next.latest[c.id] = c.last_message_id;
      }
    }
    for (const dm of d.private_channels ?? []) {
      next.dms[dm.id] = dm;
      if (dm.last_message_id) next.latest[dm.id] = dm.last_message_id;
    }
    for (const r of d.read_state ?? []) next.reads[r.id] = { lastRead: r.last_message_id, mentions: r.mention_count };
    for (const s of d.user_guild_settings ?? []) next.settings[s.guild_id] = s;
    inbox.update(() => next);
    void loadDmDetails(Object.values(next.dms));
  });
  client.on('messageCreate', (message) => {
    if (live()) receive(message);
  });
  client.on('channelCreate', (c) => {
    if (!live()) return;
    const channel = c as DmChannel;
    if (channel.guild_id) inbox.update((s) => ({ ...s, guildOf: { ...s.guildOf, [channel.id]: channel.guild_id as string } }));
    else addDm(channel);
  });
  client.on('guildCreate', (g) => {
    // A server joined after READY: its channels count towards its badge from now on.
    const channels = (g as { channels?: Channel[] }).channels;
    if (!live() || !Array.isArray(channels)) return;
    inbox.update((s) => {
      const guildOf = { ...s.guildOf };
      const latest = { ...s.latest };
      for (const c of channels) {
        guildOf[c.id] = g.id;
        if (c.last_message_id && !latest[c.id]) latest[c.id] = c.last_message_id;
      }
      return { ...s, guildOf, latest };
    });
  });
  client.on('channelUpdate', (c) => {
    const channel = c as unknown as DmChannel;
    if (!live() || channel.guild_id || !inbox.get().dms[channel.id]) return;
    inbox.update((s) => ({ ...s, dms: { ...s.dms, [channel.id]: channel } }));
    void loadDmDetails([channel]);
  });
  client.on('channelDelete', (c) => {
    if (!live() || c.guild_id) return;
    closes.set(c.id, (closes.get(c.id) ?? 0) + 1);
    // A DM closed here or on another device: gone from the list (the next message brings it back).
    inbox.update((s) => {
      const { [c.id]: _gone, ...dms } = s.dms;
      return { ...s, dms };
    });
  });
  client.on('dispatch', ({ t, d }) => {
    if (!live()) return;
    if (t === 'MESSAGE_ACK') {
      const ack = d as { channel_id: string; message_id: string; mention_count: number };
      setRead(ack.channel_id, { lastRead: ack.message_id, mentions: ack.mention_count });
    } else if (t === 'USER_GUILD_SETTINGS_UPDATE') {
      const settings = d as GuildNotify;
      inbox.update((s) => ({ ...s, settings: { ...s.settings, [settings.guild_id]: settings } }));
    }
  });
}

function setRead(channelId: string, mark: ReadMark): void {
  inbox.update((s) => ({ ...s, reads: { ...s.reads, [channelId]: mark } }));
}

/** Whether `message` mentions the current person: by name, @everyone/@here, a role they hold, or any DM message. */
export function mentionsMe(message: Message & { mention_roles?: string[] }): boolean {
  const myId = me();
  if (!myId || message.author.id === myId) return false;
  if (!message.guild_id) return true;
  if (message.mentions.includes(myId) || message.mention_everyone) return true;
  const roles = app.get().members[message.guild_id]?.[myId]?.roles ?? [];
  return (message.mention_roles ?? []).some((r) => roles.includes(r));
}

/** How often each DM was closed here, so a fetch that was under way when it closed does not bring it back. */
const closes = new Map<string, number>();

function receive(message: Message): void {
  const channelId = message.channel_id;
  const mine = message.author.id === me();
  inbox.update((s) => {
    const current = s.latest[channelId];
    const latest = !current || compareIds(message.id, current) > 0 ? { ...s.latest, [channelId]: message.id } : s.latest;
    const mark = s.reads[channelId] ?? { lastRead: null, mentions: 0 };
    // Sending is reading: the server acks the author's channel too.
    const reads = mine
      ? { ...s.reads, [channelId]: { lastRead: message.id, mentions: 0 } }
      : mentionsMe(message)
        ? { ...s.reads, [channelId]: { ...mark, mentions: mark.mentions + 1 } }
        : s.reads;
    const previews = message.guild_id ? s.previews : { ...s.previews, [channelId]: { content: previewOf(message), authorId: message.author.id } };
    const users = message.guild_id || mine ? s.users : { ...s.users, [message.author.id]: message.author };
    return { ...s, latest, reads, previews, users };
  });
  if (!message.guild_id && !inbox.get().dms[channelId]) {
    // A DM we had closed (or never listed): it is back, unless it is closed again before the fetch returns.
    const closesBefore = closes.get(channelId) ?? 0;
    void api<DmChannel>('GET', `/channels/${channelId}`)
      .then((dm) => {
        if ((closes.get(channelId) ?? 0) === closesBefore) addDm(dm);
      })
      .catch(() => {});
  }
}

function previewOf(message: Message): string {
  const text = message.content.trim();
  if (text) return text.length > 80 ? `${text.slice(0, 80)}…` : text;
  return message.attachments?.length ? 'Sent an attachment' : message.embeds?.length ? 'Sent an embed' : '';
}

/** Lists a DM (or group DM) and loads what the list shows of it. */
export function addDm(channel: DmChannel): void {
  inbox.update((s) => ({
    ...s,
    dms: { ...s.dms, [channel.id]: channel },
    latest: channel.last_message_id && !s.latest[channel.id] ? { ...s.latest, [channel.id]: channel.last_message_id } : s.latest,
  }));
  void loadDmDetails([channel]);
}

/** The people of each DM (the other person, or a group's members) and its last message, for the list. */
async function loadDmDetails(dms: DmChannel[]): Promise<void> {
  await Promise.all(
    dms.map(async (dm) => {
      const myId = me();
      for (const id of dm.recipient_ids ?? []) {
        if (id === myId || inbox.get().users[id]) continue;
        const user = await api<User>('GET', `/users/${id}`).catch(() => null);
        if (user) inbox.update((s) => ({ ...s, users: { ...s.users, [user.id]: user } }));
      }
      if (dm.last_message_id && !inbox.get().previews[dm.id]) {
        const [last] = await api<Message[]>('GET', `/channels/${dm.id}/messages?limit=1`).catch(() => [] as Message[]);
        if (last) inbox.update((s) => ({ ...s, previews: { ...s.previews, [dm.id]: { content: previewOf(last), authorId: last.author.id } } }));
      }
    }),
  );
}

export function otherRecipient(dm: DmChannel): string | undefined {
  const myId = me();
  return dm.recipient_ids?.find((id) => id !== myId) ?? dm.recipient_ids?.[0];
}

// ---- questions the UI asks ----

export function isUnread(s: InboxState, channelId: string): boolean {
  const latest = s.latest[channelId];
  if (!latest) return false;
  const lastRead = s.reads[channelId]?.lastRead;
  return !lastRead || compareIds(latest, lastRead) > 0;
}

export function mentionCount(s: InboxState, channelId: string): number {
  return s.reads[channelId]?.mentions ?? 0;
}

/** The level that applies in a channel (its own, else the server's, else only mentions) and whether it is muted. */
export function notifySettingIn(s: InboxState, guildId: string | null | undefined, channelId: string): { level: 0 | 1 | 2; muted: boolean } {
  if (!guildId) return { level: 1, muted: false };
  const guild = s.settings[guildId];
  const own = guild?.channel_overrides.find((c) => c.channel_id === channelId);
  const level =
    own && own.message_notifications !== 3 ? own.message_notifications : guild && guild.message_notifications !== 3 ? guild.message_notifications : 1;
  return { level, muted: (guild?.muted ?? false) || (own?.muted ?? false) };
}

/** A server's badge: its unmuted channels' mentions, and whether any unmuted channel is unread. */
export function guildBadge(s: InboxState, guildId: string): { unread: boolean; mentions: number } {
  let unread = false;
  let mentions = 0;
  for (const [channelId, g] of Object.entries(s.guildOf)) {
    if (g !== guildId || notifySettingIn(s, guildId, channelId).muted) continue;
    mentions += mentionCount(s, channelId);
    unread ||= isUnread(s, channelId);
  }
  return { unread, mentions };
}

/** What the tab title counts: mentions in unmuted channels and every unread DM message counted by the server. */
export function totalMentions(s: InboxState): number {
  let total = 0;
  for (const [channelId, mark] of Object.entries(s.reads)) {
    const guildId = s.guildOf[channelId];
    if (guildId === undefined && !s.dms[channelId]) continue;
    if (notifySettingIn(s, guildId, channelId).muted) continue;
    total += mark.mentions;
  }
  return total;
}

/** The DMs, most recent first. */
export function dmList(s: InboxState): DmChannel[] {
  return Object.values(s.dms).sort((a, b) => compareIds(s.latest[b.id] ?? b.id, s.latest[a.id] ?? a.id));
}

// ---- actions ----

/** Marks the channel read up to its newest message, here and (through the server) on every other device. */
export function markRead(channelId: string): void {
  const s = inbox.get();
  const latest = s.latest[channelId];
  if (!latest || (!isUnread(s, channelId) && mentionCount(s, channelId) === 0)) return;
  setRead(channelId, { lastRead: latest, mentions: 0 });
  void api('POST', `/channels/${channelId}/messages/${latest}/ack`).catch(() => {});
}

/** Opens (or finds) the DM with a person or bot; it joins the list at once. */
export async function openDm(userId: string): Promise<DmChannel> {
  const dm = await api<DmChannel>('POST', '/users/@me/channels', { recipient_id: userId });
  addDm(dm);
  return dm;
}

/** A new group DM with 1-9 others; it joins the list at once. */
export async function createGroupDm(recipients: string[], name: string): Promise<DmChannel> {
  const group = await api<DmChannel>('POST', '/users/@me/channels', { recipients, name: name.trim() || null });
  addDm(group);
  return group;
}

/** Closes a DM for you (gone from the list until its next message); leaves a group DM. */
export async function closeDm(channelId: string): Promise<void> {
  await api('DELETE', `/channels/${channelId}`);
  inbox.update((s) => {
    const { [channelId]: _gone, ...dms } = s.dms;
    return { ...s, dms };
  });
}

/** Saves a change to a server's settings: shown at once, then as the server answers (or put back on failure). */
export async function saveNotifySettings(guildId: string, change: Partial<Omit<GuildNotify, 'guild_id'>>): Promise<void> {
  const before = inbox.get().settings[guildId];
  const base: GuildNotify = before ?? { guild_id: guildId, message_notifications: 3, muted: false, channel_overrides: [] };
  const changed = new Set((change.channel_overrides ?? []).map((c) => c.channel_id));
  const optimistic: GuildNotify = {
    ...base,
    ...(change.message_notifications === undefined ? {} : { message_notifications: change.message_notifications }),
    ...(change.muted === undefined ? {} : { muted: change.muted }),
    channel_overrides: [...base.channel_overrides.filter((c) => !changed.has(c.channel_id)), ...(change.channel_overrides ?? [])],
  };
  const put = (settings: GuildNotify | undefined) =>
    inbox.update((s) => {
      const { [guildId]: _old, ...rest } = s.settings;
      return { ...s, settings: settings ? { ...rest, [guildId]: settings } : rest };
    });
  put(optimistic);
  try {
    put(await api<GuildNotify>('PATCH', `/users/@me/guilds/${guildId}/settings`, change));
  } catch (error) {
    put(before);
    throw error;
  }
}

/** The tab title with the mention count in front: "(3) #general · Server — Harmony". */
export function withBadge(title: string): string {
  const n = totalMentions(inbox.get());
  const bare = title.replace(/^\(\d+\) /, '');
  return n > 0 ? `(${n}) ${bare}` : bare;
}

inbox.subscribe(() => {
  if (typeof document !== 'undefined') {
    const next = withBadge(document.title);
    if (next !== document.title) document.title = next;
  }
});

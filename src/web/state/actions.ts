// Everything the UI asks the server for, and how each answer lands in the app state. Loads are
// idempotent ("ensure ..."), so components can call them on every render that lacks the data.

import { describeError } from '../lib/errors.ts';
import type { Channel, Emoji, Guild, GuildDetail, InvitePreview, Member, Message } from '../lib/wire.ts';
import { app, compareIds, updateLog, upsertMessage, withChannel, withGuild, withMember, withoutChannel, withoutGuild, withThread } from './app-state.ts';
import { api } from './client.ts';

export const PAGE_SIZE = 50;
const inFlight = new Map<string, Promise<unknown>>();

/** Runs `load` once per key at a time; later callers share the first one's promise. */
function once<T>(key: string, load: () => Promise<T>): Promise<T> {
  const running = inFlight.get(key);
  if (running !== undefined) return running as Promise<T>;
  const started = load().finally(() => inFlight.delete(key));
  inFlight.set(key, started);
  return started;
}

const seg = encodeURIComponent;

// ---- guilds ----

export function loadGuilds(): Promise<void> {
  return once('guilds', async () => {
    const guilds = await api<Guild[]>('GET', '/users/@me/guilds');
    app.update((s) => {
      let next = { ...s, guildOrder: guilds.map((g) => g.id) };
      for (const g of guilds) next = withGuild(next, g);
      return next;
    });
  });
}

export function ensureGuild(guildId: string): Promise<void> {
  if (app.get().details[guildId]) return Promise.resolve();
  return reloadGuild(guildId);
}

export function reloadGuild(guildId: string): Promise<void> {
  return once(`guild:${guildId}`, async () => {
    const detail = await api<GuildDetail>('GET', `/guilds/${seg(guildId)}`);
    app.update((s) => withGuild(s, detail, detail));
  });
}

export function ensureMembers(guildId: string): Promise<void> {
  if (app.get().members[guildId]) return Promise.resolve();
  return reloadMembers(guildId);
}

export function reloadMembers(guildId: string): Promise<void> {
  return once(`members:${guildId}`, async () => {
    const list = await api<Member[]>('GET', `/guilds/${seg(guildId)}/members?limit=1000`);
    app.update((s) => ({ ...s, members: { ...s.members, [guildId]: Object.fromEntries(list.map((m) => [m.user.id, m])) } }));
  });
}

export async function fetchMember(guildId: string, userId: string): Promise<void> {
  const member = await api<Member>('GET', `/guilds/${seg(guildId)}/members/${seg(userId)}`);
  app.update((s) => withMember(s, guildId, member));
}

export async function createGuild(name: string): Promise<GuildDetail> {
  const detail = await api<GuildDetail>('POST', '/guilds', { name });
  app.update((s) => withGuild(s, detail, detail));
  return detail;
}

export async function updateGuild(guildId: string, body: { name?: string; description?: string | null; icon?: string | null }): Promise<void> {
  const detail = await api<GuildDetail>('PATCH', `/guilds/${seg(guildId)}`, body);
  app.update((s) => withGuild(s, detail, detail));
}

// ---- custom emoji ----

export function setEmojis(guildId: string, emojis: Emoji[]): void {
  app.update((s) => ({ ...s, emojis: { ...s.emojis, [guildId]: emojis } }));
}

export function ensureEmojis(guildId: string): Promise<void> {
  if (app.get().emojis[guildId]) return Promise.resolve();
  return once(`emojis:${guildId}`, async () => setEmojis(guildId, await api<Emoji[]>('GET', `/guilds/${seg(guildId)}/emojis`)));
}

/** `image` is a data URI (readAsDataUri); the server checks it is a PNG, JPEG, GIF or WebP of at most 256 KiB. */
export async function createEmoji(guildId: string, name: string, image: string): Promise<void> {
  const emoji = await api<Emoji>('POST', `/guilds/${seg(guildId)}/emojis`, { name, image });
  app.update((s) => ({ ...s, emojis: { ...s.emojis, [guildId]: [...(s.emojis[guildId] ?? []).filter((e) => e.id !== emoji.id), emoji] } }));
}

export async function deleteEmoji(guildId: string, emojiId: string): Promise<void> {
  await api('DELETE', `/guilds/${seg(guildId)}/emojis/${seg(emojiId)}`);
  app.update((s) => ({ ...s, emojis: { ...s.emojis, [guildId]: (s.emojis[guildId] ?? []).filter((e) => e.id !== emojiId) } }));
}

export async function leaveGuild(guildId: string): Promise<void> {
  await api('DELETE', `/users/@me/guilds/${seg(guildId)}`);
  app.update((s) => withoutGuild(s, guildId));
}

export async function deleteGuild(guildId: string): Promise<void> {
  await api('DELETE', `/guilds/${seg(guildId)}`);
  app.update((s) => withoutGuild(s, guildId));
}

/** Accepts "abc123", "https://host/invite/abc123" or ".../app/invite/abc123". */
export function inviteCodeFrom(input: string): string | null {
  const trimmed = input.trim();
  const match = /(?:^|\/invite\/)([A-Za-z0-9-]{1,32})\/?$/.exec(trimmed);
  return match?.[1] ?? null;
}

export function previewInvite(code: string): Promise<InvitePreview> {
  return api<InvitePreview>('GET', `/invites/${seg(code)}`);
}

export async function joinInvite(code: string): Promise<Guild> {
  const guild = await api<Guild>('POST', `/invites/${seg(code)}`);
  app.update((s) => withGuild(s, guild));
  await reloadGuild(guild.id);
  return guild;
}

// ---- channels ----

export async function createChannel(guildId: string, name: string): Promise<Channel> {
  const channel = await api<Channel>('POST', `/guilds/${seg(guildId)}/channels`, { name });
  app.update((s) => withChannel(s, channel));
  return channel;
}

export async function updateChannel(channelId: string, body: { name?: string; topic?: string | null }): Promise<void> {
  const channel = await api<Channel>('PATCH', `/channels/${seg(channelId)}`, body);
  app.update((s) => withChannel(s, channel));
}

export async function deleteChannel(channel: Channel): Promise<void> {
  await api('DELETE', `/channels/${seg(channel.id)}`);
  app.update((s) => withoutChannel(s, channel.id, channel.guild_id));
}

// ---- threads ----

/** The guild's active threads we can see (the gateway keeps them current afterwards). */
export function loadThreads(guildId: string): Promise<void> {
  return once(`threads:${guildId}`, async () => {
    const list = await api<Channel[]>('GET', `/guilds/${seg(guildId)}/threads`);
    app.update((s) => {
      let next = s;
      for (const thread of list) next = withThread(next, thread);
      return next;
    });
  });
}

export function openThread(threadId: string | null): void {
  app.update((s) => (s.openThreadId === threadId ? s : { ...s, openThreadId: threadId }));
}

/** Starts a public thread, from `messageId` when given, and opens it in the panel. */
export async function createThread(channelId: string, name: string, messageId?: string): Promise<Channel> {
  const thread = await api<Channel>('POST', `/channels/${seg(channelId)}/threads`, messageId ? { name, message_id: messageId } : { name });
  app.update((s) => {
    const withIt = withThread(s, thread);
    // The starter message now shows its thread.
    const marked = messageId
      ? updateLog(withIt, channelId, (l) => ({ ...l, items: l.items.map((m) => (m.id === messageId ? { ...m, thread_id: thread.id } : m)) }))
      : withIt;
    return { ...marked, openThreadId: thread.id };
  });
  return thread;
}

export async function setThreadArchived(thread: Channel, archived: boolean): Promise<void> {
  const updated = await api<Channel>('PATCH', `/channels/${seg(thread.id)}`, { archived });
  app.update((s) => withThread(s, updated));
}

/** Opens a thread we may not have in the state yet (a starter message's thread, say). */
export async function showThread(threadId: string): Promise<void> {
  const known = Object.values(app.get().threads).some((byId) => byId[threadId]);
  if (!known) {
    const thread = await api<Channel>('GET', `/channels/${seg(threadId)}`);
    app.update((s) => withThread(s, thread));
  }
  openThread(threadId);
}

// ---- messages ----

export function ensureMessages(channelId: string): void {
  if (!app.get().messages[channelId]) void loadOlder(channelId);
}

/** Loads the page before the oldest loaded message (or the newest page). */
export function loadOlder(channelId: string): Promise<void> {
  return once(`messages:${channelId}`, async () => {
    const log = app.get().messages[channelId];
    if (log && (!log.hasMore || log.loading)) return;
    app.update((s) => ({
      ...s,
      messages: { ...s.messages, [channelId]: { ...log, items: log?.items ?? [], hasMore: true, loading: true, error: null } },
    }));
    const oldest = log?.items[0]?.id;
    try {
      const page = await api<Message[]>('GET', `/channels/${seg(channelId)}/messages?limit=${PAGE_SIZE}${oldest ? `&before=${oldest}` : ''}`);
      app.update((s) =>
        updateLog(s, channelId, (l) => ({
          ...l,
          items: mergePage(l.items, page),
          hasMore: page.length === PAGE_SIZE,
          loading: false,
          error: null,
        })),
      );
    } catch (error) {
      app.update((s) => updateLog(s, channelId, (l) => ({ ...l, loading: false, error: describeError(error) })));
    }
  });
}

function mergePage(items: Message[], page: Message[]): Message[] {
  const byId = new Map(items.map((m) => [m.id, m]));
  for (const m of page) if (!byId.has(m.id)) byId.set(m.id, m);
  return [...byId.values()].sort((a, b) => compareIds(a.id, b.id));
}

export function receiveMessage(message: Message): void {
  app.update((s) =>
    updateLog(s, message.channel_id, (l) => {
      // Viewing old history (history.ts): a message past the loaded page waits for "jump to present".
      const last = l.items[l.items.length - 1];
      if (l.hasNewer && last && compareIds(message.id, last.id) > 0) return l;
      return { ...l, items: upsertMessage(l.items, message) };
    }),
  );
}

export async function sendMessage(channelId: string, content: string, replyTo?: string, files: readonly File[] = []): Promise<void> {
  const nonce = `${Date.now()}${Math.floor(Math.random() * 1e6)}`;
  const body = replyTo ? { content, reply_to: replyTo, nonce } : { content, nonce };
  const uploads = files.map((file) => ({ name: file.name, data: file }));
  const message = await api<Message>('POST', `/channels/${seg(channelId)}/messages`, body, uploads);
  receiveMessage(message);
}

export async function editMessage(messageId: string, content: string): Promise<void> {
  receiveMessage(await api<Message>('PATCH', `/messages/${seg(messageId)}`, { content }));
}

export async function deleteMessage(message: Message): Promise<void> {
  await api('DELETE', `/messages/${seg(message.id)}`);
  removeMessage(message.channel_id, message.id);
}

export function removeMessage(channelId: string, messageId: string): void {
  app.update((s) => updateLog(s, channelId, (l) => ({ ...l, items: l.items.filter((m) => m.id !== messageId) })));
}

/** Adjusts a reaction count; idempotent for the current user, whose events also echo back. */
export function applyReaction(channelId: string, messageId: string, emoji: string, userId: string, added: boolean): void {
  const me = app.get().session?.user.id;
  app.update((s) =>
    updateLog(s, channelId, (l) => ({
      ...l,
      items: l.items.map((m) => {
        if (m.id !== messageId) return m;
        const reactions = [...(m.reactions ?? [])];
        const index = reactions.findIndex((r) => r.emoji === emoji);
        const current = index >= 0 ? reactions[index]! : { emoji, count: 0, me: false };
        if (userId === me && current.me === added) return m;
        const next = { emoji, count: Math.max(0, current.count + (added ? 1 : -1)), me: userId === me ? added : current.me };
        if (index >= 0) reactions[index] = next;
        else reactions.push(next);
        return { ...m, reactions: reactions.filter((r) => r.count > 0) };
      }),
    })),
  );
}

export async function toggleReaction(message: Message, emoji: string): Promise<void> {
  const me = app.get().session?.user.id;
  if (!me) return;
  const mine = message.reactions?.find((r) => r.emoji === emoji)?.me ?? false;
  await api(mine ? 'DELETE' : 'PUT', `/messages/${seg(message.id)}/reactions/${seg(emoji)}`);
  applyReaction(message.channel_id, message.id, emoji, me, !mine);
}

let lastTyping = 0;
let lastTypingChannel = '';

/** Tells the channel we are typing, at most every 8 s (the indicator lasts ~10 s). */
export function signalTyping(channelId: string): void {
  const now = Date.now();
  if (channelId === lastTypingChannel && now - lastTyping < 8000) return;
  lastTyping = now;
  lastTypingChannel = channelId;
  api('POST', `/channels/${seg(channelId)}/typing`).catch(() => {});
}

export function stopTypingSignal(): void {
  lastTyping = 0;
}

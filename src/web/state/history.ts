// Moving around a channel's history: jump to a message (loading the page around it when it is not loaded), back
// to the present, newer pages after a jump, the search panel's query, and which message the composer's ↑ opened
// for editing. Kept apart from app-state so the message list can follow it without the rest of the app re-rendering.
import type { Message } from '../lib/wire.ts';
import { PAGE_SIZE } from './actions.ts';
import { app, compareIds, type MessageLog } from './app-state.ts';
import { api } from './client.ts';
import { Store } from './store.ts';

export type HistoryState = {
  /** The message the list must bring into view and highlight; `seq` makes a second jump to it count. */
  jump: { channelId: string; messageId: string; seq: number } | null;
  /** A message being edited in place (the composer's ↑ sets it; the message's own Edit button too). */
  editingId: string | null;
};

export const history = new Store<HistoryState>({ jump: null, editingId: null });

const seg = encodeURIComponent;
let seq = 0;

function setLog(channelId: string, log: MessageLog): void {
  app.update((s) => ({ ...s, messages: { ...s.messages, [channelId]: log } }));
}

const sorted = (page: Message[]) => [...page].sort((a, b) => compareIds(a.id, b.id));

/** Brings a message into view: at once when it is loaded, else after loading the page around it (`around=`). */
export async function jumpToMessage(channelId: string, messageId: string): Promise<void> {
  const log = app.get().messages[channelId];
  if (!log?.items.some((m) => m.id === messageId)) {
    const page = await api<Message[]>('GET', `/channels/${seg(channelId)}/messages?limit=${PAGE_SIZE}&around=${seg(messageId)}`);
    const items = sorted(page);
    const newest = app.get().messages[channelId]?.items.at(-1)?.id;
    // The page reaches the newest loaded message (or beyond): nothing newer is missing.
    const hasNewer = !!items.length && (!newest || compareIds(items[items.length - 1]!.id, newest) < 0);
    setLog(channelId, { items, hasMore: page.length > 0, hasNewer, loading: false, error: null });
  }
  seq += 1;
  history.update((h) => ({ ...h, jump: { channelId, messageId, seq } }));
}

/** The newest page again, after a jump into old history. */
export async function jumpToPresent(channelId: string): Promise<void> {
  const page = await api<Message[]>('GET', `/channels/${seg(channelId)}/messages?limit=${PAGE_SIZE}`);
  setLog(channelId, { items: sorted(page), hasMore: page.length === PAGE_SIZE, hasNewer: false, loading: false, error: null });
  history.update((h) => ({ ...h, jump: null }));
}

let loadingNewer = false;

/** After a jump, scrolling down loads the next page (`after=`) until the present is reached. */
export async function loadNewer(channelId: string): Promise<void> {
  const log = app.get().messages[channelId];
  const newest = log?.items.at(-1)?.id;
  if (!log?.hasNewer || !newest || loadingNewer) return;
  loadingNewer = true;
  try {
    const page = await api<Message[]>('GET', `/channels/${seg(channelId)}/messages?limit=${PAGE_SIZE}&after=${seg(newest)}`);
    const current = app.get().messages[channelId];
    if (!current) return;
    const known = new Set(current.items.map((m) => m.id));
    const items = [...current.items, ...sorted(page).filter((m) => !known.has(m.id))];
    setLog(channelId, { ...current, items, hasNewer: page.length === PAGE_SIZE });
  } finally {
    loadingNewer = false;
  }
}

/** ↑ in an empty composer: your newest loaded message in the channel opens for editing. False when there is none. */
export function editLastMessage(channelId: string): boolean {
  const me = app.get().session?.user.id;
  const items = app.get().messages[channelId]?.items ?? [];
  const mine = items.findLast((m) => m.author.id === me && !m.interaction?.ephemeral && !m.interaction?.loading);
  if (!mine) return false;
  history.update((h) => ({ ...h, editingId: mine.id }));
  return true;
}

export function setEditing(messageId: string | null): void {
  history.update((h) => ({ ...h, editingId: messageId }));
}

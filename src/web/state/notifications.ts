// Browser notifications for mentions and direct messages while the tab is hidden. Permission is asked only when the
// person turns the "Desktop notifications" switch on (never on load); the choice is remembered on this device.
// Per-server and per-channel levels and mutes (inbox.ts) decide which messages may notify.
import type { HarmonyClient } from '../../sdk/harmony-client.ts';
import { navigate, paths } from '../lib/router.tsx';
import type { Message } from '../lib/wire.ts';
import { app } from './app-state.ts';
import { currentClient } from './client.ts';
import { inbox, mentionsMe, notifySettingIn } from './inbox.ts';

const KEY = 'harmony.notifications';

export function notificationsSupported(): boolean {
  return typeof Notification !== 'undefined';
}

/** On when the person turned it on here and the browser still allows it. */
export function notificationsOn(): boolean {
  return notificationsSupported() && localStorage.getItem(KEY) === 'on' && Notification.permission === 'granted';
}

/** Turns them on (asking the browser for permission now, after the click) or off; whether they are on afterwards. */
export async function setNotifications(on: boolean): Promise<boolean> {
  if (!on) {
    localStorage.removeItem(KEY);
    return false;
  }
  if (!notificationsSupported()) throw new Error('This browser cannot show notifications.');
  const permission = Notification.permission === 'granted' ? 'granted' : await Notification.requestPermission();
  if (permission !== 'granted') throw new Error('The browser did not allow notifications: allow them for this site in its settings.');
  localStorage.setItem(KEY, 'on');
  return true;
}

/** Whether a message should notify, given the levels: DMs and mentions unless muted or set to nothing; everything at "all". */
export function shouldNotify(message: Message): boolean {
  const myId = app.get().session?.user.id;
  if (!myId || message.author.id === myId) return false;
  const { level, muted } = notifySettingIn(inbox.get(), message.guild_id, message.channel_id);
  if (muted || level === 2) return false;
  return mentionsMe(message) || level === 0;
}

export function watchNotifications(client: HarmonyClient): void {
  client.on('messageCreate', (message) => {
    if (currentClient() !== client || document.visibilityState !== 'hidden' || !notificationsOn() || !shouldNotify(message)) return;
    const guild = message.guild_id ? app.get().guilds[message.guild_id] : undefined;
    const channel = guild ? app.get().details[guild.id]?.channels.find((c) => c.id === message.channel_id) : undefined;
    const author = message.author.global_name?.trim() || message.author.username;
    const title = guild ? `${author} in #${channel?.name ?? 'a channel'} (${guild.name})` : author;
    const shown = new Notification(title, { body: message.content.slice(0, 200) || 'Sent an attachment', tag: message.id });
    shown.onclick = () => {
      window.focus();
      navigate(message.guild_id ? paths.channel(message.guild_id, message.channel_id) : paths.dm(message.channel_id));
      shown.close();
    };
  });
}

// Issue 15 items 1-3 in real browsers: the web app as a daily driver. Direct messages (the list on the home screen
// with last message, unread badge and presence; "Message" on a member; closing and coming back; a bot and the
// presence bot in DMs), read state (bold channels, mention badges on channels, servers and DMs, the tab title, the
// "new messages" divider with its jump, read on one device read on the other live), and notifications (asked only
// from the switch, shown for mentions and DMs while the tab is hidden, honouring levels and mutes). Desktop and a
// 390x844 phone.
import { describe, expect, it } from 'bun:test';
import type { Page } from 'playwright-core';
import { botId } from '../support/presence.ts';
import { composer, hidden, logInInPage, message, messageContaining, openAs, openPage, PHONE, screenshot, send, until, visible } from './support/browser.ts';
import { type Account, serverAndBrowser, teaRoom } from './support/server-and-browser.ts';

const { server, browser } = await serverAndBrowser();

const scheme = (bot: Account) => ({ token: bot.token, scheme: 'Bot' as const });

const world = await teaRoom(server, { members: ['bob', 'cid', 'dee'], channels: ['random'] });
const { call, alice, guild, general, bot: helper } = world;
const { bob, cid, dee } = world.people;
const { random } = world.channels;

/** Chromium's Notification swapped for a recorder, and a switch for "the tab is hidden" (a headless tab never is). */
async function instrument(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as Record<string, unknown>;
    const shown: { title: string; body: string }[] = [];
    w.__shown = shown;
    w.__asks = 0;
    w.__hidden = false;
    class Recorder {
      static permission = 'default';
      static async requestPermission() {
        w.__asks = (w.__asks as number) + 1;
        Recorder.permission = 'granted';
        return 'granted';
      }
      onclick: (() => void) | null = null;
      constructor(title: string, options?: { body?: string }) {
        shown.push({ title, body: options?.body ?? '' });
      }
      close() {}
    }
    w.Notification = Recorder;
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (w.__hidden ? 'hidden' : 'visible') });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => w.__hidden });
  });
}

async function setHidden(page: Page, hiddenNow: boolean): Promise<void> {
  await page.evaluate((value) => {
    (window as unknown as Record<string, unknown>).__hidden = value;
    document.dispatchEvent(new Event('visibilitychange'));
  }, hiddenNow);
}

const shownOn = (page: Page) => page.evaluate(() => (window as unknown as { __shown: { title: string; body: string }[] }).__shown);
const title = (page: Page) => page.evaluate(() => document.title);
const dmRow = (page: Page, name: string) => page.locator('.dm-row').filter({ has: page.locator('.dm-name', { hasText: name }) });
const mentionsOf = async (who: Account, channelId: string) =>
  ((await call(who, 'GET', '/users/@me/read-states')) as { id: string; mention_count: number; last_message_id: string | null }[]).find(
    (r) => r.id === channelId,
  );

describe('direct messages in the browser', () => {
  it('opens a DM from the member list, lists it with preview, badge and presence, reads it on every device, closes it and gets it back', async () => {
    const bobTab = await openAs(browser, server, 'bob', `/app/channels/${guild.id}/${general}`);
    const aliceTab = await openAs(browser, server, 'alice', '/app');
    const alicePhone = await openAs(browser, server, 'alice', '/app', PHONE);

    // Bob messages Alice from the member list.
    await bobTab.page.locator('.member-panel').getByRole('button', { name: 'Message alice' }).click();
    await visible(bobTab.page.getByRole('heading', { name: 'alice', level: 1 }));
    const dmId = /\/app\/dm\/(\d+)$/.exec(new URL(bobTab.page.url()).pathname)?.[1] as string;
    expect(dmId).toMatch(/^\d+$/);
    await send(bobTab.page, 'hi alice, lunch?');
    await visible(message(bobTab.page, 'hi alice, lunch?'));

    // Alice's home screen lists it: name, presence, preview, one unread mention; the tab title counts it.
    const row = dmRow(aliceTab.page, 'bob');
    await visible(row);
    expect(await row.locator('.dm-preview').textContent()).toBe('hi alice, lunch?');
    expect(await row.getByRole('status', { name: '1 mention' }).count()).toBe(1);
    expect(await row.getAttribute('class')).toContain('unread');
    expect(await row.getByRole('img', { name: 'Online' }).count()).toBe(1);
    await until(
      'the title badge',
      () => title(aliceTab.page),
      (t) => t.startsWith('(1) '),
    );
    expect(await bobTab.page.locator('.dm-row').filter({ hasText: 'alice' }).locator('.dm-preview').textContent()).toBe('You: hi alice, lunch?');

    // On the phone the list is in the drawer, with the same badge.
    await alicePhone.page.getByRole('button', { name: 'Open navigation' }).click();
    const phoneRow = dmRow(alicePhone.page, 'bob');
    await visible(phoneRow.getByRole('status', { name: '1 mention' }));

    // Reading it on the desktop reads it on the phone too, live (MESSAGE_ACK), and on the server.
    await row.getByRole('link').click();
    await visible(message(aliceTab.page, 'hi alice, lunch?'));
    await until(
      'the title badge to go',
      () => title(aliceTab.page),
      (t) => !t.startsWith('('),
    );
    await hidden(phoneRow.getByRole('status', { name: '1 mention' }));
    await until(
      'the server read state',
      () => mentionsOf(alice, dmId),
      (r) => r?.mention_count === 0,
    );
    expect(await row.getAttribute('class')).not.toContain('unread');

    // A reply reaches Bob's list live; he is in the DM, so it is read at once.
    await send(aliceTab.page, 'sure, at noon');
    await visible(message(bobTab.page, 'sure, at noon'));
    await until(
      'bob reads it',
      () => mentionsOf(bob, dmId),
      (r) => r?.mention_count === 0,
    );

    // Alice closes it (on the desktop): gone from both her devices, not from Bob's.
    await aliceTab.page.getByRole('button', { name: 'Close DM', exact: true }).click();
    await until(
      'home after closing',
      async () => new URL(aliceTab.page.url()).pathname,
      (p) => p === '/app',
    );
    await hidden(dmRow(aliceTab.page, 'bob'));
    await hidden(dmRow(alicePhone.page, 'bob'));
    expect(await bobTab.page.locator('.dm-row').count()).toBe(1);

    // Bob writes again: it comes back on both, unread.
    await send(bobTab.page, 'still on?');
    await visible(dmRow(aliceTab.page, 'bob').getByRole('status', { name: '1 mention' }));
    expect(await dmRow(aliceTab.page, 'bob').locator('.dm-preview').textContent()).toBe('still on?');
    await visible(dmRow(alicePhone.page, 'bob').getByRole('status', { name: '1 mention' }));
    // Opened on the phone this time: the desktop follows.
    await dmRow(alicePhone.page, 'bob').getByRole('link').click();
    await visible(message(alicePhone.page, 'still on?'));
    await hidden(dmRow(aliceTab.page, 'bob').getByRole('status', { name: '1 mention' }));

    await screenshot(aliceTab.page, 'inbox-dm-desktop');
    await screenshot(alicePhone.page, 'inbox-dm-phone');
    for (const tab of [bobTab, aliceTab, alicePhone]) {
      expect(tab.errors).toEqual([]);
      await tab.context.close();
    }
  }, 90_000);

  it('talks with a bot and with the presence bot the same way, on a phone', async () => {
    const phone = await openAs(browser, server, 'dee', `/app/channels/${guild.id}/${general}`, PHONE);
    // The member list is a panel on a phone: open it, then message the bot.
    await phone.page.getByRole('button', { name: 'Members' }).click();
    await phone.page.getByRole('button', { name: 'Message helperbot' }).click();
    await visible(phone.page.getByRole('heading', { name: 'helperbot', level: 1 }));
    const dmId = /\/app\/dm\/(\d+)$/.exec(new URL(phone.page.url()).pathname)?.[1] as string;
    await send(phone.page, 'ping');
    // The bot answers through its own API (as any bot would).
    const answer = await server.api('POST', `/api/v1/channels/${dmId}/messages`, { ...scheme(helper), body: { content: 'pong' } });
    expect(answer.status).toBe(200);
    await visible(message(phone.page, 'pong'));

    // The presence bot: its DM (opened by the API here) appears in the list live, and its commands answer.
    const opened = await server.api('POST', '/api/v1/users/@me/channels', { token: dee.token, body: { recipient_id: botId(server) } });
    expect(opened.status).toBe(200);
    await phone.page.getByRole('button', { name: 'Open navigation' }).click();
    const presenceRow = phone.page.locator(`.dm-row[data-channel-id="${opened.body.id}"]`);
    await visible(presenceRow);
    await presenceRow.getByRole('link').click();
    await visible(composer(phone.page));
    await send(phone.page, '.help');
    await visible(messageContaining(phone.page, '.add'));
    // Its answer came while the DM was open: read, no badge.
    await until(
      'the presence DM is read',
      () => mentionsOf(dee, opened.body.id),
      (r) => r?.mention_count === 0,
    );
    const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(phone.page, 'inbox-presence-bot-phone');
    expect(phone.errors).toEqual([]);
    await phone.context.close();
  }, 60_000);
});

describe('group DMs in the browser', () => {
  it('creates a named group from the dialog, which its members see live with unread badges, and one leaves', async () => {
    const aliceTab = await openAs(browser, server, 'alice', '/app');
    const bobTab = await openAs(browser, server, 'bob', '/app', PHONE);
    await aliceTab.page.getByRole('button', { name: 'New group DM' }).click();
    const dialog = aliceTab.page.getByRole('dialog', { name: 'New group DM' });
    await dialog.getByLabel('Group name').fill('Picnic');
    await dialog.getByRole('checkbox', { name: 'bob' }).check();
    await dialog.getByRole('checkbox', { name: 'cid' }).check();
    // Bots cannot be in a group: not offered.
    expect(await dialog.getByRole('checkbox', { name: 'helperbot' }).count()).toBe(0);
    await dialog.getByRole('button', { name: 'Create group' }).click();
    await visible(aliceTab.page.getByRole('heading', { name: 'Picnic', level: 1 }));
    expect(await aliceTab.page.locator('.chat-header .channel-topic').textContent()).toContain('bob');
    const groupId = /\/app\/dm\/(\d+)$/.exec(new URL(aliceTab.page.url()).pathname)?.[1] as string;
    await send(aliceTab.page, 'who brings the cake?');

    // Bob (on a phone) has it in his list, unread with a badge, and answers.
    await bobTab.page.getByRole('button', { name: 'Open navigation' }).click();
    const row = dmRow(bobTab.page, 'Picnic');
    await visible(row.getByRole('status', { name: '1 mention' }));
    expect(await row.locator('.dm-preview').textContent()).toBe('who brings the cake?');
    await row.getByRole('link').click();
    await visible(message(bobTab.page, 'who brings the cake?'));
    await send(bobTab.page, 'I will');
    await visible(message(aliceTab.page, 'I will'));
    expect((await call(cid, 'GET', '/users/@me/read-states')).find((r: { id: string }) => r.id === groupId)?.mention_count).toBe(2);

    // Bob leaves: gone from his list; Alice's header no longer names him.
    await bobTab.page.getByRole('button', { name: 'Leave group' }).click();
    await until(
      'bob home',
      async () => new URL(bobTab.page.url()).pathname,
      (p) => p === '/app',
    );
    await until(
      'the member list without bob',
      () => aliceTab.page.locator('.chat-header .channel-topic').textContent(),
      (t) => !!t && !t.includes('bob') && t.includes('cid'),
    );
    const group = await call(alice, 'GET', `/channels/${groupId}`);
    expect(group.recipient_ids).toEqual([alice.id, cid.id]);
    await screenshot(aliceTab.page, 'inbox-group-dm');
    // cid reads it elsewhere (the API), so the next test starts with nothing unread.
    await call(cid, 'POST', `/channels/${groupId}/messages/${group.last_message_id}/ack`);
    for (const tab of [aliceTab, bobTab]) {
      expect(tab.errors).toEqual([]);
      await tab.context.close();
    }
  }, 60_000);
});

describe('read state and notifications in the browser', () => {
  it('marks channels, servers and the title unread, shows the divider with a jump, and notifies while hidden as the levels say', async () => {
    const tab = await openPage(browser);
    await instrument(tab.page);
    await logInInPage(tab.page, server, 'cid', `/app/channels/${guild.id}/${general}`);
    await visible(tab.page.getByRole('heading', { name: 'general' }));
    // Nothing asked on load.
    expect(await tab.page.evaluate(() => (window as unknown as { __asks: number }).__asks)).toBe(0);

    // cid reads #general, then sits in #random; alice writes in #general, once naming cid.
    await call(alice, 'POST', `/channels/${general}/messages`, { content: 'before you left' });
    await until(
      'general read',
      () => mentionsOf(cid, general),
      (r) => r?.last_message_id !== null && r !== undefined,
    );
    await tab.page.getByRole('link', { name: 'random' }).click();
    await visible(tab.page.getByRole('heading', { name: 'random' }));
    for (let i = 1; i <= 30; i++) await call(alice, 'POST', `/channels/${general}/messages`, { content: `news ${i}` });
    await call(alice, 'POST', `/channels/${general}/messages`, { content: `hey <@${cid.id}>, look` });
    const generalLink = tab.page.locator('.channel-link', { hasText: 'general' });
    await visible(generalLink.getByRole('status', { name: '1 mention' }));
    expect(await generalLink.getAttribute('class')).toContain('unread');
    await until(
      'the title badge',
      () => title(tab.page),
      (t) => t.startsWith('(1) '),
    );
    // The server's badge shows from elsewhere too.
    await tab.page.getByRole('link', { name: 'Home' }).first().click();
    await visible(tab.page.getByRole('link', { name: 'Tea Room' }).getByRole('status', { name: '1 mention' }));

    // Opening the channel: a divider before the first new message, a bar with the count and a jump, then all read.
    await tab.page.getByRole('link', { name: 'Tea Room' }).first().click();
    await generalLink.click();
    await visible(tab.page.getByText('31 new messages'));
    const divider = tab.page.locator(`#unread-divider-${general}`);
    await visible(divider);
    expect(await divider.evaluate((el) => (el.nextElementSibling?.textContent ?? '').includes('news 1'))).toBe(true);
    await tab.page.getByRole('button', { name: 'Jump to first unread' }).click();
    await until(
      'the divider in view',
      () => divider.evaluate((el) => el.getBoundingClientRect().top),
      (top) => top >= 0 && top < 900,
    );
    await until(
      'the title badge to go',
      () => title(tab.page),
      (t) => !t.startsWith('('),
    );
    await hidden(generalLink.getByRole('status', { name: '1 mention' }));
    expect((await mentionsOf(cid, general))?.mention_count).toBe(0);

    // Notifications: the switch asks once; then mentions, role mentions, @everyone and DMs notify while hidden.
    await tab.page.getByRole('link', { name: 'User settings' }).click();
    await tab.page.getByRole('switch', { name: /Desktop notifications/ }).check();
    await until(
      'the permission prompt',
      () => tab.page.evaluate(() => (window as unknown as { __asks: number }).__asks),
      (n) => n === 1,
    );
    await tab.page.goBack();
    await visible(tab.page.getByRole('heading', { name: 'general' }));
    await setHidden(tab.page, true);
    const role = await call(alice, 'POST', `/guilds/${guild.id}/roles`, { name: 'tea-makers', mentionable: true });
    await call(alice, 'PUT', `/guilds/${guild.id}/members/${cid.id}/roles/${role.id}`);
    await call(alice, 'POST', `/channels/${general}/messages`, { content: 'just chatting' });
    await call(alice, 'POST', `/channels/${general}/messages`, { content: `<@${cid.id}> your turn` });
    await call(bob, 'POST', `/channels/${general}/messages`, { content: '@everyone from bob (not allowed)' });
    await call(bob, 'POST', `/channels/${general}/messages`, { content: `<@&${role.id}> kettle is on` });
    await call(alice, 'POST', `/channels/${general}/messages`, { content: '@here meeting' });
    const dm = await call(dee, 'POST', '/users/@me/channels', { recipient_id: cid.id });
    await call(dee, 'POST', `/channels/${dm.id}/messages`, { content: 'psst' });
    const shown = await until(
      'four notifications',
      () => shownOn(tab.page),
      (list) => list.length >= 4,
    );
    expect(shown).toEqual([
      { title: 'alice in #general (Tea Room)', body: `<@${cid.id}> your turn` },
      { title: 'bob in #general (Tea Room)', body: `<@&${role.id}> kettle is on` },
      { title: 'alice in #general (Tea Room)', body: '@here meeting' },
      { title: 'dee', body: 'psst' },
    ]);
    // Hidden, the open channel stays unread (three mentions); back in view it is read.
    await until(
      'the title counts the hidden mentions',
      () => title(tab.page),
      (t) => t.startsWith('(4) '),
    );
    await setHidden(tab.page, false);
    await until(
      'read on return',
      () => mentionsOf(cid, general),
      (r) => r?.mention_count === 0,
    );

    // Mute the server: its mentions neither notify nor badge. Saved on the server.
    await tab.page.getByRole('link', { name: 'random' }).click();
    await visible(tab.page.getByRole('heading', { name: 'random' }));
    await tab.page.getByRole('button', { name: 'Notifications' }).click();
    await tab.page.getByRole('switch', { name: 'Mute Tea Room' }).check();
    await until(
      'the setting saved',
      () => call(cid, 'GET', `/users/@me/guilds/${guild.id}/settings`),
      (s) => s.muted === true,
    );
    // #random set to all messages: still nothing while the server is muted; unmuted, every message there notifies.
    await tab.page.getByRole('radio', { name: 'All messages' }).last().check();
    await tab.page.getByRole('button', { name: 'Close' }).click();
    await tab.page.getByRole('link', { name: 'Home' }).first().click();
    await setHidden(tab.page, true);
    await call(alice, 'POST', `/channels/${general}/messages`, { content: `<@${cid.id}> muted?` });
    await call(alice, 'POST', `/channels/${general}/messages`, { content: 'sentinel' });
    await until(
      'the muted mention counted on the server',
      () => mentionsOf(cid, general),
      (r) => r?.mention_count === 1,
    );
    await Bun.sleep(200);
    expect((await shownOn(tab.page)).length).toBe(4);
    expect(await tab.page.getByRole('link', { name: 'Tea Room' }).getByRole('status').count()).toBe(0);
    // Only dee's unread DM counts in the title, not the muted server's mention.
    expect(await title(tab.page)).toBe('(1) Home — Harmony');
    await call(cid, 'PATCH', `/users/@me/guilds/${guild.id}/settings`, { muted: false });
    await call(alice, 'POST', `/channels/${general}/messages`, { content: 'plain chatter in general' });
    await call(alice, 'POST', `/channels/${random}/messages`, { content: 'plain chatter in random' });
    const after = await until(
      'the random notification',
      () => shownOn(tab.page),
      (list) => list.length >= 5,
    );
    expect(after.slice(4)).toEqual([{ title: 'alice in #random (Tea Room)', body: 'plain chatter in random' }]);
    await screenshot(tab.page, 'inbox-unread');
    expect(tab.errors).toEqual([]);
    await tab.context.close();
  }, 90_000);
});

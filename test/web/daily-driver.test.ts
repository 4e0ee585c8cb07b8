// Issue 15's daily driver, walked in Chromium by two people (and a third) with a bot, on the desktop and a 390×844
// phone: search inside a DM and a group DM, the composer's @/#/: autocomplete in the edit box, and reply headers that
// render the replied message's markdown and mentions on one line with spoilers kept closed. The last test walks the
// tour (DMs, unread badges, notification settings, profile card, member list and join messages, drawers) and takes
// the README's screenshots (`bun run screenshots` writes them to docs/screenshots/).
import { afterAll, describe, expect, it } from 'bun:test';
import type { Page } from 'playwright-core';
import { connectAs, type GatewayClient } from '../support/gateway-client.ts';
import { composer, hidden, message, messageContaining, openAs, PHONE, screenshot, send, VIEWPORTS, visible } from './support/browser.ts';
import { serverAndBrowser, teaRoom } from './support/server-and-browser.ts';

const { server, browser } = await serverAndBrowser();
const sockets: GatewayClient[] = [];
afterAll(() => {
  for (const socket of sockets) socket.close();
});

// alice owns "Tea Room" and is the instance admin; bob is a hoisted pink Mod with a custom status; cid a member;
// helperbot a bot playing chess.
const world = await teaRoom(server, { members: ['bob', 'cid'], channels: ['random'] });
const { call, alice, guild, general, bot: helper } = world;
const { bob, cid } = world.people;
const random = world.channels.random;
const mods = await call(alice, 'POST', `/guilds/${guild.id}/roles`, { name: 'Mods', color: 0xe91e63, hoist: true });
await call(alice, 'PUT', `/guilds/${guild.id}/members/${bob.id}/roles/${mods.id}`);

const bobSocket = await connectAs(server, bob.token);
sockets.push(bobSocket);
bobSocket.send({ op: 3, d: { since: null, status: 'online', afk: false, activities: [{ name: 'Custom Status', type: 4, state: 'brewing tea' }] } });
const botSocket = await connectAs(server, helper.token);
sockets.push(botSocket);
botSocket.send({ op: 3, d: { since: null, status: 'online', afk: false, activities: [{ name: 'chess', type: 0 }] } });
await bobSocket.event('PRESENCE_UPDATE', (d) => d.user.id === helper.id && d.activities?.[0]?.name === 'chess');

// A DM between alice and bob, a group DM of the three, and the bot's DM with alice.
const dm = await call(alice, 'POST', '/users/@me/channels', { recipient_id: bob.id });
await call(bob, 'POST', `/channels/${dm.id}/messages`, { content: 'lunch at noon?' });
await call(alice, 'POST', `/channels/${dm.id}/messages`, { content: 'sure, the usual place' });
await call(bob, 'POST', `/channels/${dm.id}/messages`, { content: 'lunch moved to one: https://example.com/menu' });
const group = await call(alice, 'POST', '/users/@me/channels', { recipients: [bob.id, cid.id], name: 'Picnic' });
await call(cid, 'POST', `/channels/${group.id}/messages`, { content: 'who brings lunch on sunday?' });
await call(bob, 'POST', `/channels/${group.id}/messages`, { content: 'I bring the cake' });
const botDm = await call(helper, 'POST', '/users/@me/channels', { recipient_id: alice.id }, true);
await call(helper, 'POST', `/channels/${botDm.id}/messages`, { content: 'your lunch order is ready' }, true);

const open = (who: string, path: string, viewport?: { width: number; height: number }) => openAs(browser, server, who, path, viewport);

async function search(page: Page, text: string, summary: string) {
  const box = page.getByRole('searchbox', { name: 'Search messages' });
  await box.fill(text);
  await box.press('Enter');
  const panel = page.getByRole('complementary', { name: 'Search results' });
  await visible(panel.getByText(summary, { exact: true }));
  return panel;
}

const noSideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

describe('search in direct messages', () => {
  it('searches a DM with from: and has:, never another conversation, and jumps to the result (desktop)', async () => {
    const { page, context, errors } = await open('alice', `/app/dm/${dm.id}`);
    await visible(message(page, 'lunch moved to one: https://example.com/menu'));
    // A DM reads as one: its beginning names the person, and the composer writes to @bob.
    await visible(page.getByText('This is the beginning of your direct messages with bob.'));
    await visible(page.getByRole('textbox', { name: 'Message @bob' }));
    const panel = await search(page, 'lunch', '2 results');
    // Only this DM: the group's and the bot's "lunch" are elsewhere.
    expect(await panel.locator('.history-result p').allTextContents()).toEqual(['lunch moved to one: https://example.com/menu', 'lunch at noon?']);
    await search(page, 'lunch from:bob has:link', '1 result');
    await search(page, 'from:alice', '1 result');
    await visible(panel.getByText('sure, the usual place'));
    await search(page, 'usual from:nobody', '1 result');
    await visible(panel.getByText('Not understood: from:nobody'));
    await search(page, 'lunch from:bob', '2 results');
    await screenshot(page, 'dm-search-desktop', 'dm-search');
    await panel.getByRole('button', { name: 'Jump to the message by bob' }).last().click();
    await visible(message(page, 'lunch at noon?'));
    await page.getByRole('button', { name: 'Close search results' }).click();
    await hidden(panel);

    // The bot's DM searches the same way.
    await page.goto(`${server.url}/app/dm/${botDm.id}`);
    await visible(message(page, 'your lunch order is ready'));
    const botPanel = await search(page, 'order from:helperbot', '1 result');
    await visible(botPanel.getByText('your lunch order is ready'));
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it('searches a group DM on a phone, where a jump closes the results to show the message', async () => {
    const { page, context, errors } = await open('bob', `/app/dm/${group.id}`, PHONE);
    await visible(message(page, 'I bring the cake'));
    const panel = await search(page, 'lunch', '1 result');
    await visible(panel.getByText('who brings lunch on sunday?'));
    await search(page, 'from:cid', '1 result');
    expect(await noSideways(page)).toBeLessThanOrEqual(0);
    await screenshot(page, 'dm-search-phone');
    // The jump closes the panel on a phone, to show the message.
    await panel.getByRole('button', { name: 'Jump to the message by cid' }).click();
    await hidden(panel);
    await visible(message(page, 'who brings lunch on sunday?'));
    // cid (not bob) searching the group finds the same; the DM of alice and bob stays out of reach.
    const res = await server.api('GET', `/api/v1/channels/${dm.id}/messages/search?content=lunch`, { token: cid.token });
    expect(res.status).toBe(403);
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);
});

describe('autocomplete in the edit box', () => {
  for (const [name, viewport] of VIEWPORTS) {
    it(`completes @, # and : while editing, Escape closing the list before the edit (${name})`, async () => {
      const { page, context, errors } = await open('alice', `/app/channels/${guild.id}/${general}`, viewport);
      const bobTab = name === 'desktop' ? await open('bob', `/app/channels/${guild.id}/${general}`) : null;
      const original = `plans for ${name}`;
      await send(page, original);
      await visible(message(page, original));
      // ↑ in the empty composer edits it; the caret waits at the end.
      await composer(page).press('ArrowUp');
      const box = page.getByRole('textbox', { name: 'Edit message' });
      await visible(box);
      await box.pressSequentially(' with @bo');
      const members = page.getByRole('listbox', { name: 'Members' });
      await visible(members.getByRole('option', { name: /bob/ }));
      expect(await box.getAttribute('aria-activedescendant')).toBeTruthy();
      if (name === 'phone') {
        const list = await page.locator('.edit-box .autocomplete').boundingBox();
        expect(list && list.x >= 0 && list.x + list.width <= PHONE.width).toBe(true);
      }
      await box.press('Enter');
      await box.pressSequentially('and @help');
      await visible(members.getByRole('option', { name: /helperbot/ }));
      await box.press('Tab');
      await box.pressSequentially('in #ran');
      await visible(page.getByRole('listbox', { name: 'Channels' }).getByRole('option', { name: /random/ }));
      await box.press('Enter');
      await box.pressSequentially(':tada');
      await visible(page.getByRole('listbox', { name: 'Emoji matching' }).getByRole('option').first());
      await box.press('Enter');
      // Escape with a list open closes the list only; the edit stays, with what was written.
      await box.pressSequentially('@c');
      await visible(members.getByRole('option', { name: /cid/ }));
      await box.press('Escape');
      await hidden(members);
      await visible(box);
      await box.press('Backspace');
      await box.press('Backspace');
      const written = await box.inputValue();
      expect(written).toBe(`${original} with <@${bob.id}> and <@${helper.id}> in <#${random}> 🎉 `);
      await box.press('Enter');
      await hidden(box);
      const edited = `${original} with @bob and @helperbot in #random 🎉`;
      await visible(message(page, edited));
      const article = message(page, edited);
      expect(await article.locator('.mention').allTextContents()).toEqual(['@bob', '@helperbot', '#random']);
      if (bobTab) {
        // bob sees it edited, his mention highlighted.
        await visible(message(bobTab.page, edited));
        await visible(message(bobTab.page, edited).locator('.mention-me', { hasText: '@bob' }));
        expect(bobTab.errors).toEqual([]);
        await bobTab.context.close();
      }
      expect(await noSideways(page)).toBeLessThanOrEqual(0);
      expect(errors).toEqual([]);
      await context.close();
    }, 60_000);
  }
});

describe('reply headers', () => {
  const long = `**Release** notes for <@${alice.id}> in <#${random}>: ||the cake is a lie|| see [the plan](https://example.com/plan) ${'and then a great many more words '.repeat(6)}`;
  for (const [name, viewport] of VIEWPORTS) {
    it(`render the replied message's markdown and mentions on one line, truncated, spoilers closed (${name})`, async () => {
      const original = await call(bob, 'POST', `/channels/${random}/messages`, { content: `${name}: ${long}` });
      const { page, context, errors } = await open('alice', `/app/channels/${guild.id}/${random}`, viewport);
      const replied = messageContaining(page, `${name}: Release notes`);
      await visible(replied);
      await replied.hover();
      await replied.getByRole('button', { name: 'Reply' }).click();
      await send(page, `on it (${name})`);
      await call(helper, 'POST', `/channels/${random}/messages`, { content: `noted (${name})`, reply_to: original.id }, true);
      for (const answer of [`on it (${name})`, `noted (${name})`]) {
        const header = message(page, answer).locator('.reply-ref');
        await visible(header);
        const snippet = header.locator('.reply-snippet');
        expect(await snippet.locator('strong').textContent()).toBe('Release');
        expect(await snippet.locator('.mention').allTextContents()).toEqual(['@alice', '#random']);
        expect(await snippet.locator('.preview-link').textContent()).toBe('the plan');
        // Closed: the spoiler's words are not on the page's line at all, and nothing inside the button is a link.
        expect(await snippet.getByRole('img', { name: 'Spoiler' }).count()).toBe(1);
        expect(await header.textContent()).not.toContain('cake');
        expect(await header.locator('a, button, [role=button]').count()).toBe(0);
        expect(await header.textContent()).not.toContain('**');
        // One line, cut with an ellipsis.
        const box = await header.evaluate((el) => ({
          height: el.getBoundingClientRect().height,
          line: Number.parseFloat(getComputedStyle(el).lineHeight) || 20,
          overflow: el.scrollWidth > el.clientWidth,
          ellipsis: getComputedStyle(el).textOverflow,
        }));
        expect(box.height).toBeLessThan(box.line * 1.6);
        expect([box.overflow, box.ellipsis]).toEqual([true, 'ellipsis']);
      }
      // A click on the header (on its author: on a phone the hovered message's actions cover its right end) still
      // jumps to the replied message, where the spoiler opens on a click.
      await message(page, `noted (${name})`).locator('.reply-ref .author').click();
      await replied.locator('.message-content .spoiler').click();
      await visible(replied.locator('.spoiler.revealed', { hasText: 'the cake is a lie' }));
      await screenshot(page, `reply-preview-${name}`, name === 'desktop' ? 'reply-preview' : undefined);
      expect(await noSideways(page)).toBeLessThanOrEqual(0);
      expect(errors).toEqual([]);
      await context.close();
    }, 60_000);
  }
});

describe('the tour, as a new user sees it', () => {
  it('DMs and a group DM with unread badges, notification settings, people and join messages, and the phone drawers', async () => {
    // alice has read her DM with bob (every DM message counts as a mention), whichever tests ran before.
    const seen = (await call(alice, 'GET', `/channels/${dm.id}`)).last_message_id;
    await call(alice, 'POST', `/channels/${dm.id}/messages/${seen}/ack`);
    const { page, context, errors } = await open('alice', '/app');
    // Home: the DMs with previews, presence and a fresh unread from bob.
    await call(bob, 'POST', `/channels/${dm.id}/messages`, { content: `see you at one, <@${alice.id}>` });
    const bobRow = page.locator('.dm-row').filter({ has: page.locator('.dm-name', { hasText: 'bob' }) });
    await visible(bobRow.getByRole('status', { name: '1 mention' }));
    // The preview names alice's own mention, as the message does.
    expect(await bobRow.locator('.dm-preview').textContent()).toBe('see you at one, @alice');
    await visible(page.locator('.dm-row').filter({ has: page.locator('.dm-name', { hasText: 'Picnic' }) }));
    await visible(page.locator('.dm-row').filter({ has: page.locator('.dm-name', { hasText: 'helperbot' }) }));
    await screenshot(page, 'tour-direct-messages', 'direct-messages');
    // In the bot's DM, where alice has not written, her mention is named too (a DM has no member list to name from).
    await call(helper, 'POST', `/channels/${botDm.id}/messages`, { content: `ready for pickup, <@${alice.id}>` }, true);
    await page
      .locator('.dm-row')
      .filter({ has: page.locator('.dm-name', { hasText: 'helperbot' }) })
      .getByRole('link')
      .click();
    await visible(messageContaining(page, 'ready for pickup').locator('.mention-me', { hasText: '@alice' }));
    await page.getByRole('link', { name: 'Home' }).first().click();
    await page
      .locator('.dm-row')
      .filter({ has: page.locator('.dm-name', { hasText: 'Picnic' }) })
      .getByRole('link')
      .click();
    await visible(page.getByRole('heading', { name: 'Picnic', level: 1 }));
    await send(page, '**I** bring the _tea_ 🍵');
    // The list's preview reads as the message does, not as its markdown source.
    const picnicPreview = page
      .locator('.dm-row')
      .filter({ has: page.locator('.dm-name', { hasText: 'Picnic' }) })
      .locator('.dm-preview');
    await visible(picnicPreview.locator('strong', { hasText: 'I' }));
    expect(await picnicPreview.textContent()).toBe('You: I bring the tea 🍵');
    await screenshot(page, 'tour-group-dm', 'group-dm');

    // Unread: alice sits in #random while bob writes in #general, once naming her.
    await page.goto(`${server.url}/app/channels/${guild.id}/${random}`);
    await visible(page.getByRole('heading', { name: 'random' }));
    await call(bob, 'POST', `/channels/${general}/messages`, { content: 'the kettle is on' });
    await call(bob, 'POST', `/channels/${general}/messages`, { content: `<@${alice.id}> tea in five?` });
    const generalLink = page.locator('.channel-link', { hasText: 'general' });
    await visible(generalLink.getByRole('status', { name: '1 mention' }));
    await visible(page.getByRole('link', { name: 'Tea Room' }).getByRole('status', { name: '1 mention' }));
    await screenshot(page, 'tour-unread', 'unread-badges');

    // Notification settings for the server and the channel.
    await page.getByRole('button', { name: 'Notifications' }).click();
    await visible(page.getByRole('switch', { name: 'Mute Tea Room' }));
    await screenshot(page, 'tour-notifications', 'notification-settings');
    await page.getByRole('button', { name: 'Close' }).click();

    // #general: the "new messages" divider, join messages, the member list grouped by the hoisted role.
    await generalLink.click();
    await visible(message(page, 'the kettle is on'));
    const members = page.getByRole('complementary', { name: 'Members' });
    await visible(members.getByRole('region', { name: 'Mods members' }).getByText('brewing tea'));
    await visible(members.getByText('Playing chess'));
    expect(await page.locator('article[data-system="join"]').count()).toBe(2);
    await screenshot(page, 'tour-people', 'members-and-joins');

    // bob's profile card.
    await members.getByRole('button', { name: 'Profile of bob' }).click();
    const card = page.getByRole('dialog', { name: 'Profile of bob' });
    await visible(card.getByText('brewing tea'));
    await visible(card.getByRole('region', { name: 'Roles' }).getByText('Mods'));
    await screenshot(page, 'tour-profile-card', 'profile-card');
    await page.keyboard.press('Escape');
    await hidden(card);
    expect(errors).toEqual([]);
    await context.close();

    // On a phone: the navigation drawer and the member drawer, each with a close button over a backdrop.
    const phone = await open('bob', `/app/channels/${guild.id}/${general}`, PHONE);
    await visible(message(phone.page, 'the kettle is on'));
    await phone.page.getByRole('button', { name: 'Open navigation' }).click();
    await visible(phone.page.getByRole('button', { name: 'Close navigation' }));
    await screenshot(phone.page, 'tour-phone-navigation', 'phone-navigation');
    await phone.page.keyboard.press('Escape');
    await hidden(phone.page.getByRole('button', { name: 'Close navigation' }));
    await phone.page.getByRole('button', { name: 'Members' }).click();
    await visible(phone.page.getByRole('button', { name: 'Close members' }));
    await screenshot(phone.page, 'tour-phone-members', 'phone-members');
    expect(await noSideways(phone.page)).toBeLessThanOrEqual(0);
    expect(phone.errors).toEqual([]);
    await phone.context.close();
  }, 90_000);
});

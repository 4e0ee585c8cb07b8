// Issue 6 item 3 in detail: history paging on scroll-up, Shift+Enter, editing, reactions, mentions
// highlighted, channel create/rename/delete, and the app at 360 px wide.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import type { Browser } from 'playwright-core';
import { register, startServer, type TestServer } from '../support/test-server.ts';
import {
  composer,
  hidden,
  launchChromium,
  logInInPage,
  message,
  messageContaining,
  openPage,
  PASSWORD,
  screenshot,
  send,
  unnamedControls,
  until,
  visible,
} from './support/browser.ts';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer({ rateLimits: false });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function guildWithHistory(count: number) {
  const alice = await register(server, `alice${count}`, PASSWORD);
  const bob = await register(server, `bob${count}`, PASSWORD);
  const guild = await server.api('POST', '/api/v1/guilds', { token: alice.token, body: { name: 'Archive' } });
  const channelId: string = guild.body.channels[0].id;
  const invite = await server.api('POST', `/api/v1/channels/${channelId}/invites`, { token: alice.token, body: {} });
  await server.api('POST', `/api/v1/invites/${invite.body.code}`, { token: bob.token });
  for (let i = 1; i <= count; i++) await server.api('POST', `/api/v1/channels/${channelId}/messages`, { token: bob.token, body: { content: `history ${i}` } });
  return { alice, bob, guildId: guild.body.id as string, channelId };
}

describe('chat features in the browser', () => {
  it('pages history in on scroll-up, sends multi-line text, edits, reacts, highlights mentions and manages channels', async () => {
    const { alice, bob, guildId, channelId } = await guildWithHistory(120);
    const { page, errors } = await openPage(browser);
    await logInInPage(page, server, alice.user.username, `/app/channels/${guildId}/${channelId}`);

    // The newest page first; scrolling up loads the rest, oldest last, keeping order.
    await visible(message(page, 'history 120'));
    expect(await message(page, 'history 1').count()).toBe(0);
    const scroller = page.getByRole('region', { name: 'Messages in #general' });
    // Until the first message is shown, not merely loaded: the start-of-channel line appears with the last page, but
    // a prepended page keeps the view where it was (as it should), and the list renders only what is near the view,
    // so stopping at that line raced the last page's arrival against the last scroll.
    for (let i = 0; i < 40 && (await message(page, 'history 1').count()) === 0; i++) {
      await scroller.evaluate((el) => {
        el.scrollTop = 0;
      });
      await Bun.sleep(200);
    }
    await visible(message(page, 'history 1'));
    await visible(page.getByText('This is the start of the channel.'));
    // The list is virtualized (history.test.ts): what is rendered is the start of the history, in order.
    const texts = await page.locator('article:not([data-system]) .message-content').allTextContents();
    expect(texts.length).toBeGreaterThan(5);
    expect(texts).toEqual(Array.from({ length: texts.length }, (_, i) => `history ${i + 1}`));
    // History begins with the poster's arrival, announced when they joined through the invite (scrolled to the very
    // top, since the list renders only what is near the view).
    await scroller.evaluate((el) => {
      el.scrollTop = 0;
    });
    await visible(page.locator('article[data-system="join"]'));
    expect(await page.locator('article[data-message-id]').first().getAttribute('data-system')).toBe('join');

    // Shift+Enter is a new line, Enter sends.
    await composer(page).click();
    await page.keyboard.type('first line');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('second line');
    await page.keyboard.press('Enter');
    await visible(messageContaining(page, 'first line'));
    const multiId = await messageContaining(page, 'first line').getAttribute('data-message-id');
    const multi = page.locator(`article[data-message-id="${multiId}"]`);
    expect(await multi.locator('.message-content').textContent()).toBe('first line\nsecond line');

    // Edit your own message in place.
    await multi.hover();
    await multi.getByRole('button', { name: 'Edit message' }).click();
    await multi.getByRole('textbox', { name: 'Edit message' }).fill('edited text');
    await multi.getByRole('textbox', { name: 'Edit message' }).press('Enter');
    const edited = message(page, 'edited text');
    await visible(edited.getByText('(edited)'));

    // React and un-react.
    await edited.hover();
    await edited.getByRole('button', { name: 'Add reaction' }).click();
    await edited.getByRole('button', { name: 'React with 👍' }).click();
    const chip = edited.locator('.reaction', { hasText: '👍' });
    await visible(chip);
    expect(await chip.getAttribute('aria-pressed')).toBe('true');
    expect(await chip.locator('.count').textContent()).toBe('1');
    // Someone else's reaction arrives live and adds to the count.
    const editedId = await edited.getAttribute('data-message-id');
    await server.api('PUT', `/api/v1/messages/${editedId}/reactions/${encodeURIComponent('👍')}`, { token: bob.token });
    await until(
      'the count to reach 2',
      () => chip.locator('.count').textContent(),
      (t) => t === '2',
    );
    await chip.click();
    await until(
      'our reaction to be removed',
      () => chip.getAttribute('aria-pressed'),
      (p) => p === 'false',
    );
    expect(await chip.locator('.count').textContent()).toBe('1');

    // A mention of us is highlighted and named.
    await server.api('POST', `/api/v1/channels/${channelId}/messages`, { token: bob.token, body: { content: `hey <@${alice.id}> look` } });
    const ping = page.locator('article.message.pinged');
    await visible(ping);
    expect(await ping.locator('.mention-me').textContent()).toBe(`@${alice.user.username}`);

    // Channels: create, rename, delete.
    await page.getByRole('button', { name: 'Create channel' }).click();
    await page.getByLabel('Channel name').fill('random');
    await page.getByRole('button', { name: 'Create channel' }).last().click();
    await visible(page.getByRole('heading', { name: 'random' }));
    await send(page, 'in random');
    await page.getByRole('button', { name: 'Edit channel random' }).click();
    await page.getByLabel('Channel name').fill('off-topic');
    await page.getByLabel('Topic').fill('anything goes');
    await page.getByRole('button', { name: 'Save' }).click();
    await visible(page.getByRole('heading', { name: 'off-topic' }));
    await visible(page.getByText('anything goes'));
    await screenshot(page, 'chat-features');
    expect(await unnamedControls(page)).toEqual([]);
    await page.getByRole('button', { name: 'Edit channel off-topic' }).click();
    await page.getByRole('button', { name: 'Delete channel' }).click();
    await page.getByRole('dialog', { name: 'Delete #off-topic?' }).getByRole('button', { name: 'Delete channel' }).click();
    await hidden(page.getByRole('link', { name: /off-topic/ }));
    await visible(page.getByRole('heading', { name: 'general' }));
    expect(errors).toEqual([]);
  }, 60_000);

  it('works at 360 px wide: the navigation is a drawer, nothing scrolls sideways, and the keyboard reaches it all', async () => {
    const { alice, guildId, channelId } = await guildWithHistory(3);
    const { page, errors } = await openPage(browser, { viewport: { width: 360, height: 740 } });
    await logInInPage(page, server, alice.user.username, `/app/channels/${guildId}/${channelId}`);
    await visible(message(page, 'history 3'));
    const noSideScroll = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
    expect(await noSideScroll()).toBe(true);
    // The channel list is off screen until the menu button opens it.
    expect(await page.getByRole('navigation', { name: 'Channels' }).isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Open navigation' }).click();
    await visible(page.getByRole('navigation', { name: 'Channels' }));
    await page.waitForTimeout(300); // the drawer slides in
    await screenshot(page, 'mobile-drawer');
    await page.getByRole('link', { name: 'general' }).click();
    await hidden(page.getByRole('navigation', { name: 'Channels' }));
    await send(page, 'typed on a phone');
    await visible(message(page, 'typed on a phone'));
    expect(await noSideScroll()).toBe(true);
    await screenshot(page, 'mobile-chat');
    expect(await unnamedControls(page)).toEqual([]);

    // Keyboard: the members panel opens and closes from a focused button with Enter.
    await page.getByRole('button', { name: 'Members' }).focus();
    await page.keyboard.press('Enter');
    await visible(page.getByRole('complementary', { name: 'Members' }));
    await page.keyboard.press('Enter');
    await hidden(page.getByRole('complementary', { name: 'Members' }));
    await page.goto(`${server.url}/app/settings`);
    await visible(page.getByRole('heading', { name: 'User settings' }));
    expect(await noSideScroll()).toBe(true);
    await screenshot(page, 'mobile-settings');
    expect(errors).toEqual([]);
  }, 60_000);
});

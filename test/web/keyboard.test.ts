// Issue 15 item 8, keyboard and screen readers: a whole session without a mouse (log in, switch server and
// channel, send, reply, react, edit, open and close a dialog, open a member's profile) with focus trapped in
// dialogs and given back to their opener, visible focus rings; and the message list's live region, which
// announces a new message from someone else once, never your own nor history loaded or scrolled into view.
import { describe, expect, it } from 'bun:test';
import type { Locator, Page } from 'playwright-core';
import { register } from '../support/test-server.ts';
import { composer, hidden, logInInPage, message, messageContaining, openPage, PASSWORD, until, visible } from './support/browser.ts';
import { serverAndBrowser } from './support/server-and-browser.ts';

const { server, browser } = await serverAndBrowser();

const call = async (token: string, method: string, path: string, body?: unknown) => {
  const res = await server.api(method, `/api/v1${path}`, { token, body });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
};

const alice = await register(server, 'alice', PASSWORD);
const bob = await register(server, 'bob', PASSWORD);
// A first server, so reaching the second takes a Tab more.
await call(alice.token, 'POST', '/guilds', { name: 'Attic' });
const guild = await call(alice.token, 'POST', '/guilds', { name: 'Lighthouse' });
const general: string = guild.channels[0].id;
await call(alice.token, 'POST', `/guilds/${guild.id}/channels`, { name: 'random' });
const invite = await call(alice.token, 'POST', `/channels/${general}/invites`, {});
await call(bob.token, 'POST', `/invites/${invite.code}`);
await call(bob.token, 'POST', `/channels/${general}/messages`, { content: 'anyone around?' });

// A short timeout: an element that is not there (yet) is simply not focused.
const isFocused = (locator: Locator) => locator.evaluate((el) => el === document.activeElement, undefined, { timeout: 250 }).catch(() => false);

/** Presses `key` (Tab or Shift+Tab) until `target` has focus, as a keyboard user would; fails if it never does. */
async function tabTo(page: Page, target: Locator, key: 'Tab' | 'Shift+Tab' = 'Tab', most = 60): Promise<void> {
  for (let i = 0; i < most; i++) {
    if (await isFocused(target.first())) return;
    await page.keyboard.press(key);
  }
  if (await isFocused(target.first())) return;
  const at = await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 160));
  throw new Error(`${most} × ${key} never reached ${target}; focus is on ${at}`);
}

/** The focused element shows a ring: an outline or a box shadow, as :focus-visible draws it. */
async function focusRing(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement;
    const style = getComputedStyle(el);
    return style.outlineStyle !== 'none' && style.outlineWidth !== '0px' ? `outline ${style.outlineWidth}` : style.boxShadow !== 'none' ? 'shadow' : 'none';
  });
}

const focusedInside = (page: Page, selector: string) => page.evaluate((s) => !!document.activeElement?.closest(s), selector);

describe('a keyboard-only session', () => {
  it('logs in, switches server and channel, sends, replies, reacts, edits, uses a dialog and a profile without a mouse', async () => {
    const { page, errors } = await openPage(browser);
    await page.goto(server.url);
    const username = page.getByLabel('Username');
    await tabTo(page, username);
    expect(await focusRing(page)).not.toBe('none');
    await page.keyboard.type('alice');
    await tabTo(page, page.getByLabel('Password'));
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await until(
      'the user panel',
      () => page.getByTestId('current-user').textContent(),
      (t) => t === 'alice',
    );

    // Server, then channel, from the navigation.
    await tabTo(page, page.getByRole('navigation', { name: 'Servers' }).getByRole('link', { name: 'Lighthouse' }));
    expect(await focusRing(page)).not.toBe('none');
    await page.keyboard.press('Enter');
    await visible(page.getByRole('heading', { name: 'general', level: 1 }));
    await tabTo(page, page.getByRole('navigation', { name: 'Channels' }).getByRole('link', { name: 'random' }));
    await page.keyboard.press('Enter');
    await visible(page.getByRole('heading', { name: 'random', level: 1 }));

    // The composer has focus on a new channel; send with Enter.
    await tabTo(page, composer(page));
    await page.keyboard.type('hello from the keyboard');
    await page.keyboard.press('Enter');
    await visible(message(page, 'hello from the keyboard'));

    // Back to #general (Shift+Tab up through the page), reply to bob's message from its actions.
    await tabTo(page, page.getByRole('navigation', { name: 'Channels' }).getByRole('link', { name: 'general' }), 'Shift+Tab');
    await page.keyboard.press('Enter');
    await visible(message(page, 'anyone around?'));
    await tabTo(page, composer(page));
    await tabTo(page, message(page, 'anyone around?').getByRole('button', { name: 'Reply' }), 'Shift+Tab');
    expect(await focusRing(page)).not.toBe('none');
    await page.keyboard.press('Enter');
    // Replying puts the caret in the composer.
    await until('focus in the composer', () => isFocused(composer(page)), Boolean);
    await page.keyboard.type('I am!');
    await page.keyboard.press('Enter');
    const reply = message(page, 'I am!');
    await visible(reply.locator('.reply-ref', { hasText: 'anyone around?' }));

    // React: the picker opens with its search focused, ↓ enters the grid, Enter picks, focus returns.
    const question = message(page, 'anyone around?');
    const addReaction = question.getByRole('button', { name: 'Add reaction' });
    await tabTo(page, addReaction, 'Shift+Tab');
    await page.keyboard.press('Enter');
    const picker = page.getByRole('dialog', { name: 'Emoji picker' });
    const search = picker.getByRole('searchbox', { name: 'Search emoji' });
    await until('the search box to take focus', () => isFocused(search), Boolean);
    await page.keyboard.type('thumbsup');
    await visible(picker.getByRole('gridcell').first());
    await page.keyboard.press('ArrowDown');
    await until('a cell to take focus', () => focusedInside(page, '[role="gridcell"], [role="grid"]'), Boolean);
    await page.keyboard.press('Enter');
    await hidden(picker);
    await visible(question.getByRole('button', { name: /👍 1/ }));
    expect(await isFocused(addReaction)).toBe(true);

    // Edit the last message with ↑ from the empty composer; Enter saves and focus is back in the composer.
    await tabTo(page, composer(page));
    await page.keyboard.press('ArrowUp');
    const editBox = page.getByRole('textbox', { name: 'Edit message' });
    await until('the edit box to take focus', () => isFocused(editBox), Boolean);
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('I am here!');
    await page.keyboard.press('Enter');
    await visible(message(page, 'I am here!').locator('.edited'));
    await until('focus back in the composer', () => isFocused(composer(page)), Boolean);

    // A dialog: focus moves in, Tab cycles inside it, Escape closes it and focus returns to the opener.
    const opener = page.getByRole('button', { name: 'Invite people' });
    await tabTo(page, opener, 'Shift+Tab');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Invite people to #general' });
    await visible(dialog);
    for (let i = 0; i < 6; i++) {
      expect(await focusedInside(page, 'dialog[open]')).toBe(true);
      await page.keyboard.press('Tab');
    }
    await page.keyboard.press('Shift+Tab');
    expect(await focusedInside(page, 'dialog[open]')).toBe(true);
    await page.keyboard.press('Escape');
    await hidden(dialog);
    await until('focus back on "Invite people"', () => isFocused(opener), Boolean);

    // A member's profile from the member list: Enter opens the card, Escape closes it, focus returns.
    const member = page.getByRole('complementary', { name: 'Members' }).getByRole('button', { name: /^Profile of bob/ });
    await tabTo(page, member);
    await page.keyboard.press('Enter');
    const profile = page.getByRole('dialog', { name: 'Profile of bob' });
    await visible(profile);
    expect(await focusedInside(page, 'dialog[open]')).toBe(true);
    await page.keyboard.press('Escape');
    await hidden(profile);
    await until('focus back on the member', () => isFocused(member), Boolean);

    expect(errors).toEqual([]);
    await page.context().close();
  }, 240_000);

  it('keeps Tab and Shift+Tab inside both emoji pickers; Escape closes them and gives focus back to the opener', async () => {
    const { page, errors } = await openPage(browser);
    await logInInPage(page, server, 'alice', `/app/channels/${guild.id}/${general}`);
    const picker = page.getByRole('dialog', { name: 'Emoji picker' });
    const question = message(page, 'anyone around?');
    const openers = [
      { name: 'composer', opener: page.locator('form').getByRole('button', { name: 'Emoji', exact: true }) },
      { name: 'reaction', opener: question.getByRole('button', { name: 'Add reaction' }) },
    ];
    for (const { name, opener } of openers) {
      await question.hover();
      await opener.focus();
      await page.keyboard.press('Enter');
      await visible(picker.getByRole('gridcell').first());
      await until(`${name} picker: focus in its search box`, () => isFocused(picker.getByRole('searchbox', { name: 'Search emoji' })), Boolean);
      // More presses than the picker has stops (search, skin tone, the categories, one cell): each wraps around.
      const seen = new Set<string>();
      for (const key of ['Tab', 'Shift+Tab'] as const) {
        for (let i = 0; i < 30; i++) {
          await page.keyboard.press(key);
          const at = await page.evaluate(() => {
            const el = document.activeElement;
            return el?.closest('[role="dialog"][aria-label="Emoji picker"]')
              ? (el.getAttribute('aria-label') ?? el.tagName)
              : `outside: ${el?.outerHTML.slice(0, 120)}`;
          });
          expect(`${name} picker after ${i + 1} × ${key}: ${at}`).not.toContain('outside');
          seen.add(at);
        }
      }
      // Every stop was reached, the grid's cell included.
      expect([...seen]).toEqual(expect.arrayContaining(['Search emoji', 'Skin tone', 'Frequently used', expect.stringMatching(/^(Insert|React with) /)]));
      await page.keyboard.press('Escape');
      await hidden(picker);
      await until(`${name} picker: focus back on its opener`, () => isFocused(opener), Boolean);
    }
    expect(errors).toEqual([]);
    await page.context().close();
  }, 120_000);

  it('switches the login and register tabs with the arrow keys (one tab stop)', async () => {
    const { page } = await openPage(browser);
    await page.goto(server.url);
    const login = page.getByRole('tab', { name: 'Log in' });
    await tabTo(page, login);
    await page.keyboard.press('ArrowRight');
    const registerTab = page.getByRole('tab', { name: 'Register' });
    expect(await isFocused(registerTab)).toBe(true);
    expect(await registerTab.getAttribute('aria-selected')).toBe('true');
    await visible(page.getByRole('button', { name: 'Create account' }));
    expect(await login.getAttribute('tabindex')).toBe('-1');
    await page.keyboard.press('Home');
    expect(await isFocused(login)).toBe(true);
    await page.context().close();
  });
});

describe('the message log for screen readers', () => {
  it('is a log whose live region announces new messages from others once, not your own nor history', async () => {
    // 120 messages of history: more than a page, so scrolling up loads (and virtualizes) older ones.
    const history: string = (await call(alice.token, 'POST', `/guilds/${guild.id}/channels`, { name: 'history' })).id;
    for (let i = 1; i <= 120; i++) await call(bob.token, 'POST', `/channels/${history}/messages`, { content: `old message ${i}` });

    const { page, errors } = await openPage(browser);
    await logInInPage(page, server, 'alice', `/app/channels/${guild.id}/${history}`);
    await visible(message(page, 'old message 120'));
    const log = page.getByRole('log');
    expect(await log.count()).toBe(1);
    // The rows of the virtual list are not themselves live (they would be read again on every scroll).
    expect(await log.getAttribute('aria-live')).toBe('off');
    const announcer = page.getByTestId('new-message-announcer');
    expect(await announcer.getAttribute('aria-live')).toBe('polite');
    const said = () => announcer.locator('p').allTextContents();
    expect(await said()).toEqual([]);

    // Scrolling up through history loads older pages and swaps rows in and out: nothing is announced.
    const scroller = page.getByRole('region', { name: 'Messages in #history' });
    for (let i = 0; i < 8; i++) {
      await scroller.evaluate((el) => {
        el.scrollTop = 0;
      });
      await Bun.sleep(150);
    }
    await visible(message(page, 'old message 1'));
    expect(await said()).toEqual([]);

    // Back at the present: bob's new message is announced once, with his name; alice's own is not.
    await scroller.evaluate((el) => {
      el.scrollTop = el.scrollHeight;
    });
    await call(bob.token, 'POST', `/channels/${history}/messages`, { content: `fresh news for <@${alice.id}>` });
    await visible(messageContaining(page, 'fresh news'));
    expect(await until('the announcement', said, (s) => s.length > 0)).toEqual(['bob: fresh news for @alice']);
    await composer(page).fill('my own words');
    await composer(page).press('Enter');
    await visible(message(page, 'my own words'));
    await call(bob.token, 'POST', `/channels/${history}/messages`, { content: 'second' });
    expect(await until('the second announcement', said, (s) => s.length > 1)).toEqual(['bob: fresh news for @alice', 'bob: second']);

    // Re-rendering the rows (scrolling away and back) announces nothing again.
    await scroller.evaluate((el) => {
      el.scrollTop = 0;
    });
    await Bun.sleep(300);
    await scroller.evaluate((el) => {
      el.scrollTop = el.scrollHeight;
    });
    await Bun.sleep(300);
    expect(await said()).toEqual(['bob: fresh news for @alice', 'bob: second']);

    // Another channel starts with an empty region.
    await page.getByRole('navigation', { name: 'Channels' }).getByRole('link', { name: 'random' }).click();
    await visible(page.getByRole('heading', { name: 'random', level: 1 }));
    expect(await said()).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  }, 120_000);
});

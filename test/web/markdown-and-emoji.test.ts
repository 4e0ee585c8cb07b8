// Issue 15 item 4 (first half) in Chromium with two people: markdown as the other person sees it (bold, a
// highlighted code block, a spoiler revealed by a click, a masked link that shows its URL and asks before
// leaving), mentions autocompleted into their wire form and rendered for the reader, a #channel that navigates,
// and the emoji picker (search, skin tone, recently used) for the composer and for reactions, on desktop and
// on a 390×844 phone.
import { describe, expect, it } from 'bun:test';
import type { Page } from 'playwright-core';
import { register } from '../support/test-server.ts';
import { composer, logInInPage, messageContaining, openPage, PASSWORD, screenshot, unnamedControls, until, visible } from './support/browser.ts';
import { serverAndBrowser } from './support/server-and-browser.ts';

const { server, browser } = await serverAndBrowser();

type Account = { user: { id: string; username: string }; token: string };
const call = async (who: Account, method: string, path: string, body?: unknown) => {
  const res = await server.api(method, `/api/v1${path}`, { token: who.token, body });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
};

const alice: Account = await register(server, 'alice', PASSWORD);
const bob: Account = await register(server, 'bob', PASSWORD);
const guild = await call(alice, 'POST', '/guilds', { name: 'Markdown Club' });
const general: string = guild.channels[0].id;
const random: string = (await call(alice, 'POST', `/guilds/${guild.id}/channels`, { name: 'random' })).id;
const invite = await call(alice, 'POST', `/channels/${general}/invites`, {});
await call(bob, 'POST', `/invites/${invite.code}`);
const role = await call(alice, 'POST', `/guilds/${guild.id}/roles`, { name: 'tea-makers', mentionable: true, color: 0xe91e63 });
await call(alice, 'PUT', `/guilds/${guild.id}/members/${bob.user.id}/roles/${role.id}`);
const channelPath = `/app/channels/${guild.id}/${general}`;

async function typeInComposer(page: Page, text: string): Promise<void> {
  await composer(page).click();
  await page.keyboard.type(text);
}

async function sendComposer(page: Page): Promise<void> {
  await composer(page).press('Enter');
  await until(
    'the composer to clear',
    () => composer(page).inputValue(),
    (v) => v === '',
  );
}

describe('markdown, mentions and emoji in the browser', () => {
  it('renders markdown for the other person, autocompletes mentions into wire form, and picks emoji with tone and recents', async () => {
    const a = await openPage(browser);
    const b = await openPage(browser);
    await logInInPage(a.page, server, 'alice', channelPath);
    await logInInPage(b.page, server, 'bob', channelPath);

    // Markdown: alice writes it, bob reads it formatted.
    await composer(a.page).fill('**bold move** then ||the butler did it|| see [the docs](https://example.com/docs)\n```js\nconst answer = 42 // why\n```');
    await sendComposer(a.page);
    const rich = messageContaining(b.page, 'bold move');
    await visible(rich);
    expect(await rich.locator('strong').textContent()).toBe('bold move');
    expect(await rich.locator('pre.code-block[data-lang="js"] .hl-keyword').textContent()).toBe('const');
    expect(await rich.locator('pre.code-block .hl-number').textContent()).toBe('42');
    expect(await rich.locator('pre.code-block .hl-comment').textContent()).toBe('// why');
    expect(await rich.locator('.message-content').textContent()).not.toContain('**');

    // The spoiler hides its text until clicked.
    const spoiler = rich.getByRole('button', { name: 'Spoiler, activate to reveal' });
    expect(await spoiler.locator('.spoiler-text').evaluate((el) => getComputedStyle(el).opacity)).toBe('0');
    await spoiler.click();
    await visible(rich.locator('.spoiler.revealed', { hasText: 'the butler did it' }));

    // The masked link shows where it goes on hover and asks before leaving.
    const masked = rich.getByRole('link', { name: 'the docs' });
    expect(await masked.getAttribute('title')).toBe('https://example.com/docs');
    expect(await masked.getAttribute('rel')).toBe('noopener noreferrer nofollow ugc');
    await masked.click();
    const leaving = b.page.getByRole('dialog', { name: 'Leaving Harmony' });
    await visible(leaving.getByText('https://example.com/docs'));
    await leaving.getByRole('button', { name: 'Cancel' }).click();
    expect(b.page.url()).toContain(channelPath);

    // @ autocompletes a member with the keyboard and inserts <@id>; bob sees his name highlighted.
    await typeInComposer(a.page, 'lunch? @bo');
    const options = a.page.getByRole('listbox', { name: 'Members' });
    await visible(options.getByRole('option', { name: /bob/ }));
    expect(await composer(a.page).getAttribute('aria-activedescendant')).toBeTruthy();
    await a.page.keyboard.press('Enter');
    expect(await composer(a.page).inputValue()).toBe(`lunch? <@${bob.user.id}> `);
    // A role that may be mentioned, picked with Tab.
    await a.page.keyboard.type('and @tea');
    await visible(options.getByRole('option', { name: /@tea-makers/ }));
    await a.page.keyboard.press('Tab');
    expect(await composer(a.page).inputValue()).toBe(`lunch? <@${bob.user.id}> and <@&${role.id}> `);
    // Escape closes the list and leaves the text as typed.
    await a.page.keyboard.type('@ev');
    await visible(options.getByRole('option', { name: /@everyone/ }));
    await a.page.keyboard.press('Escape');
    await until(
      'the list to close',
      () => options.count(),
      (n) => n === 0,
    );
    for (let i = 0; i < 3; i++) await a.page.keyboard.press('Backspace');
    await sendComposer(a.page);
    const ping = messageContaining(b.page, 'lunch?');
    await visible(ping);
    expect(await ping.locator('.mention.mention-me', { hasText: '@bob' }).count()).toBe(1);
    const roleChip = ping.locator('.role-mention', { hasText: '@tea-makers' });
    expect(await roleChip.evaluate((el) => getComputedStyle(el).getPropertyValue('--role-colour'))).toBe('#e91e63');
    expect(await ping.getAttribute('class')).toContain('pinged');

    // # autocompletes a channel with the mouse; clicking the mention navigates there.
    await typeInComposer(a.page, 'take it to #ran');
    await a.page.getByRole('listbox', { name: 'Channels' }).getByRole('option', { name: 'random' }).click();
    expect(await composer(a.page).inputValue()).toBe(`take it to <#${random}> `);
    await sendComposer(a.page);
    // : autocompletes emoji from two letters on.
    await typeInComposer(a.page, 'sure :thumbsu');
    await a.page.getByRole('listbox', { name: 'Emoji matching' }).getByRole('option', { name: ':thumbsup:' }).click();
    expect(await composer(a.page).inputValue()).toBe('sure 👍 ');
    await sendComposer(a.page);
    await visible(messageContaining(b.page, 'sure 👍'));
    const moved = messageContaining(b.page, 'take it to');
    await moved.getByRole('link', { name: '#random' }).click();
    await until(
      'bob to be in #random',
      async () => new URL(b.page.url()).pathname,
      (p) => p === `/app/channels/${guild.id}/${random}`,
    );
    await visible(b.page.getByRole('heading', { name: 'random' }));

    // The composer's emoji picker: search, then a skin tone that is remembered, and recently used first.
    await a.page.getByRole('button', { name: 'Emoji', exact: true }).click();
    const picker = a.page.getByRole('dialog', { name: 'Emoji picker' });
    await picker.getByRole('searchbox', { name: 'Search emoji' }).fill('pizza');
    await visible(picker.getByRole('button', { name: 'Insert 🍕' }));
    await picker.getByRole('combobox', { name: 'Skin tone' }).selectOption({ label: '✋🏽 Medium' });
    await picker.getByRole('searchbox', { name: 'Search emoji' }).fill('waving hand');
    expect(await unnamedControls(a.page)).toEqual([]);
    await picker.getByRole('button', { name: 'Insert 👋🏽' }).click();
    expect(await composer(a.page).inputValue()).toBe('👋🏽 ');
    await sendComposer(a.page);
    await a.page.reload();
    await visible(composer(a.page));
    await a.page.getByRole('button', { name: 'Emoji', exact: true }).click();
    const recent = picker.getByRole('grid', { name: 'Frequently used' });
    await visible(recent.getByRole('button', { name: 'Insert 👋🏽' }));
    expect(await picker.getByRole('combobox', { name: 'Skin tone' }).inputValue()).toBe('3');
    // A category shows its emoji in the chosen tone; Escape closes.
    await picker.getByRole('button', { name: 'People & Body' }).click();
    await visible(picker.getByRole('button', { name: 'Insert 👍🏽' }));
    await a.page.keyboard.press('Escape');
    await until(
      'the picker to close',
      () => picker.count(),
      (n) => n === 0,
    );

    // A reaction through the picker, with the keyboard: search, ↓ into the grid, Enter.
    await b.page.goto(server.url + channelPath);
    const target = messageContaining(b.page, 'bold move');
    await visible(target);
    await target.hover();
    await target.getByRole('button', { name: 'Add reaction' }).click();
    const reactionPicker = b.page.getByRole('dialog', { name: 'Emoji picker' });
    await reactionPicker.getByRole('searchbox', { name: 'Search emoji' }).fill('pizza');
    // The list arrives with the first picker of this page load: ↓ moves into results a person can see.
    await visible(reactionPicker.getByRole('button', { name: 'React with 🍕' }));
    await b.page.keyboard.press('ArrowDown');
    // The cell takes focus on the next frame, which a loaded machine may draw a while later.
    await until(
      'the pizza cell to take focus',
      () => b.page.evaluate(() => document.activeElement?.getAttribute('aria-label')),
      (label) => label === 'React with 🍕',
    );
    await b.page.keyboard.press('Enter');
    const chip = messageContaining(a.page, 'bold move').locator('.reaction', { hasText: '🍕' });
    await visible(chip);
    expect(await chip.locator('.count').textContent()).toBe('1');

    // The picture for the docs: the conversation with the picker open on a category.
    await b.page.getByRole('button', { name: 'Emoji', exact: true }).click();
    await b.page.getByRole('dialog', { name: 'Emoji picker' }).getByRole('button', { name: 'Food & Drink' }).click();
    await screenshot(b.page, 'markdown-and-emoji', 'markdown-emoji');
    // A press outside the picker closes it.
    await b.page.getByRole('heading', { name: 'Welcome to #general' }).click();
    await until(
      'the picker to close on an outside press',
      () => b.page.getByRole('dialog', { name: 'Emoji picker' }).count(),
      (n) => n === 0,
    );
    expect(a.errors).toEqual([]);
    expect(b.errors).toEqual([]);
    await a.context.close();
    await b.context.close();
  });

  it('renders markdown and fits the emoji picker on a 390×844 phone', async () => {
    const phone = await openPage(browser, { viewport: { width: 390, height: 844 } });
    await logInInPage(phone.page, server, 'bob', channelPath);
    const rich = messageContaining(phone.page, 'bold move');
    await visible(rich);
    await visible(rich.locator('pre.code-block .hl-keyword'));
    const code = await rich.locator('pre.code-block').boundingBox();
    if (!code) throw new Error('the code block has no box');
    expect(code.x + code.width).toBeLessThanOrEqual(390);

    await phone.page.getByRole('button', { name: 'Emoji', exact: true }).click();
    const picker = phone.page.getByRole('dialog', { name: 'Emoji picker' });
    await visible(picker);
    const box = await picker.boundingBox();
    if (!box) throw new Error('the picker has no box');
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    await picker.getByRole('searchbox', { name: 'Search emoji' }).fill('tada');
    await visible(picker.getByRole('button', { name: 'Insert 🎉' }));
    await screenshot(phone.page, 'markdown-and-emoji-phone', 'markdown-emoji-phone');
    await picker.getByRole('button', { name: 'Insert 🎉' }).click();
    expect(await composer(phone.page).inputValue()).toBe('🎉 ');
    expect(phone.errors).toEqual([]);
    await phone.context.close();
  });
});

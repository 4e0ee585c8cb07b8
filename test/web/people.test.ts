// People in the web app (issue 15 items 5 and 6), with two people and a bot besides the viewer: uploaded and
// Discord's default avatars, role colours, hoisted role groups with custom status and activity under names,
// the profile card and its Message button, "X joined the server" arriving live, plurals and a live member count,
// drawers on a phone (close button, backdrop, focus), a theme that survives a reload, and form errors in words.
import { afterAll, describe, expect, it } from 'bun:test';
import type { Page } from 'playwright-core';
import { connectAs, type GatewayClient } from '../support/gateway-client.ts';
import { dataUri, png } from '../support/images.ts';
import { register } from '../support/test-server.ts';
import { hidden, logInInPage, openPage, PASSWORD, until, visible } from './support/browser.ts';
import { serverAndBrowser } from './support/server-and-browser.ts';

const { server, browser } = await serverAndBrowser();
const sockets: GatewayClient[] = [];
afterAll(() => {
  for (const socket of sockets) socket.close();
});

const api = async (token: string, method: string, path: string, body?: unknown) => {
  const res = await server.api(method, `/api/v1${path}`, { token, body });
  if (res.status >= 300) throw new Error(`${method} ${path} -> ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
};

// alice owns the server; bob is a hoisted, pink "Mods" member with a custom status; a bot is playing chess.
const alice = await register(server, 'alice', PASSWORD);
const bob = await register(server, 'bob', PASSWORD);
const guild = await api(alice.token, 'POST', '/guilds', { name: 'People' });
const generalId: string = guild.channels[0].id;
const invite = async () => (await api(alice.token, 'POST', `/channels/${generalId}/invites`, {})).code as string;
await api(bob.token, 'POST', `/invites/${await invite()}`);
const mods = await api(alice.token, 'POST', `/guilds/${guild.id}/roles`, { name: 'Mods', color: 0xe91e63, hoist: true });
await api(alice.token, 'PUT', `/guilds/${guild.id}/members/${bob.id}/roles/${mods.id}`);
await api(alice.token, 'PATCH', '/users/@me', { avatar: dataUri(png(8, 8, [20, 120, 220, 255]), 'image/png') });
const bot = await api(alice.token, 'POST', '/admin/bots', { username: 'chessbot' });
await api(alice.token, 'PUT', `/guilds/${guild.id}/bots/${bot.bot.id}`, { permissions: ['read_messages', 'send_messages'] });

const bobSocket = await connectAs(server, bob.token);
sockets.push(bobSocket);
bobSocket.send({ op: 3, d: { since: null, status: 'online', afk: false, activities: [{ name: 'Custom Status', type: 4, state: 'brb lunch' }] } });
const botSocket = await connectAs(server, bot.token);
sockets.push(botSocket);
botSocket.send({ op: 3, d: { since: null, status: 'online', afk: false, activities: [{ name: 'chess', type: 0 }] } });
await bobSocket.event('PRESENCE_UPDATE', (d) => d.user.id === bot.bot.id && d.activities?.[0]?.name === 'chess');

const channelPath = `/app/channels/${guild.id}/${generalId}`;

/** The role colour a name is drawn from ('' for none). */
async function roleColourOf(page: Page, selector: string): Promise<string> {
  return page
    .locator(selector)
    .first()
    .evaluate((el) => getComputedStyle(el).getPropertyValue('--role-colour'));
}

describe('people on the desktop', () => {
  it('shows avatars, role colours, hoisted groups, custom status and activity in the member list', async () => {
    const { page, errors } = await openPage(browser);
    await logInInPage(page, server, 'alice', channelPath);
    const list = page.getByRole('complementary', { name: 'Members' });
    const modsGroup = list.getByRole('region', { name: 'Mods members' });
    await visible(modsGroup.locator(`[data-user-id="${bob.id}"]`));
    expect(await modsGroup.locator('.section-title').textContent()).toBe('Mods — 1');
    const online = list.getByRole('region', { name: 'Online members' });
    await visible(online.locator(`[data-user-id="${bot.bot.id}"]`));
    // Custom status and activity under the names, and the BOT tag.
    await visible(modsGroup.getByText('brb lunch'));
    await visible(online.locator(`[data-user-id="${bot.bot.id}"]`).getByText('Playing chess'));
    await visible(online.locator(`[data-user-id="${bot.bot.id}"]`).getByText('BOT'));
    // bob's name in the Mods colour (#e91e63), alice's in the default colour (she has no coloured role).
    // (Shown with its lightness clamped to read at 4.5:1 on the theme: test/web/accessibility.test.ts.)
    expect(await roleColourOf(page, `[data-user-id="${bob.id}"] .member-name`)).toBe('#e91e63');
    expect(await roleColourOf(page, `[data-user-id="${alice.id}"] .member-name`)).toBe('');
    // alice's uploaded picture; bob and the bot get Discord's default avatars, not an initial.
    expect(await list.locator(`[data-user-id="${alice.id}"] .avatar img`).getAttribute('src')).toContain(`/avatars/${alice.id}/`);
    for (const id of [bob.id, bot.bot.id]) {
      const src = await list.locator(`[data-user-id="${id}"] .avatar img`).getAttribute('src');
      expect(src).toMatch(/\/embed\/avatars\/[0-5]\.png$/);
      const loaded = await list.locator(`[data-user-id="${id}"] .avatar img`).evaluate((img) => (img as HTMLImageElement).naturalWidth);
      expect(loaded).toBeGreaterThan(0);
    }
    expect(await page.locator('.avatar-initial').count()).toBe(0);
    // The join message of bob, in his colour, among the messages.
    const joined = page.locator('article[data-system="join"]').first();
    await visible(joined);
    expect(await joined.textContent()).toContain('bob');
    expect(await roleColourOf(page, 'article[data-system="join"] .author-button')).toBe('#e91e63');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('opens a profile card from the member list, and its Message button opens the DM', async () => {
    const { page, errors } = await openPage(browser);
    await logInInPage(page, server, 'alice', channelPath);
    await page.getByRole('button', { name: 'Profile of bob' }).click();
    const card = page.getByRole('dialog', { name: 'Profile of bob' });
    await visible(card);
    await visible(card.getByText('brb lunch'));
    await visible(card.getByRole('region', { name: 'Roles' }).getByText('Mods'));
    await visible(card.getByText('Online'));
    expect(await card.locator('.bot-tag').count()).toBe(0);
    await card.getByRole('button', { name: 'Message' }).click();
    await hidden(card);
    await until(
      'the DM screen',
      async () => new URL(page.url()).pathname,
      (path) => /\/app\/dm\/\d+$/.test(path),
    );
    // The bot's card carries the BOT tag and its activity; your own offers "Edit profile".
    await page.goto(server.url + channelPath);
    await page.getByRole('button', { name: 'Profile of chessbot' }).click();
    const botCard = page.getByRole('dialog', { name: 'Profile of chessbot' });
    await visible(botCard.getByText('Playing chess'));
    await visible(botCard.getByText('BOT'));
    await page.keyboard.press('Escape');
    await hidden(botCard);
    await page.getByRole('button', { name: 'Profile of alice' }).first().click();
    await page.getByRole('dialog', { name: 'Profile of alice' }).getByRole('button', { name: 'Edit profile' }).click();
    await until(
      'settings',
      async () => new URL(page.url()).pathname,
      (path) => path.endsWith('/app/settings'),
    );
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('shows a join message and the member count live when someone joins through an invite', async () => {
    const { page, errors } = await openPage(browser);
    await logInInPage(page, server, 'bob', `/app/guilds/${guild.id}/settings/overview`);
    // bob, alice and the bot; carol is about to join.
    await visible(page.getByText(/^3 members · created/));
    const carol = await register(server, 'carol', PASSWORD);
    await api(carol.token, 'POST', `/invites/${await invite()}`);
    await visible(page.getByText(/^4 members · created/));
    await page.goto(server.url + channelPath);
    const dave = await register(server, 'dave', PASSWORD);
    await visible(page.locator('article[data-system="join"]').filter({ hasText: 'carol' }));
    await api(dave.token, 'POST', `/invites/${await invite()}`);
    // dave's arrival appears without a reload, worded as one of Discord's join lines.
    const daveJoined = page.locator('article[data-system="join"]').filter({ hasText: 'dave' });
    await visible(daveJoined);
    expect(await daveJoined.locator('.author-button').textContent()).toBe('dave');
    // dave's first words right after are not folded into the announcement: they carry his name and avatar.
    await api(dave.token, 'POST', `/channels/${generalId}/messages`, { content: 'hi all' });
    const hello = page.locator('article.message').filter({ hasText: 'hi all' });
    await visible(hello);
    expect(await hello.getAttribute('class')).not.toContain('grouped');
    await visible(hello.locator('.message-header .author'));
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('says "1 member" on an invite to a server of one', async () => {
    const erin = await register(server, 'erin', PASSWORD);
    const solo = await api(erin.token, 'POST', '/guilds', { name: 'Solo' });
    const code = (await api(erin.token, 'POST', `/channels/${solo.channels[0].id}/invites`, {})).code;
    const { page } = await openPage(browser);
    await logInInPage(page, server, 'alice', `/invite/${code}`);
    await visible(page.getByText('1 member', { exact: true }));
    await page.context().close();
  });
});

describe('settings and forms', () => {
  it('lets an admin create a bot from Server Settings -> Bots, shows its token once and offers to add it', async () => {
    const { page, errors } = await openPage(browser);
    await logInInPage(page, server, 'alice', `/app/guilds/${guild.id}/settings/bots`);
    await page.getByRole('button', { name: 'Create New Bot' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create New Bot' });
    await dialog.getByLabel('Bot name').fill('greeter');
    await dialog.getByRole('button', { name: 'Create bot' }).click();
    await hidden(dialog);
    const token = await (await visible(page.getByTestId('secret-value'))).inputValue();
    // The token works: the bot can call the API with it.
    const me = await server.api('GET', '/api/v1/users/@me', { token });
    expect(me.status).toBe(200);
    expect(me.body.username).toBe('greeter');
    const row = page.getByRole('list', { name: 'Search results' }).locator(`[data-bot-id="${me.body.id}"]`);
    await (await visible(row.getByRole('button', { name: 'Add to Server' }))).click();
    await page.getByRole('dialog', { name: 'Add greeter to People' }).getByRole('button', { name: 'Add to Server' }).click();
    await visible(page.locator('.bot-list').first().locator(`[data-bot-id="${me.body.id}"]`));
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('offers no bot creation to someone who is not an instance admin', async () => {
    const { page } = await openPage(browser);
    const mine = await api(bob.token, 'POST', '/guilds', { name: "Bob's" });
    await logInInPage(page, server, 'bob', `/app/guilds/${mine.id}/settings/bots`);
    await visible(page.getByRole('heading', { name: 'Add a bot' }));
    expect(await page.getByRole('button', { name: 'Create New Bot' }).count()).toBe(0);
    await page.context().close();
  });

  it('keeps the chosen theme across a reload, applied to the page', async () => {
    const { page, errors } = await openPage(browser);
    await logInInPage(page, server, 'alice', '/app/settings');
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const dark = await background();
    await page.getByRole('radio', { name: 'Light' }).check();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
    const light = await background();
    expect(light).not.toBe(dark);
    await page.reload();
    await visible(page.getByRole('heading', { name: 'Appearance' }));
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
    expect(await background()).toBe(light);
    expect(await page.getByRole('radio', { name: 'Light' }).isChecked()).toBe(true);
    // The page itself arrives with the theme (from its cookie), so the first paint is already light.
    const served = () => page.evaluate(async () => (await fetch(location.href)).text());
    expect(await served()).toContain('<html lang="en" data-theme="light">');
    expect(await (await fetch(`${server.url}/app/settings`)).text()).toContain('<html lang="en">');
    await page.getByRole('radio', { name: 'Same as the system' }).check();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBeUndefined();
    expect(await background()).toBe(dark);
    expect(await served()).not.toContain('data-theme');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('explains a too-short username in words that name the field', async () => {
    const { page } = await openPage(browser);
    await page.goto(server.url);
    await page.getByRole('tab', { name: 'Register' }).click();
    await page.getByLabel('Username').fill('x');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Username' });
    await visible(alert);
    const text = (await alert.textContent()) ?? '';
    expect(text).toContain('Username must be 2-32 characters');
    expect(text).not.toContain('Invalid Form Body');
    await page.context().close();
  });
});

describe('people on a phone (390×844)', () => {
  it('opens the member drawer with focus inside, and closes it with its button or the backdrop', async () => {
    const { page, errors } = await openPage(browser, { viewport: { width: 390, height: 844 } });
    await logInInPage(page, server, 'alice', channelPath);
    const toggle = page.getByRole('button', { name: 'Members' });
    await toggle.click();
    const panel = page.getByRole('complementary', { name: 'Members' });
    await visible(panel);
    const close = panel.getByRole('button', { name: 'Close members' });
    await until(
      'focus in the drawer',
      () => close.evaluate((el) => el === document.activeElement),
      (v) => v,
    );
    await close.click();
    await hidden(panel);
    expect(await toggle.evaluate((el) => el === document.activeElement)).toBe(true);
    // The backdrop beside the drawer closes it too.
    await toggle.click();
    await visible(panel);
    await page.mouse.click(20, 400);
    await hidden(panel);
    // The navigation drawer: a close button that takes focus, and Escape.
    await page.getByRole('button', { name: 'Open navigation' }).click();
    const closeNav = page.getByRole('button', { name: 'Close navigation' });
    await visible(closeNav);
    await until(
      'focus in the navigation',
      () => closeNav.evaluate((el) => el === document.activeElement),
      (v) => v,
    );
    await page.keyboard.press('Escape');
    await hidden(closeNav);
    // The profile card fits the phone's width.
    await toggle.click();
    await panel.getByRole('button', { name: 'Profile of bob' }).click();
    const card = page.getByRole('dialog', { name: 'Profile of bob' });
    await visible(card);
    const box = await card.boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= 390).toBe(true);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

// Issue 6 (b): the seed's Quick Start, literally, in a browser. 1. Log into the admin panel, Bot
// Management, Create New Bot, copy the token shown once. 2. Server Settings, Bots tab, search, Add to
// Server, configure permissions. 3. A HarmonyClient started with that token answers !ping with Pong!.
// `bun run screenshots` runs this file to refresh docs/screenshots/.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import type { Browser } from 'playwright-core';
import { HarmonyClient } from '../../src/sdk/harmony-client.ts';
import { startServer, type TestServer } from '../support/test-server.ts';
import {
  createServerInPage,
  launchChromium,
  message,
  openPage,
  registerInPage,
  screenshot,
  send,
  sessionToken,
  unnamedControls,
  until,
  visible,
} from './support/browser.ts';

let server: TestServer;
let browser: Browser;
let bot: HarmonyClient | null = null;

beforeAll(async () => {
  server = await startServer({ rateLimits: false });
  browser = await launchChromium();
});

afterAll(async () => {
  await bot?.disconnect();
  await browser?.close();
  await server?.stop();
});

describe("the seed's Quick Start in the browser", () => {
  it('creates a bot in Bot Management, adds it in Server Settings -> Bots with chosen permissions, and the bot answers !ping with Pong!', async () => {
    const { page, errors } = await openPage(browser, { clipboard: true });
    await registerInPage(page, server, 'admin');
    const { guildId } = await createServerInPage(page, 'Bot Lab');
    await send(page, 'Welcome to the lab.');

    // 1. Create a Bot: admin panel -> Bot Management -> Create New Bot -> details -> copy the token (shown once!).
    await page.getByRole('link', { name: 'Admin panel' }).click();
    await visible(page.getByRole('heading', { name: 'Bot Management' }));
    await page.getByRole('button', { name: 'Create New Bot' }).click();
    await page.getByLabel('Bot name').fill('PingBot');
    await page.getByLabel('Description').fill('Answers !ping with Pong!');
    await page.getByRole('button', { name: 'Create bot' }).click();
    const secret = await visible(page.getByTestId('secret-value'));
    await visible(page.getByText('this token is shown only once'));
    await page.getByRole('button', { name: 'Copy token' }).click();
    await visible(page.getByRole('button', { name: 'Copied!' }));
    const token = await page.evaluate(() => navigator.clipboard.readText());
    expect(token).toBe(await secret.inputValue());
    expect(token.length).toBeGreaterThanOrEqual(40);
    await screenshot(page, 'quick-start-1-bot-management', 'bot-management');
    expect(await unnamedControls(page)).toEqual([]);
    // Shown once: after "I have copied it" the token is gone from the page and no list returns it.
    await page.getByRole('button', { name: 'I have copied it' }).click();
    expect(await page.getByTestId('secret-value').count()).toBe(0);
    const listed = await server.api('GET', '/api/v1/admin/bots', { token: await sessionToken(page) });
    expect(JSON.stringify(listed.body)).not.toContain(token);

    // 2. Add Bot to Server: Server Settings -> Bots -> search -> Add to Server -> configure permissions.
    await page.getByRole('link', { name: 'Bot Lab' }).click();
    await page.getByRole('link', { name: 'Server settings' }).click();
    await page.getByRole('link', { name: 'Bots' }).click();
    await visible(page.getByRole('heading', { name: 'Server Settings — Bots' }));
    await page.getByLabel('Search bots').fill('Ping');
    const result = page.getByRole('list', { name: 'Search results' }).locator('li', { hasText: 'PingBot' });
    await visible(result);
    await result.getByRole('button', { name: 'Add to Server' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add PingBot to Bot Lab' });
    await visible(dialog);
    for (const category of ['Messages', 'Channels', 'Voice', 'Server']) await visible(dialog.getByRole('group', { name: category }));
    // Nothing ticked does not mean no access: the bot keeps what @everyone may do, and the dialog says so.
    expect(await dialog.getByTestId('everyone-applies').textContent()).toBe(
      "@everyone's permissions still apply to the bot: even with nothing ticked here, it can read and post wherever @everyone can. To keep it out of a channel, deny it there in Channel permissions.",
    );
    // Chosen permissions: read, send and read history; not reactions or embeds (checked by default).
    await dialog.getByRole('checkbox', { name: /^Add reactions/ }).uncheck();
    await dialog.getByRole('checkbox', { name: /^Embed links/ }).uncheck();
    await dialog.getByRole('checkbox', { name: /^Read message history/ }).check();
    expect(await dialog.getByRole('checkbox', { name: /^Send messages send_messages$/ }).isChecked()).toBe(true);
    expect(await dialog.getByRole('checkbox', { name: /^Read messages/ }).isChecked()).toBe(true);
    await screenshot(page, 'quick-start-2-add-to-server');
    expect(await unnamedControls(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Add to Server' }).click();
    const installed = page.locator('.bot-row', { hasText: 'PingBot' }).first();
    await visible(installed.getByRole('button', { name: 'Change permissions' }));
    await visible(page.getByText('PingBot was added to Bot Lab.'));
    await screenshot(page, 'quick-start-3-server-settings-bots', 'server-settings-bots');
    expect(await unnamedControls(page)).toEqual([]);

    const bots = await server.api('GET', `/api/v1/guilds/${guildId}/bots`, { token: await sessionToken(page) });
    expect(bots.status).toBe(200);
    expect(bots.body.map((b: { bot: { username: string } }) => b.bot.username)).toEqual(['PingBot']);
    expect([...bots.body[0].permission_names].sort()).toEqual(['read_message_history', 'read_messages', 'send_messages', 'view_channels']);

    // 3. Connect Your Bot: the seed's snippet, with the token the page handed out.
    bot = new HarmonyClient(token, { url: `${server.url.replace(/^http/, 'ws')}/gateway` });
    const client = bot;
    client.on('messageCreate', async (m) => {
      if (m.content === '!ping') await client.sendMessage(m.channel_id, 'Pong!');
    });
    const ready = await client.connect();
    expect(ready.bot?.username).toBe('PingBot');

    await page.getByRole('link', { name: '← Back to the server' }).click();
    // The bot is listed with its BOT tag, online now that it is connected.
    const member = page.locator('.member-panel .member', { hasText: 'PingBot' });
    await visible(member.locator('.bot-tag'));
    await visible(member.locator('.dot-online'));
    await send(page, '!ping');
    const pong = message(page, 'Pong!');
    await visible(pong);
    expect(await pong.locator('.author').textContent()).toBe('PingBot');
    expect(await pong.locator('.bot-tag').textContent()).toBe('BOT');
    expect(await page.title()).toBe('#general · Bot Lab — Harmony');
    const order = await page.locator('.message-content').allTextContents();
    expect(order.slice(-2)).toEqual(['!ping', 'Pong!']);
    await until(
      'the composer to be focused',
      () => page.evaluate(() => document.activeElement?.getAttribute('aria-label')),
      (l) => l === 'Message #general',
    );
    await screenshot(page, 'quick-start-4-pong', 'chat-view');
    expect(await unnamedControls(page)).toEqual([]);
    expect(errors).toEqual([]);
  }, 60_000);
});

// The web app behind HARMONY_PUBLIC_URL's path prefix, as a proxy that forwards the prefix unchanged
// presents it: every URL the page uses (assets, REST, gateway, links) is derived from its <base>.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import type { Browser } from 'playwright-core';
import { startServer, type TestServer } from '../support/test-server.ts';
import { launchChromium, message, openPage, PASSWORD, screenshot, send, until, visible } from './support/browser.ts';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  // Only the path of the public URL matters for routing; the host is the proxy's.
  server = await startServer({ rateLimits: false, publicUrl: 'https://chat.example.com/harmony' });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the web app under /harmony/', () => {
  it('logs in, chats live and links within the prefix', async () => {
    const { page, errors } = await openPage(browser);
    const requests: string[] = [];
    page.on('request', (r) => requests.push(new URL(r.url()).pathname));
    await page.goto(`${server.url}/harmony/`);
    await page.getByRole('tab', { name: 'Register' }).click();
    await page.getByLabel('Username').fill('pia');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await until(
      'the user panel',
      () => page.getByTestId('current-user').textContent(),
      (t) => t === 'pia',
    );

    await page.getByRole('button', { name: 'Add a server' }).click();
    await page.getByLabel('Server name').fill('Prefixed');
    await page.getByRole('button', { name: 'Create server' }).click();
    await visible(page.getByRole('heading', { name: 'general' }));
    expect(new URL(page.url()).pathname).toMatch(/^\/harmony\/app\/channels\/\d+\/\d+$/);
    await send(page, 'hello from under a prefix');
    await visible(message(page, 'hello from under a prefix'));

    // Live through /harmony/gateway: a message posted over REST (not by this page) appears.
    const channelId = new URL(page.url()).pathname.split('/').pop()!;
    const ownToken = await page.evaluate(() => JSON.parse(localStorage.getItem('harmony.session') ?? '{}').token as string);
    await server.api('POST', `/api/v1/channels/${channelId}/messages`, { token: ownToken, body: { content: 'posted by the API' } });
    await visible(message(page, 'posted by the API'));

    // A reload deep inside the app keeps the session and the page.
    await page.reload();
    await visible(message(page, 'posted by the API'));

    // Every request the page made stayed under the prefix.
    expect(requests.filter((p) => !p.startsWith('/harmony/'))).toEqual([]);
    expect(requests.some((p) => p.startsWith('/harmony/assets/'))).toBe(true);
    expect(requests.some((p) => p.startsWith('/harmony/api/v1/'))).toBe(true);
    expect(await page.getByRole('link', { name: 'User settings' }).first().getAttribute('href')).toBe('/harmony/app/settings');
    await screenshot(page, 'path-prefix');

    // Log out: back to the login screen, the token forgotten and revoked.
    await page.getByRole('button', { name: 'Log out' }).click();
    await visible(page.getByRole('button', { name: 'Log in' }));
    expect(await page.evaluate(() => localStorage.getItem('harmony.session'))).toBeNull();
    expect((await server.api('GET', '/api/v1/users/@me', { token: ownToken })).status).toBe(401);
    expect(errors).toEqual([]);
  }, 60_000);
});

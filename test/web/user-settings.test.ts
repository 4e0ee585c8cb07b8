// Issue 6 item 4: user settings in the browser — display name and avatar, status and custom activity
// (gateway op 3), who may send you DMs (issue 17), "share my presence", the presence API token shown once, the K/V editor with private
// keys marked, the GitHub link, and the live preview of GET /user/:id and the card.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import type { Browser } from 'playwright-core';
import githubUser from '../fixtures/github-user.json';
import { png } from '../support/images.ts';
import { startServer, type TestServer } from '../support/test-server.ts';
import { hidden, launchChromium, openPage, registerInPage, screenshot, sessionToken, unnamedControls, until, visible } from './support/browser.ts';

let server: TestServer;
let browser: Browser;
let github: ReturnType<typeof Bun.serve>;

beforeAll(async () => {
  // A local stand-in for api.github.com serving a recorded profile.
  github = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    fetch: (request) =>
      new URL(request.url).pathname === '/users/octocat' ? Response.json(githubUser) : Response.json({ message: 'Not Found' }, { status: 404 }),
  });
  server = await startServer({ rateLimits: false, githubApi: github.url.href.replace(/\/$/, '') });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  github?.stop(true);
});

describe('user settings in the browser', () => {
  it('edits the profile, status and activity, shares presence, issues a token once, edits K/V, links GitHub, and previews it all', async () => {
    const { page, errors } = await openPage(browser, { clipboard: true });
    await registerInPage(page, server, 'carol');
    await page.getByRole('link', { name: 'User settings' }).first().click();
    await visible(page.getByRole('heading', { name: 'User settings' }));
    const token = await sessionToken(page);
    const me = (await server.api('GET', '/api/v1/users/@me', { token })).body;

    // Profile: display name and an uploaded avatar, previewed before saving and shown from the server after.
    await page.getByLabel('Display name').fill('Carol C.');
    await page.getByLabel('Avatar image').setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: Buffer.from(png(8, 8, [200, 30, 90, 255])) });
    await visible(page.locator('.profile-preview img[src^="data:image/png;base64,"]'));
    await page.getByRole('button', { name: 'Save profile' }).click();
    await visible(page.getByText('Profile saved.'));
    const avatar = (await server.api('GET', '/api/v1/users/@me', { token })).body.avatar as string;
    expect(avatar).toMatch(new RegExp(`^/avatars/${me.id}/[0-9a-f]{32}\\.png$`));
    // Everywhere the app shows carol (here: the profile preview and the user panel), it is the uploaded picture.
    await until(
      'the uploaded avatar to show',
      () => page.locator(`img[src="${server.url}${avatar}"]`).count(),
      (n) => n >= 2,
    );
    // Removing it goes back to the initial; the old URL stops answering.
    await page.getByRole('button', { name: 'Remove avatar' }).click();
    await page.getByRole('button', { name: 'Save profile' }).click();
    await until(
      'the avatar to be removed',
      async () => (await server.api('GET', '/api/v1/users/@me', { token })).body.avatar,
      (a) => a === null,
    );
    await until(
      'the picture to go',
      () => page.locator(`img[src="${server.url}${avatar}"]`).count(),
      (n) => n === 0,
    );
    expect((await fetch(`${server.url}${avatar}`)).status).toBe(404);
    await until(
      'the user panel to show the display name',
      () => page.getByTestId('current-user').textContent(),
      (t) => t === 'Carol C.',
    );
    expect((await server.api('GET', '/api/v1/users/@me', { token })).body.global_name).toBe('Carol C.');

    // Direct messages: server members only by default; the switch opens them to anyone, and back.
    const dms = page.getByRole('switch', { name: 'Allow direct messages from anyone' });
    await visible(dms);
    expect(await dms.isChecked()).toBe(false);
    await visible(page.getByText('server members only'));
    await dms.check();
    const dmSetting = async () => (await server.api('GET', '/api/v1/users/@me/settings', { token })).body.allow_dms_from;
    await until('DMs to be open to everyone', dmSetting, (v) => v === 'everyone');
    await visible(page.getByText('anyone on this server can message you'));
    await dms.uncheck();
    await until('DMs to be back to server members', dmSetting, (v) => v === 'members');

    // Presence sharing must be on for /user/:id to answer.
    const share = page.getByRole('switch', { name: 'Share my presence' });
    await visible(share);
    expect(await share.isChecked()).toBe(false);
    await share.check();
    await until(
      'sharing to be on',
      async () => (await server.api('GET', '/api/v1/users/@me/presence', { token })).body.shared,
      (s) => s === true,
    );

    // Status and custom activity go out as gateway op 3.
    await page.getByRole('radio', { name: /Do not disturb/ }).check();
    await visible(page.getByText('Status updated.'));
    await page.getByLabel('Custom activity').fill('Writing tests');
    await page.getByRole('button', { name: 'Set activity' }).click();
    const presence = await until(
      'the presence API to show dnd and the activity',
      async () => (await server.api('GET', `/user/${me.id}`)).body,
      (b) => b?.presence?.status === 'dnd',
    );
    expect(presence.presence.global_name).toBe('Carol C.');
    await until(
      'the user panel status',
      () => page.locator('.user-panel-status').textContent(),
      (t) => t === 'Do not disturb',
    );
    const lanyard = await until(
      'the activity on the Lanyard face',
      async () => (await server.api('GET', `/v1/users/${me.id}`)).body,
      (b) => b?.data?.activities?.length === 1,
    );
    expect(lanyard.data.activities[0].state).toBe('Writing tests');

    // API token: shown once, works, then revoked.
    await page.getByRole('button', { name: 'Generate token' }).click();
    const secret = await visible(page.getByTestId('secret-value'));
    const apiToken = await secret.inputValue();
    expect(apiToken.length).toBeGreaterThanOrEqual(32);
    await page.getByRole('button', { name: 'I have copied it' }).click();
    await hidden(page.getByTestId('secret-value'));
    await visible(page.getByText('You have a token.'));

    // K/V: add, mark private, edit, delete.
    await page.getByLabel('New key').fill('city');
    await page.getByLabel('Value', { exact: true }).fill('Zurich');
    await page.getByRole('button', { name: 'Add key' }).click();
    await visible(page.locator('.kv-table tr', { hasText: 'city' }));
    await page.getByLabel('New key').fill('_diary');
    await page.getByLabel('Value', { exact: true }).fill('private words');
    await page.getByRole('button', { name: 'Add key' }).click();
    const privateRow = page.locator('.kv-table tr', { hasText: '_diary' });
    await visible(privateRow.getByText('private'));
    await page.getByRole('button', { name: 'Edit city' }).click();
    await page.getByLabel('Value of city').fill('Basel');
    await page.locator('.kv-table').getByRole('button', { name: 'Save' }).click();
    await visible(page.locator('.kv-table .kv-value', { hasText: 'Basel' }));
    const publicKv = await server.api('GET', `/user/${me.id}/kv`);
    expect(publicKv.body).toEqual({ city: 'Basel' });
    const ownKv = await server.api('GET', `/user/${me.id}/kv`, { headers: { authorization: apiToken } });
    expect(ownKv.body).toEqual({ _diary: 'private words', city: 'Basel' });
    await page.getByRole('button', { name: 'Delete _diary' }).click();
    await hidden(privateRow);

    // GitHub link against the local stand-in.
    await page.getByLabel('GitHub username').fill('octocat');
    await page.getByRole('button', { name: 'Link GitHub' }).click();
    await visible(page.getByRole('link', { name: 'octocat' }));
    await page.getByLabel('GitHub username').count();

    // The preview shows what websites get, live.
    const json = page.getByTestId('presence-json');
    await until(
      'the JSON preview',
      () => json.textContent(),
      (t) => !!t && t.includes('"status": "dnd"') && t.includes('"city": "Basel"') && t.includes('"username": "octocat"'),
    );
    expect(await json.textContent()).not.toContain('_diary');
    const card = page.getByRole('img', { name: 'Your presence card' });
    await until(
      'the card image to load',
      () => card.evaluate((img) => (img as HTMLImageElement).naturalWidth),
      (w) => w > 0,
    );

    // Revoke the token: it stops working at once.
    await page.getByRole('button', { name: 'Revoke token' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
    await visible(page.getByText('You have no token.'));
    expect((await server.api('GET', `/user/${me.id}/kv`, { headers: { authorization: apiToken } })).status).toBe(401);

    await screenshot(page, 'user-settings');
    expect(await unnamedControls(page)).toEqual([]);
    expect(errors).toEqual([]);
  }, 60_000);
});

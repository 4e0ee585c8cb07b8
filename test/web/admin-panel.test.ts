// Issue 6 item 6: the admin panel. Bot Management (regenerate with confirmation, privileged intents,
// delete), Users (make admin, disable), instance settings (registration closed is refused with the
// server's words); someone who is not an admin sees no panel and the API refuses them.
import { describe, expect, it } from 'bun:test';
import { register } from '../support/test-server.ts';
import { hidden, logInInPage, openPage, PASSWORD, registerInPage, screenshot, sessionToken, unnamedControls, until, visible } from './support/browser.ts';
import { serverAndBrowser } from './support/server-and-browser.ts';

const { server, browser } = await serverAndBrowser();

describe('the admin panel in the browser', () => {
  it('manages bots, users and registration', async () => {
    const { page, errors } = await openPage(browser);
    await registerInPage(page, server, 'root');
    const adminToken = await sessionToken(page);
    const dave = await register(server, 'dave', PASSWORD);
    const created = await server.api('POST', '/api/v1/admin/bots', { token: adminToken, body: { username: 'Helper', description: 'helps' } });
    const oldToken: string = created.body.token;

    await page.getByRole('link', { name: 'Admin panel' }).first().click();
    const card = page.locator('.bot-card', { hasText: 'Helper' });
    await visible(card);

    // Privileged intents are switches saved at once.
    await card.getByRole('switch', { name: /Message content/ }).check();
    await until(
      'message_content to be allowed',
      async () =>
        (await server.api('GET', '/api/v1/admin/bots', { token: adminToken })).body.find((b: { id: string }) => b.id === created.body.bot.id)
          .privileged_intents,
      (i) => i.message_content === true,
    );

    // Regenerate asks first, then shows the new token once; the old one stops working.
    await card.getByRole('button', { name: 'Regenerate token' }).click();
    const confirm = page.getByRole('dialog', { name: 'Regenerate the token of Helper?' });
    await visible(confirm.getByText('stops working at once'));
    await confirm.getByRole('button', { name: 'Regenerate token' }).click();
    const fresh = await (await visible(page.getByTestId('secret-value'))).inputValue();
    expect(fresh).not.toBe(oldToken);
    expect((await server.api('GET', '/api/v1/users/@me', { token: oldToken, scheme: 'Bot' })).status).toBe(401);
    expect((await server.api('GET', '/api/v1/users/@me', { token: fresh, scheme: 'Bot' })).body.username).toBe('Helper');
    await screenshot(page, 'admin-bot-management');

    // Delete, with confirmation.
    await card.getByRole('button', { name: 'Delete bot' }).click();
    await page.getByRole('dialog', { name: 'Delete Helper?' }).getByRole('button', { name: 'Delete bot' }).click();
    await hidden(card);

    // Users: search, make admin and back, disable and back.
    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByLabel('Search users').fill('dav');
    const row = page.locator(`tr[data-user-id="${dave.id}"]`);
    await visible(row);
    await until(
      'the search to narrow the list',
      () => page.locator('tbody tr').count(),
      (n) => n === 1,
    );
    await row.getByRole('button', { name: 'Make admin' }).click();
    await visible(row.getByRole('button', { name: 'Remove admin' }));
    expect((await server.api('GET', '/api/v1/users/@me', { token: dave.token })).body.admin).toBe(true);
    await row.getByRole('button', { name: 'Remove admin' }).click();
    await visible(row.getByRole('button', { name: 'Make admin' }));
    await row.getByRole('button', { name: 'Disable' }).click();
    await visible(row.getByRole('button', { name: 'Enable' }));
    expect((await server.api('GET', '/api/v1/users/@me', { token: dave.token })).status).toBe(401);
    await screenshot(page, 'admin-users');
    expect(await unnamedControls(page)).toEqual([]);
    await row.getByRole('button', { name: 'Enable' }).click();
    await visible(row.getByRole('button', { name: 'Disable' }));

    // Registration closed: a newcomer is told so in the server's words.
    await page.getByRole('link', { name: 'Instance settings' }).click();
    await page.getByRole('radio', { name: /Closed/ }).check();
    await until(
      'registration to close',
      async () => (await server.api('GET', '/api/v1/admin/settings', { token: adminToken })).body.registration,
      (r) => r === 'closed',
    );
    const newcomer = await openPage(browser);
    await newcomer.page.goto(server.url);
    await newcomer.page.getByRole('tab', { name: 'Register' }).click();
    await newcomer.page.getByLabel('Username').fill('eve');
    await newcomer.page.getByLabel('Password').fill(PASSWORD);
    await newcomer.page.getByRole('button', { name: 'Create account' }).click();
    await visible(newcomer.page.getByRole('alert').filter({ hasText: 'Registration is closed on this instance' }));
    await screenshot(newcomer.page, 'registration-closed');
    await page.getByRole('radio', { name: /Open/ }).check();
    await until(
      'registration to open',
      async () => (await server.api('GET', '/api/v1/admin/settings', { token: adminToken })).body.registration,
      (r) => r === 'open',
    );

    // Wrong password: the error is shown, nothing else happens.
    await newcomer.page.getByRole('tab', { name: 'Log in' }).click();
    await newcomer.page.getByLabel('Username').fill('dave');
    await newcomer.page.getByLabel('Password').fill('not the password');
    await newcomer.page.getByRole('button', { name: 'Log in' }).click();
    const refusal = await visible(newcomer.page.getByRole('alert'));
    expect((await refusal.textContent())?.length).toBeGreaterThan(5);

    // Someone who is not an admin: no link, a plain refusal page, and the API says no.
    await logInInPage(newcomer.page, server, 'dave');
    expect(await newcomer.page.getByRole('link', { name: 'Admin panel' }).count()).toBe(0);
    await newcomer.page.goto(`${server.url}/app/admin/bots`);
    await visible(newcomer.page.getByText('The admin panel is for instance administrators only.'));
    expect(await newcomer.page.getByRole('button', { name: 'Create New Bot' }).count()).toBe(0);
    expect((await server.api('GET', '/api/v1/admin/bots', { token: await sessionToken(newcomer.page) })).status).toBe(403);
    expect(errors).toEqual([]);
    expect(newcomer.errors).toEqual([]);
  }, 60_000);
});

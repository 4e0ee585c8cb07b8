// User settings › Account in Chromium: the sessions a person is signed in with (signing one out ends it in the other
// browser at once), a password change, and deleting the account.
import { describe, expect, it } from 'bun:test';
import { register } from '../support/test-server.ts';
import { logInInPage, openPage, PASSWORD, registerInPage, unnamedControls, until, visible } from './support/browser.ts';
import { serverAndBrowser } from './support/server-and-browser.ts';

const { server, browser } = await serverAndBrowser();
// The instance's first account is its admin; the person in these tests is not, so they may delete theirs.
await register(server, 'instance_admin');

describe('the account section of user settings', () => {
  it('lists sessions, signs another one out, changes the password and deletes the account', async () => {
    const laptop = await openPage(browser);
    await registerInPage(laptop.page, server, 'pat');
    const phone = await openPage(browser, { viewport: { width: 390, height: 844 } });
    await logInInPage(phone.page, server, 'pat');

    const page = laptop.page;
    await page.getByRole('link', { name: 'User settings' }).first().click();
    const sessions = page.locator('.sessions-table tbody tr');
    await until(
      'both sessions to be listed',
      () => sessions.count(),
      (n) => n === 2,
    );
    await visible(page.getByText('this session'));
    expect(await unnamedControls(page)).toEqual([]);

    // Signing the other session out ends it in the other browser at once (its gateway closes with 4004).
    await page.locator('.sessions-table').getByRole('button', { name: 'Sign out Chrome on Linux' }).click();
    await until(
      'one session to be left',
      () => sessions.count(),
      (n) => n === 1,
    );
    await visible(phone.page.getByRole('button', { name: 'Log in' }));

    await page.getByLabel('Current password', { exact: true }).fill(PASSWORD);
    await page.getByLabel('New password', { exact: true }).fill('an even better passphrase');
    await page.getByLabel('Repeat the new password').fill('an even better passphrase');
    await page.getByRole('button', { name: 'Change password' }).click();
    await visible(page.getByText('Password changed. Every other session was signed out.'));
    const login = (password: string) => server.api('POST', '/api/v1/auth/login', { body: { username: 'pat', password } });
    expect((await login(PASSWORD)).status).toBe(401);
    expect((await login('an even better passphrase')).status).toBe(200);

    await page.getByRole('button', { name: 'Delete account…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete your account?' });
    await dialog.getByLabel('Password').fill('an even better passphrase');
    await dialog.getByRole('button', { name: 'Delete account' }).click();
    await visible(page.getByRole('button', { name: 'Log in' }));
    expect((await login('an even better passphrase')).status).toBe(401);
    expect([...laptop.errors, ...phone.errors]).toEqual([]);
  });
});

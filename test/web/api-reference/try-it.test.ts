// "Try it" in the API reference (issue 15 item 7), in a real Chromium with every request off this machine blocked:
// a person registers, pastes the session token into the page's token bar (kept in sessionStorage only), creates a
// guild through "Try it out" and sees 201 with the guild; after "Forget it" the same kind of request answers 401.
// The token goes to this server only, and under a --public-url path prefix requests stay under the prefix.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { startServer, type TestServer } from '../../support/test-server.ts';
import { launchChromium, openPage, screenshot, visible } from '../support/browser.ts';

let server: TestServer;
let prefixed: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer({ rateLimits: false });
  prefixed = await startServer({ rateLimits: false, publicUrl: 'https://chat.example.com/harmony' });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await prefixed?.stop();
});

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

async function offlinePage() {
  const { context, page, errors } = await openPage(browser);
  const blocked: string[] = [];
  const sent: { url: string; authorization: string | null }[] = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (LOOPBACK.has(url.hostname)) return route.continue();
    blocked.push(url.href);
    return route.abort('internetdisconnected');
  });
  page.on('request', (r) => sent.push({ url: r.url(), authorization: r.headers().authorization ?? null }));
  return { page, errors, blocked, sent };
}

/** Swagger UI renders only the operations in view: the filter box (over tags) brings the operation's tag to the top. */
async function tryOut(page: Page, tag: string, operationId: string): Promise<Locator> {
  // The tags start collapsed: the filter narrows the list to the tag, whose header opens it.
  const filter = page.locator('input.operation-filter-input');
  await visible(filter, 60_000);
  await filter.fill(tag);
  const header = page.locator(`#operations-tag-${tag}`);
  const block = page.locator(`#operations-${tag}-${operationId}`);
  // As with the operation below, a click landing before the filter's re-render opens nothing: until it is open.
  for (let attempt = 0; attempt < 5 && !(await block.isVisible()); attempt++) {
    if ((await header.getAttribute('data-is-open')) !== 'true') await header.click();
    await block.waitFor({ state: 'visible', timeout: 2_000 }).catch(() => {});
  }
  await visible(block);
  // Swagger UI applies the filter a moment after the input and re-renders the list: a click that lands just before
  // that re-render opens nothing (a person clicks again, and so does this), so wait for the operation to be open.
  const summary = block.locator('.opblock-summary-control');
  for (let attempt = 0; attempt < 5 && (await summary.getAttribute('aria-expanded')) !== 'true'; attempt++) {
    await summary.click();
    await page.waitForFunction((el) => el?.getAttribute('aria-expanded') === 'true', await summary.elementHandle(), { timeout: 2_000 }).catch(() => {});
  }
  await block.getByRole('button', { name: 'Try it out' }).click();
  return block;
}

/** Presses Execute and returns the answer the page got, once the page shows it. */
async function execute(page: Page, block: Locator, path: string) {
  const [response] = await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === path),
    block.getByRole('button', { name: 'Execute' }).click(),
  ]);
  const shown = block.locator('.live-responses-table tr.response .response-col_status').first();
  await visible(shown);
  return {
    response,
    shownStatus: (await shown.textContent())?.trim(),
    shownBody: (await block.locator('.live-responses-table tr.response .response-col_description').first().textContent()) ?? '',
  };
}

describe('"Try it" in the API reference', () => {
  it('registers, creates a guild with the pasted token (201 and the guild), and answers 401 once the token is forgotten', async () => {
    const { page, errors, blocked, sent } = await offlinePage();
    await page.goto(`${server.url}/docs`);

    // Register through "Try it out": the body comes prefilled from the schema and is edited in place.
    const register = await tryOut(page, 'Accounts', 'postApiV1AuthRegister');
    const body = register.locator('textarea.body-param__text');
    expect(JSON.parse(await body.inputValue())).toEqual({ username: 'string', password: 'string' });
    await body.fill(JSON.stringify({ username: 'try_it_person', password: 'correct horse battery' }));
    const registered = await execute(page, register, '/api/v1/auth/register');
    expect(registered.response.status()).toBe(201);
    expect(registered.shownStatus).toBe('201');
    const { token } = (await registered.response.json()) as { token: string };
    expect(registered.shownBody).toContain(token);

    // The token bar, by keyboard: its fields are labelled, Enter submits.
    await page.getByLabel('Scheme').selectOption('Bearer');
    await page.getByLabel('Token').fill(token);
    await page.getByLabel('Token').press('Enter');
    await visible(page.getByRole('status').filter({ hasText: 'Requests carry your Bearer token.' }));
    expect(await page.evaluate(() => Object.keys(localStorage))).toEqual([]);
    expect(await page.evaluate(() => JSON.parse(sessionStorage.getItem('harmony.api-reference.token') ?? 'null'))).toEqual({ scheme: 'Bearer', token });

    const createGuild = await tryOut(page, 'Guilds', 'postApiV1Guilds');
    await createGuild.locator('textarea.body-param__text').fill(JSON.stringify({ name: 'Made in the reference' }));
    const created = await execute(page, createGuild, '/api/v1/guilds');
    expect(created.response.status()).toBe(201);
    expect(created.shownStatus).toBe('201');
    expect(await created.response.json()).toMatchObject({ name: 'Made in the reference', owner_id: expect.any(String) });
    expect(created.shownBody).toContain('Made in the reference');
    // The response headers are shown too.
    expect(created.shownBody.toLowerCase()).toContain('content-type');
    await screenshot(page, 'api-reference-try-it');

    // "Forget it": the next request goes without a token and the server refuses it.
    await page.getByRole('button', { name: 'Forget it' }).click();
    expect(await page.evaluate(() => sessionStorage.getItem('harmony.api-reference.token'))).toBeNull();
    const again = await execute(page, createGuild, '/api/v1/guilds');
    expect(again.response.status()).toBe(401);
    expect(again.shownStatus).toBe('401');
    expect(await again.response.json()).toEqual({ code: 0, message: '401: Unauthorized' });

    // The token went to this server's API only: never with the document, never to another origin.
    const withToken = sent.filter((r) => r.authorization !== null);
    expect(withToken.map((r) => new URL(r.url).pathname)).toEqual(['/api/v1/guilds']);
    expect(withToken.every((r) => new URL(r.url).origin === server.url)).toBe(true);
    expect(blocked).toEqual([]);
    expect(errors).toEqual([]);
  }, 120_000);

  it('keeps "Try it" requests under a --public-url path prefix', async () => {
    const { page, errors, blocked } = await offlinePage();
    await page.goto(`${prefixed.url}/harmony/docs`);
    const health = await tryOut(page, 'Instance', 'getHealth');
    const answered = await execute(page, health, '/harmony/health');
    expect(answered.response.status()).toBe(200);
    expect(await answered.response.json()).toMatchObject({ status: 'ok' });
    expect(blocked).toEqual([]);
    expect(errors).toEqual([]);
  }, 120_000);
});

// Drives Debian's Chromium with playwright-core for the web app's end-to-end tests. A missing
// Chromium is an error, never a skip: CI installs it (.ci/deps), and a skipped suite proves nothing.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import type { TestServer } from '../../support/test-server.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const OUTPUT_DIR = join(import.meta.dir, '..', '..', '..', 'test-output', 'web');
export const DOCS_SCREENSHOTS = join(import.meta.dir, '..', '..', '..', 'docs', 'screenshots');
/** `bun run screenshots` sets this: the browser tests that take the README's pictures then also refresh docs/screenshots/. */
export const UPDATE_DOCS_SCREENSHOTS = process.env.HARMONY_DOCS_SCREENSHOTS === '1';
export const PASSWORD = 'correct horse battery staple';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is missing at ${CHROMIUM}: install it (apt-get install -y chromium; .ci/deps does this in CI). The browser tests do not skip.`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
    ],
  });
}

/** The phone every layout test checks. */
export const PHONE = { width: 390, height: 844 };
/** The desktop (openPage's default) and the phone, for tests that run at both. */
export const VIEWPORTS = [
  ['desktop', undefined],
  ['phone', PHONE],
] as const;

/** A fresh browser profile (own localStorage) with the page's errors collected for assertions. */
export async function openPage(
  browser: Browser,
  options: { viewport?: { width: number; height: number }; clipboard?: boolean; colorScheme?: 'dark' | 'light' } = {},
) {
  const context: BrowserContext = await browser.newContext({
    viewport: options.viewport ?? { width: 1440, height: 900 },
    permissions: options.clipboard ? ['clipboard-read', 'clipboard-write'] : [],
    colorScheme: options.colorScheme ?? 'dark',
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('dialog', (dialog) => {
    errors.push(`unexpected ${dialog.type()} dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return { context, page, errors };
}

export function shotPath(name: string): string {
  mkdirSync(OUTPUT_DIR, { recursive: true });
  return join(OUTPUT_DIR, `${name}.png`);
}

/**
 * Saves test-output/web/<name>.png. With `docsName`, passing notices are dismissed first so the picture
 * does not depend on timing, and under `bun run screenshots` it is also written to docs/screenshots/
 * with secrets (tokens shown once) masked.
 */
export async function screenshot(page: Page, name: string, docsName?: string): Promise<void> {
  if (docsName) {
    for (const dismiss of await page.getByRole('button', { name: 'Dismiss' }).all()) await dismiss.click();
  }
  // Pictures for the docs show one fixed time, so a refresh changes them only where the app changed.
  if (docsName) await page.evaluate(fixTimes, true);
  await page.screenshot({ path: shotPath(name) });
  if (docsName && UPDATE_DOCS_SCREENSHOTS) {
    mkdirSync(DOCS_SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(DOCS_SCREENSHOTS, `${docsName}.png`), mask: [page.getByTestId('secret-value')], maskColor: '#4e5058' });
  }
  if (docsName) await page.evaluate(fixTimes, false);
}

/**
 * Every <time> reads "Today at 12:00" while `on`: a constructed style sheet (the page's CSP refuses injected
 * <style> elements, which is how Playwright's own `style` option works), the DOM itself untouched.
 */
function fixTimes(on: boolean): void {
  const w = window as unknown as { __fixedTimes?: CSSStyleSheet };
  if (on && !w.__fixedTimes) {
    w.__fixedTimes = new CSSStyleSheet();
    w.__fixedTimes.replaceSync('time { font-size: 0 !important; } time::after { content: "Today at 12:00"; font-size: 0.75rem; }');
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, w.__fixedTimes];
  } else if (!on && w.__fixedTimes) {
    const sheet = w.__fixedTimes;
    document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== sheet);
    w.__fixedTimes = undefined;
  }
}

const WAIT_MS = 10_000;

/** Waits until the locator is visible (playwright-core has no `expect`; these are the few waits we need). */
export async function visible(locator: Locator, timeout = WAIT_MS): Promise<Locator> {
  await locator.first().waitFor({ state: 'visible', timeout });
  return locator;
}

export async function hidden(locator: Locator, timeout = WAIT_MS): Promise<void> {
  await locator.first().waitFor({ state: 'hidden', timeout });
}

/** Polls `check` until it holds; fails naming `what` with the last value seen. */
export async function until<T>(what: string, read: () => Promise<T>, check: (value: T) => boolean, timeout = WAIT_MS): Promise<T> {
  const deadline = Date.now() + timeout;
  let value = await read();
  while (!check(value)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(value)}`);
    await Bun.sleep(50);
    value = await read();
  }
  return value;
}

export async function registerInPage(page: Page, server: TestServer, username: string, path = '/'): Promise<void> {
  await page.goto(server.url + path);
  await page.getByRole('tab', { name: 'Register' }).click();
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await until(
    'the user panel',
    () => page.getByTestId('current-user').textContent(),
    (t) => t === username,
  );
}

export async function logInInPage(page: Page, server: TestServer, username: string, path = '/'): Promise<void> {
  await page.goto(server.url + path);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await until(
    'the user panel',
    () => page.getByTestId('current-user').textContent(),
    (t) => t === username,
  );
}

/** A fresh browser profile (openPage) logged in as `username` at `path`. */
export async function openAs(browser: Browser, server: TestServer, username: string, path: string, viewport?: { width: number; height: number }) {
  const tab = await openPage(browser, { viewport });
  await logInInPage(tab.page, server, username, path);
  return tab;
}

/** Creates a server through "Add a server" and waits for its #general. */
export async function createServerInPage(page: Page, name: string): Promise<{ guildId: string; channelId: string }> {
  const before = new URL(page.url()).pathname;
  await page.getByRole('button', { name: 'Add a server' }).click();
  await page.getByLabel('Server name').fill(name);
  await page.getByRole('button', { name: 'Create server' }).click();
  // The new server's channel page, not the one we were on: another server's #general already shows the heading
  // this waits for next, so waiting for it alone could read the old page's address.
  const path = await until(
    `the page of the new server ${name}`,
    async () => new URL(page.url()).pathname,
    (p) => p !== before && CHANNEL_PATH.test(p),
  );
  await visible(page.getByRole('heading', { name: 'general' }));
  const match = CHANNEL_PATH.exec(path) as RegExpExecArray;
  return { guildId: match[1]!, channelId: match[2]! };
}

const CHANNEL_PATH = /\/app\/channels\/(\d+)\/(\d+)$/;

export function composer(page: Page): Locator {
  return page.getByRole('textbox', { name: /^Message [#@]?/ });
}

export async function send(page: Page, text: string): Promise<void> {
  await composer(page).fill(text);
  await composer(page).press('Enter');
  await until(
    'the composer to clear',
    () => composer(page).inputValue(),
    (v) => v === '',
  );
}

/** The message <article> whose content is exactly `text` (an "(edited)" mark aside). */
export function message(page: Page, text: string): Locator {
  const exact = new RegExp(`^${escapeRegExp(text.replace(/\s+/g, ' ').trim())}( \\(edited\\))?$`);
  return page.locator('article.message').filter({ has: page.locator('.message-content', { hasText: exact }) });
}

/** The message <article> whose content contains `text`. */
export function messageContaining(page: Page, text: string): Locator {
  return page.locator('article.message').filter({ has: page.locator('.message-content', { hasText: text }) });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function sessionToken(page: Page): Promise<string> {
  return page.evaluate(() => JSON.parse(localStorage.getItem('harmony.session') ?? '{}').token as string);
}

/**
 * Interactive elements on the page without an accessible name (label, aria-label(ledby), text, title).
 * Approximates the accessible-name algorithm well enough to catch an unlabeled control.
 */
export function unnamedControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const controls = document.querySelectorAll<HTMLElement>('button, a[href], input:not([type=hidden]), select, textarea, [role=switch], [role=tab]');
    const unnamed: string[] = [];
    for (const el of controls) {
      if (el.closest('[hidden], [aria-hidden="true"]')) continue;
      const labelledBy = el.getAttribute('aria-labelledby');
      const labels = (el as HTMLInputElement).labels;
      const name =
        el.getAttribute('aria-label') ||
        (labelledBy
          ? labelledBy
              .split(' ')
              .map((id) => document.getElementById(id)?.textContent ?? '')
              .join(' ')
          : '') ||
        (labels?.length ? [...labels].map((l) => l.textContent).join(' ') : '') ||
        (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement ? '' : el.textContent) ||
        el.getAttribute('title') ||
        '';
      if (name.trim() === '') unnamed.push(el.outerHTML.slice(0, 120));
    }
    return unnamed;
  });
}

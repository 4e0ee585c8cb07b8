// The API reference in a real Chromium with every request off this machine blocked (issue 15: /docs must
// work on a network without Internet; issue 17 item 3: no third-party script on this origin). It renders
// the API from the server's own files, "Try it out" reaches the server, and nothing breaks the CSP.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import type { Browser, Page } from 'playwright-core';
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

/** A page whose requests beyond loopback are aborted and recorded, with console errors and CSP violations kept. */
async function offlinePage() {
  const { context, page, errors } = await openPage(browser);
  const requests: string[] = [];
  const blocked: string[] = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (LOOPBACK.has(url.hostname)) return route.continue();
    blocked.push(url.href);
    return route.abort('internetdisconnected');
  });
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(`console ${m.type()}: ${m.text()}`);
  });
  // Init scripts run outside the page's CSP, so this listener sees every violation the policy reports.
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const violations = () => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
  return { page, errors, requests, blocked, violations };
}

/** The tag Swagger UI shows last (tags appear in the order the document first names them) and its first path. */
async function lastTagFirstPath(): Promise<{ tag: string; path: string }> {
  const doc = (await (await fetch(`${server.url}/docs/json`)).json()) as { paths: Record<string, Record<string, { tags?: string[] }>> };
  const firstPathOfTag = new Map<string, string>();
  for (const [path, operations] of Object.entries(doc.paths))
    for (const operation of Object.values(operations)) for (const tag of operation.tags ?? []) if (!firstPathOfTag.has(tag)) firstPathOfTag.set(tag, path);
  const [tag, path] = [...firstPathOfTag.entries()].at(-1) as [string, string];
  return { tag, path };
}

/** Opens a tag (they start collapsed: a tag's operations are rendered only once it is opened). */
async function openTag(page: Page, tag: string): Promise<void> {
  const header = page.locator(`[id="operations-tag-${tag.replaceAll(' ', '_')}"]`);
  await visible(header);
  if ((await header.getAttribute('data-is-open')) !== 'true') await header.click();
}

/**
 * Waits for Swagger UI to have rendered the document: every tag, collapsed, and the operations of the first, a
 * middle and the last tag once each is opened. A document of some 270 operations used to take up to 75 s on a
 * loaded machine; rendered collapsed and resolved locally it takes seconds, so 60 s is room enough.
 */
async function rendered(page: Page): Promise<void> {
  await visible(page.locator('.opblock-tag').first(), 60_000);
  await openTag(page, 'Instance');
  await visible(page.getByText('Liveness and version'));
  // Swagger UI puts zero-width spaces between path segments; data-path holds the path as written.
  await openTag(page, 'Presence API');
  await visible(page.locator('[data-path="/user/{id}/card.svg"]'));
  const last = await lastTagFirstPath();
  await openTag(page, last.tag);
  await visible(page.locator(`[data-path="${last.path}"]`));
  await page.evaluate(() => window.scrollTo(0, 0));
}

describe('the API reference at /docs in Chromium, offline', () => {
  it('renders every operation from this server alone, with no CSP violation or console error', async () => {
    const { page, errors, requests, blocked, violations } = await offlinePage();
    await page.goto(`${server.url}/docs`);
    await rendered(page);
    await visible(page.getByRole('heading', { name: /Harmony API/ }));

    // "Try it out" on GET /health: a real request to this origin, allowed by connect-src 'self'.
    await page.getByText('Liveness and version').click();
    await page.getByRole('button', { name: 'Try it out' }).click();
    const [health] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === '/health'),
      page.getByRole('button', { name: 'Execute' }).click(),
    ]);
    expect(health.status()).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    await screenshot(page, 'api-reference');

    expect(blocked).toEqual([]);
    expect(requests.filter((r) => new URL(r).origin !== server.url)).toEqual([]);
    expect(requests.some((r) => new URL(r).pathname === '/docs/json')).toBe(true);
    expect(requests.some((r) => new URL(r).pathname === '/health')).toBe(true);
    expect(await violations()).toEqual([]);
    expect(errors).toEqual([]);
    // The policy is really enforced: an injected inline script does not run and is reported.
    const ran = await page.evaluate(async () => {
      const script = document.createElement('script');
      script.textContent = 'window.injected = true';
      document.head.append(script);
      await new Promise((resolve) => setTimeout(resolve, 50));
      return (window as unknown as { injected?: boolean }).injected === true;
    });
    expect(ran).toBe(false);
    expect(await violations()).toEqual([expect.stringMatching(/^script-src-elem inline$/)]);
  }, 120_000);

  it('ignores ?url= and ?configUrl=: a link cannot point the page at another document', async () => {
    const { page, errors, requests, blocked } = await offlinePage();
    await page.goto(`${server.url}/docs?url=https://docs.example.com/evil.json&configUrl=https://docs.example.com/config.json`);
    await rendered(page);
    expect(blocked).toEqual([]);
    expect(requests.filter((r) => new URL(r).origin !== server.url)).toEqual([]);
    expect(errors).toEqual([]);
  }, 120_000);

  it('renders under a --public-url path prefix, every request staying under the prefix', async () => {
    const { page, errors, requests, blocked, violations } = await offlinePage();
    await page.goto(`${prefixed.url}/harmony/docs`);
    await rendered(page);
    expect(blocked).toEqual([]);
    expect(requests.map((r) => new URL(r).pathname).filter((p) => !p.startsWith('/harmony/docs'))).toEqual([]);
    expect(requests.map((r) => new URL(r).pathname)).toContain('/harmony/docs/json');
    expect(await violations()).toEqual([]);
    expect(errors).toEqual([]);
  }, 120_000);
});

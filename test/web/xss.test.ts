// Issue 6 (d): whatever people type is shown as text. A message that is an HTML injection renders
// as its own characters, display names are text, only http(s) links become links, and the page is
// served with a CSP that forbids inline scripts.
import { describe, expect, it } from 'bun:test';
import { createServerInPage, message, messageContaining, openPage, registerInPage, screenshot, send, sessionToken, visible } from './support/browser.ts';
import { serverAndBrowser } from './support/server-and-browser.ts';

const { server, browser } = await serverAndBrowser();

describe('user text in the browser', () => {
  it('renders <img src=x onerror=alert(1)> as text, never as an element, and runs nothing', async () => {
    const { page, errors } = await openPage(browser);
    const response = await page.goto(server.url);
    const csp = response?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");

    await registerInPage(page, server, 'mallory');
    await createServerInPage(page, 'Injection Test');
    const payload = '<img src=x onerror=alert(1)>';
    await send(page, payload);
    const shown = message(page, payload);
    await visible(shown);
    expect(await shown.locator('.message-content').textContent()).toBe(payload);
    expect(await shown.locator('.message-content').innerHTML()).toBe('&lt;img src=x onerror=alert(1)&gt;');
    expect(await page.locator('img[src="x"]').count()).toBe(0);

    // Links: only http(s) become anchors, and they open without opener or referrer.
    await send(page, 'see javascript:alert(2) and (https://example.com/a?b=1&c=%3Cd%3E).');
    const links = messageContaining(page, 'see javascript:alert(2)');
    await visible(links);
    const anchors = links.locator('.message-content a');
    expect(await anchors.count()).toBe(1);
    expect(await anchors.getAttribute('href')).toBe('https://example.com/a?b=1&c=%3Cd%3E');
    expect(await anchors.getAttribute('rel')).toBe('noopener noreferrer nofollow ugc');
    expect(await anchors.getAttribute('target')).toBe('_blank');
    expect(await links.locator('.message-content').textContent()).toBe('see javascript:alert(2) and (https://example.com/a?b=1&c=%3Cd%3E).');

    // A display name full of markup is text too, in the author line and the member list.
    const token = await sessionToken(page);
    const hostile = '<script>alert(3)</script>';
    expect((await server.api('PATCH', '/api/v1/users/@me', { token, body: { global_name: hostile } })).status).toBe(200);
    await page.reload();
    await visible(page.locator('.member-panel .member-name', { hasText: hostile }));
    expect(await message(page, payload).locator('.author').first().textContent()).toBe(hostile);

    await page.waitForTimeout(300);
    await screenshot(page, 'xss-as-text');
    expect(errors).toEqual([]);
    expect(await page.evaluate(() => document.querySelectorAll('script:not([src])').length)).toBe(0);
  }, 60_000);
});

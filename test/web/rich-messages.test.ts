// Embeds and components in the browser: a bot's embed renders as a card (colour bar, author, linked title,
// description through the message markup, inline fields, image, thumbnail, footer, timestamp) and its
// components as buttons that say interactions come later, a real link button and disabled selects. Hostile
// text and URLs in an embed stay inert: text is text, images load only over http(s) without a referrer.
import { describe, expect, it } from 'bun:test';
import { register } from '../support/test-server.ts';
import { logInInPage, message, openPage, PASSWORD, screenshot, unnamedControls, visible } from './support/browser.ts';
import { serverAndBrowser } from './support/server-and-browser.ts';

const { server, browser } = await serverAndBrowser();

/** Connection refused at once: the images are checked by their attributes, not loaded from the internet. */
const IMG = 'http://127.0.0.1:9';

describe('embeds and components in the web app', () => {
  it('renders an embed card and components, and keeps hostile embed text and URLs inert', async () => {
    const alice = await register(server, 'alice', PASSWORD);
    const guild = (await server.api('POST', '/api/v1/guilds', { token: alice.token, body: { name: 'Rich' } })).body;
    const channelId: string = guild.channels[0].id;
    const created = (await server.api('POST', '/api/v1/admin/bots', { token: alice.token, body: { username: 'cardbot' } })).body;
    await server.api('PUT', `/api/v1/guilds/${guild.id}/bots/${created.bot.id}`, {
      token: alice.token,
      body: { permissions: ['read_messages', 'send_messages'] },
    });
    const bot = { token: created.token as string, scheme: 'Bot' as const };
    const post = async (body: unknown) => {
      const res = await server.api('POST', `/api/v1/channels/${channelId}/messages`, { ...bot, body });
      expect(res.status).toBe(200);
      return res.body;
    };

    await post({
      content: 'build report',
      embeds: [
        {
          title: 'Build #42',
          url: 'https://example.com/builds/42',
          description: `Passed for <@${alice.id}>, see https://example.com/log`,
          color: 0x23a559,
          author: { name: 'CI', url: 'https://example.com/ci', icon_url: `${IMG}/ci.png` },
          fields: [
            { name: 'Duration', value: '3 min', inline: true },
            { name: 'Tests', value: '512', inline: true },
            { name: 'Notes', value: 'none' },
          ],
          image: { url: `${IMG}/chart.png` },
          thumbnail: { url: `${IMG}/thumb.png` },
          footer: { text: 'ci.example.com' },
          timestamp: '2025-01-02T03:04:05.000Z',
        },
      ],
      components: [
        {
          type: 1,
          components: [
            { type: 2, style: 1, label: 'Rerun', custom_id: 'rerun', emoji: { name: '🔁' } },
            { type: 2, style: 5, label: 'Open log', url: 'https://example.com/log' },
          ],
        },
        { type: 1, components: [{ type: 3, custom_id: 'env', placeholder: 'Environment', options: [{ label: 'Staging', value: 's' }] }] },
        { type: 1, components: [{ type: 5, custom_id: 'who' }] },
      ],
    });
    const hostile = '<img src=x onerror=alert(1)>';
    await post({
      content: 'hostile embed',
      embeds: [
        {
          title: hostile,
          url: 'https://example.com/"><script>alert(2)</script>',
          description: '<script>alert(3)</script> [click](javascript:alert(4)) javascript:alert(5)',
          author: { name: '<b onmouseover=alert(6)>boss</b>' },
          fields: [{ name: '<svg onload=alert(7)>', value: '<iframe src=javascript:alert(8)>' }],
          footer: { text: '"><img src=x onerror=alert(9)>' },
          image: { url: `${IMG}/"onerror="alert(10)` },
        },
      ],
    });

    const { page, errors } = await openPage(browser);
    await logInInPage(page, server, 'alice', `/app/channels/${guild.id}/${channelId}`);

    // The card.
    const report = message(page, 'build report');
    const card = report.locator('.embed');
    await visible(card);
    expect(await card.getAttribute('aria-label')).toBe('Embed: Build #42');
    expect(await card.evaluate((el) => getComputedStyle(el).borderInlineStartColor)).toBe('rgb(35, 165, 89)');
    const title = card.locator('.embed-title a');
    expect([await title.textContent(), await title.getAttribute('href'), await title.getAttribute('rel'), await title.getAttribute('target')]).toEqual([
      'Build #42',
      'https://example.com/builds/42',
      'noopener noreferrer nofollow ugc',
      '_blank',
    ]);
    expect(await card.locator('.embed-author-name').textContent()).toBe('CI');
    // The description goes through the message markup: the mention is named, the URL is a link.
    expect(await card.locator('.embed-description .mention-me').textContent()).toBe('@alice');
    expect(await card.locator('.embed-description a').getAttribute('href')).toBe('https://example.com/log');
    expect(await card.locator('.embed-field.inline .embed-field-name').allTextContents()).toEqual(['Duration', 'Tests']);
    expect(await card.locator('.embed-field:not(.inline) .embed-field-value').textContent()).toBe('none');
    expect(await card.locator('.embed-footer-text').textContent()).toBe('ci.example.com');
    expect(await card.locator('.embed-footer time').getAttribute('datetime')).toBe('2025-01-02T03:04:05.000Z');
    const images: [string, string][] = [
      ['embed-image', `${IMG}/chart.png`],
      ['embed-thumbnail', `${IMG}/thumb.png`],
      ['embed-author-icon', `${IMG}/ci.png`],
    ];
    for (const [cls, src] of images) {
      const img = card.locator(`img.${cls}`);
      expect([await img.getAttribute('src'), await img.getAttribute('referrerpolicy'), await img.getAttribute('loading')]).toEqual([
        src,
        'no-referrer',
        'lazy',
      ]);
    }

    // The components: a bot posted them, so they can be used (interactions.test.ts clicks them).
    const rerun = report.getByRole('button', { name: '🔁 Rerun' });
    expect([await rerun.getAttribute('aria-disabled'), await rerun.isDisabled()]).toEqual([null, false]);
    const link = report.getByRole('link', { name: 'Open log' });
    expect([await link.getAttribute('href'), await link.getAttribute('rel')]).toEqual(['https://example.com/log', 'noopener noreferrer nofollow ugc']);
    const selects = report.locator('select.component-select');
    expect(await selects.count()).toBe(2);
    expect(await selects.evaluateAll((els) => els.map((el) => [(el as HTMLSelectElement).disabled, el.getAttribute('aria-label')]))).toEqual([
      [false, 'Environment'],
      [false, 'Select a user'],
    ]);
    expect(await report.locator('select.component-select').first().locator('option').allTextContents()).toEqual(['Environment', 'Staging']);

    // The hostile embed: every string is its own characters, nothing became markup, nothing ran.
    const bad = message(page, 'hostile embed').locator('.embed');
    await visible(bad);
    expect(await bad.locator('.embed-title a').textContent()).toBe(hostile);
    expect(await bad.locator('.embed-title a').getAttribute('href')).toBe('https://example.com/%22%3E%3Cscript%3Ealert(2)%3C/script%3E');
    expect(await bad.locator('.embed-description').textContent()).toBe('<script>alert(3)</script> [click](javascript:alert(4)) javascript:alert(5)');
    expect(await bad.locator('.embed-description a').count()).toBe(0);
    expect(await bad.locator('.embed-author-name').textContent()).toBe('<b onmouseover=alert(6)>boss</b>');
    expect(await bad.locator('.embed-field-name').textContent()).toBe('<svg onload=alert(7)>');
    expect(await bad.locator('.embed-field-value').textContent()).toBe('<iframe src=javascript:alert(8)>');
    expect(await bad.locator('.embed-footer-text').textContent()).toBe('"><img src=x onerror=alert(9)>');
    expect(await bad.locator('img').evaluateAll((els) => els.map((el) => [el.getAttribute('src'), el.getAttributeNames().sort()]))).toEqual([
      [`${IMG}/%22onerror=%22alert(10)`, ['alt', 'class', 'decoding', 'loading', 'referrerpolicy', 'src']],
    ]);
    expect(await page.locator('.embeds script, .embeds iframe, .embeds svg, .embeds b, img[src="x"]').count()).toBe(0);

    await page.waitForTimeout(300);
    await screenshot(page, 'rich-messages');
    expect(await unnamedControls(page)).toEqual([]);
    expect(errors).toEqual([]);
  }, 60_000);

  it('serves the app with a CSP whose img-src allows http(s) embed images and nothing else new', async () => {
    const res = await fetch(server.url);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("img-src 'self' data: blob: https: http:");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
  });
});

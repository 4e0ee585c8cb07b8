// Issue 17 item 6: `.token` never writes the API token into a chat message. The bot's stored answer holds a
// one-time link; GET on it shows a button (previewers must not use it up), POST shows a fresh token once.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Account, botMessages, command, dmWithBot, hasTokenShape, movableClock, revealLinkIn, revealToken, say, tokenIn } from '../../support/presence.ts';
import { register, startServer, type TestServer } from '../../support/test-server.ts';

const clock = movableClock();
let server: TestServer;
let owner: Account;
let channelId: string;

const REVEAL_HEADERS = {
  'content-type': 'text/html;charset=utf-8',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
};

beforeAll(async () => {
  server = await startServer({ rateLimits: false }, clock);
  owner = await register(server, 'owner');
  const guild = await server.api('POST', '/api/v1/guilds', { token: owner.token, body: { name: 'Token Club' } });
  channelId = guild.body.channels[0].id;
  const bot = server.harmony.core.services.systemBot.id;
  await server.api('PUT', `/api/v1/guilds/${guild.body.id}/bots/${bot}`, { token: owner.token, body: { permissions: ['read_messages', 'send_messages'] } });
});

afterAll(() => server.stop());

const putKv = (userId: string, token: string) => server.api('PUT', `/user/${userId}/kv/k`, { raw: 'v', headers: { authorization: token } });

/** Runs .token in the DM and returns the link in the bot's answer. */
async function linkFor(account: Account): Promise<string> {
  const [answer] = await command(server, account, '.token');
  return revealLinkIn(answer ?? '');
}

async function page(link: string, method = 'GET') {
  const res = await fetch(link, { method });
  return { status: res.status, headers: res.headers, html: await res.text() };
}

function expectRevealHeaders(headers: Headers): void {
  for (const [name, value] of Object.entries(REVEAL_HEADERS)) expect(headers.get(name)).toBe(value);
  const csp = headers.get('content-security-policy') ?? '';
  expect(csp.split('; ')).toEqual([
    "default-src 'none'",
    expect.stringMatching(/^style-src 'sha256-[A-Za-z0-9+/]{43}='$/),
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ]);
}

describe('.token in a DM with the presence bot', () => {
  it('stores an answer that holds a one-time link on the listen address and nothing token-shaped', async () => {
    const alice = await register(server, 'alice');
    await command(server, alice, '.token');
    const dm = await dmWithBot(server, alice);
    const history = await server.api('GET', `/api/v1/channels/${dm}/messages?limit=100`, { token: alice.token });
    expect(history.status).toBe(200);
    const contents = (history.body as { content: string }[]).map((m) => m.content);
    expect(contents).toHaveLength(2);
    for (const content of contents) expect(hasTokenShape(content)).toBe(false);
    const answer = contents.find((c) => c !== '.token') ?? '';
    expect(answer).toStartWith('Your previous API token no longer works. Open this link to see your new API token');
    const link = revealLinkIn(answer);
    expect(link).toMatch(new RegExp(`^${server.url}/presence-token/[A-Za-z0-9_-]{43}$`));
    expect(server.harmony.core.services.presenceDirectory.settings(alice.id).hasToken).toBe(false);
  });

  it('GET shows a script-free page with a POST button, no token, and headers that keep it private', async () => {
    const bob = await register(server, 'bob');
    const link = await linkFor(bob);
    const shown = await page(link);
    expect(shown.status).toBe(200);
    expectRevealHeaders(shown.headers);
    expect(shown.html).toContain('<form method="post"><button type="submit">Reveal token</button></form>');
    expect(shown.html).not.toContain('<script');
    expect(hasTokenShape(shown.html)).toBe(false);
    // Looking twice (a link preview, then the person) does not use the link up, and makes no token.
    expect((await page(link)).status).toBe(200);
    expect(server.harmony.core.services.presenceDirectory.settings(bob.id).hasToken).toBe(false);
  });

  it('POST shows a token once that works on the K/V routes; a second POST is 410 and the token keeps working', async () => {
    const carol = await register(server, 'carol');
    const link = await linkFor(carol);
    const revealed = await page(link, 'POST');
    expect(revealed.status).toBe(200);
    expectRevealHeaders(revealed.headers);
    expect(revealed.html).not.toContain('<script');
    const token = tokenIn(revealed.html);
    expect(revealed.html).toContain(`<code>${token}</code>`);
    expect((await putKv(carol.id, token)).status).toBe(204);

    const again = await page(link, 'POST');
    expect(again.status).toBe(410);
    expectRevealHeaders(again.headers);
    expect(again.html).toContain('This link was already used or has expired — send .token again.');
    expect(hasTokenShape(again.html)).toBe(false);
    expect((await page(link)).status).toBe(410);
    expect((await putKv(carol.id, token)).status).toBe(204);
  });

  it('resets the token at once, as re-running .token always did; the reveal issues the next one', async () => {
    const dave = await register(server, 'dave');
    const first = await revealToken(await linkFor(dave));
    expect((await putKv(dave.id, first)).status).toBe(204);
    const link = await linkFor(dave);
    const refused = await putKv(dave.id, first);
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('invalid_api_key');
    const second = await revealToken(link);
    expect(second).not.toBe(first);
    expect((await putKv(dave.id, first)).status).toBe(401);
    expect((await putKv(dave.id, second)).status).toBe(204);
  });

  it('only the latest link works: a new .token withdraws the earlier link (404)', async () => {
    const erin = await register(server, 'erin');
    const earlier = await linkFor(erin);
    const later = await linkFor(erin);
    expect((await page(earlier, 'POST')).status).toBe(404);
    expect((await putKv(erin.id, await revealToken(later))).status).toBe(204);
  });

  it('a link expires after 10 minutes: GET and POST answer 410 and no token is made', async () => {
    const fay = await register(server, 'fay');
    const link = await linkFor(fay);
    clock.advance(10 * 60_000 - 1000);
    expect((await page(link)).status).toBe(200);
    clock.advance(2000);
    const expired = await page(link);
    expect(expired.status).toBe(410);
    expect(expired.html).toContain('This link was already used or has expired — send .token again.');
    expect((await page(link, 'POST')).status).toBe(410);
    expect(server.harmony.core.services.presenceDirectory.settings(fay.id).hasToken).toBe(false);
  });

  it('answers 404 for a link that never existed, whatever its shape', async () => {
    for (const nonce of ['A'.repeat(43), 'short', '..%2F..%2Fetc', 'x'.repeat(300)]) {
      const res = await page(`${server.url}/presence-token/${nonce}`, 'POST');
      expect(res.status).toBe(404);
      expectRevealHeaders(res.headers);
      expect(res.html).toContain('This link was already used or has expired — send .token again.');
    }
  });

  it('the link is not itself an API token', async () => {
    const gus = await register(server, 'gus');
    const nonce = (await linkFor(gus)).split('/').pop() as string;
    expect((await putKv(gus.id, nonce)).status).toBe(401);
    expect(server.harmony.core.services.presenceDirectory.userForToken(nonce)).toBeNull();
  });
});

describe('.token in a guild channel and the pasted-token guard', () => {
  it('.token in a channel DMs the link and says so in the channel, with no link there', async () => {
    const hank = await register(server, 'hank');
    const invite = await server.api('POST', `/api/v1/channels/${channelId}/invites`, { token: owner.token, body: {} });
    await server.api('POST', `/api/v1/invites/${invite.body.code}`, { token: hank.token });
    const posted = await say(server, hank, channelId, '.token');
    expect((await botMessages(server, hank, channelId, posted.id)).map((m) => m.content)).toEqual(['I sent you a DM with a link to your new API token.']);
    const dms = await botMessages(server, hank, await dmWithBot(server, hank));
    expect(dms).toHaveLength(1);
    expect(hasTokenShape(dms[0]?.content ?? '')).toBe(false);
    const token = await revealToken(revealLinkIn(dms[0]?.content ?? ''));
    expect((await putKv(hank.id, token)).status).toBe(204);

    // Pasting that token in the channel burns it; the DM that follows carries a link again, never a token.
    const leak = await say(server, hank, channelId, `look ${token}`);
    expect((await botMessages(server, hank, channelId, leak.id)).map((m) => m.content)).toEqual([
      'That message contained an API token, so I deleted it and revoked the token. A link to a new one was sent by DM.',
    ]);
    expect((await putKv(hank.id, token)).status).toBe(401);
    const last = (await botMessages(server, hank, await dmWithBot(server, hank))).at(-1)?.content ?? '';
    expect(last).toStartWith('Your presence API token was posted in a channel, so it no longer works. Open this link');
    expect(hasTokenShape(last)).toBe(false);
    expect((await putKv(hank.id, await revealToken(revealLinkIn(last)))).status).toBe(204);
  });
});

describe('links across restarts and behind a public URL', () => {
  it('a link made before a restart still works after it (the nonce digest is in the database)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'harmony-reveal-'));
    const first = await startServer({ rateLimits: false, dataDir: dir });
    const ivy = await register(first, 'ivy');
    const link = revealLinkIn((await command(first, ivy, '.token'))[0] ?? '');
    const port = Number(new URL(first.url).port);
    await first.harmony.stop();
    const second = await startServer({ rateLimits: false, dataDir: dir, port });
    try {
      const token = await revealToken(link);
      expect((await second.api('PUT', `/user/${ivy.id}/kv/k`, { raw: 'v', headers: { authorization: token } })).status).toBe(204);
    } finally {
      await second.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names config.publicUrl (path prefix included) and is served under that prefix', async () => {
    const proxied = await startServer({ rateLimits: false, publicUrl: 'https://chat.example.com/harmony' });
    try {
      const jo = await register(proxied, 'jo');
      const link = revealLinkIn((await command(proxied, jo, '.token'))[0] ?? '');
      expect(link).toMatch(/^https:\/\/chat\.example\.com\/harmony\/presence-token\/[A-Za-z0-9_-]{43}$/);
      const path = new URL(link).pathname;
      expect((await fetch(proxied.url + path)).status).toBe(200);
      const token = await revealToken(link, proxied.url);
      expect((await proxied.api('PUT', `/user/${jo.id}/kv/k`, { raw: 'v', headers: { authorization: token } })).status).toBe(204);
    } finally {
      await proxied.stop();
    }
  });

  it('answers 429 with an HTML page over the presence per-address budget', async () => {
    const limited = await startServer({ presenceRateLimit: 120, presenceRateBurst: 2 });
    try {
      const url = `${limited.url}/presence-token/${'A'.repeat(43)}`;
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await fetch(url)).status);
      expect(statuses).toEqual([404, 404, 429]);
      const res = await fetch(url);
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toMatch(/^\d+(\.\d+)?$/);
      expect(res.headers.get('content-type')).toBe('text/html;charset=utf-8');
      expect(await res.text()).toContain('Too many requests from your address');
    } finally {
      await limited.stop();
    }
  });
});

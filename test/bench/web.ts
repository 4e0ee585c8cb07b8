// The web app's weight and speed for the benchmark (issue 15 item 8): the JS and CSS the app page loads, as the
// server's asset route sends them (plain, and brotli-compressed as a browser that accepts br receives them), and
// the first render: from navigation start to the first paint of a channel's message list, logged in, 50 messages,
// the median of cold loads (a fresh browser profile each, so nothing cached) in headless Chromium.
// `bun test/bench/web.ts` prints the figures as JSON; test/bench/run.ts calls measureWeb().

import { register, startServer, type TestServer } from '../support/test-server.ts';
import { launchChromium } from '../web/support/browser.ts';

const COLD_LOADS = 7;
const MESSAGES = 50;

export type WebFigures = { bundleBytes: number; bundleBrotliBytes: number; firstRenderMs: number };

export async function measureWeb(): Promise<WebFigures> {
  const server = await startServer({ rateLimits: false });
  try {
    const { bundleBytes, bundleBrotliBytes } = await bundleSize(server);
    const firstRenderMs = await firstRender(server);
    return { bundleBytes, bundleBrotliBytes, firstRenderMs };
  } finally {
    await server.stop();
  }
}

/** Every script and stylesheet the app page links, fetched from the server as a browser would. */
async function bundleSize(server: TestServer): Promise<{ bundleBytes: number; bundleBrotliBytes: number }> {
  const page = await (await fetch(`${server.url}/app`)).text();
  const assets = [...page.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="stylesheet"[^>]*\shref)="([^"]+)"/g)].map(
    (m) => new URL(m[1]!, `${server.url}/app`).href,
  );
  if (!assets.some((a) => a.endsWith('.js')) || !assets.some((a) => a.endsWith('.css'))) {
    throw new Error(`the app page links no script or no stylesheet: ${assets.join(', ')}`);
  }
  let bundleBytes = 0;
  let bundleBrotliBytes = 0;
  for (const asset of assets) {
    const plain = await fetch(asset, { headers: { 'accept-encoding': 'identity' } });
    if (!plain.ok) throw new Error(`${asset}: ${plain.status}`);
    bundleBytes += (await plain.arrayBuffer()).byteLength;
    // decompress: false keeps the bytes as they travel (Bun's fetch would otherwise unpack them).
    const br = await fetch(asset, { headers: { 'accept-encoding': 'br' }, decompress: false });
    if (br.headers.get('content-encoding') !== 'br') throw new Error(`${asset} is not sent brotli-compressed to a browser that accepts br`);
    bundleBrotliBytes += (await br.arrayBuffer()).byteLength;
  }
  return { bundleBytes, bundleBrotliBytes };
}

async function firstRender(server: TestServer): Promise<number> {
  const alice = await register(server, 'alice', 'correct horse battery staple');
  const guild = (await server.api('POST', '/api/v1/guilds', { token: alice.token, body: { name: 'Bench' } })).body as {
    id: string;
    channels: { id: string }[];
  };
  const channelId = guild.channels[0]!.id;
  let newest = '';
  for (let i = 1; i <= MESSAGES; i++) {
    const res = await server.api('POST', `/api/v1/channels/${channelId}/messages`, {
      token: alice.token,
      body: { content: `message ${i} with **some** _markdown_` },
    });
    newest = (res.body as { id: string }).id;
  }
  const me = (await server.api('GET', '/api/v1/users/@me', { token: alice.token })).body;
  const browser = await launchChromium();
  const times: number[] = [];
  try {
    for (let i = 0; i < COLD_LOADS; i++) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      // Logged in as the app remembers a session; the newest message's row being painted ends the clock.
      await context.addInitScript(
        ({ session, newest }) => {
          localStorage.setItem('harmony.session', JSON.stringify(session));
          const seen = () => {
            if (!document.querySelector(`article[data-message-id="${newest}"]`)) return false;
            // The frame after the row is in the DOM is the one that paints it.
            requestAnimationFrame(() => setTimeout(() => ((window as unknown as { firstRender: number }).firstRender = performance.now())));
            return true;
          };
          new MutationObserver((_, observer) => seen() && observer.disconnect()).observe(document, { childList: true, subtree: true });
        },
        { session: { token: alice.token, user: me }, newest },
      );
      const page = await context.newPage();
      await page.goto(`${server.url}/app/channels/${guild.id}/${channelId}`);
      const ms = await page.waitForFunction(() => (window as unknown as { firstRender?: number }).firstRender, undefined, { timeout: 30_000 });
      times.push((await ms.jsonValue()) as number);
      await context.close();
    }
  } finally {
    await browser.close();
  }
  times.sort((a, b) => a - b);
  return Math.round(times[Math.floor(times.length / 2)]!);
}

if (import.meta.main) console.log(JSON.stringify(await measureWeb()));

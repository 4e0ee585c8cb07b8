// GET /user/:id/card.svg over HTTP: headers, themes, hostile strings from real profiles and activities
// (parsed back with a strict XML parser), and a PNG of the card as Chromium renders it inside an <img>.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ActivityType } from 'discord-api-types/v10';
import type { ExternalProfile } from '../../../src/domain/presence/presence-directory.ts';
import { dataUri, png } from '../../support/images.ts';
import type { Account } from '../../support/presence.ts';
import { register, startServer, type TestServer } from '../../support/test-server.ts';
import { findAll, parseXml, textContent, type XmlElement } from '../../support/xml.ts';

const AVATAR_PNG = png(3, 3, [1, 2, 3, 255]);

const CHROMIUM = '/usr/bin/chromium';
const OUTPUT = join(import.meta.dir, '../../../test-output');

let server: TestServer;
let alice: Account;
let hostile: Account;

async function optIn(name: string): Promise<Account> {
  const account = await register(server, name);
  expect((await server.api('PUT', '/api/v1/users/@me/presence', { token: account.token, body: { shared: true } })).status).toBe(200);
  return account;
}

const card = (userId: string, query = '') => fetch(`${server.url}/user/${userId}/card.svg${query}`);

/** The texts right of the avatar: display name, then the activity lines. */
const rightTexts = (root: XmlElement) =>
  findAll(root, 'text')
    .filter((t) => t.attributes.x === '116')
    .map(textContent);

beforeAll(async () => {
  server = await startServer({ rateLimits: false });
  alice = await optIn('alice');
  await server.api('PATCH', '/api/v1/users/@me', { token: alice.token, body: { global_name: 'Alice' } });
  server.harmony.core.services.presence.setExternal(alice.id, 'test', 'desktop', {
    status: 'online',
    afk: false,
    since: null,
    activities: [
      {
        name: 'Spotify',
        type: ActivityType.Listening,
        created_at: 1,
        details: 'So What',
        state: 'Coltrane',
        assets: { large_image: 'spotify:ab67', large_text: 'Kind of Blue' },
      },
    ],
  });

  hostile = await optIn('mallory');
  const profile = await server.api('PATCH', '/api/v1/users/@me', {
    token: hostile.token,
    body: { global_name: `<script>&"'x</script>`, avatar: dataUri(AVATAR_PNG, 'image/png') },
  });
  expect(profile.status).toBe(200);
  server.harmony.core.services.presence.setExternal(hostile.id, 'test', 'web', {
    status: 'dnd',
    afk: false,
    since: null,
    activities: [
      { name: 'custom', type: ActivityType.Custom, created_at: 1, state: 'a ]]> b \u202Eevil\u0007 <!-- c' },
      { name: '</text><text>&amp;', type: ActivityType.Playing, created_at: 1 },
    ],
  });
});

afterAll(() => server.stop());

describe('GET /user/:id/card.svg', () => {
  it('serves a well-formed 400x120 SVG with short caching and a locked-down CSP', async () => {
    const res = await card(alice.id);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('public, max-age=5');
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; img-src https: http: data:; style-src 'unsafe-inline'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const root = parseXml(await res.text());
    expect(root.name).toBe('svg');
    expect(root.attributes).toMatchObject({ width: '400', height: '120', viewBox: '0 0 400 120' });
    expect(rightTexts(root)).toEqual(['Alice', 'Listening to So What by Coltrane']);
    expect(findAll(root, 'circle').find((c) => c.attributes.r === '8')?.attributes.fill).toBe('#23a55a');
  });

  it('escapes every user string: the SVG parses and the hostile texts read back as plain text', async () => {
    const svg = await (await card(hostile.id)).text();
    expect(svg).not.toContain('<script>');
    expect(svg).not.toContain('</text><text>');
    const root = parseXml(svg);
    expect(rightTexts(root)).toEqual([`<script>&"'x</script>`, 'a ]]> b evil <!-- c', 'Playing </text><text>&amp;']);
    expect(findAll(root, 'script')).toEqual([]);
    const image = findAll(root, 'image')[0];
    // An uploaded avatar is inlined (an SVG in <img> loads nothing external), as the exact bytes uploaded.
    expect(image?.attributes.href).toBe(dataUri(AVATAR_PNG, 'image/png'));
    expect(findAll(root, 'circle').find((c) => c.attributes.r === '8')?.attributes.fill).toBe('#f23f43');
  });

  it('draws the light theme on ?theme=light and the dark one by default', async () => {
    const background = async (query: string) => findAll(parseXml(await (await card(alice.id, query)).text()), 'rect')[0]?.attributes.fill;
    expect(await background('')).toBe('#1e1f22');
    expect(await background('?theme=dark')).toBe('#1e1f22');
    expect(await background('?theme=light')).toBe('#ffffff');
  });

  it('rejects an unknown theme with 400 and a bad id with 400', async () => {
    const theme = await card(alice.id, '?theme=neon');
    expect(theme.status).toBe(400);
    expect((await theme.json()).code).toBe('invalid_request');
    expect((await card('not-an-id')).status).toBe(400);
  });

  it('answers 404 user_not_monitored for someone who does not share their presence', async () => {
    const quiet = await register(server, 'quiet');
    const res = await card(quiet.id);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ code: 'user_not_monitored', message: 'User is not being monitored: they have not opted in to the presence API' });
  });

  describe('for a member mirrored from Discord (the bridge keeps their avatar hash)', () => {
    const member = (id: string, avatar: string | null): ExternalProfile => ({
      id,
      source: 'discord',
      guildId: '1100000000000000000',
      username: 'vaq',
      globalName: null,
      avatar,
      bot: false,
      nick: null,
    });
    const mirror = async (profile: ExternalProfile) => expect(await server.harmony.core.services.presenceDirectory.putExternal(profile)).toBe(true);
    const images = async (userId: string) => findAll(parseXml(await (await card(userId)).text()), 'image');

    it("links the avatar on Discord's CDN as a 128 px PNG", async () => {
      await mirror(member('470320681905684500', '5c11d7292c91e510c2b4f07946ea6d72'));
      const [image] = await images('470320681905684500');
      expect(image?.attributes.href).toBe('https://cdn.discordapp.com/avatars/470320681905684500/5c11d7292c91e510c2b4f07946ea6d72.png?size=128');
    });

    it('links a GIF for an animated (a_) hash', async () => {
      await mirror(member('470320681905684501', 'a_1269e74af4df7417b13759eae50c83dc'));
      const [image] = await images('470320681905684501');
      expect(image?.attributes.href).toBe('https://cdn.discordapp.com/avatars/470320681905684501/a_1269e74af4df7417b13759eae50c83dc.gif?size=128');
    });

    it('draws the initial for a member without an avatar', async () => {
      await mirror(member('470320681905684502', null));
      const root = parseXml(await (await card('470320681905684502')).text());
      expect(findAll(root, 'image')).toEqual([]);
      const initial = findAll(root, 'text').find((t) => t.attributes.x === '60');
      expect(initial && textContent(initial)).toBe('V');
    });

    it('leaves GET /user/:id showing the hash itself, as the hosted presence API does', async () => {
      await mirror(member('470320681905684503', '5c11d7292c91e510c2b4f07946ea6d72'));
      const res = await fetch(`${server.url}/user/470320681905684503`);
      expect((await res.json()).presence.avatar).toBe('5c11d7292c91e510c2b4f07946ea6d72');
    });
  });

  // The one test that needs a browser: Debian's Chromium (apt-get install -y chromium).
  if (!existsSync(CHROMIUM)) console.warn(`SKIPPED the Chromium rendering of card.svg: ${CHROMIUM} is not installed (apt-get install -y chromium)`);
  it.skipIf(!existsSync(CHROMIUM))(
    'renders in Chromium inside an <img> as drawn, saved as test-output/presence-card.png',
    async () => {
      mkdirSync(OUTPUT, { recursive: true });
      const png = join(OUTPUT, 'presence-card.png');
      const { chromium } = await import('playwright-core');
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
      try {
        const page = await browser.newPage({ viewport: { width: 420, height: 280 } });
        // Same origin as the card, so the rendered pixels can be read back from a canvas.
        await page.goto(`${server.url}/health`);
        const pixels = await page.evaluate(async (src: string) => {
          document.body.innerHTML = `<img id="dark" src="${src}"><img id="light" src="${src}?theme=light">`;
          document.body.style.margin = '0';
          const images = [...document.images];
          await Promise.all(images.map((img) => img.decode()));
          const read = (img: HTMLImageElement, x: number, y: number) => {
            const canvas = document.createElement('canvas');
            canvas.width = img.naturalWidth;
            canvas.height = img.naturalHeight;
            const context = canvas.getContext('2d') as CanvasRenderingContext2D;
            context.drawImage(img, 0, 0);
            return [...context.getImageData(x, y, 1, 1).data.slice(0, 3)];
          };
          const [dark, light] = images as [HTMLImageElement, HTMLImageElement];
          return {
            size: [dark.naturalWidth, dark.naturalHeight],
            darkBackground: read(dark, 200, 8),
            lightBackground: read(light, 200, 8),
            dot: read(dark, 88, 88),
          };
        }, `/user/${alice.id}/card.svg`);
        expect(pixels.size).toEqual([400, 120]);
        expect(pixels.darkBackground).toEqual([0x1e, 0x1f, 0x22]);
        expect(pixels.lightBackground).toEqual([0xff, 0xff, 0xff]);
        expect(pixels.dot).toEqual([0x23, 0xa5, 0x5a]);
        await page.screenshot({ path: png, clip: { x: 0, y: 0, width: 400, height: 240 } });
      } finally {
        await browser.close();
      }
      const bytes = new Uint8Array(await Bun.file(png).arrayBuffer());
      expect([...bytes.slice(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      expect(statSync(png).size).toBeGreaterThan(2000);
    },
    60_000,
  ); // starting a browser on a busy 2-core machine takes a few seconds
});

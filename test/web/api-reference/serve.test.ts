// The API reference's page and assets over real HTTP (issue 17 item 3, issue 15): served from the server
// itself with a Content-Security-Policy that names no other origin, hashed immutable assets with exact types,
// and the same behind a --public-url path prefix.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { startServer, type TestServer } from '../../support/test-server.ts';

const DOCS_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
const SWAGGER_UI = join(import.meta.dir, '..', '..', '..', 'node_modules', 'swagger-ui-dist');

let server: TestServer;
let prefixed: TestServer;

beforeAll(async () => {
  server = await startServer();
  prefixed = await startServer({ publicUrl: 'https://chat.example.com/harmony' });
});

afterAll(async () => {
  await server?.stop();
  await prefixed?.stop();
});

const get = (base: TestServer, path: string, headers: Record<string, string> = {}) => fetch(base.url + path, { headers, redirect: 'manual' });

/** The asset URLs the page names, as written (relative to the page). */
async function assetUrls(base: TestServer, page = '/docs'): Promise<string[]> {
  const html = await (await get(base, page)).text();
  return [...html.matchAll(/(?:src|href)="(docs\/assets\/[^"]+)"/g)].map((m) => m[1]!);
}

describe('GET /docs', () => {
  it('answers with the page under a CSP that allows only this origin, and no framing', async () => {
    const res = await get(server, '/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html;charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(DOCS_CSP);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('cache-control')).toBe('no-cache');
  });

  it('names no other origin and holds no inline script or style', async () => {
    const html = await (await get(server, '/docs')).text();
    // Neither an absolute (http://, https://) nor a protocol-relative (//host) URL anywhere in the page.
    expect(html).not.toContain('//');
    expect(html).not.toMatch(/cdn|jsdelivr|unpkg|scalar/i);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/<style|\sstyle=|\son\w+=/i);
    const scripts = [...html.matchAll(/<script src="([^"]+)"><\/script>/g)].map((m) => m[1]);
    expect(scripts).toEqual([expect.stringMatching(/^docs\/assets\/swagger-ui-bundle-\w+\.js$/), expect.stringMatching(/^docs\/assets\/start-\w+\.js$/)]);
  });

  it('redirects /docs/ to /docs, relative, so the page URLs resolve wherever it is mounted', async () => {
    const res = await get(server, '/docs/');
    expect(res.status).toBe(308);
    expect(res.headers.get('location')).toBe('../docs');
  });

  it('answers 304 to a matching If-None-Match', async () => {
    const etag = (await get(server, '/docs')).headers.get('etag');
    expect(etag).toMatch(/^"\w+"$/);
    expect((await get(server, '/docs', { 'if-none-match': etag! })).status).toBe(304);
  });
});

describe('GET /docs/assets/:name', () => {
  it('serves every asset the page names with its exact type, nosniff and an immutable cache', async () => {
    const urls = await assetUrls(server);
    expect(urls).toHaveLength(4);
    for (const url of urls) {
      const res = await get(server, `/${url}`);
      expect({ url, status: res.status }).toEqual({ url, status: 200 });
      expect({ url, type: res.headers.get('content-type') }).toEqual({
        url,
        type: url.endsWith('.js') ? 'text/javascript;charset=utf-8' : 'text/css;charset=utf-8',
      });
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(0);
    }
  });

  it('is the pinned swagger-ui-dist, byte for byte, brotli-compressed when asked', async () => {
    const bundle = (await assetUrls(server)).find((u) => u.includes('/swagger-ui-bundle-'))!;
    const res = await fetch(`${server.url}/${bundle}`, { headers: { 'accept-encoding': 'br' }, decompress: false });
    expect(res.headers.get('content-encoding')).toBe('br');
    const bytes = new Uint8Array(brotliDecompressSync(new Uint8Array(await res.arrayBuffer())));
    expect(bytes).toEqual(await Bun.file(join(SWAGGER_UI, 'swagger-ui-bundle.js')).bytes());
    const css = (await assetUrls(server)).find((u) => u.includes('/swagger-ui-') && u.endsWith('.css'))!;
    expect(await (await get(server, `/${css}`)).text()).toBe(await Bun.file(join(SWAGGER_UI, 'swagger-ui.css')).text());
  });

  it('names each asset after its content, so a new version gets a new URL', async () => {
    const urls = await assetUrls(server);
    expect(urls).toHaveLength(4);
    for (const url of urls) {
      const name = url.split('/').pop()!;
      const bytes = new Uint8Array(await (await get(server, `/${url}`, { 'accept-encoding': 'identity' })).arrayBuffer());
      expect(name).toMatch(new RegExp(`-${Bun.hash(bytes).toString(36)}\\.(js|css)$`));
    }
  });

  it('answers 404 for a name it does not hold', async () => {
    const res = await get(server, '/docs/assets/swagger-ui-bundle.js');
    expect(res.status).toBe(404);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe('GET /docs behind HARMONY_PUBLIC_URL with a path prefix', () => {
  it('serves the page and its assets whether the proxy keeps the prefix or strips it', async () => {
    for (const page of ['/harmony/docs', '/docs']) {
      const res = await get(prefixed, page);
      expect({ page, status: res.status, csp: res.headers.get('content-security-policy') }).toEqual({ page, status: 200, csp: DOCS_CSP });
    }
    // The page's URLs are relative: under /harmony/docs they resolve to /harmony/docs/assets/...
    const urls = await assetUrls(prefixed, '/harmony/docs');
    expect(urls).toHaveLength(4);
    for (const url of urls) {
      expect({ url, status: (await get(prefixed, `/harmony/${url}`)).status }).toEqual({ url, status: 200 });
      expect({ url, status: (await get(prefixed, `/${url}`)).status }).toEqual({ url, status: 200 });
    }
    expect((await get(prefixed, '/harmony/docs/')).headers.get('location')).toBe('../docs');
    expect((await prefixed.api('GET', '/harmony/docs/json')).body.openapi).toMatch(/^3\./);
  });
});

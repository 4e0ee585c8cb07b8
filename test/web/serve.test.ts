// The web app's routes on the real server: pages and assets with security headers and compression,
// client-side routes answered with the page, and every API, docs and socket path left to the API.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { pickEncoding } from '../../src/web/serve.ts';
import { startServer, type TestServer } from '../support/test-server.ts';

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

async function assets(base: TestServer): Promise<string[]> {
  const html = await (await get(base, '/')).text();
  return [...html.matchAll(/(?:src|href)="(assets\/[^"]+)"/g)].map((m) => m[1]!);
}

describe('GET / (the web app)', () => {
  it('answers with the page and its security headers', async () => {
    const res = await get(server, '/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html;charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob: https: http:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
    );
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const html = await res.text();
    expect(html).toContain('<base href="./">');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });

  it('answers client-side routes with the page and a <base> pointing back at the app root', async () => {
    for (const [path, base] of [
      ['/app', './'],
      ['/app/channels/1/2', '../../../'],
      ['/app/guilds/1/settings/bots', '../../../../'],
      ['/invite/abc', '../'],
    ] as const) {
      const res = await get(server, path);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain(`<base href="${base}">`);
    }
  });

  it('leaves the API, docs, health, gateways and presence routes alone', async () => {
    expect((await get(server, '/health')).headers.get('content-type')).toContain('application/json');
    expect((await get(server, '/api/v1/users/@me')).status).toBe(401);
    expect((await get(server, '/docs/json')).status).toBe(200);
    expect((await get(server, '/user/1')).headers.get('content-type')).toContain('application/json');
    expect((await get(server, '/v1/users/1')).headers.get('content-type')).toContain('application/json');
    expect((await get(server, '/gateway')).headers.get('content-security-policy')).toBeNull();
    expect((await get(server, '/application')).headers.get('content-security-policy')).toBeNull();
  });

  it('sends brotli or gzip when asked, the same bytes either way, with an immutable cache', async () => {
    const [script] = (await assets(server)).filter((a) => a.endsWith('.js'));
    expect(script).toBeDefined();
    const plain = new Uint8Array(await (await get(server, `/${script}`, { 'accept-encoding': 'identity' })).arrayBuffer());
    const br = await fetch(`${server.url}/${script}`, { headers: { 'accept-encoding': 'br, gzip' }, decompress: false });
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(br.headers.get('content-type')).toBe('text/javascript;charset=utf-8');
    expect(br.headers.get('vary')).toBe('Accept-Encoding');
    expect(new Uint8Array(brotliDecompressSync(new Uint8Array(await br.arrayBuffer())))).toEqual(plain);
    const gz = await fetch(`${server.url}/${script}`, { headers: { 'accept-encoding': 'gzip' }, decompress: false });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(new Uint8Array(gunzipSync(new Uint8Array(await gz.arrayBuffer())))).toEqual(plain);
    const etag = br.headers.get('etag');
    expect((await get(server, `/${script}`, { 'if-none-match': etag ?? '' })).status).toBe(304);
  });

  it('keeps the first load under 300 KB of JavaScript', async () => {
    let total = 0;
    for (const asset of (await assets(server)).filter((a) => a.endsWith('.js'))) {
      total += (await (await get(server, `/${asset}`, { 'accept-encoding': 'identity' })).arrayBuffer()).byteLength;
    }
    expect(total).toBeGreaterThan(10_000);
    expect(total).toBeLessThan(300 * 1024);
  });

  it('answers 404 for an asset that does not exist', async () => {
    expect((await get(server, '/assets/nope.js')).status).toBe(404);
  });
});

describe('behind HARMONY_PUBLIC_URL with a path prefix', () => {
  it('serves the app whether the proxy keeps the prefix or strips it, and redirects the bare prefix', async () => {
    const kept = await get(prefixed, '/harmony/app/channels/1/2');
    expect(kept.status).toBe(200);
    expect(await kept.text()).toContain('<base href="../../../">');
    const stripped = await get(prefixed, '/app/channels/1/2');
    expect(await stripped.text()).toContain('<base href="../../../">');
    const bare = await get(prefixed, '/harmony');
    expect(bare.status).toBe(308);
    expect(bare.headers.get('location')).toBe('/harmony/');
    const [script] = (await assets(prefixed)).filter((a) => a.endsWith('.js'));
    expect((await get(prefixed, `/harmony/${script}`)).status).toBe(200);
    expect((await get(prefixed, '/harmony/api/v1/users/@me')).status).toBe(401);
  });
});

describe('pickEncoding', () => {
  it('prefers brotli, then gzip, and honours q=0', () => {
    expect(pickEncoding('gzip, deflate, br')).toBe('br');
    expect(pickEncoding('gzip')).toBe('gzip');
    expect(pickEncoding('br;q=0, gzip')).toBe('gzip');
    expect(pickEncoding('*')).toBe('gzip');
    expect(pickEncoding(null)).toBeNull();
    expect(pickEncoding('identity')).toBeNull();
  });
});

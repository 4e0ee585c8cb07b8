// Serves the web app from Bun.serve's `routes` (app.ts spreads webRoutes() in), so /api, /gateway and
// every other path keep going to the fetch handler. Pages and assets carry strict security headers
// and are sent gzip- or brotli-compressed when the browser accepts it.
import type { Config } from '../config.ts';
import { compressAsset, loadWebBundle, type WebAsset, type WebBundle } from './bundle.ts';
import index from './index.html';
import { emojiTable } from './lib/emoji-table.ts';

/** Where the client-side router lives; anything else stays with the API. */
const PAGE_PATHS = ['/', '/app', '/app/*', '/invite/*'];
const ASSET_PATH = '/assets/:name';
/** The emoji picker's list, fetched when first opened rather than carried in every page's bundle. */
const EMOJI_ASSET = 'emoji.json';
/** Deeper page URLs than this are not the app's (its deepest is /app/channels/<guild>/<channel>). */
const MAX_DEPTH = 8;

export type Handler = (request: Request) => Response | Promise<Response>;
export type WebRoutes = Record<string, { GET: Handler; HEAD: Handler }>;

/**
 * No inline scripts or styles at all; images may come from anywhere over http(s) because embeds point at
 * outside images (uploaded avatars, icons and emoji are same-origin; data: for a picked file's preview, blob:
 * for the card preview); sockets and fetches only to this origin.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob: https: http:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
};

export function webRoutes(config: Pick<Config, 'publicUrl'>): WebRoutes {
  let loading: Promise<WebBundle> | null = null;
  // Built on first use, not at start-up: most servers in the test suite never serve a page.
  const bundle = () => {
    loading ??= loadWebBundle(index).catch((error: unknown) => {
      loading = null;
      throw error;
    });
    return loading;
  };
  const pagesByDepth = new Map<string, WebAsset>();

  const page =
    (prefix: string): Handler =>
    async (request) => {
      const path = new URL(request.url).pathname.slice(prefix.length);
      const depth = path.split('/').length - 2;
      if (depth > MAX_DEPTH) return notFound();
      const theme = themeCookie(request.headers.get('cookie'));
      let asset = pagesByDepth.get(`${depth}:${theme ?? ''}`);
      if (!asset) {
        const { html } = await bundle();
        // A relative <base> makes every URL in the app resolve against the app's root, whatever prefix
        // a proxy adds or strips in front of us.
        const base = depth === 0 ? './' : '../'.repeat(depth);
        let page = html.replace('<head>', `<head><base href="${base}">`);
        // The theme chosen in settings is in the page itself, so the first paint already has it (no script runs
        // before that, and the CSP allows no inline one). Each variant has its own ETag.
        if (theme) page = page.replace('<html lang="en">', `<html lang="en" data-theme="${theme}">`);
        asset = compressAsset({ name: 'index.html', type: 'text/html;charset=utf-8', bytes: new TextEncoder().encode(page) });
        pagesByDepth.set(`${depth}:${theme ?? ''}`, asset);
      }
      return send(request, asset, 'no-cache');
    };

  let emoji: WebAsset | null = null;
  const asset: Handler = async (request) => {
    const name = new URL(request.url).pathname.split('/').pop() ?? '';
    if (name === EMOJI_ASSET) {
      emoji ??= compressAsset({ name, type: 'application/json', bytes: new TextEncoder().encode(JSON.stringify(emojiTable())) });
      // A fixed name: revalidated by its ETag, which changes when the emoji data does.
      return send(request, emoji, 'no-cache');
    }
    const found = (await bundle()).assets.get(name);
    // File names carry a content hash, so a stored copy never goes stale.
    return found ? send(request, found, 'public, max-age=31536000, immutable') : notFound();
  };

  const routes: WebRoutes = {};
  const prefix = publicPrefix(config);
  for (const p of servedPrefixes(config)) {
    for (const path of PAGE_PATHS) routes[p + path] = both(page(p));
    routes[p + ASSET_PATH] = both(asset);
  }
  if (prefix) routes[prefix] = both(() => new Response(null, { status: 308, headers: { Location: `${prefix}/`, ...SECURITY_HEADERS } }));
  return routes;
}

/** The web app's theme cookie (state/theme.ts writes it): 'light' or 'dark'; null for the system's. */
export function themeCookie(header: string | null): 'light' | 'dark' | null {
  const match = /(?:^|;\s*)harmony_theme=(light|dark)(?:;|$)/.exec(header ?? '');
  return (match?.[1] as 'light' | 'dark' | undefined) ?? null;
}

/** The path of the public URL without its trailing slash ('' when unset or at the root). */
export function publicPrefix(config: Pick<Config, 'publicUrl'>): string {
  return config.publicUrl ? new URL(config.publicUrl).pathname.replace(/\/+$/, '') : '';
}

/** A proxy may forward the public prefix or strip it; routes answer both ways, as app.ts does for the API. */
export function servedPrefixes(config: Pick<Config, 'publicUrl'>): string[] {
  const prefix = publicPrefix(config);
  return prefix ? ['', prefix] : [''];
}

export function both(handler: Handler): { GET: Handler; HEAD: Handler } {
  return { GET: handler, HEAD: handler };
}

/** Sends an asset with ETag revalidation and the best encoding the request accepts. */
export function send(request: Request, asset: WebAsset, cacheControl: string, securityHeaders = SECURITY_HEADERS): Response {
  const headers: Record<string, string> = {
    ...securityHeaders,
    'Content-Type': asset.type,
    'Cache-Control': cacheControl,
    ETag: asset.etag,
    Vary: 'Accept-Encoding',
  };
  if (request.headers.get('if-none-match') === asset.etag) return new Response(null, { status: 304, headers });
  const encoding = pickEncoding(request.headers.get('accept-encoding'));
  const body = encoding === 'br' ? asset.br : encoding === 'gzip' ? asset.gzip : asset.identity;
  if (encoding) headers['Content-Encoding'] = encoding;
  headers['Content-Length'] = String(body.byteLength);
  return new Response(request.method === 'HEAD' ? null : (body as Uint8Array<ArrayBuffer>), { headers });
}

/** Brotli if accepted, else gzip, else none; an encoding listed with q=0 is refused. */
export function pickEncoding(header: string | null): 'br' | 'gzip' | null {
  const accepted = new Set<string>();
  for (const part of (header ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (name && !(q && Number(q.slice(2)) === 0)) accepted.add(name);
  }
  if (accepted.has('br')) return 'br';
  if (accepted.has('gzip') || accepted.has('*')) return 'gzip';
  return null;
}

export function notFound(): Response {
  return new Response('Not found', { status: 404, headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain;charset=utf-8' } });
}

// The pages behind a `.token` link: plain server-rendered HTML with no script at all, one stylesheet allowed
// by its hash, and headers that keep the page (and the token on it) out of caches, frames and referrers.
import { escapeXml } from './card-svg.ts';

const STYLE = `
body{margin:0;font:16px/1.5 system-ui,sans-serif;background:#1e1f22;color:#e3e5e8}
main{max-width:36rem;margin:12vh auto;padding:0 1.25rem}
h1{font-size:1.4rem;margin:0 0 1rem}
p{margin:0 0 1rem;color:#b5bac1}
code{display:block;padding:.75rem;border-radius:6px;background:#111214;color:#fff;font:15px/1.4 ui-monospace,monospace;word-break:break-all;user-select:all}
button{font:inherit;padding:.6rem 1.2rem;border:0;border-radius:6px;background:#5865f2;color:#fff;cursor:pointer}
`.trim();

const STYLE_HASH = new Bun.CryptoHasher('sha256').update(STYLE).digest('base64');

/** Nothing may load or run; the one form posts back to this page. */
export const REVEAL_PAGE_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${STYLE_HASH}'`,
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

export const REVEAL_PAGE_HEADERS: Record<string, string> = {
  'Content-Type': 'text/html;charset=utf-8',
  'Cache-Control': 'no-store',
  'Content-Security-Policy': REVEAL_PAGE_CSP,
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'X-Robots-Tag': 'noindex, nofollow',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

export type RevealPage =
  | { kind: 'ready' }
  | { kind: 'revealed'; token: string }
  | { kind: 'gone' | 'unknown'; prefix: string }
  | { kind: 'rate_limited'; retryAfter: number }
  | { kind: 'error' };

const STATUS: Record<RevealPage['kind'], number> = { ready: 200, revealed: 200, gone: 410, unknown: 404, rate_limited: 429, error: 500 };

export function revealPageResponse(page: RevealPage, extraHeaders: Record<string, string> = {}): Response {
  return new Response(render(page), { status: STATUS[page.kind], headers: { ...REVEAL_PAGE_HEADERS, ...extraHeaders } });
}

function render(page: RevealPage): string {
  switch (page.kind) {
    case 'ready':
      return document(
        'Your presence API token',
        '<p>Press the button to see your new presence API token. It is shown once: this link stops working as soon as you press it.</p>' +
          '<form method="post"><button type="submit">Reveal token</button></form>',
      );
    case 'revealed':
      return document(
        'Your presence API token',
        `<code>${escapeXml(page.token)}</code>` +
          '<p>Copy it now: it will not be shown again, and only a digest of it is kept. Send it as <b>Authorization: &lt;token&gt;</b> to the presence API. Your previous token no longer works.</p>',
      );
    case 'gone':
    case 'unknown':
      return document('Link expired', `<p>This link was already used or has expired — send ${escapeXml(page.prefix)}token again.</p>`);
    case 'rate_limited':
      return document('Too many requests', `<p>Too many requests from your address; try again in ${Math.ceil(page.retryAfter)} seconds.</p>`);
    case 'error':
      return document('Something went wrong', '<p>The token could not be shown. Try again in a moment.</p>');
  }
}

function document(title: string, body: string): string {
  return (
    '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex,nofollow">' +
    `<title>${escapeXml(title)}</title><style>${STYLE}</style></head>` +
    `<body><main><h1>${escapeXml(title)}</h1>${body}</main></body></html>`
  );
}

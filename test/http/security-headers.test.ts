// The headers every response must carry, checked over a table of what the server serves: the web app, /docs, the
// token reveal page, attachments, the presence faces and a sample of both API dialects, answered and refused.
// HSTS appears on every one of them when the public URL is https, and on none when it is http or unset.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { png } from '../support/images.ts';
import { register, startServer, type TestServer } from '../support/test-server.ts';

type Fixture = { server: TestServer; token: string; userId: string; channelId: string; attachmentPath: string };
const servers: Record<'https' | 'http' | 'unset', Fixture> = {} as never;

async function fixture(publicUrl: string | null): Promise<Fixture> {
  const server = await startServer({ publicUrl, rateLimits: false });
  const person = await register(server, 'headers');
  const guild = await server.api('POST', '/api/v1/guilds', { token: person.token, body: { name: 'Headers' } });
  const channelId = guild.body.channels[0].id as string;
  const form = new FormData();
  form.set('payload_json', JSON.stringify({ content: 'with a file' }));
  form.append('files[0]', new Blob([png(3, 3) as BlobPart]), 'dot.png');
  const sent = (await (
    await fetch(`${server.url}/api/v10/channels/${channelId}/messages`, { method: 'POST', body: form, headers: { authorization: `Bearer ${person.token}` } })
  ).json()) as { attachments: { url: string }[] };
  // The link names the public origin; the path and signature are what the server checks.
  const link = new URL(sent.attachments[0]?.url as string);
  // Monitored: the presence faces answer this person with ready answers (headers built once per answer).
  const optIn = await server.api('PUT', '/api/v1/users/@me/presence', { token: person.token, body: { shared: true } });
  if (optIn.status !== 200) throw new Error(`presence opt-in: ${optIn.status}`);
  return { server, token: person.token, userId: person.id, channelId, attachmentPath: link.pathname + link.search };
}

beforeAll(async () => {
  servers.https = await fixture('https://chat.example.test');
  servers.http = await fixture('http://chat.example.test');
  servers.unset = await fixture(null);
}, 30_000);

afterAll(async () => {
  for (const f of Object.values(servers)) await f?.server.stop();
});

/** What a policy lets run as script: its script-src, else its default-src. */
function scriptSources(csp: string): string {
  const directives = new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([name = '', ...values]) => [name, values.join(' ')]),
  );
  return directives.get('script-src') ?? directives.get('default-src') ?? '*';
}

type Row = { name: string; kind: 'html' | 'json' | 'other'; status: number; request: (f: Fixture) => [string, RequestInit?] };

const bearer = (f: Fixture) => ({ authorization: `Bearer ${f.token}` });
const ROWS: Row[] = [
  { name: 'web app /', kind: 'html', status: 200, request: () => ['/'] },
  { name: 'web app /app/channels/1/2', kind: 'html', status: 200, request: () => ['/app/channels/1/2'] },
  { name: 'web app unknown asset', kind: 'other', status: 404, request: () => ['/assets/missing.js'] },
  { name: 'API reference /docs', kind: 'html', status: 200, request: () => ['/docs'] },
  { name: 'OpenAPI /docs/json', kind: 'json', status: 200, request: () => ['/docs/json'] },
  { name: 'token reveal page (unknown link)', kind: 'html', status: 404, request: () => ['/presence-token/no-such-nonce'] },
  { name: 'health', kind: 'json', status: 200, request: () => ['/health'] },
  { name: 'v1 @me', kind: 'json', status: 200, request: (f) => ['/api/v1/users/@me', { headers: bearer(f) }] },
  { name: 'v1 unauthorized', kind: 'json', status: 401, request: () => ['/api/v1/users/@me'] },
  {
    name: 'v1 bad body',
    kind: 'json',
    status: 400,
    request: (f) => ['/api/v1/guilds', { method: 'POST', headers: { ...bearer(f), 'content-type': 'application/json' }, body: '{' }],
  },
  { name: 'v10 messages', kind: 'json', status: 200, request: (f) => [`/api/v10/channels/${f.channelId}/messages`, { headers: bearer(f) }] },
  { name: 'v10 unknown route', kind: 'json', status: 404, request: () => ['/api/v10/no/such/route'] },
  { name: 'attachment download', kind: 'other', status: 200, request: (f) => [f.attachmentPath] },
  { name: 'presence face /user/:id', kind: 'json', status: 404, request: () => ['/user/1'] },
  { name: 'lanyard face /v1/users/:id', kind: 'json', status: 404, request: () => ['/v1/users/1'] },
];

describe.each(['https', 'http', 'unset'] as const)('responses when the public URL is %s', (scheme) => {
  it.each(ROWS.map((r) => [r.name, r] as const))('%s', async (_name, row) => {
    const f = servers[scheme];
    const [path, init] = row.request(f);
    const res = await fetch(f.server.url + path, { redirect: 'manual', ...init });
    await res.arrayBuffer();
    expect(res.status).toBe(row.status);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('strict-transport-security')).toBe(scheme === 'https' ? 'max-age=31536000' : null);
    if (row.kind === 'html') {
      expect(res.headers.get('content-type')).toStartWith('text/html');
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('unsafe-eval');
      // Script from this origin only, or none at all (the reveal page runs none: default-src 'none', no script-src).
      expect(scriptSources(csp)).toBeOneOf(["'self'", "'none'"]);
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    }
    if (row.kind === 'json') expect(res.headers.get('content-type')).toStartWith('application/json');
  });

  it('the presence faces’ ready answers (200, then 304 for their ETag) carry them, built into the answer', async () => {
    const f = servers[scheme];
    for (const path of [`/user/${f.userId}`, `/v1/users/${f.userId}`, `/user/${f.userId}/card.svg`]) {
      for (let i = 0; i < 2; i++) {
        const ok = await fetch(f.server.url + path);
        await ok.arrayBuffer();
        const etag = ok.headers.get('etag') as string;
        const again = await fetch(f.server.url + path, { headers: { 'if-none-match': etag } });
        await again.arrayBuffer();
        expect([path, ok.status, again.status]).toEqual([path, 200, 304]);
        for (const res of [ok, again]) {
          expect(res.headers.get('x-content-type-options')).toBe('nosniff');
          expect(res.headers.get('strict-transport-security')).toBe(scheme === 'https' ? 'max-age=31536000' : null);
        }
      }
    }
  });

  it('a gateway upgrade refused as a plain request carries them too', async () => {
    const res = await fetch(`${servers[scheme].server.url}/gateway`);
    await res.arrayBuffer();
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('strict-transport-security')).toBe(scheme === 'https' ? 'max-age=31536000' : null);
  });
});

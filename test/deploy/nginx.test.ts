// Production as docs/gateway-setup.md describes it: Harmony behind a real nginx under the seed's
// `/bot-gateway` prefix, with HARMONY_PUBLIC_URL set. REST and the gateway both work through the
// proxy, whether nginx strips the prefix or forwards it unchanged; and every client behind it is counted under its
// own address (from X-Forwarded-For, trusted from the loopback proxy), not nginx's.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { HarmonyClient } from '../../src/sdk/harmony-client.ts';
import { type Nginx, PROXY_HEADERS, startNginx } from '../support/nginx.ts';
import { postFrom } from '../support/post-from.ts';
import { register, startServer, type TestServer } from '../support/test-server.ts';

let server: TestServer;
let stripping: Nginx;
let forwarding: Nginx;
/** As docs/gateway-setup.md shows it: with room for a message's files. */
let uploading: Nginx;

beforeAll(async () => {
  // The public URL names nginx's port, which is only known once nginx runs; the prefix is what matters here.
  server = await startServer({ publicUrl: 'http://127.0.0.1/bot-gateway' });
  const upstream = server.url;
  stripping = await startNginx(`    location /bot-gateway/ { proxy_pass ${upstream}/; ${PROXY_HEADERS} }`);
  forwarding = await startNginx(`    location /bot-gateway/ { proxy_pass ${upstream}; ${PROXY_HEADERS} }`);
  uploading = await startNginx(`    location /bot-gateway/ { proxy_pass ${upstream}/; ${PROXY_HEADERS}\n      client_max_body_size 251m; }`);
});

afterAll(async () => {
  await stripping?.stop();
  await forwarding?.stop();
  await uploading?.stop();
  await server?.stop();
});

async function roundTrip(proxy: Nginx, name: string): Promise<void> {
  const base = `http://127.0.0.1:${proxy.port}/bot-gateway`;
  const person = await register(server, name);
  const guild = await fetch(`${base}/api/v1/guilds`, {
    method: 'POST',
    headers: { authorization: `Bearer ${person.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Proxied' }),
  });
  expect(guild.status).toBe(201);
  const channelId = (await guild.json()).channels[0].id as string;

  // The SDK derives https?://host/bot-gateway/api/v1 from wss?://host/bot-gateway/gateway.
  const client = new HarmonyClient(person.token, { url: `ws://127.0.0.1:${proxy.port}/bot-gateway/gateway`, authScheme: 'Bearer' });
  const ready = await client.connect();
  expect(ready.session_id).toBeString();
  const received = new Promise<string>((resolve) => client.on('messageCreate', (m) => resolve(m.content)));
  const sent = await client.sendMessage(channelId, `through ${name}`);
  expect(sent.content).toBe(`through ${name}`);
  expect(await received).toBe(`through ${name}`);
  await client.disconnect();
}

describe('behind nginx at /bot-gateway', () => {
  it('serves REST and the gateway when nginx strips the prefix', async () => {
    await roundTrip(stripping, 'proxied_strip');
  });

  it('serves REST and the gateway when nginx forwards the prefix unchanged', async () => {
    await roundTrip(forwarding, 'proxied_keep');
  });

  it('takes a 2 MiB upload with client_max_body_size 251m, and serves it at its link under the public URL', async () => {
    const base = `http://127.0.0.1:${uploading.port}/bot-gateway`;
    const person = await register(server, 'proxied_files');
    const guild = await server.api('POST', '/api/v1/guilds', { token: person.token, body: { name: 'Files' } });
    const bytes = new Uint8Array(2 * 1024 * 1024).map((_, i) => i % 251);
    const form = new FormData();
    form.set('payload_json', JSON.stringify({ content: 'big file' }));
    form.append('files[0]', new Blob([bytes]), 'big.bin');
    const sent = await fetch(`${base}/api/v10/channels/${guild.body.channels[0].id}/messages`, {
      method: 'POST',
      body: form,
      headers: { authorization: `Bearer ${person.token}` },
    });
    expect([sent.status, sent.status === 200 ? '' : await sent.text()]).toEqual([200, '']);
    const link = new URL(((await sent.json()) as { attachments: { url: string }[] }).attachments[0]?.url ?? '');
    // The public URL names nginx without its test port (known only once nginx runs); the path is what matters.
    expect(`${link.origin}${link.pathname}`).toMatch(/^http:\/\/127\.0\.0\.1\/bot-gateway\/attachments\/\d+\/\d+\/big\.bin$/);
    const download = await fetch(`http://127.0.0.1:${uploading.port}${link.pathname}${link.search}`);
    expect([download.status, download.headers.get('x-content-type-options'), download.headers.get('content-disposition')]).toEqual([
      200,
      'nosniff',
      "attachment; filename*=UTF-8''big.bin",
    ]);
    expect(Buffer.from(await download.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true);
  });

  it('serves /health through the proxy', async () => {
    const response = await fetch(`http://127.0.0.1:${stripping.port}/bot-gateway/health`);
    expect(response.status).toBe(200);
    expect((await response.json()).status).toBe('ok');
  });
});

describe('per-address limits behind nginx', () => {
  /** Ten failed logins (a name each, so no account backs off) from `client` through `proxy`, then one more. */
  async function elevenLoginsFrom(proxy: Nginx, client: string, tag: string, headers: Record<string, string> = {}): Promise<number[]> {
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      const url = `http://127.0.0.1:${proxy.port}/bot-gateway/api/v1/auth/login`;
      statuses.push((await postFrom(client, url, { username: `${tag}_${i}`, password: 'wrong password' }, headers)).status);
    }
    return statuses;
  }

  it('limits two clients separately: ten bad logins from one do not block the other', async () => {
    expect(await elevenLoginsFrom(stripping, '127.0.0.2', 'first')).toEqual([...Array(10).fill(401), 429]);
    expect((await elevenLoginsFrom(stripping, '127.0.0.3', 'second')).slice(0, 10)).toEqual(Array(10).fill(401));
  }, 30_000);

  it('gives a client that forges X-Forwarded-For no fresh bucket when only nginx is trusted', async () => {
    const strict = await startServer({ publicUrl: 'http://127.0.0.1/bot-gateway', trustedProxies: ['127.0.0.1'] });
    const proxy = await startNginx(`    location /bot-gateway/ { proxy_pass ${strict.url}/; ${PROXY_HEADERS} }`);
    try {
      // nginx appends the client's real address (127.0.0.4) after whatever the client wrote.
      const statuses = [];
      for (let i = 0; i < 11; i++) {
        const forged = { 'x-forwarded-for': `203.0.113.${i}` };
        statuses.push(
          (
            await postFrom(
              '127.0.0.4',
              `http://127.0.0.1:${proxy.port}/bot-gateway/api/v1/auth/login`,
              { username: `forger_${i}`, password: 'wrong password' },
              forged,
            )
          ).status,
        );
      }
      expect(statuses).toEqual([...Array(10).fill(401), 429]);
    } finally {
      await proxy.stop();
      await strict.stop();
    }
  }, 30_000);
});

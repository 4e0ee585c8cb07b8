// /health and /metrics of one node (issue 13 item 6), scraped over real HTTP: the health report and its 503 when
// the object store goes away, the exact Prometheus text format, what each metric counts, and who may read them.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { routeClass } from '../../src/http/metrics.ts';
import { VERSION } from '../../src/version.ts';
import { GatewayClient } from '../support/gateway-client.ts';
import { dataUri, png } from '../support/images.ts';
import { type S3Server, startS3Server } from '../support/s3-server.ts';
import { register, startServer, type TestServer } from '../support/test-server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ rateLimits: false, nodeId: 'node-a' });
}, 30_000);
afterAll(() => server.stop());

const scrape = (target: TestServer, headers: Record<string, string> = {}) => fetch(`${target.url}/metrics`, { headers });

/** The samples of an exposition, by `name{labels}`. */
function samples(text: string): Map<string, number> {
  const map = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    map.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return map;
}

describe('GET /health', () => {
  it('answers 200 with the node, and the database reachable with its latency', async () => {
    const res = await server.api('GET', '/health');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.body).toEqual({ status: 'ok', version: VERSION, node: 'node-a', checks: { database: { status: 'ok', latency_ms: expect.any(Number) } } });
    expect(res.body.checks.database.latency_ms).toBeLessThan(1000);
  });

  describe('with files in an S3 bucket', () => {
    let s3: S3Server;
    let bucketed: TestServer;
    beforeAll(async () => {
      s3 = await startS3Server();
      bucketed = await startServer({ rateLimits: false, nodeId: 'node-s3', ...s3.config('health/') });
    }, 30_000);
    afterAll(async () => {
      await bucketed?.stop();
      await s3?.stop();
    });

    it('reports the bucket too, then 503 naming it (and still the database) once the object store is gone', async () => {
      const up = await bucketed.api('GET', '/health');
      expect([up.status, up.body.status, up.body.checks.s3?.status, up.body.checks.database?.status]).toEqual([200, 'ok', 'ok', 'ok']);
      const person = await register(bucketed, 'uploader');
      const channelId = (await bucketed.api('POST', '/api/v1/guilds', { token: person.token, body: { name: 'Files' } })).body.channels[0].id;
      const upload = () => {
        const form = new FormData();
        form.set('payload_json', JSON.stringify({ content: 'with a file' }));
        form.append('files[0]', new Blob(['some text']), 'a.txt');
        return fetch(`${bucketed.url}/api/v10/channels/${channelId}/messages`, {
          method: 'POST',
          body: form,
          headers: { authorization: `Bearer ${person.token}` },
        });
      };
      const stored = await upload();
      expect(stored.status).toBe(200);
      const link = ((await stored.json()) as { attachments: { url: string }[] }).attachments[0]?.url ?? '';
      const avatarHash = (await bucketed.api('PATCH', '/api/v10/users/@me', { token: person.token, body: { avatar: dataUri(png(), 'image/png') } })).body
        .avatar;
      expect((await fetch(`${bucketed.url}/avatars/${person.id}/${avatarHash}.png`)).status).toBe(200);

      await s3.stop();
      // Uploads and downloads fail with a 503 that says why (nothing saved), not a bare 500.
      const refused = await upload();
      expect([refused.status, refused.headers.get('retry-after'), await refused.json()]).toEqual([
        503,
        '30',
        { code: 0, message: 'The server cannot reach its file storage right now, so nothing was saved or read. Try again later.' },
      ]);
      expect((await bucketed.api('GET', `/api/v10/channels/${channelId}/messages`, { token: person.token })).body).toHaveLength(1);
      const unreadable = await fetch(link);
      expect([unreadable.status, unreadable.headers.get('retry-after')]).toEqual([503, '30']);
      const avatar = await fetch(`${bucketed.url}/avatars/${person.id}/${avatarHash}.png`);
      expect([avatar.status, avatar.headers.get('retry-after')]).toEqual([503, '30']);

      const started = Date.now();
      const down = await bucketed.api('GET', '/health');
      expect(Date.now() - started).toBeLessThan(5000);
      expect(down.status).toBe(503);
      expect(down.headers.get('content-type')).toBe('application/json');
      expect(down.body).toEqual({
        status: 'unavailable',
        version: VERSION,
        node: 'node-s3',
        checks: { database: { status: 'ok', latency_ms: expect.any(Number) }, s3: { status: 'down', latency_ms: expect.any(Number) } },
        down: ['s3'],
      });
      const metrics = samples(await (await scrape(bucketed)).text());
      expect(metrics.get('harmony_dependency_up{node="node-s3",dependency="s3"}')).toBe(0);
      expect(metrics.get('harmony_dependency_up{node="node-s3",dependency="database"}')).toBe(1);
    }, 30_000);
  });
});

describe('GET /metrics', () => {
  it('is the Prometheus text format: every sample after its HELP and TYPE, one family each, with the node label', async () => {
    const res = await scrape(server);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await res.text();
    expect(text.endsWith('\n')).toBe(true);
    const described = new Map<string, string>();
    const typed = new Map<string, string>();
    for (const line of text.trimEnd().split('\n')) {
      const help = /^# HELP ([a-z_]+) \S.*$/.exec(line);
      const type = /^# TYPE ([a-z_]+) (counter|gauge|histogram)$/.exec(line);
      if (help?.[1]) {
        expect(described.has(help[1])).toBe(false);
        described.set(help[1], line);
        continue;
      }
      if (type?.[1] && type[2]) {
        expect(described.has(type[1])).toBe(true);
        typed.set(type[1], type[2]);
        continue;
      }
      const sample = /^([a-z_]+)\{node="node-a"(,[a-z_]+="[^"\\\n]*")*\} (-?\d+(\.\d+)?(e[-+]\d+)?)$/.exec(line);
      expect({ line, ok: sample !== null }).toEqual({ line, ok: true });
      const name = sample?.[1] ?? '';
      const family = typed.get(name) === undefined ? name.replace(/_(bucket|sum|count)$/, '') : name;
      expect({ line, typed: typed.has(family) }).toEqual({ line, typed: true });
    }
    expect([...typed]).toEqual([
      ['harmony_node_info', 'gauge'],
      ['harmony_websocket_connections', 'gauge'],
      ['harmony_events_dispatched_total', 'counter'],
      ['harmony_events_dispatched_per_second', 'gauge'],
      ['harmony_fanout_lag_seconds', 'histogram'],
      ['harmony_http_requests_total', 'counter'],
      ['harmony_dependency_up', 'gauge'],
      ['harmony_dependency_latency_seconds', 'histogram'],
      ['process_resident_memory_bytes', 'gauge'],
      ['harmony_heap_used_bytes', 'gauge'],
      ['process_start_time_seconds', 'gauge'],
    ]);
    const values = samples(text);
    expect(values.get(`harmony_node_info{node="node-a",version="${VERSION}"}`)).toBe(1);
    expect(values.get('process_resident_memory_bytes{node="node-a"}')).toBeGreaterThan(1024 * 1024);
    expect(values.get('harmony_dependency_up{node="node-a",dependency="database"}')).toBe(1);
    expect(values.get('harmony_dependency_latency_seconds_bucket{node="node-a",dependency="database",le="+Inf"}')).toBeGreaterThanOrEqual(1);
  });

  it('counts open WebSockets per dialect, requests by route class and status, and every dispatched event with its fan-out lag', async () => {
    const fresh = await startServer({ rateLimits: false, nodeId: 'node-a' });
    try {
      const person = await register(fresh, 'counted');
      const guild = await fresh.api('POST', '/api/v1/guilds', { token: person.token, body: { name: 'Counted' } });
      const discord = new WebSocket(`${fresh.url.replace('http', 'ws')}/gateway/discord?v=10&encoding=json`);
      const harmony = new WebSocket(`${fresh.url.replace('http', 'ws')}/gateway`);
      await Promise.all([discord, harmony].map((ws) => new Promise((resolve) => ws.addEventListener('open', resolve))));
      // A session to deliver to: the lag is timed from commit until the dispatch is handed to the sockets.
      const session = new GatewayClient(harmony);
      await session.identify(person.token);
      const initially = samples(await (await scrape(fresh)).text());
      const eventsBefore = initially.get('harmony_events_dispatched_total{node="node-a"}') ?? 0;
      const lagBefore = initially.get('harmony_fanout_lag_seconds_count{node="node-a"}') ?? 0;
      const lagSumBefore = initially.get('harmony_fanout_lag_seconds_sum{node="node-a"}') ?? 0;
      for (let i = 0; i < 3; i++) {
        const sent = await fresh.api('POST', `/api/v1/channels/${guild.body.channels[0].id}/messages`, { token: person.token, body: { content: `m${i}` } });
        expect(sent.status).toBe(200);
        await session.event('MESSAGE_CREATE', (d) => d.content === `m${i}`);
      }
      expect((await fresh.api('GET', '/api/v10/users/@me')).status).toBe(401);
      // Bun's native routes (the public presence reads, counted by a counter made once per route) are counted too.
      for (let i = 0; i < 2; i++) expect((await fetch(`${fresh.url}/user/${person.id}`)).status).toBe(404);
      expect((await fetch(`${fresh.url}/user/x`)).status).toBe(400);
      expect((await fetch(`${fresh.url}/v1/users/${person.id}`)).status).toBe(404);

      const before = samples(await (await scrape(fresh)).text());
      expect(before.get('harmony_websocket_connections{node="node-a",dialect="discord"}')).toBe(1);
      expect(before.get('harmony_websocket_connections{node="node-a",dialect="harmony"}')).toBe(1);
      expect(before.get('harmony_websocket_connections{node="node-a",dialect="lanyard"}')).toBe(0);
      expect(before.get('harmony_http_requests_total{node="node-a",route_class="v1",status="201"}')).toBe(2);
      expect(before.get('harmony_http_requests_total{node="node-a",route_class="v1",status="200"}')).toBe(3);
      expect(before.get('harmony_http_requests_total{node="node-a",route_class="discord",status="401"}')).toBe(1);
      expect(before.get('harmony_http_requests_total{node="node-a",route_class="websocket",status="101"}')).toBe(2);
      expect(before.get('harmony_http_requests_total{node="node-a",route_class="presence",status="404"}')).toBe(3);
      expect(before.get('harmony_http_requests_total{node="node-a",route_class="presence",status="400"}')).toBe(1);
      const events = before.get('harmony_events_dispatched_total{node="node-a"}') ?? 0;
      // One event per message, each timed once, from its commit until its frames were handed to the sockets.
      expect(events - eventsBefore).toBe(3);
      const lagged = (before.get('harmony_fanout_lag_seconds_count{node="node-a"}') ?? 0) - lagBefore;
      expect(lagged).toBe(3);
      expect(before.get('harmony_fanout_lag_seconds_bucket{node="node-a",le="+Inf"}')).toBe(lagBefore + 3);
      const lagSum = (before.get('harmony_fanout_lag_seconds_sum{node="node-a"}') ?? 0) - lagSumBefore;
      expect(lagSum).toBeGreaterThan(0);
      expect(lagSum).toBeLessThan(3);
      expect(before.get('harmony_events_dispatched_per_second{node="node-a"}')).toBeCloseTo(events / 10, 5);

      discord.close();
      harmony.close();
      const closed = async () => samples(await (await scrape(fresh)).text()).get('harmony_websocket_connections{node="node-a",dialect="discord"}');
      for (let i = 0; i < 50 && (await closed()) !== 0; i++) await Bun.sleep(20);
      const after = samples(await (await scrape(fresh)).text());
      expect(after.get('harmony_websocket_connections{node="node-a",dialect="discord"}')).toBe(0);
      expect(after.get('harmony_http_requests_total{node="node-a",route_class="ops",status="200"}')).toBeGreaterThanOrEqual(3);
    } finally {
      await fresh.stop();
    }
  });

  it('is served by default only to loopback callers not coming through a proxy; open serves anyone; off nobody', async () => {
    const proxied = await scrape(server, { 'x-forwarded-for': '203.0.113.9' });
    expect(proxied.status).toBe(403);
    expect(await proxied.json()).toEqual({ code: 0, message: 'Metrics are served only to loopback callers not coming through a proxy (see --metrics)' });
    expect((await scrape(server, { forwarded: 'for=203.0.113.9' })).status).toBe(403);

    const open = await startServer({ metrics: 'open', nodeId: 'node-open' });
    const off = await startServer({ metrics: 'off' });
    try {
      expect((await scrape(open, { 'x-forwarded-for': '203.0.113.9' })).status).toBe(200);
      const none = await scrape(off);
      expect([none.status, await none.json()]).toEqual([404, { code: 0, message: '404: Not Found' }]);
    } finally {
      await open.stop();
      await off.stop();
    }
  });

  it('classes a path by its start, under a public path prefix too', () => {
    expect(routeClass('http://h/api/v10/channels/1/messages?x=/api/v1/')).toBe('discord');
    expect(routeClass('http://h/api/v9/gateway')).toBe('discord');
    expect(routeClass('http://h/harmony/api/v1/guilds', '/harmony')).toBe('v1');
    expect(routeClass('http://h/harmony/gateway/discord', '/harmony')).toBe('websocket');
    expect(routeClass('http://h/user/123')).toBe('presence');
    expect(routeClass('http://h/attachments/1/2/a.png?ex=1')).toBe('files');
    expect(routeClass('http://h/emojis/5.png')).toBe('files');
    expect(routeClass('http://h/health')).toBe('ops');
    expect(routeClass('http://h/docs/json')).toBe('docs');
    expect(routeClass('http://h/')).toBe('web');
    expect(routeClass('http://h/channels/@me')).toBe('web');
    expect(routeClass('http://h')).toBe('web');
  });

  it('is described in the OpenAPI document, with /health', async () => {
    const spec = (await server.api('GET', '/docs/json')).body;
    expect(Object.keys(spec.paths['/metrics'])).toEqual(['get']);
    expect(spec.paths['/health'].get.tags).toEqual(['Instance']);
  });
});

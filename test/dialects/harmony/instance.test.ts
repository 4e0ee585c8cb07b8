// The instance itself (issue #2 items 12 and 13): /health, and the OpenAPI document listing every v1 route.
// The page at /docs that renders it is test/web/api-reference/.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { VERSION } from '../../../src/version.ts';
import { startServer, type TestServer } from '../../support/test-server.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startServer({ rateLimits: false });
}, 30_000);
afterAll(() => server.stop());

describe('GET /health', () => {
  it('answers {status: "ok", version} without a token, with the node and its checks (test/http/ops.test.ts)', async () => {
    const res = await server.api('GET', '/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      status: 'ok',
      version: VERSION,
      node: expect.any(String),
      checks: { database: { status: 'ok', latency_ms: expect.any(Number) } },
    });
    expect(VERSION).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('GET /docs/json', () => {
  type Operation = {
    tags?: string[];
    summary?: string;
    security?: Record<string, string[]>[];
    parameters?: { name: string; in: string; required?: boolean }[];
    responses?: Record<string, unknown>;
  };
  type Spec = {
    openapi: string;
    info: { title: string; version: string };
    paths: Record<string, Record<string, Operation>>;
    components: { securitySchemes: Record<string, unknown> };
  };
  let spec: Spec;
  // Webhook token routes take no Authorization: the token in the path is the credential.
  const PUBLIC = new Set([
    'POST /api/v1/auth/register',
    'POST /api/v1/auth/login',
    'POST /api/v1/webhooks/:webhookId/:token',
    'PATCH /api/v1/webhooks/:webhookId/:token/messages/:messageId',
    'DELETE /api/v1/webhooks/:webhookId/:token/messages/:messageId',
    // The interaction token in the path is the credential, as for webhooks.
    'POST /api/v1/interactions/:interactionId/:token/callback',
  ]);

  beforeAll(async () => {
    const res = await server.api('GET', '/docs/json');
    expect(res.status).toBe(200);
    spec = res.body;
  });

  /** Every v1 route the server really answers, as `METHOD /openapi/{path}`. */
  const v1Routes = () =>
    (server.harmony.app.routes as { method: string; path: string }[])
      .filter((r) => r.path.startsWith('/api/v1/') && !r.path.includes('*'))
      .map((r) => ({ method: r.method.toLowerCase(), path: r.path.replace(/:(\w+)/g, '{$1}'), params: [...r.path.matchAll(/:(\w+)/g)].map((m) => m[1]) }));

  it('is an OpenAPI 3 document for this version, with the bot and bearer schemes', () => {
    expect(spec.openapi).toMatch(/^3\.\d+\.\d+$/);
    expect(spec.info).toMatchObject({ title: 'Harmony API', version: VERSION });
    expect(spec.components.securitySchemes.bot).toEqual({ type: 'apiKey', in: 'header', name: 'Authorization', description: expect.any(String) });
    expect(spec.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('lists every v1 route, each with tags and a summary', () => {
    const routes = v1Routes();
    expect(routes.length).toBeGreaterThan(40);
    for (const route of routes) {
      const op = spec.paths[route.path]?.[route.method];
      const label = `${route.method.toUpperCase()} ${route.path}`;
      expect({ label, listed: op !== undefined }).toEqual({ label, listed: true });
      expect({ label, tags: (op?.tags?.length ?? 0) > 0, summary: typeof op?.summary }).toEqual({ label, tags: true, summary: 'string' });
    }
  });

  it('gives every authenticated route its auth scheme, and only known schemes', () => {
    for (const route of v1Routes()) {
      const label = `${route.method.toUpperCase()} ${route.path.replace(/\{(\w+)\}/g, ':$1')}`;
      const security = spec.paths[route.path]?.[route.method]?.security;
      if (PUBLIC.has(label)) {
        expect({ label, security: security ?? [] }).toEqual({ label, security: [] });
        continue;
      }
      expect({ label, hasSecurity: Array.isArray(security) && security.length > 0 }).toEqual({ label, hasSecurity: true });
      for (const requirement of security ?? []) {
        for (const scheme of Object.keys(requirement))
          expect({ label, scheme, known: scheme in spec.components.securitySchemes }).toEqual({ label, scheme, known: true });
      }
    }
  });

  it('marks the routes only people may use as bearer-only and the seed bot routes as bot or bearer', () => {
    const schemes = (method: string, path: string) => (spec.paths[path]?.[method]?.security ?? []).flatMap((r) => Object.keys(r)).sort();
    expect(schemes('post', '/api/v1/auth/logout')).toEqual(['bearer']);
    expect(schemes('put', '/api/v1/guilds/{guildId}/bots/{botId}')).toEqual(['bearer']);
    expect(schemes('post', '/api/v1/admin/bots')).toEqual(['bearer']);
    for (const [method, path] of [
      ['post', '/api/v1/channels/{channelId}/messages'],
      ['get', '/api/v1/channels/{channelId}/messages'],
      ['patch', '/api/v1/messages/{messageId}'],
      ['delete', '/api/v1/messages/{messageId}'],
      ['put', '/api/v1/messages/{messageId}/reactions/{emoji}'],
      ['post', '/api/v1/channels/{channelId}/typing'],
      ['get', '/api/v1/guilds/{guildId}'],
      ['get', '/api/v1/guilds/{guildId}/members'],
      ['get', '/api/v1/guilds/{guildId}/channels'],
      ['get', '/api/v1/users/@me'],
    ] as const) {
      expect({ path, method, schemes: schemes(method, path) }).toEqual({ path, method, schemes: ['bearer', 'bot'] });
    }
  });

  it('declares every path parameter as a required path parameter', () => {
    for (const route of v1Routes()) {
      const declared = (spec.paths[route.path]?.[route.method]?.parameters ?? []).filter((p) => p.in === 'path');
      for (const name of route.params) {
        const param = declared.find((p) => p.name === name);
        expect({ route: route.path, name, required: param?.required }).toEqual({ route: route.path, name, required: true });
      }
    }
  });
});

// The OpenAPI document at /docs/json (issue 15 item 7): every operation has a summary, tags, a 2xx answer and its
// error answers (each with a body schema), no catch-all route is listed, and the security each operation names
// is what the server enforces: without a token a guarded route answers 401, and a bot is refused a bearer-only one.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { createBot, people } from '../dialects/harmony/fixtures.ts';
import { startServer, type TestServer } from '../support/test-server.ts';

type Response = { description: string; headers?: Record<string, unknown>; content?: Record<string, { schema?: unknown }> };
type Operation = {
  summary?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string }[];
  requestBody?: { content: Record<string, { schema?: { type?: string } }> };
  responses?: Record<string, Response>;
};
type Doc = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, unknown>; responses: Record<string, Response> } };

let server: TestServer;
let doc: Doc;
let tokens: { bot: string; bearer: string };

beforeAll(async () => {
  // Another app in this process builds its document first, as happens across the suite (and did hide /health's 200
  // schema once: the generator wrote into a route's module-level `responses` object).
  const earlier = await startServer({ rateLimits: false });
  expect((await earlier.api('GET', '/docs/json')).status).toBe(200);
  await earlier.stop();
  server = await startServer({ rateLimits: false });
  const [admin] = await people(server, 'doc_admin');
  const bot = await createBot(server, admin, 'doc_bot');
  tokens = { bot: bot.token, bearer: admin.token };
  doc = (await server.api('GET', '/docs/json')).body;
});
afterAll(() => server.stop());

const operations = () =>
  Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method, op, label: `${method.toUpperCase()} ${path}` })),
  );

/** A response, or the shared one it refers to (#/components/responses/...). */
const deref = (response: Response & { $ref?: string }): Response =>
  response.$ref ? (doc.components.responses[response.$ref.replace('#/components/responses/', '')] as Response) : response;
const schemaOf = (schema: unknown) => {
  const ref = (schema as { $ref?: string } | undefined)?.$ref;
  return ref ? doc.components.schemas[ref.replace('#/components/schemas/', '')] : schema;
};

/** A concrete URL for a documented path: every parameter a snowflake nobody holds. */
const concrete = (path: string) => path.replace(/\{[^}]+\}/g, '1');

describe('GET /docs/json', () => {
  it('lists no catch-all route: no path with a wildcard, and only real HTTP methods', () => {
    const paths = Object.keys(doc.paths);
    expect(paths.length).toBeGreaterThan(150);
    expect(paths.filter((p) => /[*]|\{\*\}|:\w|\/\/|\{\}/.test(p))).toEqual([]);
    const methods = new Set(operations().map((o) => o.method));
    expect([...methods].filter((m) => !['get', 'head', 'post', 'put', 'patch', 'delete'].includes(m))).toEqual([]);
  });

  it('gives every operation a summary, tags, a 2xx answer and at least one error answer', () => {
    const missing = operations().flatMap(({ label, op }) => {
      const statuses = Object.keys(op.responses ?? {});
      const problems = [
        !op.summary && 'summary',
        !op.tags?.length && 'tags',
        !statuses.some((s) => /^2\d\d$/.test(s)) && '2xx',
        !statuses.some((s) => /^[45]\d\d$/.test(s)) && 'error',
        !Array.isArray(op.security) && 'security',
      ].filter(Boolean);
      return problems.length > 0 ? [`${label}: ${problems.join(', ')}`] : [];
    });
    expect(missing).toEqual([]);
  });

  it('describes every answer, and gives every error answer and every non-204 success a body schema', () => {
    const missing = operations().flatMap(({ label, op }) =>
      Object.entries(op.responses ?? {}).flatMap(([status, shared]) => {
        const response = deref(shared);
        if (!response) return [`${label} ${status}: dangling $ref`];
        if (!response.description || response.description.startsWith('Response for status')) return [`${label} ${status}: description`];
        if (status === '204' || label.startsWith('HEAD ')) return [];
        const schemas = Object.values(response.content ?? {}).map((c) => c.schema);
        return schemas.length > 0 && schemas.every((schema) => schemaOf(schema)) ? [] : [`${label} ${status}: schema`];
      }),
    );
    expect(missing).toEqual([]);
  });

  it("gives a guarded operation 401, 429 with Retry-After, and a Discord route's 404 its Unknown code", () => {
    const op = doc.paths['/api/v10/channels/{channelId}/messages']?.post as Operation;
    expect(Object.keys(op.responses ?? {}).sort()).toEqual(['200', '400', '401', '403', '404', '413', '429', '503', '507']);
    const responses = Object.fromEntries(Object.entries(op.responses ?? {}).map(([status, response]) => [status, deref(response)]));
    expect(responses['404']?.description).toContain('Unknown Channel (10003)');
    expect(responses['403']?.description).toContain('SEND_MESSAGES');
    expect(responses['400']?.description).toContain('50035');
    expect(Object.keys(responses['429']?.headers ?? {})).toContain('Retry-After');
    expect(Object.keys(responses['503']?.headers ?? {})).toContain('Retry-After');
    expect(schemaOf(responses['429']?.content?.['application/json']?.schema)).toMatchObject({ required: ['code', 'message', 'retry_after', 'global'] });
    expect(schemaOf(responses['401']?.content?.['application/json']?.schema)).toMatchObject({ required: ['code', 'message'] });
    // Files go as multipart only where the server takes them.
    expect(Object.keys(op.requestBody?.content ?? {}).sort()).toEqual(['application/json', 'multipart/form-data']);
    expect(Object.keys(doc.paths['/api/v10/guilds/{guildId}/roles']?.post?.requestBody?.content ?? {})).toEqual(['application/json']);
    expect(doc.paths['/api/v10/guilds/{guildId}/roles']?.post?.requestBody?.content['application/json']?.schema?.type).toBe('object');
    // The presence faces answer in their own shapes.
    const lanyard = deref(doc.paths['/v1/users/{id}/kv/{key}']?.put?.responses?.['401'] as Response).content?.['application/json']?.schema;
    expect(schemaOf(lanyard)).toMatchObject({ title: 'LanyardError' });
  });

  it('names the security the guard enforces: without a token every bot or bearer operation answers 401', async () => {
    const guarded = operations().filter(
      ({ op }) => op.security?.some((s) => 'bot' in s || 'bearer' in s) && !op.security.some((s) => Object.keys(s).length === 0),
    );
    expect(guarded.length).toBeGreaterThan(150);
    const wrong: string[] = [];
    for (const { path, method, label } of guarded) {
      const res = await server.api(method.toUpperCase(), concrete(path), method === 'get' || method === 'head' ? {} : { body: {} });
      if (res.status !== 401) wrong.push(`${label}: ${res.status}`);
    }
    expect(wrong).toEqual([]);
  });

  it('marks bearer-only exactly the operations that refuse a bot token', async () => {
    const wrong: string[] = [];
    for (const { path, method, op, label } of operations()) {
      const schemes = (op.security ?? []).flatMap((s) => Object.keys(s));
      if (!schemes.includes('bearer')) continue;
      const res = await server.api(method.toUpperCase(), concrete(path), { token: tokens.bot, scheme: 'Bot', ...(method === 'get' ? {} : { body: {} }) });
      const refused = res.status === 401 || (res.status === 403 && /Bots cannot|instance admins/.test(res.body?.message ?? ''));
      if (schemes.includes('bot') === refused) wrong.push(`${label}: ${schemes.join('+')} but a bot got ${res.status} ${res.body?.message ?? ''}`);
    }
    expect(wrong).toEqual([]);
  });

  it('lists public operations with no security requirement', () => {
    const op = (method: string, path: string) => doc.paths[path]?.[method] as Operation;
    expect(op('post', '/api/v1/auth/register').security).toEqual([]);
    expect(op('get', '/health').security).toEqual([]);
    expect(op('post', '/api/v10/webhooks/{webhookId}/{token}').security).toEqual([]);
    expect(op('get', '/user/{id}').security).toEqual([{}, { presenceToken: [] }]);
  });
});

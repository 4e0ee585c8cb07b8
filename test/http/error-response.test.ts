// Every JSON answer Harmony sends says exactly `Content-Type: application/json`, as Discord does: discord.py and
// oceanic.js compare the header for equality and read anything else (`application/json;charset=utf-8`, what
// Elysia's Response.json writes) as text. Successes, errors, 413s and 429s, in every dialect.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { withExactJsonType } from '../../src/http/error-response.ts';
import { register, startServer, type TestServer } from '../support/test-server.ts';

let server: TestServer;
let person: { id: string; token: string };
let bot: { id: string; token: string };

beforeAll(async () => {
  server = await startServer({ rateLimits: true });
  person = await register(server, 'typer');
  const made = await server.api('POST', '/api/v1/admin/bots', { token: person.token, body: { username: 'typebot' } });
  bot = { id: made.body.bot.id, token: made.body.token };
});
afterAll(() => server.stop());

const typeOf = async (method: string, path: string, init: RequestInit = {}) => {
  const res = await fetch(server.url + path, { method, ...init });
  await res.arrayBuffer();
  return { status: res.status, type: res.headers.get('content-type') };
};
const asBot = { headers: { authorization: `Bot ${'x'}` } };

describe('Content-Type of JSON answers', () => {
  it.each([
    ['GET', '/api/v10/gateway', 200],
    ['GET', '/api/v9/gateway', 200],
    ['GET', '/api/v10/nothing-here', 404],
    ['GET', '/api/v10/users/@me', 401],
    ['GET', '/api/v1/nothing-here', 404],
    ['GET', '/api/v1/users/@me', 401],
    ['GET', '/health', 200],
    ['GET', '/docs/json', 200],
    ['GET', '/v1/users/1', 404],
    ['GET', '/user/1', 404],
    ['GET', '/user/abc', 400],
  ])('%s %s answers %d with exactly application/json', async (method, path, status) => {
    expect(await typeOf(method, path, path.includes('@me') ? asBot : {})).toEqual({ status, type: 'application/json' });
  });

  it('labels a handler-serialized object (discord and v1) exactly', async () => {
    const headers = { authorization: `Bot ${bot.token}` };
    expect(await typeOf('GET', '/api/v10/users/@me', { headers })).toEqual({ status: 200, type: 'application/json' });
    expect(await typeOf('GET', '/api/v10/users/@me/guilds', { headers })).toEqual({ status: 200, type: 'application/json' });
    expect(await typeOf('GET', '/api/v1/users/@me', { headers: { authorization: `Bearer ${person.token}` } })).toEqual({
      status: 200,
      type: 'application/json',
    });
  });

  it('labels a 50035 validation error and a 50109 malformed body exactly', async () => {
    const headers = { authorization: `Bot ${bot.token}`, 'content-type': 'application/json' };
    expect(await typeOf('GET', '/api/v10/channels/abc', { headers })).toEqual({ status: 400, type: 'application/json' });
    expect(await typeOf('PATCH', '/api/v10/users/@me', { headers, body: '{"username":' })).toEqual({ status: 400, type: 'application/json' });
  });

  it('labels a 413 for a body over 1 MiB exactly', async () => {
    const body = JSON.stringify({ content: 'x'.repeat(1024 * 1024) });
    const headers = { authorization: `Bot ${bot.token}`, 'content-type': 'application/json' };
    expect(await typeOf('POST', '/api/v10/channels/1/messages', { headers, body })).toEqual({ status: 413, type: 'application/json' });
  });

  it('labels a 429 exactly', async () => {
    const headers = { authorization: `Bot ${bot.token}` };
    let last = { status: 0, type: null as string | null };
    for (let i = 0; i < 12 && last.status !== 429; i++) last = await typeOf('GET', '/api/v10/users/@me', { headers });
    expect(last).toEqual({ status: 429, type: 'application/json' });
  });
});

describe('withExactJsonType', () => {
  it('drops the charset parameter from a JSON type, whatever its spelling', () => {
    for (const type of ['application/json;charset=utf-8', 'application/json; charset=UTF-8', 'Application/JSON;charset=utf-8']) {
      expect(withExactJsonType(new Response('{}', { headers: { 'content-type': type } })).headers.get('content-type')).toBe('application/json');
    }
  });

  it('leaves every other type alone', () => {
    for (const type of ['text/html; charset=utf-8', 'image/svg+xml; charset=utf-8', 'application/json', 'application/jsonl; charset=utf-8', 'text/plain']) {
      expect(withExactJsonType(new Response('', { headers: { 'content-type': type } })).headers.get('content-type')).toBe(type);
    }
    expect(withExactJsonType(new Response(null, { status: 204 })).headers.get('content-type')).toBeNull();
  });
});

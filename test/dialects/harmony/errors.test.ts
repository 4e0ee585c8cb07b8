// Errors (issue #2 item 11): every bad input gives a 4xx JSON {code, message} (+ errors for validation) with a clear
// message, never a 500 and never a stack trace. Ends with a sweep of every v1 route with hostile ids and bodies.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { startServer, type TestServer } from '../../support/test-server.ts';
import { type Account, as, CODE, createBot, createGuild, expectError, expectInvalidField, type GuildFixture, people, send } from './fixtures.ts';

let server: TestServer;
let owner: Account;
let guild: GuildFixture;
let messageId: string;

beforeAll(async () => {
  server = await startServer({ rateLimits: false });
  [owner] = await people(server, 'owner');
  guild = await createGuild(server, owner, 'Errors');
  messageId = (await send(server, owner, guild.generalId, 'target')).id;
}, 30_000);
afterAll(() => server.stop());

const JSON_HEADERS = { 'content-type': 'application/json' };
const postRaw = (path: string, raw: string | Uint8Array, headers: Record<string, string> = JSON_HEADERS) =>
  server.api('POST', path, { token: owner.token, raw: raw as string, headers });
const messagesPath = () => `/api/v1/channels/${guild.generalId}/messages`;

describe('malformed bodies', () => {
  it.each([
    ['truncated JSON', '{"content": "hi"'],
    ['a bare word', 'hello'],
    ['single quotes', "{'content': 'hi'}"],
    ['a trailing comma', '{"content": "hi",}'],
    ['invalid UTF-8', new Uint8Array([0x7b, 0x22, 0x63, 0xff, 0xfe, 0x22, 0x7d])],
  ])('answers %s with 400 and code 50109', async (_, raw) => {
    expectError(await postRaw(messagesPath(), raw), 400, CODE.invalidJson, 'The request body contains invalid JSON.');
  });

  it('answers malformed JSON in an optional body with 400 too', async () => {
    expectError(await postRaw(`/api/v1/channels/${guild.generalId}/invites`, '{"max_age":'), 400, CODE.invalidJson);
  });

  it('answers JSON nested deeper than 32 levels with 400 and code 50109, at once', async () => {
    for (const depth of [33, 10_000, 200_000]) {
      const started = performance.now();
      const res = await postRaw(messagesPath(), `{"content":${'['.repeat(depth)}${']'.repeat(depth)}}`);
      expectError(res, 400, CODE.invalidJson, /nests deeper than 32 levels/);
      expect(performance.now() - started).toBeLessThan(1000);
    }
  }, 30_000);

  it('accepts brackets inside strings, which do not nest', async () => {
    const res = await postRaw(messagesPath(), JSON.stringify({ content: `${'['.repeat(100)} "quoted" \\ ${'{'.repeat(100)}` }));
    expect(res.status).toBe(200);
  });

  it.each([
    ['an array', '[]'],
    ['null', 'null'],
    ['a string', '"content"'],
    ['a number', '42'],
  ])('answers a JSON body that is %s instead of an object with 400 and code 50035', async (_, raw) => {
    expectInvalidField(await postRaw(messagesPath(), raw), '_body');
  });

  it('answers a body that is not JSON at all (text/plain) with 400', async () => {
    const res = await postRaw(messagesPath(), 'content=hi', { 'content-type': 'text/plain' });
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 400, code: CODE.invalidForm });
  });
});

describe('wrong types, unknown fields, huge numbers', () => {
  it.each([
    ['content as a number', { content: 12 }, 'content'],
    ['content as an object', { content: { text: 'hi' } }, 'content'],
    ['reply_to as a number', { content: 'hi', reply_to: 1234 }, 'reply_to'],
    ['an unknown field', { content: 'hi', tts: true }, 'tts'],
  ])('answers %s with 400, code 50035 and the field named', async (_, body, field) => {
    expectInvalidField(await server.api('POST', messagesPath(), as(owner, body)), field);
  });

  it('reports several invalid fields at once', async () => {
    const res = await server.api('POST', `/api/v1/guilds/${guild.id}/roles`, as(owner, { color: 'red', hoist: 'yes' }));
    expectInvalidField(res, 'color');
    expectInvalidField(res, 'hoist');
  });

  it('reports an unknown "__proto__" field like any other, without polluting the server', async () => {
    const res = await postRaw(messagesPath(), '{"content":"hi","__proto__":{"polluted":1}}');
    expectInvalidField(res, '__proto__');
    expect(({} as Record<string, unknown>)._errors).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expectInvalidField(await server.api('POST', messagesPath(), as(owner, { content: 5 })), 'content');
  });

  it.each([
    ['1e400 (Infinity once parsed)', '{"name":"r","color":1e400}', 'color'],
    ['a 30-digit integer', '{"name":"r","color":123456789012345678901234567890}', 'color'],
    ['-1e400', '{"name":"r","position":-1e400}', 'position'],
  ])('answers a huge number, %s, with 400 and code 50035', async (_, raw, field) => {
    expectInvalidField(await postRaw(`/api/v1/guilds/${guild.id}/roles`, raw), field);
  });

  it('answers a huge number in the query with 400 and code 50035', async () => {
    for (const limit of ['1e400', '99999999999999999999999', 'Infinity', 'NaN']) {
      const res = await server.api('GET', `${messagesPath()}?limit=${limit}`, as(owner));
      expect({ limit, status: res.status, code: res.body.code }).toEqual({ limit, status: 400, code: CODE.invalidForm });
    }
  });

  it('names the query field when a number is out of range', async () => {
    const res = await server.api('GET', `${messagesPath()}?limit=0`, as(owner));
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.errors)).not.toContain('property');
  });
});

describe('invalid snowflakes', () => {
  it.each([
    ['25 digits', '1234567890123456789012345'],
    ['letters', 'abc'],
    ['a negative number', '-1'],
    ['an exponent', '1e18'],
    ['a decimal', '12.5'],
    ['hex', '0x10'],
  ])('answers a path id of %s with 400 and code 50035 naming the parameter', async (_, id) => {
    expectInvalidField(await server.api('GET', `/api/v1/channels/${id}`, as(owner)), 'channelId');
    expectInvalidField(await server.api('GET', `/api/v1/guilds/${id}/members`, as(owner)), 'guildId');
    expectInvalidField(await server.api('PATCH', `/api/v1/messages/${id}`, as(owner, { content: 'x' })), 'messageId');
  });

  it('answers a well-formed id above 2^64 - 1 as unknown (404), not as a crash', async () => {
    expectError(await server.api('GET', '/api/v1/channels/99999999999999999999', as(owner)), 404, CODE.unknownChannel);
    expectError(await server.api('GET', '/api/v1/users/18446744073709551616', as(owner)), 404, CODE.unknownUser);
  });

  it('answers a snowflake in a body that is not one with 400 and code 50035', async () => {
    expectInvalidField(await server.api('POST', '/api/v1/users/@me/channels', as(owner, { recipient_id: '1'.repeat(25) })), 'recipient_id');
  });
});

describe('unknown routes and ids', () => {
  it.each([
    ['GET', '/api/v1/nothing-here'],
    ['POST', '/api/v1/guilds/1/nothing'],
    ['PUT', '/api/v1/users/@me'],
    ['DELETE', '/api/v1'],
    ['GET', '/api/v2/users/@me'],
    ['GET', '/no/such/page.json'],
  ])('answers %s %s with 404 and {code: 0, message: "404: Not Found"}', async (method, path) => {
    expectError(await server.api(method, path, as(owner)), 404, CODE.general, '404: Not Found');
  });

  it('answers an unknown route with 404 even without a token', async () => {
    expectError(await server.api('GET', '/api/v1/nothing-here'), 404, CODE.general);
  });

  it.each([
    ['GET', '/api/v1/guilds/1234567890123456789', CODE.unknownGuild],
    ['GET', '/api/v1/channels/1234567890123456789', CODE.unknownChannel],
    ['GET', '/api/v1/users/1234567890123456789', CODE.unknownUser],
    ['PATCH', '/api/v1/messages/1234567890123456789', CODE.unknownMessage],
    ['GET', '/api/v1/invites/unknowncode', CODE.unknownInvite],
  ])('answers %s %s with 404 and the matching code', async (method, path, code) => {
    expectError(await server.api(method, path, as(owner, method === 'PATCH' ? { content: 'x' } : undefined)), 404, code);
  });

  it('answers unknown members, roles and bans of a known guild with their own codes', async () => {
    const unknown = '1234567890123456789';
    expectError(await server.api('GET', `/api/v1/guilds/${guild.id}/members/${unknown}`, as(owner)), 404, CODE.unknownMember);
    expectError(await server.api('DELETE', `/api/v1/guilds/${guild.id}/roles/${unknown}`, as(owner)), 404, CODE.unknownRole);
    expectError(await server.api('DELETE', `/api/v1/guilds/${guild.id}/bans/${unknown}`, as(owner)), 404, CODE.unknownBan);
    expectError(await server.api('GET', `/api/v1/channels/${guild.generalId}/messages/${unknown}`, as(owner)), 404, CODE.unknownMessage);
  });
});

describe('bodies over 1 MiB', () => {
  const huge = () => JSON.stringify({ content: 'x'.repeat(1024 * 1024) });

  it('answers a declared Content-Length over 1 MiB with 413 and a JSON error', async () => {
    const res = await postRaw(messagesPath(), huge());
    expectError(res, 413, 40005, 'Request entity too large (1 MiB at most)');
  }, 30_000);

  it('answers a chunked body that grows past 1 MiB with 413 and a JSON error', async () => {
    const bytes = new TextEncoder().encode(huge());
    const body = new ReadableStream({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 64 * 1024) controller.enqueue(bytes.slice(i, i + 64 * 1024));
        controller.close();
      },
    });
    const res = await fetch(server.url + messagesPath(), {
      method: 'POST',
      headers: { authorization: `Bearer ${owner.token}`, ...JSON_HEADERS },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ code: 40005, message: 'Request entity too large (1 MiB at most)' });
  }, 30_000);

  it('accepts a body of exactly 1 MiB, and a small chunked one', async () => {
    const body = JSON.stringify({ content: 'fits' });
    const padded = `${body.slice(0, -1)}${' '.repeat(1024 * 1024 - body.length)}}`;
    expect(new TextEncoder().encode(padded).length).toBe(1024 * 1024);
    expect((await postRaw(messagesPath(), padded)).status).toBe(200);
    const chunked = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(JSON.stringify({ content: 'streamed' })));
        controller.close();
      },
    });
    const res = await fetch(server.url + messagesPath(), {
      method: 'POST',
      headers: { authorization: `Bearer ${owner.token}`, ...JSON_HEADERS },
      body: chunked,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(200);
    expect((await res.json()).content).toBe('streamed');
  }, 30_000);
});

describe('every v1 route, attacked', () => {
  type Route = { method: string; path: string };
  const v1Routes = (): Route[] =>
    (server.harmony.app.routes as Route[]).filter((r) => r.path.startsWith('/api/v1/') && !r.path.includes('*') && r.path !== '/api/v1/auth/logout');

  const expectFailureShape = (label: string, res: { status: number; body: any; headers: Headers }) => {
    expect({ label, status: res.status < 500 }).toEqual({ label, status: true });
    if (res.status < 400) return;
    expect({ label, type: res.headers.get('content-type')?.startsWith('application/json') }).toEqual({ label, type: true });
    expect({ label, code: typeof res.body?.code, message: typeof res.body?.message }).toEqual({ label, code: 'number', message: 'string' });
    const keys = Object.keys(res.body).filter((k) => !['code', 'message', 'errors', 'retry_after', 'global'].includes(k));
    expect({ label, keys }).toEqual({ label, keys: [] });
    expect({ label, leak: /\bat \S+\.(ts|js):\d+|\/work\/|node_modules|SQLITE|SQLiteError/i.test(JSON.stringify(res.body)) }).toEqual({ label, leak: false });
  };

  const fill = (path: string, value: (name: string) => string) => path.replace(/:(\w+)/g, (_, name: string) => value(name));

  it('never answers 500 or leaks internals for hostile path ids', async () => {
    expect(v1Routes().length).toBeGreaterThan(40);
    for (const junk of ['abc', '1'.repeat(25), '99999999999999999999', '-1', '%00', '%E0%A4%A', '..%2F..%2Fetc']) {
      for (const route of v1Routes()) {
        const path = fill(route.path, () => junk);
        const res = await server.api(route.method, path, as(owner, route.method === 'GET' ? undefined : {}));
        expectFailureShape(`${route.method} ${path}`, res);
      }
    }
  }, 30_000);

  it('never answers 500 or leaks internals for hostile bodies on real ids', async () => {
    const bot = await createBot(server, owner, 'sweepbot');
    const ids: Record<string, string> = {
      guildId: guild.id,
      channelId: guild.generalId,
      messageId,
      userId: owner.id,
      roleId: guild.everyoneRoleId,
      targetId: guild.everyoneRoleId,
      botId: bot.id,
      emoji: '%F0%9F%91%8D',
      code: 'nosuchcode',
      key: 'somekey',
    };
    const bodies = [
      '{bad',
      '[]',
      'null',
      '{"__proto__":{"x":1},"constructor":{"prototype":{"y":2}}}',
      '{"content":1e400,"name":1e400,"permissions":1e400,"limit":-1e400}',
      `{"content":"${'x'.repeat(5000)}","name":"${'n'.repeat(5000)}","permissions":["${'p'.repeat(60)}"]}`,
      '{"permissions":"18446744073709551616","allow":"-1","deny":"1e5","type":1,"recipient_id":"0"}',
      '{"roles":["0","0"],"nick":"\\u0000","reason":"\\ud800","messages":["0","1"]}',
    ];
    for (const route of v1Routes()) {
      if (route.method === 'GET' || (route.path.endsWith('/admin/bots/:botId') && route.method === 'DELETE')) continue;
      const path = fill(route.path, (name) => ids[name] ?? '1');
      for (const raw of bodies) {
        const res = await server.api(route.method, path, { token: owner.token, raw, headers: JSON_HEADERS });
        expectFailureShape(`${route.method} ${path} ${raw.slice(0, 40)}`, res);
      }
    }
  }, 30_000);

  it('never answers 500 for hostile query strings', async () => {
    for (const query of [
      '?limit=abc',
      '?limit=1e400',
      '?before=%00',
      '?after=2024-02-30T25:61:61Z',
      '?limit[a]=1',
      '?limit=1&limit=2',
      '?query=%25%5F%5C',
      '?around=x',
    ]) {
      for (const route of v1Routes().filter((r) => r.method === 'GET')) {
        const path = fill(route.path, (name) => ({ guildId: guild.id, channelId: guild.generalId, messageId, emoji: '%F0%9F%91%8D' })[name] ?? '1');
        expectFailureShape(`GET ${path}${query}`, await server.api('GET', path + query, as(owner)));
      }
    }
  }, 30_000);
});

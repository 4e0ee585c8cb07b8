import { afterEach, beforeEach, describe, expect, it } from 'bun:test';
import { HarmonyApiError, HarmonyClient } from '../../src/sdk/harmony-client.ts';
import { FakeHarmonyServer, type RecordedRequest } from './fake-harmony-server.ts';

let server: FakeHarmonyServer;
let client: HarmonyClient;

const MESSAGE = {
  id: '600000000000000001',
  channel_id: '300000000000000001',
  author: { id: '100000000000000001', username: 'harmony-bot', avatar: null },
  content: 'Pong!',
  timestamp: '2024-01-01T00:00:00.000Z',
  mentions: [],
};

beforeEach(() => {
  server = new FakeHarmonyServer();
  client = new HarmonyClient('tok', { url: server.url });
});

afterEach(() => {
  server.stop();
});

/** The one request the server saw, minus the timing. */
function only(): Omit<RecordedRequest, 'at' | 'headers'> & { authorization: string | null; contentType: string | null } {
  expect(server.requests.length).toBe(1);
  const [request] = server.requests as [RecordedRequest];
  return {
    method: request.method,
    path: request.path,
    body: request.body,
    authorization: request.headers.get('authorization'),
    contentType: request.headers.get('content-type'),
  };
}

describe('HarmonyClient REST endpoints', () => {
  it('sendMessage POSTs {content} to /channels/:id/messages with the Bot scheme and returns the message', async () => {
    server.rest = () => Response.json(MESSAGE);
    const result = await client.sendMessage('300000000000000001', 'Pong!');
    expect(result).toEqual(MESSAGE);
    expect(only()).toEqual({
      method: 'POST',
      path: '/channels/300000000000000001/messages',
      body: { content: 'Pong!' },
      authorization: 'Bot tok',
      contentType: 'application/json',
    });
  });

  it('sendMessage sends reply_to when replyTo is given', async () => {
    server.rest = () => Response.json(MESSAGE);
    await client.sendMessage('3', 'hi', { replyTo: '600000000000000000' });
    expect(only().body).toEqual({ content: 'hi', reply_to: '600000000000000000' });
  });

  it('sendMessage sends embeds and components when given', async () => {
    server.rest = () => Response.json(MESSAGE);
    const embeds = [{ title: 'Status', fields: [{ name: 'ok', value: 'yes', inline: true }] }];
    const components = [{ type: 1 as const, components: [{ type: 2 as const, style: 1 as const, custom_id: 'go', label: 'Go' }] }];
    await client.sendMessage('3', '', { embeds, components });
    expect(only().body).toEqual({ content: '', embeds, components });
  });

  it('editMessage with a MessageEdit sends only what it names, suppressEmbeds as suppress_embeds', async () => {
    server.rest = () => Response.json(MESSAGE);
    await client.editMessage('6', { embeds: [], suppressEmbeds: true });
    expect(only()).toMatchObject({ method: 'PATCH', path: '/messages/6', body: { embeds: [], suppress_embeds: true } });
    expect(Object.keys(only().body as object).sort()).toEqual(['embeds', 'suppress_embeds']);
  });

  it('uses the Bearer scheme when authScheme is Bearer', async () => {
    const userClient = new HarmonyClient('session-token', { url: server.url, authScheme: 'Bearer' });
    server.rest = () => Response.json({ id: '1', username: 'alice' });
    expect(await userClient.getMe()).toEqual({ id: '1', username: 'alice' });
    expect(only()).toMatchObject({ method: 'GET', path: '/users/@me', authorization: 'Bearer session-token' });
  });

  it('editMessage PATCHes /messages/:id with {content}', async () => {
    server.rest = () => Response.json({ ...MESSAGE, content: 'edited' });
    expect((await client.editMessage('6', 'edited')).content).toBe('edited');
    expect(only()).toMatchObject({ method: 'PATCH', path: '/messages/6', body: { content: 'edited' } });
  });

  it('deleteMessage DELETEs /messages/:id and resolves undefined on 204', async () => {
    server.rest = () => new Response(null, { status: 204 });
    expect(await client.deleteMessage('6')).toBeUndefined();
    expect(only()).toEqual({
      method: 'DELETE',
      path: '/messages/6',
      body: undefined,
      authorization: 'Bot tok',
      contentType: null,
    });
  });

  it('addReaction PUTs /messages/:id/reactions/:emoji with the emoji URL-encoded', async () => {
    server.rest = () => new Response(null, { status: 204 });
    expect(await client.addReaction('6', '👍')).toBeUndefined();
    expect(only()).toMatchObject({ method: 'PUT', path: '/messages/6/reactions/%F0%9F%91%8D', body: undefined });
  });

  it('removeReaction DELETEs the same path, encoding custom emoji names too', async () => {
    server.rest = () => new Response(null, { status: 204 });
    await client.removeReaction('6', 'party:700000000000000001');
    expect(only()).toMatchObject({ method: 'DELETE', path: '/messages/6/reactions/party%3A700000000000000001' });
  });

  it('triggerTyping POSTs /channels/:id/typing without a body', async () => {
    server.rest = () => new Response(null, { status: 204 });
    expect(await client.triggerTyping('3')).toBeUndefined();
    expect(only()).toMatchObject({ method: 'POST', path: '/channels/3/typing', body: undefined, contentType: null });
  });

  it('getMessages GETs /channels/:id/messages with only the given query options', async () => {
    server.rest = () => Response.json([MESSAGE]);
    expect(await client.getMessages('3', { limit: 50, before: '2024-01-01T00:00:00Z' })).toEqual([MESSAGE]);
    await client.getMessages('3');
    await client.getMessages('3', { after: '600000000000000001' });
    expect(server.requests.map((r) => r.path)).toEqual([
      '/channels/3/messages?limit=50&before=2024-01-01T00%3A00%3A00Z',
      '/channels/3/messages',
      '/channels/3/messages?after=600000000000000001',
    ]);
  });

  it('getGuild, getGuildMembers and getGuildChannels GET the guild routes', async () => {
    server.rest = (request) => Response.json({ path: request.path });
    // The fake echoes the path, so the results are not guilds: compare them as unknown.
    expect<unknown>(await client.getGuild('2')).toEqual({ path: '/guilds/2' });
    expect<unknown>(await client.getGuildMembers('2', { limit: 100, after: '5' })).toEqual({
      path: '/guilds/2/members?limit=100&after=5',
    });
    expect<unknown>(await client.getGuildChannels('2')).toEqual({ path: '/guilds/2/channels' });
    expect(server.requests.map((r) => r.method)).toEqual(['GET', 'GET', 'GET']);
  });

  it('request() calls any route with any method and body', async () => {
    server.rest = (request) => Response.json({ echoed: request.body }, { status: 201 });
    expect(await client.request('POST', '/guilds/2/invites', { max_uses: 1 })).toEqual({ echoed: { max_uses: 1 } });
    expect(only()).toMatchObject({ method: 'POST', path: '/guilds/2/invites', contentType: 'application/json' });
  });
});

describe('HarmonyClient REST errors', () => {
  it('throws HarmonyApiError with status, code, message, method and path on 403', async () => {
    server.rest = () => Response.json({ code: 50013, message: 'Missing Permissions' }, { status: 403 });
    const error = await client.sendMessage('300000000000000001', 'hi').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HarmonyApiError);
    expect(error).toBeInstanceOf(Error);
    const apiError = error as HarmonyApiError;
    expect({
      name: apiError.name,
      status: apiError.status,
      code: apiError.code,
      message: apiError.message,
      errors: apiError.errors,
      method: apiError.method,
      path: apiError.path,
    }).toEqual({
      name: 'HarmonyApiError',
      status: 403,
      code: 50013,
      message: 'Missing Permissions',
      errors: undefined,
      method: 'POST',
      path: '/channels/300000000000000001/messages',
    });
  });

  it('carries field errors from a 400', async () => {
    const errors = { content: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Too long' }] } };
    server.rest = () => Response.json({ code: 50035, message: 'Invalid Form Body', errors }, { status: 400 });
    const error = (await client.sendMessage('3', 'x').catch((e: unknown) => e)) as HarmonyApiError;
    expect([error.status, error.code, error.message]).toEqual([400, 50035, 'Invalid Form Body']);
    expect(error.errors).toEqual(errors);
  });

  it('falls back to the status line when the error body is not JSON', async () => {
    server.rest = () => new Response('', { status: 502, statusText: 'Bad Gateway' });
    const error = (await client.getMe().catch((e: unknown) => e)) as HarmonyApiError;
    expect([error.status, error.code, error.message, error.path]).toEqual([502, 0, '502 Bad Gateway', '/users/@me']);
  });
});

describe('HarmonyClient REST rate limits', () => {
  it('waits retry_after seconds from the 429 body, then retries and succeeds', async () => {
    let calls = 0;
    server.rest = () =>
      ++calls === 1 ? Response.json({ message: 'You are being rate limited.', retry_after: 0.15, global: false }, { status: 429 }) : Response.json(MESSAGE);
    expect(await client.sendMessage('3', 'Pong!')).toEqual(MESSAGE);
    const [first, second] = server.requests as [RecordedRequest, RecordedRequest];
    expect(server.requests.length).toBe(2);
    expect(second.at - first.at).toBeGreaterThanOrEqual(140);
    expect(second.body).toEqual({ content: 'Pong!' });
  });

  it('uses the Retry-After header when the body has no retry_after', async () => {
    let calls = 0;
    server.rest = () => (++calls === 1 ? new Response('slow down', { status: 429, headers: { 'Retry-After': '0.1' } }) : Response.json({ ok: 1 }));
    expect(await client.request('GET', '/users/@me')).toEqual({ ok: 1 });
    const [first, second] = server.requests as [RecordedRequest, RecordedRequest];
    expect(second.at - first.at).toBeGreaterThanOrEqual(90);
  });

  it('gives up after 5 attempts and throws the 429 as HarmonyApiError', async () => {
    server.rest = () => Response.json({ message: 'You are being rate limited.', retry_after: 0.01, global: true }, { status: 429 });
    const error = (await client.triggerTyping('3').catch((e: unknown) => e)) as HarmonyApiError;
    expect(error).toBeInstanceOf(HarmonyApiError);
    expect([error.status, error.message, error.method, error.path]).toEqual([429, 'You are being rate limited.', 'POST', '/channels/3/typing']);
    expect(server.requests.length).toBe(5);
  });
});

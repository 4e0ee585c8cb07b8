// Discord's error JSON from the v10 dialect, as @discordjs/rest turns it into DiscordAPIError: every code a
// typical bot meets, 401 with code 0, unknown routes, and JSON on every answer.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { DiscordAPIError } from '@discordjs/rest';
import { startServer, type TestServer } from '../../support/test-server.ts';
import { type Bot, botIn, createGuild, expectDiscordError, type Guild, type Person, people, post, restFor, v10 } from './fixtures.ts';

let server: TestServer;
let admin: Person;
let guild: Guild;
let bot: Bot;
let reader: Bot;
let messageId: string;
const MISSING = '1000000000000000099';

beforeAll(async () => {
  server = await startServer({ rateLimits: false });
  [admin] = (await people(server, 'admin')) as [Person];
  guild = await createGuild(server, admin);
  bot = await botIn(server, admin, guild, 'errbot', ['read_messages', 'send_messages', 'read_message_history']);
  reader = await botIn(server, admin, guild, 'readonly', ['read_messages', 'read_message_history']);
  await server.api('PUT', `/api/v1/channels/${guild.generalId}/permissions/${reader.id}`, { token: admin.token, body: { type: 1, deny: ['send_messages'] } });
  messageId = (await post(server, admin, guild.generalId, 'hello')).id;
});
afterAll(() => server.stop());

describe('DiscordAPIError codes', () => {
  const cases: [string, () => Promise<unknown>, number, number, string][] = [
    ['10003 Unknown Channel', () => bot.rest.get(`/channels/${MISSING}`), 404, 10003, 'Unknown Channel'],
    ['10004 Unknown Guild', () => bot.rest.get(`/guilds/${MISSING}`), 404, 10004, 'Unknown Guild'],
    ['10008 Unknown Message', () => bot.rest.get(`/channels/${guild.generalId}/messages/${MISSING}`), 404, 10008, 'Unknown Message'],
    ['10013 Unknown User', () => bot.rest.get(`/users/${MISSING}`), 404, 10013, 'Unknown User'],
    [
      '50013 Missing Permissions',
      () => reader.rest.post(`/channels/${guild.generalId}/messages`, { body: { content: 'x' } }),
      403,
      50013,
      'Missing Permissions',
    ],
    [
      '50035 Invalid Form Body',
      () => bot.rest.post(`/channels/${guild.generalId}/messages`, { body: { content: 'x'.repeat(4001) } }),
      400,
      50035,
      'Invalid Form Body',
    ],
  ];

  it.each(cases)('surfaces %s with its status and code', async (_name, call, status, code, message) => {
    await expectDiscordError(call(), status, code, message);
  });

  it('surfaces 50001 Missing Access for a guild the bot is not in', async () => {
    const other = await createGuild(server, admin, 'Other');
    await expectDiscordError(bot.rest.get(`/guilds/${other.id}`), 403, 50001, 'Missing Access');
  });

  it('answers 401 with code 0 for a bad token, and @discordjs/rest then drops the token as on Discord', async () => {
    const rest = restFor(server, 'x'.repeat(59));
    const error = await expectDiscordError(rest.get('/users/@me'), 401, 0, '401: Unauthorized');
    expect(error.rawError).toEqual({ message: '401: Unauthorized', code: 0 });
    await expect(rest.get('/users/@me')).rejects.toThrow(/Expected token to be set/);
  });

  it('answers 401 for a missing Authorization header', async () => {
    const res = await server.api('GET', '/api/v10/users/@me');
    expect({ status: res.status, body: res.body }).toEqual({ status: 401, body: { message: '401: Unauthorized', code: 0 } });
  });
});

describe('unknown routes', () => {
  it("answer Discord's 404 JSON {message: '404: Not Found', code: 0}", async () => {
    for (const [method, path] of [
      ['GET', '/api/v10/no/such/route'],
      ['POST', '/api/v10/channels/123/followers'],
      ['PUT', '/api/v10/users/@me'],
      ['GET', '/api/v9/guilds/123/scheduled-events'],
    ] as const) {
      const res = await server.api(method, path, { token: bot.token, scheme: 'Bot' });
      expect({ method, path, status: res.status, type: res.headers.get('content-type'), body: res.body }).toEqual({
        method,
        path,
        status: 404,
        type: 'application/json',
        body: { message: '404: Not Found', code: 0 },
      });
    }
  });

  it('surface as DiscordAPIError[0] with status 404 through @discordjs/rest', async () => {
    const error = await expectDiscordError(bot.rest.get('/guilds/123/scheduled-events'), 404, 0, '404: Not Found');
    expect(error).toBeInstanceOf(DiscordAPIError);
  });
});

describe('validation', () => {
  it('answers a malformed id in the path with 400 and 50035', async () => {
    const res = await v10(server, bot, 'GET', '/channels/not-a-snowflake');
    expect({ status: res.status, code: res.body.code, message: res.body.message }).toEqual({ status: 400, code: 50035, message: 'Invalid Form Body' });
  });

  it("answers nested field errors in Discord's shape (message_reference.message_id)", async () => {
    const res = await v10(server, bot, 'POST', `/channels/${guild.generalId}/messages`, { content: 'x', message_reference: { message_id: 'abc' } });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.errors)).toEqual(['message_reference']);
    expect(Object.keys(res.body.errors.message_reference)).toEqual(['message_id']);
    expect(res.body.errors.message_reference.message_id._errors[0]).toEqual({ code: expect.any(String), message: expect.any(String) });
  });
});

describe('Content-Type', () => {
  it('is application/json on every answer with a body, successes and failures alike', async () => {
    const calls: [string, string][] = [
      ['GET', '/gateway'],
      ['GET', '/gateway/bot'],
      ['GET', '/users/@me'],
      ['GET', '/users/@me/guilds'],
      ['GET', '/applications/@me'],
      ['GET', `/guilds/${guild.id}`],
      ['GET', `/guilds/${guild.id}/channels`],
      ['GET', `/guilds/${guild.id}/roles`],
      ['GET', `/guilds/${guild.id}/members`],
      ['GET', `/channels/${guild.generalId}`],
      ['GET', `/channels/${guild.generalId}/messages`],
      ['GET', `/channels/${guild.generalId}/messages/${messageId}`],
      ['GET', `/channels/${guild.generalId}/pins`],
      ['GET', `/channels/${guild.generalId}/messages/pins`],
      ['GET', `/channels/${MISSING}`],
      ['GET', '/nowhere'],
    ];
    for (const [method, path] of calls) {
      const res = await v10(server, bot, method, path);
      expect({ path, type: res.headers.get('content-type')?.split(';')[0] }).toEqual({ path, type: 'application/json' });
    }
  });
});

describe('X-Audit-Log-Reason', () => {
  it('is accepted (and ignored) on any route', async () => {
    const res = await v10(
      server,
      bot,
      'POST',
      `/channels/${guild.generalId}/messages`,
      { content: 'with a reason' },
      { 'x-audit-log-reason': encodeURIComponent('ünïcode reason') },
    );
    expect(res.status).toBe(200);
  });
});

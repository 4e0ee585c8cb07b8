// The auth guard decides who may call a route before the route's schema is checked: a caller without a token, or
// of the wrong kind, is refused (401/403) without validation work and without learning what the body should be.
// Rate limits still count only requests that passed validation.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { type Account, as, createBot, expectError, people } from '../dialects/harmony/fixtures.ts';
import { startServer, type TestServer } from '../support/test-server.ts';

let server: TestServer;
let admin: Account;
let alice: Account;
let bot: Account;
beforeAll(async () => {
  server = await startServer();
  [admin, alice] = await people(server, 'admin', 'alice');
  bot = await createBot(server, admin, 'guardbot');
});
afterAll(() => server.stop());

const INVALID = [
  ['POST', '/api/v10/channels/1234567890123456789/messages', { content: 5 }],
  ['POST', '/api/v1/channels/1234567890123456789/messages', { content: 5 }],
  ['PATCH', '/api/v1/admin/settings', { registration: 'bogus' }],
  ['PUT', '/api/v1/users/@me/presence', { shared: 'yes' }],
] as const;

describe('a route that requires a caller', () => {
  it.each(INVALID)('answers %s %s with an invalid body and no token with 401, not 400', async (method, path, body) => {
    expectError(await server.api(method, path, { body }), 401, 0, '401: Unauthorized');
  });

  it.each(INVALID)('answers %s %s with an invalid body and an unknown token with 401', async (method, path, body) => {
    expectError(await server.api(method, path, { body, token: 'not-a-token' }), 401, 0);
  });

  it('refuses a non-admin on an admin route with 403 before validating the body', async () => {
    const res = await server.api('PATCH', '/api/v1/admin/settings', as(alice, { registration: 'bogus' }));
    expectError(res, 403, 50001, 'Only instance admins can use this endpoint');
  });

  it('refuses a bot on a route for people with 403 before validating the body', async () => {
    const res = await server.api('PUT', '/api/v1/users/@me/presence', as(bot, { shared: 'yes' }));
    expectError(res, 403, 50001, 'Bots cannot use this endpoint');
  });

  it('validates the body of a caller who may use the route (400, 50035), without counting it against the rate limit', async () => {
    const refused = await server.api('PATCH', '/api/v1/admin/settings', as(admin, { registration: 'bogus' }));
    expect({ status: refused.status, code: refused.body.code, limit: refused.headers.get('x-ratelimit-limit') }).toEqual({
      status: 400,
      code: 50035,
      limit: null,
    });
    const accepted = await server.api('PATCH', '/api/v1/admin/settings', as(admin, { registration: 'open' }));
    expect(accepted.status).toBe(200);
    expect(accepted.headers.get('x-ratelimit-limit')).not.toBeNull();
  });
});

// Direct messages (issue #2 item 7): POST /users/@me/channels opens one channel per pair; only the two can use it.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { startServer, type TestServer } from '../../support/test-server.ts';
import { type Account, addBot, as, CODE, createBot, createGuild, expectError, expectInvalidField, join, people, send } from './fixtures.ts';

let server: TestServer;
let admin: Account;
let alice: Account;
let bob: Account;
let eve: Account;
let bot: Account;
let dmId: string;

beforeAll(async () => {
  server = await startServer({ rateLimits: false });
  [admin, alice, bob, eve] = await people(server, 'admin', 'alice', 'bob', 'eve');
  bot = await createBot(server, admin as Account, 'dmbot');
  // DMs need a shared guild by default (see dm-privacy.test.ts): everyone here meets in one.
  const common = await createGuild(server, admin as Account, 'Common');
  await join(server, admin as Account, common, alice as Account, bob as Account, eve as Account);
  await addBot(server, admin as Account, common, bot, []);
}, 30_000);
afterAll(() => server.stop());

const open = (caller: Account, recipientId: string) => server.api('POST', '/api/v1/users/@me/channels', as(caller, { recipient_id: recipientId }));
const byId = (a: string, b: string) => (BigInt(a) < BigInt(b) ? [a, b] : [b, a]);

describe('POST /api/v1/users/@me/channels', () => {
  it('opens a DM channel between the two users', async () => {
    const res = await open(alice, bob.id);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: expect.any(String), type: 1, guild_id: null, recipient_ids: byId(alice.id, bob.id), last_message_id: null });
    dmId = res.body.id;
  });

  it('returns the same channel when either side opens it again', async () => {
    expect((await open(alice, bob.id)).body.id).toBe(dmId);
    expect((await open(bob, alice.id)).body.id).toBe(dmId);
  });

  it('opens a DM between a bot and a person, from either side', async () => {
    const fromBot = await open(bot, alice.id);
    expect(fromBot.status).toBe(200);
    expect(fromBot.body.recipient_ids).toEqual(byId(bot.id, alice.id));
    expect((await open(alice, bot.id)).body.id).toBe(fromBot.body.id);
  });

  it('refuses a DM with yourself with 400 and code 50035', async () => {
    expectInvalidField(await open(alice, alice.id), 'recipient_id', 'DM_SELF');
  });

  it('answers 404 with code 10013 for an unknown or disabled recipient', async () => {
    expectError(await open(alice, '1234567890123456789'), 404, CODE.unknownUser);
    const [gone] = await people(server, 'gone');
    await server.api('PATCH', `/api/v1/admin/users/${gone?.id}`, as(admin, { disabled: true }));
    expectError(await open(alice, gone?.id as string), 404, CODE.unknownUser);
  });

  it('rejects a missing or malformed recipient_id with 400 and code 50035', async () => {
    expectInvalidField(await server.api('POST', '/api/v1/users/@me/channels', as(alice, {})), 'recipient_id');
    expectInvalidField(await open(alice, 'bob'), 'recipient_id');
    expectInvalidField(await server.api('POST', '/api/v1/users/@me/channels', as(alice, { recipient_id: Number(bob.id) })), 'recipient_id');
  });
});

describe('GET /api/v1/users/@me/channels', () => {
  it("lists the caller's DM channels only", async () => {
    const alices = await server.api('GET', '/api/v1/users/@me/channels', as(alice));
    expect(alices.status).toBe(200);
    expect(alices.body.map((c: { id: string }) => c.id)).toContain(dmId);
    expect(alices.body).toHaveLength(2);
    const eves = await server.api('GET', '/api/v1/users/@me/channels', as(eve));
    expect(eves.body).toEqual([]);
  });
});

describe('messages in a DM channel', () => {
  it('both participants can send and read; guild_id is null', async () => {
    const sent = await send(server, alice, dmId, 'hello bob');
    expect(sent).toMatchObject({ channel_id: dmId, guild_id: null, content: 'hello bob' });
    await send(server, bob, dmId, 'hi alice');
    const history = await server.api('GET', `/api/v1/channels/${dmId}/messages`, as(alice));
    expect(history.body.map((m: { content: string }) => m.content)).toEqual(['hi alice', 'hello bob']);
    expect((await server.api('GET', `/api/v1/channels/${dmId}`, as(bob))).body.last_message_id).toBe(history.body[0].id);
  });

  it('a third person gets 403 with code 50001 for the channel, its history, one message and sending', async () => {
    const message = await send(server, alice, dmId, 'private');
    for (const [method, path, body] of [
      ['GET', `/api/v1/channels/${dmId}`, undefined],
      ['GET', `/api/v1/channels/${dmId}/messages`, undefined],
      ['GET', `/api/v1/channels/${dmId}/messages/${message.id}`, undefined],
      ['POST', `/api/v1/channels/${dmId}/messages`, { content: 'let me in' }],
      ['POST', `/api/v1/channels/${dmId}/typing`, undefined],
      ['PUT', `/api/v1/messages/${message.id}/reactions/%F0%9F%91%80`, undefined],
      ['DELETE', `/api/v1/messages/${message.id}`, undefined],
    ] as const) {
      expectError(await server.api(method, path, as(eve, body)), 403, CODE.missingAccess);
    }
  });

  it('a bot outside the DM gets 403 too', async () => {
    expectError(await server.api('GET', `/api/v1/channels/${dmId}/messages`, as(bot)), 403, CODE.missingAccess);
  });

  it('mentions count only for the two participants', async () => {
    const sent = await send(server, alice, dmId, `<@${bob.id}> <@${eve.id}> @everyone`);
    expect(sent.mentions).toEqual([bob.id]);
    expect(sent.mention_everyone).toBe(false);
  });

  it("neither participant may delete the other's message (no manage_messages in DMs)", async () => {
    const message = await send(server, alice, dmId, 'mine');
    expectError(await server.api('DELETE', `/api/v1/messages/${message.id}`, as(bob)), 403, CODE.missingPermissions);
    expect((await server.api('DELETE', `/api/v1/messages/${message.id}`, as(alice))).status).toBe(204);
  });

  it('reactions and typing work for participants', async () => {
    const message = await send(server, bob, dmId, 'react to me');
    expect((await server.api('PUT', `/api/v1/messages/${message.id}/reactions/%F0%9F%91%8D`, as(alice))).status).toBe(204);
    expect((await server.api('POST', `/api/v1/channels/${dmId}/typing`, as(alice))).status).toBe(204);
  });

  it('refuses channel management on a DM with 400 and code 50003 (DELETE closes it instead: read-states.test.ts)', async () => {
    expectError(await server.api('PATCH', `/api/v1/channels/${dmId}`, as(alice, { name: 'renamed' })), 400, 50003);
  });
});

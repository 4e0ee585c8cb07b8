// Reactions (issue #2 item 7): PUT/DELETE idempotent with URL-encoded unicode emoji or name:id; who reacted.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { dataUri, png } from '../../support/images.ts';
import { startServer, type TestServer } from '../../support/test-server.ts';
import { type Account, as, CODE, createGuild, expectError, type GuildFixture, grantRole, join, people, send } from './fixtures.ts';

let server: TestServer;
let owner: Account;
let alice: Account;
let bob: Account;
let modUser: Account;
let outsider: Account;
let guild: GuildFixture;

beforeAll(async () => {
  server = await startServer({ rateLimits: false });
  [owner, alice, bob, modUser, outsider] = await people(server, 'owner', 'alice', 'bob', 'moderator', 'outsider');
  guild = await createGuild(server, owner, 'Reactions');
  await join(server, owner, guild, alice, bob, modUser);
  await grantRole(server, owner, guild, ['manage_messages'], modUser);
}, 30_000);
afterAll(() => server.stop());

const url = (messageId: string, emoji: string, userId?: string) =>
  `/api/v1/messages/${messageId}/reactions/${encodeURIComponent(emoji)}${userId ? `/${userId}` : ''}`;
const react = (caller: Account, messageId: string, emoji: string) => server.api('PUT', url(messageId, emoji), as(caller));
const unreact = (caller: Account, messageId: string, emoji: string) => server.api('DELETE', url(messageId, emoji), as(caller));
const reactionsSeenBy = async (caller: Account, messageId: string) =>
  (await server.api('GET', `/api/v1/channels/${guild.generalId}/messages/${messageId}`, as(caller))).body.reactions;

describe('PUT /api/v1/messages/:messageId/reactions/:emoji', () => {
  it('adds a URL-encoded unicode emoji with 204; the message shows the count and whether you reacted', async () => {
    const message = await send(server, alice, guild.generalId, 'react to me');
    const res = await react(bob, message.id, '👍');
    expect(res.status).toBe(204);
    expect(res.body).toBeNull();
    expect(await reactionsSeenBy(bob, message.id)).toEqual([{ emoji: '👍', count: 1, me: true }]);
    expect(await reactionsSeenBy(alice, message.id)).toEqual([{ emoji: '👍', count: 1, me: false }]);
  });

  it('is idempotent: reacting twice counts once', async () => {
    const message = await send(server, alice, guild.generalId, 'twice');
    expect((await react(bob, message.id, '🎉')).status).toBe(204);
    expect((await react(bob, message.id, '🎉')).status).toBe(204);
    expect(await reactionsSeenBy(alice, message.id)).toEqual([{ emoji: '🎉', count: 1, me: false }]);
  });

  it('counts several people and several emoji, in the order they were first used', async () => {
    const message = await send(server, alice, guild.generalId, 'popular');
    // Reactions are ordered by the millisecond of their first use: keep the uses apart.
    for (const [who, emoji] of [
      [bob, '❤️'],
      [alice, '❤️'],
      [alice, '👨‍👩‍👧'],
      [owner, '🇫🇷'],
      [owner, '👍🏽'],
    ] as const) {
      await react(who, message.id, emoji);
      await Bun.sleep(2);
    }
    expect(await reactionsSeenBy(alice, message.id)).toEqual([
      { emoji: '❤️', count: 2, me: true },
      { emoji: '👨‍👩‍👧', count: 1, me: true },
      { emoji: '🇫🇷', count: 1, me: false },
      { emoji: '👍🏽', count: 1, me: false },
    ]);
  });

  it("takes one of the guild's custom emoji as name:id, with the colon encoded or not, keeping the whole name", async () => {
    const created = await server.api('POST', `/api/v1/guilds/${guild.id}/emojis`, as(owner, { name: 'awesome', image: dataUri(png(), 'image/png') }));
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const message = await send(server, alice, guild.generalId, 'custom');
    expect((await server.api('PUT', `/api/v1/messages/${message.id}/reactions/awesome:${id}`, as(bob))).status).toBe(204);
    expect((await server.api('PUT', `/api/v1/messages/${message.id}/reactions/awesome%3A${id}`, as(alice))).status).toBe(204);
    expect(await reactionsSeenBy(alice, message.id)).toEqual([{ emoji: `awesome:${id}`, count: 2, me: true }]);
  });

  it('answers 404 with code 10014 for a custom emoji that does not exist', async () => {
    const message = await send(server, alice, guild.generalId, 'no such emoji');
    expectError(await react(bob, message.id, 'ghost:1300000000000000000'), 404, CODE.unknownEmoji, 'Unknown Emoji');
  });

  it('answers 404 with code 10014 for something that is not an emoji', async () => {
    const message = await send(server, alice, guild.generalId, 'not emoji');
    for (const emoji of ['smile', 'a', '1', 'x:y', '👍👎extra']) {
      expectError(await react(bob, message.id, emoji), 404, CODE.unknownEmoji, 'Unknown Emoji');
    }
  });

  it('needs add_reactions for a new emoji but not to join an existing one', async () => {
    const message = await send(server, alice, guild.generalId, 'restricted');
    await server.api('PUT', `/api/v1/channels/${guild.generalId}/permissions/${bob.id}`, as(owner, { type: 1, deny: ['add_reactions'] }));
    try {
      expectError(await react(bob, message.id, '🙂'), 403, CODE.missingPermissions);
      await react(alice, message.id, '🙂');
      expect((await react(bob, message.id, '🙂')).status).toBe(204);
    } finally {
      await server.api('DELETE', `/api/v1/channels/${guild.generalId}/permissions/${bob.id}`, as(owner));
    }
  });

  it('allows 20 distinct emoji on a message and refuses the 21st with 400 and code 30010', async () => {
    const message = await send(server, alice, guild.generalId, 'full');
    const emoji = [...'😀😁😂🤣😃😄😅😆😉😊😋😎😍😘🥰😗😙😚🙂🤗'];
    for (const e of emoji) expect((await react(bob, message.id, e)).status).toBe(204);
    expectError(await react(bob, message.id, '🤩'), 400, 30010);
    expect((await react(alice, message.id, '😀')).status).toBe(204);
  });

  it('refuses a non-member with 403 (50001) and answers 404 (10008) for an unknown message', async () => {
    const message = await send(server, alice, guild.generalId, 'members only');
    expectError(await react(outsider, message.id, '👍'), 403, CODE.missingAccess);
    expectError(await react(bob, '1234567890123456789', '👍'), 404, CODE.unknownMessage);
  });
});

describe('DELETE /api/v1/messages/:messageId/reactions/:emoji', () => {
  it('removes your own reaction with 204, idempotently', async () => {
    const message = await send(server, alice, guild.generalId, 'undo');
    await react(bob, message.id, '👍');
    await react(alice, message.id, '👍');
    for (let i = 0; i < 2; i++) expect((await unreact(bob, message.id, '👍')).status).toBe(204);
    expect(await reactionsSeenBy(bob, message.id)).toEqual([{ emoji: '👍', count: 1, me: false }]);
    await unreact(alice, message.id, '👍');
    expect(await reactionsSeenBy(bob, message.id)).toEqual([]);
  });

  it('answers 204 for a reaction that was never there', async () => {
    const message = await send(server, alice, guild.generalId, 'nothing');
    expect((await unreact(bob, message.id, '🦄')).status).toBe(204);
  });
});

describe('DELETE /api/v1/messages/:messageId/reactions/:emoji/:userId', () => {
  it("removes someone else's reaction with manage_messages, and refuses others with 403", async () => {
    const message = await send(server, alice, guild.generalId, 'moderated');
    await react(bob, message.id, '💩');
    expectError(await server.api('DELETE', url(message.id, '💩', bob.id), as(alice)), 403, CODE.missingPermissions);
    expect((await server.api('DELETE', url(message.id, '💩', bob.id), as(modUser))).status).toBe(204);
    expect(await reactionsSeenBy(bob, message.id)).toEqual([]);
  });
});

describe('GET /api/v1/messages/:messageId/reactions/:emoji', () => {
  it('lists who reacted, by user id, with limit and after', async () => {
    const message = await send(server, alice, guild.generalId, 'who?');
    for (const who of [owner, alice, bob]) await react(who, message.id, '👀');
    const expected = [owner, alice, bob].map((a) => a.id).sort((x, y) => (BigInt(x) < BigInt(y) ? -1 : 1));
    const all = await server.api('GET', url(message.id, '👀'), as(modUser));
    expect(all.status).toBe(200);
    expect(all.body.map((u: { id: string }) => u.id)).toEqual(expected);
    expect(all.body.find((u: { id: string }) => u.id === bob.id)).toEqual({ id: bob.id, username: 'bob', global_name: null, avatar: null, bot: false });
    const page = await server.api('GET', `${url(message.id, '👀')}?limit=1&after=${expected[0]}`, as(modUser));
    expect(page.body.map((u: { id: string }) => u.id)).toEqual([expected[1]]);
  });

  it('answers an empty list for an emoji nobody used, and 404 (10014) for a non-emoji', async () => {
    const message = await send(server, alice, guild.generalId, 'quiet');
    expect((await server.api('GET', url(message.id, '🐢'), as(bob))).body).toEqual([]);
    expectError(await server.api('GET', url(message.id, 'turtle'), as(bob)), 404, CODE.unknownEmoji);
  });

  it('refuses a non-member with 403 and code 50001', async () => {
    const message = await send(server, alice, guild.generalId, 'private');
    expectError(await server.api('GET', url(message.id, '👍'), as(outsider)), 403, CODE.missingAccess);
  });
});

// Reactions through the discord dialect: react/unreact as discord.js encodes emoji, list users, clear.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { dataUri, png } from '../../support/images.ts';
import { startServer, type TestServer } from '../../support/test-server.ts';
import { type Bot, botIn, createGuild, expectDiscordError, type Guild, join, type Person, people, post, v10 } from './fixtures.ts';

let server: TestServer;
let admin: Person;
let bob: Person;
let guild: Guild;
let bot: Bot;
let mod: Bot;
let quiet: Bot;

const TALK = ['read_messages', 'send_messages', 'read_message_history', 'add_reactions'];
const THUMBS = '👍';
const enc = encodeURIComponent;

beforeAll(async () => {
  server = await startServer({ rateLimits: false });
  [admin, bob] = (await people(server, 'admin', 'bob')) as [Person, Person];
  guild = await createGuild(server, admin);
  await join(server, admin, guild, bob);
  bot = await botIn(server, admin, guild, 'reactbot', TALK);
  mod = await botIn(server, admin, guild, 'reactmod', [...TALK, 'manage_messages']);
  quiet = await botIn(server, admin, guild, 'noreact', ['read_messages', 'read_message_history']);
  // @everyone may react by default; this bot must not.
  await server.api('PUT', `/api/v1/channels/${guild.generalId}/permissions/${quiet.id}`, { token: admin.token, body: { type: 1, deny: ['add_reactions'] } });
});
afterAll(() => server.stop());

const path = (messageId: string, rest = ''): `/${string}` => `/channels/${guild.generalId}/messages/${messageId}/reactions${rest}`;
const reactionsOf = async (messageId: string, who: Bot = bot) =>
  ((await who.rest.get(`/channels/${guild.generalId}/messages/${messageId}`)) as { reactions?: unknown[] }).reactions;

describe('PUT /channels/:id/messages/:id/reactions/:emoji/@me', () => {
  it('reacts with a URL-encoded unicode emoji (message.react) with 204, and the message shows the reaction', async () => {
    const message = await post(server, bob, guild.generalId, 'react to me');
    const res = await v10(server, bot, 'PUT', path(message.id, `/${enc(THUMBS)}/@me`));
    expect({ status: res.status, body: res.body }).toEqual({ status: 204, body: null });
    expect(await reactionsOf(message.id)).toEqual([
      { count: 1, count_details: { burst: 0, normal: 1 }, me: true, me_burst: false, emoji: { id: null, name: THUMBS }, burst_colors: [] },
    ]);
    expect(await reactionsOf(message.id, mod)).toEqual([
      { count: 1, count_details: { burst: 0, normal: 1 }, me: false, me_burst: false, emoji: { id: null, name: THUMBS }, burst_colors: [] },
    ]);
  });

  it("takes one of the guild's custom emoji as name:id, as discord.js sends them", async () => {
    const created = await server.api('POST', `/api/v10/guilds/${guild.id}/emojis`, {
      token: admin.token,
      body: { name: 'blob', image: dataUri(png(), 'image/png') },
    });
    expect(created.status).toBe(201);
    const message = await post(server, bob, guild.generalId, 'custom');
    await bot.rest.put(path(message.id, `/${enc(`blob:${created.body.id}`)}/@me`));
    expect(await reactionsOf(message.id)).toEqual([
      {
        count: 1,
        count_details: { burst: 0, normal: 1 },
        me: true,
        me_burst: false,
        emoji: { id: created.body.id, name: 'blob', animated: false },
        burst_colors: [],
      },
    ]);
  });

  it('answers 10014 Unknown Emoji for a custom emoji that does not exist', async () => {
    const message = await post(server, bob, guild.generalId, 'ghost');
    await expectDiscordError(bot.rest.put(path(message.id, `/${enc('ghost:1234567890123456789')}/@me`)), 404, 10014, 'Unknown Emoji');
  });

  it('answers 10014 Unknown Emoji for something that is not an emoji', async () => {
    const message = await post(server, bob, guild.generalId, 'x');
    await expectDiscordError(bot.rest.put(path(message.id, '/notanemoji/@me')), 404, 10014, 'Unknown Emoji');
  });

  it('answers 50013 to a bot without ADD_REACTIONS adding a new emoji', async () => {
    const message = await post(server, bob, guild.generalId, 'no');
    await expectDiscordError(quiet.rest.put(path(message.id, `/${enc(THUMBS)}/@me`)), 403, 50013);
  });

  it('answers 10008 for a message of another channel', async () => {
    const other = await server.api('POST', `/api/v1/guilds/${guild.id}/channels`, { token: admin.token, body: { name: 'other' } });
    const elsewhere = await post(server, bob, other.body.id, 'elsewhere');
    await expectDiscordError(bot.rest.put(path(elsewhere.id, `/${enc(THUMBS)}/@me`)), 404, 10008);
  });
});

describe('DELETE /channels/:id/messages/:id/reactions/:emoji/@me and /:userId', () => {
  it('removes your own reaction with 204', async () => {
    const message = await post(server, bob, guild.generalId, 'undo');
    await bot.rest.put(path(message.id, `/${enc(THUMBS)}/@me`));
    await bot.rest.delete(path(message.id, `/${enc(THUMBS)}/@me`));
    expect(await reactionsOf(message.id)).toBeUndefined();
  });

  it("removes someone else's reaction only with MANAGE_MESSAGES", async () => {
    const message = await post(server, bob, guild.generalId, 'theirs');
    await server.api('PUT', `/api/v1/messages/${message.id}/reactions/${enc(THUMBS)}`, { token: bob.token });
    await expectDiscordError(bot.rest.delete(path(message.id, `/${enc(THUMBS)}/${bob.id}`)), 403, 50013);
    await mod.rest.delete(path(message.id, `/${enc(THUMBS)}/${bob.id}`));
    expect(await reactionsOf(message.id)).toBeUndefined();
  });
});

describe('GET /channels/:id/messages/:id/reactions/:emoji', () => {
  it('lists the users who reacted, by id, with limit and after', async () => {
    const message = await post(server, bob, guild.generalId, 'count us');
    for (const who of [bot, mod]) await who.rest.put(path(message.id, `/${enc(THUMBS)}/@me`));
    await server.api('PUT', `/api/v1/messages/${message.id}/reactions/${enc(THUMBS)}`, { token: bob.token });
    const all = (await bot.rest.get(path(message.id, `/${enc(THUMBS)}`))) as Record<string, unknown>[];
    const expectedIds: string[] = [bob.id, bot.id, mod.id].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
    expect(all.map((u) => u.id)).toEqual(expectedIds);
    expect(all.find((u) => u.id === bob.id)).toEqual({
      id: bob.id,
      username: 'bob',
      discriminator: '0',
      global_name: null,
      avatar: null,
      bot: false,
      public_flags: 0,
    });
    const paged = (await bot.rest.get(path(message.id, `/${enc(THUMBS)}`), {
      query: new URLSearchParams({ limit: '1', after: expectedIds[0] as string }),
    })) as { id: string }[];
    expect(paged.map((u) => u.id)).toEqual(expectedIds.slice(1, 2));
    expect(await bot.rest.get(path(message.id, `/${enc(THUMBS)}`), { query: new URLSearchParams({ type: '1' }) })).toEqual([]);
  });
});

describe('DELETE /channels/:id/messages/:id/reactions[/:emoji]', () => {
  it('clears one emoji (reaction.remove) and then all (message.reactions.removeAll), with MANAGE_MESSAGES', async () => {
    const message = await post(server, bob, guild.generalId, 'clear me');
    await bot.rest.put(path(message.id, `/${enc(THUMBS)}/@me`));
    await bot.rest.put(path(message.id, `/${enc('🎉')}/@me`));
    await mod.rest.put(path(message.id, `/${enc('🎉')}/@me`));
    await expectDiscordError(bot.rest.delete(path(message.id)), 403, 50013);
    await mod.rest.delete(path(message.id, `/${enc('🎉')}`));
    expect(((await reactionsOf(message.id)) as { emoji: { name: string } }[]).map((r) => r.emoji.name)).toEqual([THUMBS]);
    const res = await v10(server, mod, 'DELETE', path(message.id));
    expect(res.status).toBe(204);
    expect(await reactionsOf(message.id)).toBeUndefined();
  });
});

// Messages through the discord dialect: the full APIMessage shape, replies, allowed_mentions, nonces,
// history paging, edit, delete and bulk delete, driven by the real @discordjs/rest client.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import type { APIMessage } from 'discord-api-types/v10';
import { snowflakeTime } from '../../../src/domain/snowflake.ts';
import { startServer, type TestServer } from '../../support/test-server.ts';
import { type Bot, botIn, createGuild, expectDiscordError, type Guild, ISO_TIME, join, type Person, people, post, SNOWFLAKE, v10 } from './fixtures.ts';

let server: TestServer;
let admin: Person;
let bob: Person;
let guild: Guild;
let bot: Bot & { roleId: string };
let mod: Bot & { roleId: string };
let mute: Bot & { roleId: string };

const TALK = ['read_messages', 'send_messages', 'read_message_history', 'add_reactions'];

beforeAll(async () => {
  server = await startServer({ rateLimits: false });
  [admin, bob] = (await people(server, 'admin', 'bob')) as [Person, Person];
  guild = await createGuild(server, admin);
  await join(server, admin, guild, bob);
  bot = await botIn(server, admin, guild, 'msgbot', TALK);
  mod = await botIn(server, admin, guild, 'modbot', [...TALK, 'manage_messages']);
  mute = await botIn(server, admin, guild, 'mutebot', ['read_messages', 'read_message_history']);
  // @everyone may talk by default; take that away so mutebot really cannot send.
  await server.api('PUT', `/api/v1/channels/${guild.generalId}/permissions/${mute.id}`, { token: admin.token, body: { type: 1, deny: ['send_messages'] } });
});
afterAll(() => server.stop());

// Bodies and answers are loose JSON here: the tests send what discord.js sends and check exact values.
type Json = Record<string, any>;
const send = (who: Bot, body: Json, channelId = guild.generalId) =>
  who.rest.post(`/channels/${channelId}/messages`, { body: { tts: false, enforce_nonce: false, ...body } }) as Promise<Json>;

const userOf = (id: string, username: string, isBot: boolean) => ({
  id,
  username,
  discriminator: '0',
  global_name: null,
  avatar: null,
  bot: isBot,
  public_flags: 0,
});
const memberShape = (roles: string[]) => ({
  nick: null,
  avatar: null,
  banner: null,
  roles,
  joined_at: expect.stringMatching(ISO_TIME),
  premium_since: null,
  deaf: false,
  mute: false,
  flags: 0,
  pending: false,
  communication_disabled_until: null,
});

describe('POST /channels/:id/messages', () => {
  it('answers the full message object discord.js caches (channel.send)', async () => {
    const message = await send(bot, { content: `hello <@${bob.id}>` });
    expect(message).toEqual({
      id: expect.stringMatching(SNOWFLAKE),
      channel_id: guild.generalId,
      guild_id: guild.id,
      author: userOf(bot.id, 'msgbot', true),
      member: memberShape([bot.roleId]),
      content: `hello <@${bob.id}>`,
      timestamp: expect.stringMatching(ISO_TIME),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [{ ...userOf(bob.id, 'bob', false), member: memberShape([]) }],
      mention_roles: [],
      attachments: [],
      embeds: [],
      components: [],
      pinned: false,
      type: 0,
      flags: 0,
    });
  });

  it('sends Content-Type: application/json and a 200, as @discordjs/rest requires', async () => {
    const res = await v10(server, bot, 'POST', `/channels/${guild.generalId}/messages`, { content: 'raw' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toStartWith('application/json');
  });

  it('answers a reply (message.reply) as type 19 with message_reference and referenced_message, mentioning the replied author', async () => {
    const original = await post(server, bob, guild.generalId, 'ping');
    const reply = await send(bot, { content: 'pong', message_reference: { message_id: original.id, fail_if_not_exists: true } });
    expect(reply.type).toBe(19);
    expect(reply.message_reference).toEqual({ type: 0, message_id: original.id, channel_id: guild.generalId, guild_id: guild.id });
    expect(reply.referenced_message).toMatchObject({ id: original.id, content: 'ping', author: userOf(bob.id, 'bob', false), type: 0 });
    expect(reply.mentions.map((u: Json) => u.id)).toEqual([bob.id]);
  });

  it('does not mention the replied author when allowed_mentions.replied_user is false', async () => {
    const original = await post(server, bob, guild.generalId, 'quiet please');
    const reply = await send(bot, { content: 'ok', message_reference: { message_id: original.id }, allowed_mentions: { replied_user: false } });
    expect({ type: reply.type, mentions: reply.mentions }).toEqual({ type: 19, mentions: [] });
  });

  it('drops user mentions that allowed_mentions does not allow, and keeps listed ones', async () => {
    const none = await send(bot, { content: `<@${bob.id}> <@${admin.id}>`, allowed_mentions: { parse: [] } });
    expect(none.mentions).toEqual([]);
    const listed = await send(bot, { content: `<@${bob.id}> <@${admin.id}>`, allowed_mentions: { users: [admin.id] } });
    expect(listed.mentions.map((u: Json) => u.id)).toEqual([admin.id]);
  });

  it('refuses parse:["users"] together with a users list with 50035', async () => {
    await expectDiscordError(send(bot, { content: 'x', allowed_mentions: { parse: ['users'], users: [bob.id] } }), 400, 50035);
  });

  it('with fail_if_not_exists false, a reply to a missing message becomes a plain message', async () => {
    const message = await send(bot, { content: 'orphan', message_reference: { message_id: '1000000000000000003', fail_if_not_exists: false } });
    expect({ type: message.type, reference: 'message_reference' in message }).toEqual({ type: 0, reference: false });
  });

  it('refuses a reply to a missing message by default with 50035 on message_reference', async () => {
    const error = await expectDiscordError(send(bot, { content: 'x', message_reference: { message_id: '1000000000000000003' } }), 400, 50035);
    expect(Object.keys((error.rawError as { errors: object }).errors)).toEqual(['message_reference']);
  });

  it('echoes the nonce, and with enforce_nonce returns the first message instead of a duplicate', async () => {
    const first = await send(bot, { content: 'once', nonce: '1234567890', enforce_nonce: true });
    const second = await send(bot, { content: 'once', nonce: '1234567890', enforce_nonce: true });
    expect(first.nonce).toBe('1234567890');
    expect(second.id).toBe(first.id);
    const third = await send(bot, { content: 'once', nonce: '1234567890' });
    expect(third.id).not.toBe(first.id);
  });

  it('accepts an integer nonce and answers it as a string', async () => {
    const message = await send(bot, { content: 'n', nonce: 42 });
    expect(message.nonce).toBe('42');
  });

  it('accepts and ignores fields it does not implement (tts, flags, empty embeds, unknown keys)', async () => {
    const res = await v10(server, bot, 'POST', `/channels/${guild.generalId}/messages`, {
      content: 'lenient',
      tts: true,
      flags: 4096,
      embeds: [],
      components: [],
      sticker_ids: [],
      attachments: [],
      brand_new_field: { x: 1 },
    });
    expect(res.status).toBe(200);
    expect({ tts: res.body.tts, flags: res.body.flags }).toEqual({ tts: false, flags: 0 });
  });

  it('refuses stickers and polls clearly with 50035 naming each field', async () => {
    const error = await expectDiscordError(send(bot, { content: 'x', sticker_ids: ['1'], poll: { question: { text: 'q' } } }), 400, 50035);
    expect(error.rawError).toEqual({
      message: 'Invalid Form Body',
      code: 50035,
      errors: {
        sticker_ids: { _errors: [{ code: 'UNSUPPORTED_BY_SERVER', message: 'Stickers are not supported by this server' }] },
        poll: { _errors: [{ code: 'UNSUPPORTED_BY_SERVER', message: 'Polls are not supported by this server' }] },
      },
    });
    expect(error.message).toBe(
      'Invalid Form Body\nsticker_ids[UNSUPPORTED_BY_SERVER]: Stickers are not supported by this server\npoll[UNSUPPORTED_BY_SERVER]: Polls are not supported by this server',
    );
  });

  it('takes file uploads (multipart) as attachments (the details are in attachments.test.ts)', async () => {
    const sent = (await bot.rest.post(`/channels/${guild.generalId}/messages`, {
      body: { content: 'file' },
      files: [{ name: 'a.txt', data: Buffer.from('hi') }],
    })) as {
      attachments: { filename: string; size: number }[];
    };
    expect(sent.attachments.map((a) => [a.filename, a.size])).toEqual([['a.txt', 2]]);
  });

  it('refuses content over 4000 characters with 50035 BASE_TYPE_MAX_LENGTH', async () => {
    const error = await expectDiscordError(send(bot, { content: 'x'.repeat(4001) }), 400, 50035);
    expect(error.rawError).toEqual({
      message: 'Invalid Form Body',
      code: 50035,
      errors: { content: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 4000 or fewer in length.' }] } },
    });
    expect(error.message).toBe('Invalid Form Body\ncontent[BASE_TYPE_MAX_LENGTH]: Must be 4000 or fewer in length.');
  });

  it('refuses an empty message with 50006', async () => {
    await expectDiscordError(send(bot, { content: '   ' }), 400, 50006, 'Cannot send an empty message');
    await expectDiscordError(send(bot, {}), 400, 50006);
  });

  it('refuses content of the wrong type with 50035 on content', async () => {
    const res = await v10(server, bot, 'POST', `/channels/${guild.generalId}/messages`, { content: 5 });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe(50035);
    expect(Object.keys(res.body.errors)).toEqual(['content']);
    expect(res.body.errors.content._errors[0].code).toBeString();
  });

  it('refuses invalid JSON with 50109', async () => {
    const res = await server.api('POST', `/api/v10/channels/${guild.generalId}/messages`, {
      token: bot.token,
      scheme: 'Bot',
      raw: '{"content":',
      headers: { 'content-type': 'application/json' },
    });
    expect({ status: res.status, body: res.body }).toEqual({ status: 400, body: { message: 'The request body contains invalid JSON.', code: 50109 } });
  });

  it('answers 50013 Missing Permissions to a bot without SEND_MESSAGES', async () => {
    await expectDiscordError(send(mute, { content: 'let me talk' }), 403, 50013, 'Missing Permissions');
  });

  it('answers 10003 Unknown Channel for a channel that does not exist', async () => {
    await expectDiscordError(send(bot, { content: 'x' }, '1000000000000000004'), 404, 10003, 'Unknown Channel');
  });

  it('answers 50001 Missing Access in a guild the bot is not in', async () => {
    const elsewhere = await createGuild(server, admin, 'Elsewhere');
    await expectDiscordError(send(bot, { content: 'x' }, elsewhere.generalId), 403, 50001, 'Missing Access');
  });
});

describe('GET /channels/:id/messages', () => {
  let channelId: string;
  let ids: string[];

  beforeAll(async () => {
    const channel = await server.api('POST', `/api/v1/guilds/${guild.id}/channels`, { token: admin.token, body: { name: 'history' } });
    channelId = channel.body.id;
    ids = [];
    for (let i = 0; i < 60; i++) ids.push((await post(server, bob, channelId, `m${i}`)).id);
  });

  const fetchIds = async (query: Record<string, string>) =>
    ((await bot.rest.get(`/channels/${channelId}/messages`, { query: new URLSearchParams(query) })) as APIMessage[]).map((m) => m.id);

  it('answers 50 messages, newest first, by default', async () => {
    expect(await fetchIds({})).toEqual(ids.slice(10).reverse());
  });

  it('honours limit (channel.messages.fetch({limit: 10}))', async () => {
    expect(await fetchIds({ limit: '10' })).toEqual(ids.slice(50).reverse());
  });

  it('pages with before and after', async () => {
    expect(await fetchIds({ before: ids[10] as string, limit: '3' })).toEqual(ids.slice(7, 10).reverse());
    expect(await fetchIds({ after: ids[10] as string, limit: '3' })).toEqual(ids.slice(11, 14).reverse());
  });

  it('answers the messages around one, including it', async () => {
    expect(await fetchIds({ around: ids[30] as string, limit: '4' })).toEqual(ids.slice(29, 33).reverse());
  });

  it('refuses limit 0 and 101 with 50035 on limit', async () => {
    const low = await v10(server, bot, 'GET', `/channels/${channelId}/messages?limit=0`);
    expect({ status: low.status, body: low.body }).toEqual({
      status: 400,
      body: {
        message: 'Invalid Form Body',
        code: 50035,
        errors: { limit: { _errors: [{ code: 'NUMBER_TYPE_MIN', message: 'int value should be greater than or equal to 1.' }] } },
      },
    });
    const high = await v10(server, bot, 'GET', `/channels/${channelId}/messages?limit=101`);
    expect(high.body.errors).toEqual({ limit: { _errors: [{ code: 'NUMBER_TYPE_MAX', message: 'int value should be less than or equal to 100.' }] } });
    const word = await v10(server, bot, 'GET', `/channels/${channelId}/messages?limit=ten`);
    expect({ status: word.status, fields: Object.keys(word.body.errors) }).toEqual({ status: 400, fields: ['limit'] });
  });

  it('shows messages of people with their member object and Discord user shape', async () => {
    const [newest] = (await bot.rest.get(`/channels/${channelId}/messages`, { query: new URLSearchParams({ limit: '1' }) })) as (APIMessage & {
      member: unknown;
    })[];
    expect(newest?.author).toEqual(userOf(bob.id, 'bob', false));
    expect(newest?.member).toEqual(memberShape([]));
  });
});

describe('GET /channels/:id/messages/:id', () => {
  it('answers one message (channel.messages.fetch(id))', async () => {
    const sent = await send(bot, { content: 'fetch me' });
    expect(await bot.rest.get(`/channels/${guild.generalId}/messages/${sent.id}`)).toEqual(sent);
  });

  it('answers 10008 Unknown Message for a missing id, and for an id from another channel', async () => {
    await expectDiscordError(bot.rest.get(`/channels/${guild.generalId}/messages/1000000000000000005`), 404, 10008, 'Unknown Message');
    const dm = (await bot.rest.post('/users/@me/channels', { body: { recipient_id: bob.id } })) as { id: string };
    const inDm = await send(bot, { content: 'dm' }, dm.id);
    await expectDiscordError(bot.rest.get(`/channels/${guild.generalId}/messages/${inDm.id}`), 404, 10008);
  });
});

describe('PATCH /channels/:id/messages/:id', () => {
  it('edits the content (message.edit) and sets edited_timestamp', async () => {
    const sent = await send(bot, { content: 'draft' });
    const edited = (await bot.rest.patch(`/channels/${guild.generalId}/messages/${sent.id}`, {
      body: { content: 'final', tts: false, enforce_nonce: false },
    })) as APIMessage;
    expect({ ...edited, edited_timestamp: null }).toEqual({ ...sent, content: 'final', nonce: undefined } as never);
    expect(edited.edited_timestamp).toMatch(ISO_TIME);
  });

  it('answers the message unchanged when no content is sent (e.g. only flags)', async () => {
    const sent = await send(bot, { content: 'keep' });
    const same = (await bot.rest.patch(`/channels/${guild.generalId}/messages/${sent.id}`, { body: { flags: 4 } })) as APIMessage;
    expect(same.content).toBe('keep');
    expect(same.edited_timestamp).toBeNull();
  });

  it('answers an edit with the reactions (your own marked) and the thread the message has, as a fetch shows them', async () => {
    const sent = await send(bot, { content: 'react, thread, edit' });
    const path = `/channels/${guild.generalId}/messages/${sent.id}` as const;
    await bot.rest.put(`${path}/reactions/${encodeURIComponent('👍')}/@me`);
    await mod.rest.put(`${path}/reactions/${encodeURIComponent('🎉')}/@me`);
    const thread = (await bot.rest.post(`${path}/threads`, { body: { name: 'about it' } })) as Json;
    const edited = (await bot.rest.patch(path, { body: { content: 'edited' } })) as Json;
    expect(edited.reactions.map((r: Json) => [r.emoji.name, r.count, r.me])).toEqual([
      ['👍', 1, true],
      ['🎉', 1, false],
    ]);
    expect(edited.thread?.id).toBe(thread.id);
    expect(edited).toEqual((await bot.rest.get(path)) as Json);
  });

  it("refuses to edit someone else's message with 50005", async () => {
    const theirs = await post(server, bob, guild.generalId, 'mine');
    await expectDiscordError(bot.rest.patch(`/channels/${guild.generalId}/messages/${theirs.id}`, { body: { content: 'hijack' } }), 403, 50005);
  });
});

describe('DELETE /channels/:id/messages/:id', () => {
  it('deletes your own message with 204 (message.delete)', async () => {
    const sent = await send(bot, { content: 'bye' });
    const res = await v10(server, bot, 'DELETE', `/channels/${guild.generalId}/messages/${sent.id}`);
    expect({ status: res.status, body: res.body }).toEqual({ status: 204, body: null });
    await expectDiscordError(bot.rest.get(`/channels/${guild.generalId}/messages/${sent.id}`), 404, 10008);
  });

  it("deletes someone else's message only with MANAGE_MESSAGES", async () => {
    const theirs = await post(server, bob, guild.generalId, 'moderate me');
    await expectDiscordError(bot.rest.delete(`/channels/${guild.generalId}/messages/${theirs.id}`), 403, 50013);
    await mod.rest.delete(`/channels/${guild.generalId}/messages/${theirs.id}`, { reason: 'spam' });
    await expectDiscordError(bot.rest.get(`/channels/${guild.generalId}/messages/${theirs.id}`), 404, 10008);
  });
});

describe('POST /channels/:id/messages/bulk-delete', () => {
  it('deletes 2-100 messages with 204 (channel.bulkDelete)', async () => {
    const a = await post(server, bob, guild.generalId, 'a');
    const b = await post(server, bob, guild.generalId, 'b');
    const res = await v10(server, mod, 'POST', `/channels/${guild.generalId}/messages/bulk-delete`, { messages: [a.id, b.id] });
    expect({ status: res.status, body: res.body }).toEqual({ status: 204, body: null });
    await expectDiscordError(mod.rest.get(`/channels/${guild.generalId}/messages/${a.id}`), 404, 10008);
  });

  it('refuses a single id with 50035 and a bot without MANAGE_MESSAGES with 50013', async () => {
    const a = await post(server, bob, guild.generalId, 'alone');
    await expectDiscordError(mod.rest.post(`/channels/${guild.generalId}/messages/bulk-delete`, { body: { messages: [a.id] } }), 400, 50035);
    await expectDiscordError(bot.rest.post(`/channels/${guild.generalId}/messages/bulk-delete`, { body: { messages: [a.id, a.id] } }), 403, 50013);
  });
});

describe('a message timestamp and its id', () => {
  it('tell the same millisecond even on a clock that moves between reads (discord.js createdTimestamp)', async () => {
    let now = Date.UTC(2025, 0, 1);
    const ticking = await startServer({ rateLimits: false }, { now: () => now++ });
    try {
      const [owner] = (await people(ticking, 'ticker')) as [Person];
      const place = await createGuild(ticking, owner);
      const talker = await botIn(ticking, owner, place, 'tickbot', TALK);
      for (let i = 0; i < 5; i++) {
        const sent = (await talker.rest.post(`/channels/${place.generalId}/messages`, { body: { content: `tick ${i}` } })) as APIMessage;
        expect(Date.parse(sent.timestamp)).toBe(snowflakeTime(sent.id));
        const fetched = (await talker.rest.get(`/channels/${place.generalId}/messages/${sent.id}`)) as APIMessage;
        expect(fetched.timestamp).toBe(sent.timestamp);
      }
      const person = await post(ticking, owner, place.generalId, 'from a person');
      expect(Date.parse(person.timestamp)).toBe(snowflakeTime(person.id));
    } finally {
      await ticking.stop();
    }
  });
});

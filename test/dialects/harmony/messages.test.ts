// Messages (issue #2 item 7): send, history (limit, before/after as id or ISO time), get, edit, delete, typing,
// mentions, replies, pins and bulk delete. The server runs on a clock the tests can move.
import { beforeAll, describe, expect, it } from 'bun:test';
import {
  type Account,
  as,
  CODE,
  createGuild,
  expectError,
  expectInvalidField,
  grantRole,
  ISO_TIME,
  join,
  people,
  SNOWFLAKE,
  send,
  serverForFile,
} from './fixtures.ts';

let offset = 0;
/** When set, the server's clock stands still at this time. */
let frozen: number | null = null;
const clock = { now: () => frozen ?? Date.now() + offset };

const server = await serverForFile(clock);
const [owner, alice, bob, modUser, outsider] = await people(server, 'owner', 'alice', 'bob', 'moderator', 'outsider');
const guild = await createGuild(server, owner, 'Messages');
await join(server, owner, guild, alice, bob, modUser);
await grantRole(server, owner, guild, ['manage_messages', 'mention_everyone'], modUser);

const newChannel = async (name: string) => (await server.api('POST', `/api/v1/guilds/${guild.id}/channels`, as(owner, { name }))).body.id as string;
const post = (caller: Account, channelId: string, body: unknown) => server.api('POST', `/api/v1/channels/${channelId}/messages`, as(caller, body));
const history = (caller: Account, channelId: string, query = '') => server.api('GET', `/api/v1/channels/${channelId}/messages${query}`, as(caller));
const contents = (body: { content: string }[]) => body.map((m) => m.content);

describe('POST /api/v1/channels/:channelId/messages', () => {
  it('sends a message and answers it in the seed shape', async () => {
    const res = await post(alice, guild.generalId, { content: 'Hello, world!' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: expect.stringMatching(SNOWFLAKE),
      channel_id: guild.generalId,
      guild_id: guild.id,
      author: { id: alice.id, username: 'alice', global_name: null, avatar: null, bot: false },
      webhook_id: null,
      content: 'Hello, world!',
      timestamp: expect.stringMatching(ISO_TIME),
      edited_timestamp: null,
      mentions: [],
      mention_everyone: false,
      mention_roles: [],
      reply_to: null,
      pinned: false,
      nonce: null,
      embeds: [],
      components: [],
      attachments: [],
      suppress_embeds: false,
      reactions: [],
    });
    expect((await server.api('GET', `/api/v1/channels/${guild.generalId}`, as(bob))).body.last_message_id).toBe(res.body.id);
  });

  it('trims the content and echoes a nonce', async () => {
    const res = await post(alice, guild.generalId, { content: '  \n padded \t ', nonce: 'n-1' });
    expect([res.body.content, res.body.nonce]).toEqual(['padded', 'n-1']);
  });

  it('accepts exactly 4000 characters, also with whitespace around them', async () => {
    expect((await post(alice, guild.generalId, { content: 'a'.repeat(4000) })).body.content).toHaveLength(4000);
    expect((await post(alice, guild.generalId, { content: ` ${'b'.repeat(4000)}\n` })).body.content).toHaveLength(4000);
  });

  it('counts characters, not UTF-16 units: 4000 emoji fit, 4001 do not', async () => {
    expect((await post(alice, guild.generalId, { content: '😀'.repeat(4000) })).status).toBe(200);
    expectInvalidField(await post(alice, guild.generalId, { content: '😀'.repeat(4001) }), 'content', 'BASE_TYPE_MAX_LENGTH');
  });

  it('rejects content over 4000 characters with 400 and code 50035', async () => {
    expectInvalidField(await post(alice, guild.generalId, { content: 'a'.repeat(4001) }), 'content', 'BASE_TYPE_MAX_LENGTH');
    expectInvalidField(await post(alice, guild.generalId, { content: 'a'.repeat(9000) }), 'content');
  });

  it('rejects empty or whitespace-only content with 400 and code 50006', async () => {
    expectError(await post(alice, guild.generalId, { content: '' }), 400, CODE.emptyMessage);
    expectError(await post(alice, guild.generalId, { content: ' \n\t ' }), 400, CODE.emptyMessage);
  });

  it('rejects a body with nothing to show (no content, embeds or components) with 400 and code 50006', async () => {
    for (const body of [{}, { content: null }, { content: ' ', embeds: [], components: [] }]) {
      const res = await post(alice, guild.generalId, body);
      expect({ status: res.status, body: res.body }).toEqual({ status: 400, body: { code: 50006, message: 'Cannot send an empty message' } });
    }
  });

  it('rejects a non-string content and unknown fields with 400 and code 50035', async () => {
    expectInvalidField(await post(alice, guild.generalId, { content: ['hi'] }), 'content');
    expectInvalidField(await post(alice, guild.generalId, { content: 'hi', tts: true }), 'tts');
  });

  describe('reply_to', () => {
    it('answers a message in the same channel', async () => {
      const target = await send(server, bob, guild.generalId, 'question?');
      const res = await post(alice, guild.generalId, { content: 'answer', reply_to: target.id });
      expect(res.status).toBe(200);
      expect(res.body.reply_to).toBe(target.id);
    });

    it('rejects a message of another channel and an unknown message with 400 and code 50035', async () => {
      const other = await newChannel('elsewhere');
      const target = await send(server, bob, other, 'over here');
      for (const replyTo of [target.id, '1234567890123456789']) {
        const res = await post(alice, guild.generalId, { content: 'answer', reply_to: replyTo });
        expect({ status: res.status, code: res.body.code }).toEqual({ status: 400, code: CODE.invalidForm });
      }
    });

    it('rejects a reply_to that is not a snowflake with 400 and code 50035', async () => {
      expectInvalidField(await post(alice, guild.generalId, { content: 'answer', reply_to: 'latest' }), 'reply_to');
    });
  });

  describe('mentions', () => {
    it('parses <@id> and <@!id> into a list of member ids, once each, in order', async () => {
      const res = await post(alice, guild.generalId, { content: `hi <@${bob.id}> and <@!${owner.id}>, again <@${bob.id}>` });
      expect(res.body.mentions).toEqual([bob.id, owner.id]);
    });

    it('leaves out ids of people who are not in the guild, and role or channel mentions', async () => {
      const res = await post(alice, guild.generalId, { content: `<@${outsider.id}> <@&${guild.id}> <#${guild.generalId}> <@1234567890123456789>` });
      expect(res.body.mentions).toEqual([]);
    });

    it('counts @everyone only for someone with mention_everyone', async () => {
      expect((await post(alice, guild.generalId, { content: 'hey @everyone' })).body.mention_everyone).toBe(false);
      expect((await post(modUser, guild.generalId, { content: 'hey @everyone' })).body.mention_everyone).toBe(true);
      expect((await post(owner, guild.generalId, { content: 'hey @here' })).body.mention_everyone).toBe(true);
    });
  });

  it('refuses a member without send_messages with 403 and code 50013', async () => {
    const muted = await newChannel('muted');
    await server.api('PUT', `/api/v1/channels/${muted}/permissions/${guild.everyoneRoleId}`, as(owner, { type: 0, deny: ['send_messages'] }));
    expectError(await post(alice, muted, { content: 'let me talk' }), 403, CODE.missingPermissions, 'Missing Permissions');
  });

  it('refuses a non-member with 403 and code 50001, and answers 404 with code 10003 for an unknown channel', async () => {
    expectError(await post(outsider, guild.generalId, { content: 'hi' }), 403, CODE.missingAccess, 'Missing Access');
    expectError(await post(alice, '1234567890123456789', { content: 'hi' }), 404, CODE.unknownChannel);
  });
});

describe('GET /api/v1/channels/:channelId/messages', () => {
  let channel: string;
  let sent: { id: string; content: string }[];
  beforeAll(async () => {
    channel = await newChannel('history');
    sent = [];
    for (let i = 0; i < 55; i++) sent.push(await send(server, i % 2 ? alice : bob, channel, `m${i}`));
  }, 30_000);

  it('answers the 50 newest messages, newest first, by default', async () => {
    const res = await history(alice, channel);
    expect(res.status).toBe(200);
    expect(contents(res.body)).toEqual(
      sent
        .slice(5)
        .reverse()
        .map((m) => m.content),
    );
  });

  it('honours limit from 1 to 100 and rejects 0, 101 and non-integers with 400 and code 50035', async () => {
    expect(contents((await history(alice, channel, '?limit=1')).body)).toEqual(['m54']);
    expect((await history(alice, channel, '?limit=100')).body).toHaveLength(55);
    for (const limit of ['0', '101', 'x', '1.5', '-1']) {
      const res = await history(alice, channel, `?limit=${limit}`);
      expect({ limit, status: res.status, code: res.body.code }).toEqual({ limit, status: 400, code: CODE.invalidForm });
    }
  });

  it('pages backwards with before=<message id> (exclusive)', async () => {
    const res = await history(alice, channel, `?before=${sent[10]?.id}&limit=3`);
    expect(contents(res.body)).toEqual(['m9', 'm8', 'm7']);
  });

  it('pages forwards with after=<message id> (exclusive), still newest first', async () => {
    const res = await history(alice, channel, `?after=${sent[10]?.id}&limit=3`);
    expect(contents(res.body)).toEqual(['m13', 'm12', 'm11']);
  });

  it('combines before and after', async () => {
    const res = await history(alice, channel, `?after=${sent[20]?.id}&before=${sent[24]?.id}`);
    expect(contents(res.body)).toEqual(['m23', 'm22', 'm21']);
  });

  it('takes before and after as ISO-8601 timestamps, as the seed shows', async () => {
    const timed = await newChannel('timed');
    const base = clock.now();
    const at = (hours: number) => new Date(base + hours * 3600_000);
    try {
      for (const hours of [1, 2, 3]) {
        frozen = at(hours).getTime();
        await send(server, alice, timed, `hour ${hours}`);
      }
    } finally {
      frozen = null;
      offset += 4 * 3600_000;
    }
    const iso = (d: Date) => encodeURIComponent(d.toISOString());
    expect(contents((await history(alice, timed, `?before=${iso(at(2))}`)).body)).toEqual(['hour 1']);
    expect(contents((await history(alice, timed, `?after=${iso(at(2))}`)).body)).toEqual(['hour 3']);
    expect(contents((await history(alice, timed, `?after=${iso(at(0))}&before=${iso(at(3))}`)).body)).toEqual(['hour 2', 'hour 1']);
    const noMillis = at(2.5)
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z');
    expect(contents((await history(alice, timed, `?before=${noMillis}`)).body)).toEqual(['hour 2', 'hour 1']);
    const withOffset = encodeURIComponent(new Date(base + 2.5 * 3600_000 + 2 * 3600_000).toISOString().replace(/\.\d{3}Z$/, '+02:00'));
    expect(contents((await history(alice, timed, `?before=${withOffset}`)).body)).toEqual(['hour 2', 'hour 1']);
    expect((await history(alice, timed, '?before=2015-01-01T00:00:00Z')).body).toEqual([]);
  }, 30_000);

  it('rejects a before/after that is neither an id nor an ISO timestamp with 400 and code 50035', async () => {
    for (const query of ['?before=yesterday', '?after=2024-01-01', '?before=2024-13-45T99:99:99Z', '?before=-1']) {
      const res = await history(alice, channel, query);
      expect({ query, status: res.status, code: res.body.code }).toEqual({ query, status: 400, code: CODE.invalidForm });
    }
  });

  it('refuses a member without read_message_history with 403 and code 50013', async () => {
    await server.api('PUT', `/api/v1/channels/${channel}/permissions/${bob.id}`, as(owner, { type: 1, deny: ['read_message_history'] }));
    expectError(await history(bob, channel), 403, CODE.missingPermissions);
    await server.api('DELETE', `/api/v1/channels/${channel}/permissions/${bob.id}`, as(owner));
  });

  it('refuses a non-member with 403 and code 50001', async () => {
    expectError(await history(outsider, channel), 403, CODE.missingAccess);
  });
});

describe('GET /api/v1/channels/:channelId/messages/:messageId', () => {
  it('answers one message', async () => {
    const message = await send(server, alice, guild.generalId, 'find me');
    const res = await server.api('GET', `/api/v1/channels/${guild.generalId}/messages/${message.id}`, as(bob));
    expect(res.status).toBe(200);
    expect(res.body).toEqual(message);
  });

  it('answers 404 with code 10008 for a message of another channel or an unknown id', async () => {
    const other = await newChannel('other-get');
    const message = await send(server, alice, other, 'not here');
    expectError(await server.api('GET', `/api/v1/channels/${guild.generalId}/messages/${message.id}`, as(bob)), 404, CODE.unknownMessage, 'Unknown Message');
    expectError(await server.api('GET', `/api/v1/channels/${guild.generalId}/messages/1234567890123456789`, as(bob)), 404, CODE.unknownMessage);
  });
});

describe('PATCH /api/v1/messages/:messageId', () => {
  it('lets the author edit: new content, edited_timestamp set, mentions parsed again', async () => {
    const message = await send(server, alice, guild.generalId, 'first draft');
    offset += 1000;
    const res = await server.api('PATCH', `/api/v1/messages/${message.id}`, as(alice, { content: `  final, cc <@${bob.id}>  ` }));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...message, content: `final, cc <@${bob.id}>`, mentions: [bob.id], edited_timestamp: expect.stringMatching(ISO_TIME) });
    expect(Date.parse(res.body.edited_timestamp)).toBeGreaterThan(Date.parse(message.timestamp));
    const stored = await server.api('GET', `/api/v1/channels/${guild.generalId}/messages/${message.id}`, as(bob));
    expect(stored.body).toEqual(res.body);
  });

  it('refuses anyone but the author, even the owner, with 403 and code 50005', async () => {
    const message = await send(server, alice, guild.generalId, 'mine');
    for (const other of [bob, owner, modUser]) {
      expectError(await server.api('PATCH', `/api/v1/messages/${message.id}`, as(other, { content: 'hijacked' })), 403, CODE.cannotEditOthers);
    }
  });

  it('rejects empty content (50006) and content over 4000 characters (50035)', async () => {
    const message = await send(server, alice, guild.generalId, 'to edit');
    expectError(await server.api('PATCH', `/api/v1/messages/${message.id}`, as(alice, { content: '  ' })), 400, CODE.emptyMessage);
    expectInvalidField(await server.api('PATCH', `/api/v1/messages/${message.id}`, as(alice, { content: 'x'.repeat(4001) })), 'content');
    expectInvalidField(await server.api('PATCH', `/api/v1/messages/${message.id}`, as(alice, { content: 'ok', pinned: true })), 'pinned');
  });

  it('answers 404 with code 10008 for an unknown message', async () => {
    expectError(await server.api('PATCH', '/api/v1/messages/1234567890123456789', as(alice, { content: 'x' })), 404, CODE.unknownMessage);
  });
});

describe('DELETE /api/v1/messages/:messageId', () => {
  it('lets the author delete with 204; the message is then unknown', async () => {
    const message = await send(server, alice, guild.generalId, 'oops');
    expect((await server.api('DELETE', `/api/v1/messages/${message.id}`, as(alice))).status).toBe(204);
    expectError(await server.api('GET', `/api/v1/channels/${guild.generalId}/messages/${message.id}`, as(alice)), 404, CODE.unknownMessage);
    expectError(await server.api('DELETE', `/api/v1/messages/${message.id}`, as(alice)), 404, CODE.unknownMessage);
  });

  it("lets someone with manage_messages delete another's message", async () => {
    const message = await send(server, alice, guild.generalId, 'moderate me');
    expect((await server.api('DELETE', `/api/v1/messages/${message.id}`, as(modUser))).status).toBe(204);
  });

  it('refuses another member without manage_messages with 403 and code 50013', async () => {
    const message = await send(server, alice, guild.generalId, 'keep me');
    expectError(await server.api('DELETE', `/api/v1/messages/${message.id}`, as(bob)), 403, CODE.missingPermissions);
  });

  it('refuses a non-member with 403 and code 50001', async () => {
    const message = await send(server, alice, guild.generalId, 'keep me too');
    expectError(await server.api('DELETE', `/api/v1/messages/${message.id}`, as(outsider)), 403, CODE.missingAccess);
  });
});

describe('POST /api/v1/channels/:channelId/typing', () => {
  it('answers 204 with no body', async () => {
    const res = await server.api('POST', `/api/v1/channels/${guild.generalId}/typing`, as(alice));
    expect(res.status).toBe(204);
    expect(res.body).toBeNull();
  });

  it('refuses someone who may not send there with 403', async () => {
    const quiet = await newChannel('quiet');
    await server.api('PUT', `/api/v1/channels/${quiet}/permissions/${alice.id}`, as(owner, { type: 1, deny: ['send_messages'] }));
    expectError(await server.api('POST', `/api/v1/channels/${quiet}/typing`, as(alice)), 403, CODE.missingPermissions);
    expectError(await server.api('POST', `/api/v1/channels/${quiet}/typing`, as(outsider)), 403, CODE.missingAccess);
  });
});

describe('pins', () => {
  it('PUT and DELETE /channels/:id/pins/:messageId pin and unpin with manage_messages; GET lists pins', async () => {
    const message = await send(server, alice, guild.generalId, 'pin me');
    expect((await server.api('PUT', `/api/v1/channels/${guild.generalId}/pins/${message.id}`, as(modUser))).status).toBe(204);
    const pins = await server.api('GET', `/api/v1/channels/${guild.generalId}/pins`, as(bob));
    expect(pins.body).toEqual([{ ...message, pinned: true }]);
    expect((await server.api('DELETE', `/api/v1/channels/${guild.generalId}/pins/${message.id}`, as(modUser))).status).toBe(204);
    expect((await server.api('GET', `/api/v1/channels/${guild.generalId}/pins`, as(bob))).body).toEqual([]);
  });

  it('refuses pinning without manage_messages with 403 and code 50013', async () => {
    const message = await send(server, alice, guild.generalId, 'no pin');
    expectError(await server.api('PUT', `/api/v1/channels/${guild.generalId}/pins/${message.id}`, as(alice)), 403, CODE.missingPermissions);
  });
});

describe('POST /api/v1/channels/:channelId/messages/bulk-delete', () => {
  it('deletes 2-100 recent messages with manage_messages', async () => {
    const channel = await newChannel('bulk');
    const a = await send(server, alice, channel, 'a');
    const b = await send(server, bob, channel, 'b');
    const c = await send(server, bob, channel, 'c');
    const res = await server.api('POST', `/api/v1/channels/${channel}/messages/bulk-delete`, as(modUser, { messages: [a.id, b.id] }));
    expect(res.status).toBe(204);
    expect(contents((await history(alice, channel)).body)).toEqual([c.content]);
  });

  it('rejects fewer than 2 ids with 400, and refuses without manage_messages with 403', async () => {
    const channel = await newChannel('bulk-two');
    const a = await send(server, alice, channel, 'a');
    expectInvalidField(await server.api('POST', `/api/v1/channels/${channel}/messages/bulk-delete`, as(modUser, { messages: [a.id] })), 'messages');
    expectError(
      await server.api('POST', `/api/v1/channels/${channel}/messages/bulk-delete`, as(alice, { messages: [a.id, a.id] })),
      403,
      CODE.missingPermissions,
    );
  });

  it('refuses messages older than 14 days with 400 and code 50034', async () => {
    const channel = await newChannel('bulk-old');
    const old = [await send(server, alice, channel, 'old 1'), await send(server, alice, channel, 'old 2')];
    offset += 15 * 24 * 3600_000;
    expectError(await server.api('POST', `/api/v1/channels/${channel}/messages/bulk-delete`, as(modUser, { messages: old.map((m) => m.id) })), 400, 50034);
  });
});

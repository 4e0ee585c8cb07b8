// Dispatches of the v10 gateway, field by field, over a bare WebSocket: Discord's names and shapes (a message
// looks exactly as GET /api/v10 returns it), which intents bring which events, per-user payloads (content for
// mentions, DM recipients, one's own member), and Request Guild Members (op 8).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'bun:test';
import { GatewayIntentBits as Intent } from 'discord-api-types/v10';
import { connectAs } from '../../../support/gateway-client.ts';
import { register } from '../../../support/test-server.ts';
import { type Account, buildWorld, closeSockets, connectV10, createBot, openV10, type V10Client, type World } from './fixtures.ts';

const ALL =
  Intent.Guilds |
  Intent.GuildMembers |
  Intent.GuildPresences |
  Intent.GuildMessages |
  Intent.GuildMessageReactions |
  Intent.GuildMessageTyping |
  Intent.DirectMessages |
  Intent.DirectMessageReactions |
  Intent.DirectMessageTyping |
  Intent.MessageContent;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

let world: World;
let bot: Account;

beforeAll(async () => {
  world = await buildWorld();
  bot = await createBot(world, 'eventbot');
}, 30_000);
afterAll(async () => {
  await world.server.stop();
});
afterEach(() => {
  closeSockets();
});

const post = (account: Account, content: string, channelId = world.generalId, extra: Record<string, unknown> = {}) =>
  world.call(account.token, 'POST', `/channels/${channelId}/messages`, { content, ...extra });

/** The message as GET /api/v10/channels/:id/messages/:id shows it to the bot. */
async function restMessage(channelId: string, messageId: string): Promise<any> {
  const res = await world.server.api('GET', `/api/v10/channels/${channelId}/messages/${messageId}`, { token: bot.token, scheme: 'Bot' });
  expect(res.status).toBe(200);
  return res.body;
}

/** Connects the bot with `intents` and waits for its GUILD_CREATE. */
async function botSession(intents = ALL, account = bot): Promise<V10Client> {
  const client = await connectV10(world.server, account.token, intents);
  if (intents & Intent.Guilds) await client.dispatch('GUILD_CREATE');
  return client;
}

describe('message events', () => {
  it('MESSAGE_CREATE is the message exactly as REST returns it: author, member, mentions with member, a reply with its reference', async () => {
    const client = await botSession();
    const original = await post(world.bob, 'the question');
    const reply = await post(world.alice, `answer for <@${world.bob.id}>`, world.generalId, { reply_to: original.id });
    const frame = await client.dispatch('MESSAGE_CREATE', (d) => d.id === reply.id);
    const rest = await restMessage(world.generalId, reply.id);
    expect(frame.d).toEqual(rest);
    expect(frame.d.type).toBe(19);
    expect(frame.d.message_reference).toEqual({ type: 0, message_id: original.id, channel_id: world.generalId, guild_id: world.guildId });
    expect(frame.d.referenced_message.id).toBe(original.id);
    expect(frame.d.mentions.map((u: any) => [u.id, u.member.joined_at !== undefined])).toEqual([[world.bob.id, true]]);
    expect(frame.d.member.roles).toEqual([]);
    for (const empty of ['attachments', 'embeds', 'components', 'mention_roles']) expect(frame.d[empty]).toEqual([]);
    expect({ tts: frame.d.tts, pinned: frame.d.pinned, flags: frame.d.flags, edited: frame.d.edited_timestamp }).toEqual({
      tts: false,
      pinned: false,
      flags: 0,
      edited: null,
    });
  });

  it('MESSAGE_UPDATE carries the full edited message; MESSAGE_DELETE and MESSAGE_DELETE_BULK the ids', async () => {
    const client = await botSession();
    const posted = await post(world.alice, 'v1 text');
    await world.call(world.alice.token, 'PATCH', `/messages/${posted.id}`, { content: 'v2 text' });
    const updated = await client.dispatch('MESSAGE_UPDATE', (d) => d.id === posted.id);
    expect(updated.d).toEqual(await restMessage(world.generalId, posted.id));
    expect(updated.d.edited_timestamp).toMatch(ISO);
    await world.call(world.alice.token, 'DELETE', `/messages/${posted.id}`, undefined, 204);
    expect((await client.dispatch('MESSAGE_DELETE', (d) => d.id === posted.id)).d).toEqual({
      id: posted.id,
      channel_id: world.generalId,
      guild_id: world.guildId,
    });
    const a = await post(world.alice, 'bulk a');
    const b = await post(world.alice, 'bulk b');
    await world.call(world.alice.token, 'POST', `/channels/${world.generalId}/messages/bulk-delete`, { messages: [a.id, b.id] }, 204);
    const bulk = await client.dispatch('MESSAGE_DELETE_BULK');
    expect({ ...bulk.d, ids: [...bulk.d.ids].sort() }).toEqual({ ids: [a.id, b.id].sort(), channel_id: world.generalId, guild_id: world.guildId });
  });

  it('a DM message has channel_type 1 and no guild_id or member', async () => {
    const client = await botSession();
    const dm = await world.call(world.alice.token, 'POST', '/users/@me/channels', { recipient_id: bot.id });
    const posted = await post(world.alice, 'psst', dm.id);
    const frame = await client.dispatch('MESSAGE_CREATE', (d) => d.id === posted.id);
    expect(frame.d.channel_type).toBe(1);
    expect('guild_id' in frame.d || 'member' in frame.d).toBe(false);
    expect(frame.d.content).toBe('psst');
  });

  it('MESSAGE_REACTION_ADD with member, emoji, burst, type and message_author_id; MESSAGE_REACTION_REMOVE without member', async () => {
    const client = await botSession();
    const posted = await post(world.bob, 'react to me');
    await world.call(world.alice.token, 'PUT', `/messages/${posted.id}/reactions/${encodeURIComponent('🔥')}`, undefined, 204);
    const add = await client.dispatch('MESSAGE_REACTION_ADD', (d) => d.message_id === posted.id);
    expect({ ...add.d, member: undefined }).toEqual({
      user_id: world.alice.id,
      channel_id: world.generalId,
      message_id: posted.id,
      guild_id: world.guildId,
      member: undefined,
      emoji: { id: null, name: '🔥' },
      burst: false,
      burst_colors: [],
      type: 0,
      message_author_id: world.bob.id,
    });
    expect(add.d.member.user.id).toBe(world.alice.id);
    await world.call(world.alice.token, 'DELETE', `/messages/${posted.id}/reactions/${encodeURIComponent('🔥')}`, undefined, 204);
    const remove = await client.dispatch('MESSAGE_REACTION_REMOVE', (d) => d.message_id === posted.id);
    expect(remove.d).toEqual({
      user_id: world.alice.id,
      channel_id: world.generalId,
      message_id: posted.id,
      guild_id: world.guildId,
      emoji: { id: null, name: '🔥' },
      burst: false,
      type: 0,
    });
  });

  it('TYPING_START has a UNIX-seconds timestamp and the member', async () => {
    const client = await botSession();
    const before = Math.floor(Date.now() / 1000);
    await world.call(world.bob.token, 'POST', `/channels/${world.generalId}/typing`, undefined, 204);
    const typing = await client.dispatch('TYPING_START', (d) => d.user_id === world.bob.id);
    expect(Number.isInteger(typing.d.timestamp)).toBe(true);
    expect(typing.d.timestamp).toBeGreaterThanOrEqual(before);
    expect(typing.d.timestamp).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000));
    expect({ channel: typing.d.channel_id, guild: typing.d.guild_id, member: typing.d.member.user.id }).toEqual({
      channel: world.generalId,
      guild: world.guildId,
      member: world.bob.id,
    });
  });
});

describe('guild, channel, role, member, presence and user events', () => {
  it('CHANNEL_CREATE/UPDATE/DELETE with guild_id; GUILD_ROLE_CREATE/UPDATE/DELETE; GUILD_UPDATE', async () => {
    const client = await botSession();
    const channel = await world.call(world.alice.token, 'POST', `/guilds/${world.guildId}/channels`, { name: 'ops' });
    const created = await client.dispatch('CHANNEL_CREATE', (d) => d.id === channel.id);
    expect({ guild_id: created.d.guild_id, type: created.d.type, name: created.d.name }).toEqual({ guild_id: world.guildId, type: 0, name: 'ops' });
    await world.call(world.alice.token, 'PATCH', `/channels/${channel.id}`, { topic: 'on call' });
    expect((await client.dispatch('CHANNEL_UPDATE', (d) => d.id === channel.id)).d.topic).toBe('on call');
    await world.call(world.alice.token, 'DELETE', `/channels/${channel.id}`);
    expect((await client.dispatch('CHANNEL_DELETE', (d) => d.id === channel.id)).d.guild_id).toBe(world.guildId);

    const role = await world.call(world.alice.token, 'POST', `/guilds/${world.guildId}/roles`, { name: 'helpers' });
    const roleCreate = await client.dispatch('GUILD_ROLE_CREATE', (d) => d.role.id === role.id);
    expect({ guild: roleCreate.d.guild_id, name: roleCreate.d.role.name, permissions: typeof roleCreate.d.role.permissions }).toEqual({
      guild: world.guildId,
      name: 'helpers',
      permissions: 'string',
    });
    await world.call(world.alice.token, 'PATCH', `/guilds/${world.guildId}/roles/${role.id}`, { name: 'helpers!' });
    expect((await client.dispatch('GUILD_ROLE_UPDATE', (d) => d.role.id === role.id)).d.role.name).toBe('helpers!');
    await world.call(world.alice.token, 'DELETE', `/guilds/${world.guildId}/roles/${role.id}`, undefined, 204);
    expect((await client.dispatch('GUILD_ROLE_DELETE', (d) => d.role_id === role.id)).d).toEqual({ guild_id: world.guildId, role_id: role.id });

    await world.call(world.alice.token, 'PATCH', `/guilds/${world.guildId}`, { name: 'Renamed Guild' });
    const update = await client.dispatch('GUILD_UPDATE');
    expect({ id: update.d.id, name: update.d.name, everyone: update.d.roles.some((r: any) => r.id === world.guildId) }).toEqual({
      id: world.guildId,
      name: 'Renamed Guild',
      everyone: true,
    });
    await world.call(world.alice.token, 'PATCH', `/guilds/${world.guildId}`, { name: 'Compat Guild' });
  });

  it('GUILD_MEMBER_UPDATE with guild_id and user; without GUILD_MEMBERS only about the session itself', async () => {
    const everything = await botSession();
    const lean = await botSession(Intent.Guilds | Intent.GuildMessages);
    await world.call(world.alice.token, 'PATCH', `/guilds/${world.guildId}/members/${world.bob.id}`, { nick: 'bobby' });
    await world.call(world.alice.token, 'PATCH', `/guilds/${world.guildId}/members/${bot.id}`, { nick: 'botty' });
    const bob = await everything.dispatch('GUILD_MEMBER_UPDATE', (d) => d.user.id === world.bob.id);
    expect({ guild_id: bob.d.guild_id, nick: bob.d.nick, roles: bob.d.roles, joined_at: bob.d.joined_at }).toEqual({
      guild_id: world.guildId,
      nick: 'bobby',
      roles: [],
      joined_at: expect.stringMatching(ISO),
    });
    const own = await lean.dispatch('GUILD_MEMBER_UPDATE', (d) => d.user.id === bot.id);
    expect(own.d.nick).toBe('botty');
    expect(lean.dispatches('GUILD_MEMBER_UPDATE').map((f) => f.d.user.id)).toEqual([bot.id]);
    await world.call(world.alice.token, 'PATCH', `/guilds/${world.guildId}/members/${world.bob.id}`, { nick: null });
    await world.call(world.alice.token, 'PATCH', `/guilds/${world.guildId}/members/${bot.id}`, { nick: null });
  });

  it('GUILD_MEMBER_ADD and GUILD_MEMBER_REMOVE; PRESENCE_UPDATE with user id, status, activities and client_status', async () => {
    const client = await botSession();
    const dave = await register(world.server, 'dave');
    const invite = await world.call(world.alice.token, 'POST', `/channels/${world.generalId}/invites`, {});
    await world.call(dave.token, 'POST', `/invites/${invite.code}`);
    const add = await client.dispatch('GUILD_MEMBER_ADD', (d) => d.user.id === dave.id);
    expect({ guild_id: add.d.guild_id, username: add.d.user.username, nick: add.d.nick, roles: add.d.roles }).toEqual({
      guild_id: world.guildId,
      username: 'dave',
      nick: null,
      roles: [],
    });

    const session = await connectAs(world.server, dave.token);
    session.send({ op: 3, d: { status: 'idle', afk: true, since: null, activities: [{ name: 'tea', type: 0 }] } });
    const presence = await client.dispatch('PRESENCE_UPDATE', (d) => d.user.id === dave.id && d.status === 'idle');
    expect({ ...presence.d, activities: presence.d.activities.map((a: any) => [a.name, a.type, typeof a.id, typeof a.created_at]) }).toEqual({
      user: { id: dave.id },
      guild_id: world.guildId,
      status: 'idle',
      activities: [['tea', 0, 'string', 'number']],
      client_status: { desktop: 'idle' },
    });
    session.close();

    await world.call(dave.token, 'DELETE', `/guilds/${world.guildId}/members/${dave.id}`, undefined, 204);
    const remove = await client.dispatch('GUILD_MEMBER_REMOVE', (d) => d.user.id === dave.id);
    expect(remove.d).toEqual({
      guild_id: world.guildId,
      user: { id: dave.id, username: 'dave', discriminator: '0', global_name: null, avatar: null, bot: false, public_flags: 0 },
    });
  }, 15_000);

  it('PRESENCE_UPDATE for an online newcomer right after GUILD_MEMBER_ADD, only with GUILD_PRESENCES', async () => {
    const full = await botSession();
    const lean = await botSession(Intent.Guilds | Intent.GuildMembers);
    const eve = await register(world.server, 'eve');
    const session = await connectAs(world.server, eve.token, {
      presence: { since: null, status: 'dnd', afk: false, activities: [{ name: 'chess', type: 0 }] },
    });
    const invite = await world.call(world.alice.token, 'POST', `/channels/${world.generalId}/invites`, {});
    await world.call(eve.token, 'POST', `/invites/${invite.code}`);

    const add = await full.dispatch('GUILD_MEMBER_ADD', (d) => d.user.id === eve.id);
    await full.waitFor((f) => f.op === 0 && f.s !== null && add.s !== null && f.s > add.s);
    const dispatches = full.frames.filter((f) => f.op === 0);
    const next = dispatches[dispatches.indexOf(add) + 1];
    expect(next?.t).toBe('PRESENCE_UPDATE');
    expect({ ...next?.d, activities: next?.d.activities.map((a: { name: string; type: number }) => [a.name, a.type]) }).toEqual({
      user: { id: eve.id },
      guild_id: world.guildId,
      status: 'dnd',
      activities: [['chess', 0]],
      client_status: { desktop: 'dnd' },
    });

    // Without GUILD_PRESENCES: the join, then silence (a later member update on the same stream proves it).
    await lean.dispatch('GUILD_MEMBER_ADD', (d) => d.user.id === eve.id);
    await world.call(world.alice.token, 'PATCH', `/guilds/${world.guildId}/members/${eve.id}`, { nick: 'Evie' });
    await lean.dispatch('GUILD_MEMBER_UPDATE', (d) => d.user.id === eve.id);
    expect(lean.dispatches('PRESENCE_UPDATE')).toEqual([]);
    session.close();
  });

  it('GUILD_DELETE {id, unavailable: false} when the bot is removed, GUILD_CREATE when it is added back', async () => {
    const other = await createBot(world, 'roamingbot', {}, ['read_messages']);
    const client = await botSession(Intent.Guilds, other);
    await world.call(world.alice.token, 'DELETE', `/guilds/${world.guildId}/bots/${other.id}`, undefined, 204);
    expect((await client.dispatch('GUILD_DELETE')).d).toEqual({ id: world.guildId, unavailable: false });
    await world.call(world.alice.token, 'PUT', `/guilds/${world.guildId}/bots/${other.id}`, { permissions: ['read_messages'] });
    const again = await client.waitFor((f) => f.t === 'GUILD_CREATE' && client.dispatches('GUILD_CREATE').length === 2);
    expect({ id: again.d.id, unavailable: again.d.unavailable, me: again.d.members.map((m: any) => m.user.id) }).toEqual({
      id: world.guildId,
      unavailable: false,
      me: [other.id],
    });
  });

  it('USER_UPDATE to the bot itself when its profile changes', async () => {
    const client = await botSession();
    await world.call(bot.token, 'PATCH', '/users/@me', { global_name: 'Event Bot' });
    const update = await client.dispatch('USER_UPDATE');
    expect({ id: update.d.id, global_name: update.d.global_name, bot: update.d.bot }).toEqual({ id: bot.id, global_name: 'Event Bot', bot: true });
  });

  it('DM CHANNEL_CREATE with type 1 shows each participant the other one as recipient', async () => {
    const dmBot = await createBot(world, 'dmbot', {}, []);
    const client = await connectV10(world.server, dmBot.token, Intent.DirectMessages);
    const alice = await connectV10(world.server, world.alice.token, Intent.DirectMessages);
    // dmBot is in no guild: it takes DMs from anyone, or alice could not open one.
    await world.call(dmBot.token, 'PATCH', '/users/@me/settings', { allow_dms_from: 'everyone' });
    const dm = await world.call(world.alice.token, 'POST', '/users/@me/channels', { recipient_id: dmBot.id });
    const toBot = await client.dispatch('CHANNEL_CREATE', (d) => d.id === dm.id);
    const toAlice = await alice.dispatch('CHANNEL_CREATE', (d) => d.id === dm.id);
    expect([toBot.d.type, toBot.d.recipients.map((u: any) => u.id)]).toEqual([1, [world.alice.id]]);
    expect([toAlice.d.type, toAlice.d.recipients.map((u: any) => u.id)]).toEqual([1, [dmBot.id]]);
    expect(toBot.s).toBe(toAlice.s);
  });
});

describe('intents select the events', () => {
  it('GUILDS alone: channel events, no messages; GUILD_MESSAGES alone: messages, no channel events', async () => {
    const guildsOnly = await botSession(Intent.Guilds);
    const messagesOnly = await botSession(Intent.GuildMessages | Intent.MessageContent);
    const posted = await post(world.alice, 'who hears this');
    const channel = await world.call(world.alice.token, 'POST', `/guilds/${world.guildId}/channels`, { name: 'sentinel' });
    const after = await post(world.alice, 'after the channel');
    await guildsOnly.dispatch('CHANNEL_CREATE', (d) => d.id === channel.id);
    expect(guildsOnly.dispatches('MESSAGE_CREATE')).toEqual([]);
    await messagesOnly.dispatch('MESSAGE_CREATE', (d) => d.id === after.id);
    expect(messagesOnly.dispatches('MESSAGE_CREATE').map((f) => f.d.id)).toEqual([posted.id, after.id]);
    expect(messagesOnly.dispatches('CHANNEL_CREATE')).toEqual([]);
    expect(messagesOnly.dispatches('GUILD_CREATE')).toEqual([expect.objectContaining({ op: 0 })]);
  });

  it('no TYPING_START, reactions, member or presence events without their intents', async () => {
    const client = await botSession(Intent.Guilds | Intent.GuildMessages | Intent.MessageContent);
    const posted = await post(world.bob, 'react here');
    await world.call(world.bob.token, 'POST', `/channels/${world.generalId}/typing`, undefined, 204);
    await world.call(world.bob.token, 'PUT', `/messages/${posted.id}/reactions/${encodeURIComponent('👀')}`, undefined, 204);
    const bob = await connectAs(world.server, world.bob.token);
    bob.send({ op: 3, d: { status: 'dnd', afk: false, since: null, activities: [] } });
    await Bun.sleep(50);
    const sentinel = await post(world.alice, 'sentinel');
    await client.dispatch('MESSAGE_CREATE', (d) => d.id === sentinel.id);
    expect(client.frames.filter((f) => f.op === 0).map((f) => f.t)).toEqual(['READY', 'GUILD_CREATE', 'MESSAGE_CREATE', 'MESSAGE_CREATE']);
    bob.close();
  });

  it('without MESSAGE_CONTENT: content only in messages that mention the bot or are its own, every frame in sequence order', async () => {
    const blind = await createBot(world, 'blind', { message_content: false });
    const client = await botSession(Intent.Guilds | Intent.GuildMessages, blind);
    const seeing = await botSession(Intent.Guilds | Intent.GuildMessages | Intent.MessageContent);
    const a = await post(world.alice, 'hidden a');
    const b = await post(world.alice, `visible to <@${blind.id}>`);
    const own = await world.server.api('POST', `/api/v10/channels/${world.generalId}/messages`, {
      token: blind.token,
      scheme: 'Bot',
      body: { content: 'said by blind' },
    });
    const c = await post(world.alice, 'hidden c', world.generalId, { reply_to: own.body.id });
    const last = await client.dispatch('MESSAGE_CREATE', (d) => d.id === c.id);
    const frames = client.dispatches('MESSAGE_CREATE');
    expect(frames.map((f) => [f.d.id, f.d.content])).toEqual([
      [a.id, ''],
      [b.id, `visible to <@${blind.id}>`],
      [own.body.id, 'said by blind'],
      [c.id, ''],
    ]);
    expect(last.d.referenced_message.content).toBe('');
    const seqs = frames.map((f) => f.s as number);
    expect(seqs.every((s, i) => i === 0 || s > (seqs[i - 1] as number))).toBe(true);
    await seeing.dispatch('MESSAGE_CREATE', (d) => d.id === c.id);
    expect(seeing.dispatches('MESSAGE_CREATE').map((f) => f.d.content)).toEqual(['hidden a', `visible to <@${blind.id}>`, 'said by blind', 'hidden c']);
    // The same sequence numbers on both sessions: one dispatch, two variants.
    expect(seeing.dispatches('MESSAGE_CREATE').map((f) => f.s)).toEqual(seqs);
  });
  it('RESUME replays the same variants: the mention with content, the rest without', async () => {
    const blind = await createBot(world, 'blindresume', { message_content: false });
    const first = await botSession(Intent.Guilds | Intent.GuildMessages, blind);
    const sessionId = first.dispatches('READY')[0]?.d.session_id;
    const seq = first.lastSeq;
    first.close(4000);
    await first.closed();
    const plain = await post(world.alice, 'missed, hidden');
    const mention = await post(world.alice, `missed, for <@${blind.id}>`);
    const second = await openV10(world.server);
    await second.waitFor((f) => f.op === 10);
    second.send({ op: 6, d: { token: blind.token, session_id: sessionId, seq } });
    await second.dispatch('RESUMED');
    expect(second.dispatches('MESSAGE_CREATE').map((f) => [f.d.id, f.d.content])).toEqual([
      [plain.id, ''],
      [mention.id, `missed, for <@${blind.id}>`],
    ]);
  });
});

describe('Request Guild Members (op 8)', () => {
  it('by query prefix, by user ids (unknown ones in not_found), with the nonce and presences', async () => {
    const client = await botSession();
    client.send({ op: 8, d: { guild_id: world.guildId, query: 'AL', limit: 10, nonce: 'n1' } });
    const byQuery = await client.dispatch('GUILD_MEMBERS_CHUNK', (d) => d.nonce === 'n1');
    expect({ ...byQuery.d, members: byQuery.d.members.map((m: any) => m.user.id) }).toEqual({
      guild_id: world.guildId,
      members: [world.alice.id],
      chunk_index: 0,
      chunk_count: 1,
      nonce: 'n1',
    });
    const stranger = '1300000000000000000';
    client.send({ op: 8, d: { guild_id: world.guildId, user_ids: [world.bob.id, stranger], presences: true, nonce: 'n2' } });
    const byIds = await client.dispatch('GUILD_MEMBERS_CHUNK', (d) => d.nonce === 'n2');
    expect(byIds.d.members.map((m: any) => m.user.id)).toEqual([world.bob.id]);
    expect(byIds.d.not_found).toEqual([stranger]);
    expect(byIds.d.presences).toEqual([]);
  });

  it('takes guild_id and user_ids as JSON integers, 19 digits and all, as discord.py sends them', async () => {
    const client = await botSession();
    client.send(`{"op":8,"d":{"guild_id":${world.guildId},"presences":false,"limit":0,"user_ids":[${world.bob.id}],"nonce":"ints"}}`);
    const chunk = await client.dispatch('GUILD_MEMBERS_CHUNK', (d) => d.nonce === 'ints');
    expect([chunk.d.guild_id, chunk.d.members.map((m: any) => m.user.id)]).toEqual([world.guildId, [world.bob.id]]);
    expect(client.closeInfo).toBeNull();
  });

  it('without GUILD_MEMBERS a request for everyone gets one empty chunk instead of a 120 s timeout', async () => {
    const client = await botSession(Intent.Guilds);
    client.send({ op: 8, d: { guild_id: world.guildId, query: '', limit: 0, nonce: 'all' } });
    expect((await client.dispatch('GUILD_MEMBERS_CHUNK')).d).toEqual({ guild_id: world.guildId, members: [], chunk_index: 0, chunk_count: 1, nonce: 'all' });
  });

  it('answers nothing for a guild the session is not in, and closes with 4002 on a malformed request', async () => {
    const client = await botSession();
    client.send({ op: 8, d: { guild_id: '1300000000000000000', query: '', limit: 0, nonce: 'elsewhere' } });
    client.send({ op: 8, d: { guild_id: world.guildId, query: '', limit: 0, nonce: 'here' } });
    await client.dispatch('GUILD_MEMBERS_CHUNK', (d) => d.nonce === 'here');
    expect(client.dispatches('GUILD_MEMBERS_CHUNK').map((f) => f.d.nonce)).toEqual(['here']);
    client.send({ op: 8, d: { guild_id: world.guildId } });
    expect((await client.closed()).code).toBe(4002);
  });

  it('sends everyone of a large guild in chunks of 1000', async () => {
    const { users, guildBots } = world.server.harmony.core.services;
    for (let i = 0; i < 1000; i++) {
      const { bot: extra } = await users.createBot({ username: `filler_${i}`, createdBy: world.alice.id });
      await guildBots.put(world.guildId, world.alice.id, extra.id, 1n << 10n);
    }
    const client = await botSession();
    client.send({ op: 8, d: { guild_id: world.guildId, query: '', limit: 0, nonce: 'big' } });
    await client.waitFor(() => client.dispatches('GUILD_MEMBERS_CHUNK').length === 2);
    const chunks = client.dispatches('GUILD_MEMBERS_CHUNK').map((f) => f.d);
    expect(chunks.map((c) => [c.chunk_index, c.chunk_count, c.members.length])).toEqual([
      [0, 2, 1000],
      [1, 2, chunks[1]?.members.length],
    ]);
    const total = await world.server.harmony.core.uow.repos.guilds.memberCount(world.guildId);
    expect(chunks[0].members.length + chunks[1].members.length).toBe(total);
    expect(new Set(chunks.flatMap((c) => c.members.map((m: any) => m.user.id))).size).toBe(total);
    // Adding the thousand members is two thousand writes: seconds on SQLite, several times that on PostgreSQL.
  }, 90_000);
});

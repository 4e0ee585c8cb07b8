// The thread routes over raw HTTP, for what a library hides: exact bodies and status codes, every permission
// edge (who may create, post, rename, archive, lock, add, remove, list), auto-archive on a fake clock, and the
// THREAD_* frames a bare v10 session receives.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'bun:test';
import { ChannelType, GatewayIntentBits as Intent, PermissionFlagsBits as P } from 'discord-api-types/v10';
import { startServer, type TestServer } from '../../support/test-server.ts';
import { type Bot, botIn, createGuild, type Guild, ISO_TIME, join, type Person, people, post, SNOWFLAKE } from './fixtures.ts';
import { closeSockets, connectV10 } from './gateway/fixtures.ts';

let server: TestServer;
let alice: Person;
let bob: Person;
let carol: Person;
let guild: Guild;
/** Can do everything with threads but manage them. */
let helper: Bot;
/** Can read and send in channels, nothing about threads. */
let plain: Bot;
let offset = 0;
const clock = { now: () => Date.now() + offset };

beforeAll(async () => {
  server = await startServer({ rateLimits: false }, clock);
  [alice, bob, carol] = (await people(server, 'alice', 'bob', 'carol')) as [Person, Person, Person];
  guild = await createGuild(server, alice, 'Thread Guild');
  await join(server, alice, guild, bob, carol);
  helper = await botIn(server, alice, guild, 'helper', [
    'read_messages',
    'send_messages',
    'read_message_history',
    'create_public_threads',
    'create_private_threads',
    'send_messages_in_threads',
  ]);
  plain = await botIn(server, alice, guild, 'plain', ['read_messages', 'send_messages', 'read_message_history']);
  // @everyone keeps its default thread permissions; the bots' own permissions come from their roles, so @everyone's
  // thread bits are taken away to make `plain` truly thread-less.
  const everyone = await server.api('PATCH', `/api/v10/guilds/${guild.id}/roles/${guild.id}`, {
    token: alice.token,
    body: { permissions: String(P.ViewChannel | P.SendMessages | P.ReadMessageHistory | P.CreatePrivateThreads | P.SendMessagesInThreads) },
  });
  expect(everyone.status).toBe(200);
  // People get public threads back through a role.
  const role = await server.api('POST', `/api/v10/guilds/${guild.id}/roles`, {
    token: alice.token,
    body: { name: 'threaders', permissions: String(P.CreatePublicThreads) },
  });
  for (const person of [bob, carol]) {
    const given = await server.api('PUT', `/api/v10/guilds/${guild.id}/members/${person.id}/roles/${role.body.id}`, { token: alice.token });
    expect(given.status).toBe(204);
  }
}, 30_000);
afterAll(() => server.stop());
afterEach(() => closeSockets());

const as = (who: { token: string }, method: string, path: string, body?: unknown) =>
  server.api(method, `/api/v10${path}`, { token: who.token, scheme: 'id' in who && 'rest' in who ? 'Bot' : 'Bearer', body });

describe('POST /channels/:id/threads', () => {
  it('creates a private thread by default: 201 with Discord thread fields, the creator as only member', async () => {
    const res = await as(helper, 'POST', `/channels/${guild.generalId}/threads`, { name: 'Planning' });
    expect(res.status).toBe(201);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.body).toEqual({
      id: expect.stringMatching(SNOWFLAKE),
      type: ChannelType.PrivateThread,
      guild_id: guild.id,
      name: 'Planning',
      parent_id: guild.generalId,
      owner_id: helper.id,
      last_message_id: null,
      rate_limit_per_user: 0,
      message_count: 0,
      member_count: 1,
      total_message_sent: 0,
      thread_metadata: {
        archived: false,
        auto_archive_duration: 1440,
        archive_timestamp: expect.stringMatching(ISO_TIME),
        locked: false,
        invitable: true,
        create_timestamp: expect.stringMatching(ISO_TIME),
      },
      flags: 0,
    });
    const members = await as(helper, 'GET', `/channels/${res.body.id}/thread-members`);
    expect(members.body).toEqual([{ id: res.body.id, user_id: helper.id, join_timestamp: expect.stringMatching(ISO_TIME), flags: 0 }]);
  });

  it('refuses without CREATE_PUBLIC_THREADS (50013), a bad type or auto_archive_duration (50035), an unknown channel (10003)', async () => {
    const refused = await as(plain, 'POST', `/channels/${guild.generalId}/threads`, { name: 'nope', type: ChannelType.PublicThread });
    expect({ status: refused.status, body: refused.body }).toEqual({ status: 403, body: { code: 50013, message: 'Missing Permissions' } });
    const badType = await as(helper, 'POST', `/channels/${guild.generalId}/threads`, { name: 'x', type: 0 });
    expect({ status: badType.status, code: badType.body.code, field: Object.keys(badType.body.errors) }).toEqual({ status: 400, code: 50035, field: ['type'] });
    const badDuration = await as(helper, 'POST', `/channels/${guild.generalId}/threads`, { name: 'x', auto_archive_duration: 30 });
    expect({ status: badDuration.status, field: Object.keys(badDuration.body.errors) }).toEqual({ status: 400, field: ['auto_archive_duration'] });
    const unknownChannel = await as(helper, 'POST', '/channels/1300000000000000000/threads', { name: 'x' });
    expect({ status: unknownChannel.status, body: unknownChannel.body }).toEqual({ status: 404, body: { code: 10003, message: 'Unknown Channel' } });
    const unknownMessage = await as(helper, 'POST', `/channels/${guild.generalId}/messages/1300000000000000000/threads`, { name: 'x' });
    expect({ status: unknownMessage.status, code: unknownMessage.body.code }).toEqual({ status: 404, code: 10008 });
  });

  it('sends THREAD_CREATE with newly_created to viewers, and nothing about a private thread to non-members', async () => {
    const watcher = await connectV10(server, plain.token, Intent.Guilds | Intent.GuildMessages);
    const res = await as(helper, 'POST', `/channels/${guild.generalId}/threads`, { name: 'Open', type: ChannelType.PublicThread });
    const created = await watcher.event('THREAD_CREATE', (d) => d.id === res.body.id);
    expect(created.d).toEqual({ ...res.body, newly_created: true });
    const secret = await as(helper, 'POST', `/channels/${guild.generalId}/threads`, { name: 'Secret' });
    const marker = await as(helper, 'POST', `/channels/${guild.generalId}/threads`, { name: 'After', type: ChannelType.PublicThread });
    await watcher.event('THREAD_CREATE', (d) => d.id === marker.body.id);
    expect(watcher.frames.some((f) => f.t === 'THREAD_CREATE' && f.d.id === secret.body.id)).toBe(false);
  });
});

describe('posting in threads', () => {
  it('needs SEND_MESSAGES_IN_THREADS, not SEND_MESSAGES, and makes the poster a member', async () => {
    const thread = (await as(helper, 'POST', `/channels/${guild.generalId}/threads`, { name: 'Talk', type: ChannelType.PublicThread })).body;
    // plain has SEND_MESSAGES only (its role) and @everyone gives SEND_MESSAGES_IN_THREADS: it may post.
    const sent = await as(plain, 'POST', `/channels/${thread.id}/messages`, { content: 'in thread' });
    expect({ status: sent.status, channel: sent.body.channel_id }).toEqual({ status: 200, channel: thread.id });
    const member = await as(plain, 'GET', `/channels/${thread.id}/thread-members/${plain.id}?with_member=true`);
    expect({ status: member.status, user: member.body.user_id, memberUser: member.body.member.user.id }).toEqual({
      status: 200,
      user: plain.id,
      memberUser: plain.id,
    });
    const after = (await as(plain, 'GET', `/channels/${thread.id}`)).body;
    expect({ message_count: after.message_count, total: after.total_message_sent, last: after.last_message_id, members: after.member_count }).toEqual({
      message_count: 1,
      total: 1,
      last: sent.body.id,
      members: 2,
    });
    // Without SEND_MESSAGES_IN_THREADS in the parent, no posting in its threads (but still in the parent).
    await as(alice, 'PUT', `/channels/${guild.generalId}/permissions/${guild.id}`, { type: 0, deny: String(P.SendMessagesInThreads) });
    const denied = await as(bob, 'POST', `/channels/${thread.id}/messages`, { content: 'nope' });
    expect({ status: denied.status, code: denied.body.code }).toEqual({ status: 403, code: 50013 });
    expect((await as(bob, 'POST', `/channels/${guild.generalId}/messages`, { content: 'parent ok' })).status).toBe(200);
    await as(alice, 'DELETE', `/channels/${guild.generalId}/permissions/${guild.id}`);
  });

  it('hides a private thread and its messages from non-members (50001) and shows it to MANAGE_THREADS holders', async () => {
    const thread = (await as(bob, 'POST', `/channels/${guild.generalId}/threads`, { name: 'bob only' })).body;
    await as(bob, 'POST', `/channels/${thread.id}/messages`, { content: 'private words' });
    for (const path of [`/channels/${thread.id}`, `/channels/${thread.id}/messages`]) {
      const hidden = await as(carol, 'GET', path);
      expect({ path, status: hidden.status, body: hidden.body }).toEqual({ path, status: 403, body: { code: 50001, message: 'Missing Access' } });
    }
    expect((await as(carol, 'PUT', `/channels/${thread.id}/thread-members/@me`)).status).toBe(403);
    // alice owns the guild, so she holds MANAGE_THREADS.
    const seen = await as(alice, 'GET', `/channels/${thread.id}/messages`);
    expect(seen.body.map((m: { content: string }) => m.content)).toEqual(['private words']);
    // invitable: bob may add carol; then she sees it.
    expect((await as(bob, 'PUT', `/channels/${thread.id}/thread-members/${carol.id}`)).status).toBe(204);
    expect((await as(carol, 'GET', `/channels/${thread.id}/messages`)).status).toBe(200);
    // The owner of a private thread may remove members; carol may not remove bob.
    const refused = await as(carol, 'DELETE', `/channels/${thread.id}/thread-members/${bob.id}`);
    expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 403, code: 50013 });
    expect((await as(bob, 'DELETE', `/channels/${thread.id}/thread-members/${carol.id}`)).status).toBe(204);
    expect((await as(carol, 'GET', `/channels/${thread.id}`)).status).toBe(403);
  });

  it('keeps a private thread with invitable false closed to additions by anyone without MANAGE_THREADS', async () => {
    const closed = (await as(bob, 'POST', `/channels/${guild.generalId}/threads`, { name: 'closed', invitable: false })).body;
    expect(closed.thread_metadata.invitable).toBe(false);
    const refused = await as(bob, 'PUT', `/channels/${closed.id}/thread-members/${carol.id}`);
    expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 403, code: 50013 });
    expect((await as(alice, 'PUT', `/channels/${closed.id}/thread-members/${carol.id}`)).status).toBe(204);
    const unknownMember = await as(alice, 'GET', `/channels/${closed.id}/thread-members/${helper.id}`);
    expect({ status: unknownMember.status, code: unknownMember.body.code }).toEqual({ status: 404, code: 10007 });
    const invite = await as(alice, 'POST', `/channels/${closed.id}/invites`, {});
    expect({ status: invite.status, code: invite.body.code }).toEqual({ status: 400, code: 50024 });
  });
});

describe('THREAD_MEMBERS_UPDATE and THREAD_MEMBER_UPDATE', () => {
  it('reach a session without GUILD_MEMBERS only when its own user is added or removed', async () => {
    const thread = (await as(bob, 'POST', `/channels/${guild.generalId}/threads`, { name: 'Roll call', type: ChannelType.PublicThread })).body;
    const watcher = await connectV10(server, helper.token, Intent.Guilds);
    expect((await as(bob, 'PUT', `/channels/${thread.id}/thread-members/${carol.id}`)).status).toBe(204);
    expect((await as(bob, 'PUT', `/channels/${thread.id}/thread-members/${helper.id}`)).status).toBe(204);
    const own = await watcher.event('THREAD_MEMBER_UPDATE', (d) => d.id === thread.id);
    expect(own.d).toEqual({ id: thread.id, user_id: helper.id, join_timestamp: expect.stringMatching(ISO_TIME), flags: 0, guild_id: guild.id });
    const update = await watcher.event('THREAD_MEMBERS_UPDATE', (d) => d.id === thread.id);
    expect(update.d).toEqual({
      id: thread.id,
      guild_id: guild.id,
      member_count: 3,
      added_members: [{ id: thread.id, user_id: helper.id, join_timestamp: own.d.join_timestamp, flags: 0 }],
    });
    // carol's join came first and was not this session's business.
    expect(watcher.frames.filter((f) => f.t === 'THREAD_MEMBERS_UPDATE').length).toBe(1);
    expect((await as(helper, 'DELETE', `/channels/${thread.id}/thread-members/@me`)).status).toBe(204);
    const left = await watcher.event('THREAD_MEMBERS_UPDATE', (d) => d.id === thread.id && d.removed_member_ids !== undefined);
    expect(left.d).toEqual({ id: thread.id, guild_id: guild.id, member_count: 2, removed_member_ids: [helper.id] });
  });
});

describe('THREAD_LIST_SYNC', () => {
  it('comes after CHANNEL_CREATE when a channel with active threads becomes visible, with the session own memberships', async () => {
    const room = (await as(alice, 'POST', `/guilds/${guild.id}/channels`, { name: 'hidden-room' })).body;
    await as(alice, 'PUT', `/channels/${room.id}/permissions/${helper.id}`, { type: 1, deny: String(P.ViewChannel) });
    const open = (await as(alice, 'POST', `/channels/${room.id}/threads`, { name: 'ongoing', type: ChannelType.PublicThread })).body;
    const archived = (await as(alice, 'POST', `/channels/${room.id}/threads`, { name: 'old', type: ChannelType.PublicThread })).body;
    await as(alice, 'PATCH', `/channels/${archived.id}`, { archived: true });
    const watcher = await connectV10(server, helper.token, Intent.Guilds);
    expect((await as(alice, 'DELETE', `/channels/${room.id}/permissions/${helper.id}`)).status).toBe(204);
    const sync = await watcher.event('THREAD_LIST_SYNC', (d) => d.channel_ids?.includes(room.id));
    const created = watcher.frames.findIndex((f) => f.t === 'CHANNEL_CREATE' && f.d.id === room.id);
    expect(created).toBeGreaterThanOrEqual(0);
    expect(created).toBeLessThan(watcher.frames.indexOf(sync));
    expect({ guild: sync.d.guild_id, channels: sync.d.channel_ids, threads: sync.d.threads.map((t: { id: string }) => t.id), members: sync.d.members }).toEqual(
      {
        guild: guild.id,
        channels: [room.id],
        threads: [open.id],
        members: [],
      },
    );
    expect(watcher.frames.some((f) => f.t === 'THREAD_CREATE' && f.d.id === open.id)).toBe(false);
  });
});

describe('leaving the guild', () => {
  it('leaves its threads too: rejoining does not give back a private thread', async () => {
    const [dave] = (await people(server, 'dave')) as [Person];
    await join(server, alice, guild, dave);
    const secret = (await as(bob, 'POST', `/channels/${guild.generalId}/threads`, { name: 'with dave' })).body;
    expect((await as(bob, 'PUT', `/channels/${secret.id}/thread-members/${dave.id}`)).status).toBe(204);
    expect((await as(dave, 'GET', `/channels/${secret.id}`)).status).toBe(200);
    expect((await server.api('DELETE', `/api/v1/users/@me/guilds/${guild.id}`, { token: dave.token })).status).toBe(204);
    const members = await as(bob, 'GET', `/channels/${secret.id}/thread-members`);
    expect(members.body.map((m: { user_id: string }) => m.user_id)).toEqual([bob.id]);
    await join(server, alice, guild, dave);
    const after = await as(dave, 'GET', `/channels/${secret.id}`);
    expect({ status: after.status, code: after.body.code }).toEqual({ status: 403, code: 50001 });
  });
});

describe('PATCH /channels/:thread', () => {
  it('lets the owner rename and archive, needs MANAGE_THREADS to lock, refuses changes to an archived thread (50083)', async () => {
    const thread = (await as(bob, 'POST', `/channels/${guild.generalId}/threads`, { name: 'Mine', type: ChannelType.PublicThread })).body;
    const renamed = await as(bob, 'PATCH', `/channels/${thread.id}`, { name: 'Still mine' });
    expect({ status: renamed.status, name: renamed.body.name }).toEqual({ status: 200, name: 'Still mine' });
    const notOwner = await as(carol, 'PATCH', `/channels/${thread.id}`, { name: 'Taken' });
    expect({ status: notOwner.status, code: notOwner.body.code }).toEqual({ status: 403, code: 50013 });
    const lock = await as(bob, 'PATCH', `/channels/${thread.id}`, { locked: true });
    expect({ status: lock.status, code: lock.body.code }).toEqual({ status: 403, code: 50013 });

    const archived = await as(bob, 'PATCH', `/channels/${thread.id}`, { archived: true });
    expect({ status: archived.status, archived: archived.body.thread_metadata.archived }).toEqual({ status: 200, archived: true });
    const onArchived = await as(bob, 'PATCH', `/channels/${thread.id}`, { name: 'again' });
    expect({ status: onArchived.status, body: onArchived.body }).toEqual({ status: 400, body: { code: 50083, message: 'Thread is archived' } });
    const join = await as(carol, 'PUT', `/channels/${thread.id}/thread-members/@me`);
    expect({ status: join.status, code: join.body.code }).toEqual({ status: 400, code: 50083 });

    // Locked by a manager while archived: only a manager may unarchive it, and posting does not.
    expect((await as(alice, 'PATCH', `/channels/${thread.id}`, { locked: true })).body.thread_metadata.locked).toBe(true);
    const unarchive = await as(bob, 'PATCH', `/channels/${thread.id}`, { archived: false });
    expect({ status: unarchive.status, code: unarchive.body.code }).toEqual({ status: 403, code: 160005 });
    const postLocked = await as(bob, 'POST', `/channels/${thread.id}/messages`, { content: 'hello?' });
    expect({ status: postLocked.status, code: postLocked.body.code }).toEqual({ status: 403, code: 160005 });
    const byManager = await as(alice, 'PATCH', `/channels/${thread.id}`, { archived: false, locked: false });
    expect(byManager.body.thread_metadata).toMatchObject({ archived: false, locked: false });
  });

  it('DELETE needs MANAGE_THREADS; deleting the starter message keeps the thread; deleting the parent deletes its threads', async () => {
    const room = (await as(alice, 'POST', `/guilds/${guild.id}/channels`, { name: 'room' })).body;
    const starter = await post(server, bob, room.id, 'start here');
    const thread = (await as(bob, 'POST', `/channels/${room.id}/messages/${starter.id}/threads`, { name: 'From message' })).body;
    expect({ id: thread.id, type: thread.type }).toEqual({ id: starter.id, type: ChannelType.PublicThread });
    const starterNow = (await as(bob, 'GET', `/channels/${room.id}/messages/${starter.id}`)).body;
    expect({ flags: starterNow.flags, thread: starterNow.thread.id }).toEqual({ flags: 32, thread: thread.id });

    const refused = await as(bob, 'DELETE', `/channels/${thread.id}`);
    expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 403, code: 50013 });
    expect((await as(bob, 'DELETE', `/channels/${room.id}/messages/${starter.id}`)).status).toBe(204);
    expect((await as(bob, 'GET', `/channels/${thread.id}`)).status).toBe(200);

    const watcher = await connectV10(server, helper.token, Intent.Guilds);
    expect((await as(alice, 'DELETE', `/channels/${room.id}`)).status).toBe(200);
    const gone = await watcher.event('THREAD_DELETE', (d) => d.id === thread.id);
    expect(gone.d).toEqual({ id: thread.id, guild_id: guild.id, parent_id: room.id, type: ChannelType.PublicThread });
    await watcher.event('CHANNEL_DELETE', (d) => d.id === room.id);
    const after = await as(alice, 'GET', `/channels/${thread.id}`);
    expect({ status: after.status, code: after.body.code }).toEqual({ status: 404, code: 10003 });
  });
});

describe('auto-archive and lists', () => {
  it('archives a thread idle for its auto_archive_duration (THREAD_UPDATE), then lists it as archived', async () => {
    const older = (await as(helper, 'POST', `/channels/${guild.generalId}/threads`, { name: 'Archived before', type: ChannelType.PublicThread })).body;
    await as(helper, 'PATCH', `/channels/${older.id}`, { archived: true });
    const thread = (
      await as(helper, 'POST', `/channels/${guild.generalId}/threads`, { name: 'Short lived', type: ChannelType.PublicThread, auto_archive_duration: 60 })
    ).body;
    const watcher = await connectV10(server, plain.token, Intent.Guilds);
    const threads = server.harmony.core.services.threads;
    offset += 59 * 60_000;
    expect(await threads.sweep()).toBe(0);
    offset += 2 * 60_000;
    expect(await threads.sweep()).toBeGreaterThanOrEqual(1);
    const update = await watcher.event('THREAD_UPDATE', (d) => d.id === thread.id);
    expect(update.d.thread_metadata.archived).toBe(true);
    expect(Date.parse(update.d.thread_metadata.archive_timestamp)).toBeGreaterThan(Date.parse(thread.thread_metadata.archive_timestamp));

    const active = await as(plain, 'GET', `/guilds/${guild.id}/threads/active`);
    expect(active.body.threads.map((t: { id: string }) => t.id)).not.toContain(thread.id);
    const archived = await as(plain, 'GET', `/channels/${guild.generalId}/threads/archived/public?limit=1`);
    expect({ first: archived.body.threads[0].id, members: archived.body.members, has_more: archived.body.has_more }).toEqual({
      first: thread.id,
      members: [],
      has_more: true,
    });
    const before = await as(
      plain,
      'GET',
      `/channels/${guild.generalId}/threads/archived/public?before=${encodeURIComponent(update.d.thread_metadata.archive_timestamp)}`,
    );
    expect(before.body.threads.map((t: { id: string }) => t.id)).toEqual([older.id]);
  });

  it('lists active threads with the caller memberships; private archived lists need MANAGE_THREADS, the joined list does not', async () => {
    const mine = (await as(helper, 'POST', `/channels/${guild.generalId}/threads`, { name: 'helper private' })).body;
    const active = await as(helper, 'GET', `/guilds/${guild.id}/threads/active`);
    expect(Object.keys(active.body).sort()).toEqual(['members', 'threads']);
    expect(active.body.threads.map((t: { id: string }) => t.id)).toContain(mine.id);
    expect(active.body.members).toContainEqual({ id: mine.id, user_id: helper.id, join_timestamp: expect.stringMatching(ISO_TIME), flags: 0 });

    await as(helper, 'PATCH', `/channels/${mine.id}`, { archived: true });
    const refused = await as(helper, 'GET', `/channels/${guild.generalId}/threads/archived/private`);
    expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 403, code: 50013 });
    const joined = await as(helper, 'GET', `/channels/${guild.generalId}/users/@me/threads/archived/private`);
    expect(joined.body.threads.map((t: { id: string }) => t.id)).toEqual([mine.id]);
    const all = await as(alice, 'GET', `/channels/${guild.generalId}/threads/archived/private`);
    expect(all.body.threads.map((t: { id: string }) => t.id)).toContain(mine.id);
  });
});

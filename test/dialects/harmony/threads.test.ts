// Threads on the v1 API and gateway: what the web app and the SDK use. The rules are the Discord dialect's
// (tested there in depth); this checks the v1 shapes and event names.
import { afterEach, describe, expect, it } from 'bun:test';
import { connectAs, type GatewayClient } from '../../support/gateway-client.ts';
import { as, CODE, createGuild, expectError, ISO_TIME, join, people, send, serverForFile } from './fixtures.ts';

const server = await serverForFile();
const [alice, bob, carol] = await people(server, 'alice', 'bob', 'carol');
const guild = await createGuild(server, alice, 'Thread Guild');
await join(server, alice, guild, bob, carol);

let sessions: GatewayClient[] = [];
afterEach(() => {
  for (const s of sessions) s.close();
  sessions = [];
});
async function session(account: { token: string }) {
  const s = await connectAs(server, account.token);
  sessions.push(s);
  return s;
}

describe('POST /api/v1/channels/:id/threads', () => {
  it('starts a public thread from a message (201, same id) and the message shows thread_id', async () => {
    const bobEvents = await session(bob);
    const message = await send(server, bob, guild.generalId, 'worth a thread');
    const res = await server.api('POST', `/api/v1/channels/${guild.generalId}/threads`, as(alice, { name: 'About that', message_id: message.id }));
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: message.id,
      guild_id: guild.id,
      name: 'About that',
      type: 11,
      position: 0,
      topic: null,
      last_message_id: null,
      permission_overwrites: [],
      thread: {
        parent_id: guild.generalId,
        owner_id: alice.id,
        archived: false,
        locked: false,
        invitable: true,
        auto_archive_duration: 1440,
        archive_timestamp: expect.stringMatching(ISO_TIME),
        message_count: 0,
        member_count: 1,
      },
    });
    const created = await bobEvents.event('THREAD_CREATE', (d) => d.id === message.id);
    expect(created.d).toEqual(res.body);
    const updated = await bobEvents.event('MESSAGE_UPDATE', (d) => d.id === message.id);
    expect(updated.d.thread_id).toBe(message.id);
    const fetched = await server.api('GET', `/api/v1/channels/${guild.generalId}/messages/${message.id}`, as(bob));
    expect(fetched.body.thread_id).toBe(message.id);
    // Threads are not channels of the guild list.
    const list = await server.api('GET', `/api/v1/guilds/${guild.id}/channels`, as(bob));
    expect(list.body.map((c: { id: string }) => c.id)).not.toContain(message.id);
  });

  it('posts in a thread (MESSAGE_CREATE with the thread as channel), lists, joins, archives, deletes with THREAD_* events', async () => {
    const carolEvents = await session(carol);
    const thread = (await server.api('POST', `/api/v1/channels/${guild.generalId}/threads`, as(bob, { name: 'Side chat' }))).body;
    expect(thread.type).toBe(11);
    await carolEvents.event('THREAD_CREATE', (d) => d.id === thread.id);

    const posted = await send(server, bob, thread.id, 'in the side chat');
    const heard = await carolEvents.event('MESSAGE_CREATE', (d) => d.id === posted.id);
    expect(heard.d.channel_id).toBe(thread.id);

    const inChannel = await server.api('GET', `/api/v1/channels/${guild.generalId}/threads`, as(carol));
    expect(inChannel.body.map((c: { id: string }) => c.id)).toContain(thread.id);
    const inGuild = await server.api('GET', `/api/v1/guilds/${guild.id}/threads`, as(carol));
    expect(inGuild.body.map((c: { id: string }) => c.id)).toContain(thread.id);

    expect((await server.api('PUT', `/api/v1/channels/${thread.id}/thread-members/@me`, as(carol))).status).toBe(204);
    const joined = await carolEvents.event('THREAD_MEMBERS_UPDATE', (d) => d.thread_id === thread.id);
    expect(joined.d).toEqual({
      thread_id: thread.id,
      guild_id: guild.id,
      member_count: 2,
      added: [{ thread_id: thread.id, user_id: carol.id, joined_at: expect.stringMatching(ISO_TIME) }],
      removed_ids: [],
    });
    const members = await server.api('GET', `/api/v1/channels/${thread.id}/thread-members`, as(carol));
    expect(members.body.map((m: { user_id: string }) => m.user_id).sort()).toEqual([bob.id, carol.id].sort());

    const archived = await server.api('PATCH', `/api/v1/channels/${thread.id}`, as(bob, { archived: true }));
    expect(archived.body.thread.archived).toBe(true);
    const update = await carolEvents.event('THREAD_UPDATE', (d) => d.id === thread.id);
    expect(update.d.thread.archived).toBe(true);
    const archivedList = await server.api('GET', `/api/v1/channels/${guild.generalId}/threads?archived=true`, as(carol));
    expect(archivedList.body.map((c: { id: string }) => c.id)).toContain(thread.id);
    expectError(await server.api('PATCH', `/api/v1/channels/${thread.id}`, as(carol, { locked: true })), 403, CODE.missingPermissions);

    expectError(await server.api('DELETE', `/api/v1/channels/${thread.id}`, as(bob)), 403, CODE.missingPermissions);
    expect((await server.api('DELETE', `/api/v1/channels/${thread.id}`, as(alice))).status).toBe(200);
    const deleted = await carolEvents.event('THREAD_DELETE', (d) => d.id === thread.id);
    expect(deleted.d.thread.parent_id).toBe(guild.generalId);
  });

  it('keeps a private thread from non-members: no THREAD_CREATE, 50001 on its messages, GUILD_CREATE threads for members', async () => {
    const carolEvents = await session(carol);
    const secret = (await server.api('POST', `/api/v1/channels/${guild.generalId}/threads`, as(bob, { name: 'Secret', type: 12 }))).body;
    expect(secret.type).toBe(12);
    expectError(await server.api('GET', `/api/v1/channels/${secret.id}/messages`, as(carol)), 403, CODE.missingAccess);
    const marker = (await server.api('POST', `/api/v1/channels/${guild.generalId}/threads`, as(bob, { name: 'Marker' }))).body;
    await carolEvents.event('THREAD_CREATE', (d) => d.id === marker.id);
    expect(carolEvents.frames.some((f) => f.t === 'THREAD_CREATE' && f.d.id === secret.id)).toBe(false);

    expect((await server.api('PUT', `/api/v1/channels/${secret.id}/thread-members/${carol.id}`, as(bob))).status).toBe(204);
    await carolEvents.event('THREAD_CREATE', (d) => d.id === secret.id);
    const fresh = await session(carol);
    const ready = fresh.ready?.d;
    const seen = ready.guilds.find((g: { id: string }) => g.id === guild.id);
    expect(seen.threads.map((c: { id: string }) => c.id)).toEqual(expect.arrayContaining([secret.id, marker.id]));
  });
});

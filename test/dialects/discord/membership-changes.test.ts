// A node keeps the memberships and guild channels it checks in memory (src/domain/access.ts): every change to one
// must apply to the very next request. A member's writing permission comes and goes with a role given, taken, deleted, and with the
// membership itself (kick, leave, join again), each checked right after the change, with the member's requests in
// between so that each change finds the membership already in memory.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { startServer, type TestServer } from '../../support/test-server.ts';
import { createGuild, type Guild, join, type Person, people } from './fixtures.ts';

let server: TestServer;
let owner: Person;
let bob: Person;
let guild: Guild;

const as = (person: Person, method: string, path: string, body?: unknown) => server.api(method, `/api/v10${path}`, { token: person.token, body });
const send = async (person: Person) => (await as(person, 'POST', `/channels/${guild.generalId}/messages`, { content: 'hi' })).status;

beforeAll(async () => {
  server = await startServer({ rateLimits: false });
  [owner, bob] = (await people(server, 'owner', 'bob')) as [Person, Person];
  guild = await createGuild(server, owner, 'Changes');
  await join(server, owner, guild, bob);
  // Only holders of "writers" may write in #general: @everyone is denied SEND_MESSAGES there.
  const denied = await as(owner, 'PUT', `/channels/${guild.generalId}/permissions/${guild.id}`, { type: 0, deny: String(1 << 11), allow: '0' });
  expect(denied.status).toBe(204);
});

afterAll(() => server.stop());

describe('memberships kept in memory', () => {
  it('follow a role given, taken and deleted at once', async () => {
    const role = (await as(owner, 'POST', `/guilds/${guild.id}/roles`, { name: 'writers', permissions: '0' })).body;
    const allowed = await as(owner, 'PUT', `/channels/${guild.generalId}/permissions/${role.id}`, { type: 0, allow: String(1 << 11), deny: '0' });
    expect(allowed.status).toBe(204);
    expect(await send(bob)).toBe(403);
    expect((await as(owner, 'PUT', `/guilds/${guild.id}/members/${bob.id}/roles/${role.id}`)).status).toBe(204);
    expect(await send(bob)).toBe(200);
    expect((await as(owner, 'DELETE', `/guilds/${guild.id}/members/${bob.id}/roles/${role.id}`)).status).toBe(204);
    expect(await send(bob)).toBe(403);
    expect((await as(owner, 'PUT', `/guilds/${guild.id}/members/${bob.id}/roles/${role.id}`)).status).toBe(204);
    expect(await send(bob)).toBe(200);
    expect((await as(owner, 'DELETE', `/guilds/${guild.id}/roles/${role.id}`)).status).toBe(204);
    expect(await send(bob)).toBe(403);
  });

  it('follow a kick, a leave and a new join at once', async () => {
    expect((await as(bob, 'GET', `/guilds/${guild.id}/channels`)).status).toBe(200);
    expect((await as(owner, 'DELETE', `/guilds/${guild.id}/members/${bob.id}`)).status).toBe(204);
    expect((await as(bob, 'GET', `/guilds/${guild.id}/channels`)).status).toBe(403);
    await join(server, owner, guild, bob);
    expect((await as(bob, 'GET', `/guilds/${guild.id}/channels`)).status).toBe(200);
    expect((await as(bob, 'DELETE', `/users/@me/guilds/${guild.id}`)).status).toBe(204);
    expect((await as(bob, 'GET', `/guilds/${guild.id}/channels`)).status).toBe(403);
  });

  it('follow overwrites set and removed, renames, the newest message and deletes at once', async () => {
    const [carol] = (await people(server, 'carol')) as [Person];
    await join(server, owner, guild, carol);
    const channel = (await as(owner, 'POST', `/guilds/${guild.id}/channels`, { name: 'watched', type: 0 })).body;
    const read = () => as(carol, 'GET', `/channels/${channel.id}`);
    expect((await read()).body).toMatchObject({ name: 'watched', last_message_id: null });
    expect((await as(owner, 'PUT', `/channels/${channel.id}/permissions/${carol.id}`, { type: 1, deny: String(1 << 10), allow: '0' })).status).toBe(204);
    expect((await read()).status).toBe(403);
    expect((await as(owner, 'DELETE', `/channels/${channel.id}/permissions/${carol.id}`)).status).toBe(204);
    expect((await read()).status).toBe(200);
    expect((await as(owner, 'PATCH', `/channels/${channel.id}`, { name: 'renamed' })).status).toBe(200);
    expect((await read()).body.name).toBe('renamed');
    const first = (await as(owner, 'POST', `/channels/${channel.id}/messages`, { content: 'one' })).body;
    expect((await read()).body.last_message_id).toBe(first.id);
    const second = (await as(carol, 'POST', `/channels/${channel.id}/messages`, { content: 'two' })).body;
    expect((await read()).body.last_message_id).toBe(second.id);
    expect((await as(carol, 'DELETE', `/channels/${channel.id}/messages/${second.id}`)).status).toBe(204);
    expect((await read()).body.last_message_id).toBe(first.id);
    // A member's own overwrites go when they leave: back in the guild, the old deny no longer applies.
    expect((await as(owner, 'PUT', `/channels/${channel.id}/permissions/${carol.id}`, { type: 1, deny: String(1 << 10), allow: '0' })).status).toBe(204);
    expect((await read()).status).toBe(403);
    expect((await as(carol, 'DELETE', `/users/@me/guilds/${guild.id}`)).status).toBe(204);
    await join(server, owner, guild, carol);
    expect((await read()).status).toBe(200);
    expect((await as(owner, 'DELETE', `/channels/${channel.id}`)).status).toBe(200);
    expect((await read()).status).toBe(404);
  });
});

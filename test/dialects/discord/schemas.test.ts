// Discord takes a snowflake as a string or as a JSON integer anywhere in a request, and discord.py sends integers
// (message_reference, recipient_id, role lists, ...): 19-digit ones, past 2^53, that must not be rounded into
// another id. Query booleans come as true/false/1/0 and, from Python, True/False. Raw JSON text throughout,
// since JSON.stringify cannot write such an integer.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { startServer, type TestServer } from '../../support/test-server.ts';
import { type Bot, botIn, createGuild, type Guild, join, type Person, people, post } from './fixtures.ts';

let server: TestServer;
let admin: Person;
let bob: Person;
let guild: Guild;
let bot: Bot & { roleId: string };

beforeAll(async () => {
  server = await startServer({ rateLimits: false });
  [admin, bob] = (await people(server, 'admin', 'bob')) as [Person, Person];
  guild = await createGuild(server, admin);
  await join(server, admin, guild, bob);
  bot = await botIn(server, admin, guild, 'intbot', ['read_messages', 'send_messages', 'read_message_history', 'manage_messages', 'manage_roles']);
});
afterAll(() => server.stop());

/** A raw JSON body, written by hand so integers keep every digit. */
const raw = (method: string, path: string, json: string) =>
  server.api(method, `/api/v10${path}`, { token: bot.token, scheme: 'Bot', raw: json, headers: { 'content-type': 'application/json' } });

/** A message by a person whose id a double cannot hold (nearly every id; retried in the rare other case). */
async function unroundable(text: string): Promise<string> {
  for (;;) {
    const { id } = await post(server, admin, guild.generalId, text);
    if (String(Number(id)) !== id) return id;
  }
}

describe('snowflakes as JSON integers in request bodies', () => {
  it('replies to the very message named by a 19-digit integer message_reference (discord.py message.reply)', async () => {
    const target = await unroundable('reply to me');
    const res = await raw(
      'POST',
      `/channels/${guild.generalId}/messages`,
      `{"content":"reply","components":[],"message_reference":{"message_id":${target},"channel_id":${guild.generalId},"guild_id":${guild.id}},"tts":false}`,
    );
    expect(res.status).toBe(200);
    expect(res.body.message_reference).toEqual({ type: 0, message_id: target, channel_id: guild.generalId, guild_id: guild.id });
    expect(res.body.referenced_message.id).toBe(target);
  });

  it('takes allowed_mentions.users as integers', async () => {
    const res = await raw('POST', `/channels/${guild.generalId}/messages`, `{"content":"<@${bob.id}>","allowed_mentions":{"users":[${bob.id}]}}`);
    expect(res.status).toBe(200);
    expect(res.body.mentions.map((u: { id: string }) => u.id)).toEqual([bob.id]);
  });

  it('opens a DM with an integer recipient_id (discord.py user.send)', async () => {
    const res = await raw('POST', '/users/@me/channels', `{"recipient_id":${bob.id}}`);
    expect(res.status).toBe(200);
    expect(res.body.recipients.map((u: { id: string }) => u.id)).toEqual([bob.id]);
  });

  it('bulk-deletes messages named by integers', async () => {
    const ids = [await unroundable('one'), await unroundable('two')];
    const res = await raw('POST', `/channels/${guild.generalId}/messages/bulk-delete`, `{"messages":[${ids.join(',')}]}`);
    expect(res.status).toBe(204);
    for (const id of ids) expect((await raw('GET', `/channels/${guild.generalId}/messages/${id}`, '')).status).toBe(404);
  });

  it('sets a member role list given as integers', async () => {
    const role = await raw('POST', `/guilds/${guild.id}/roles`, '{"name":"ints"}');
    expect(role.status).toBe(200);
    const res = await raw('PATCH', `/guilds/${guild.id}/members/${bob.id}`, `{"roles":[${role.body.id}]}`);
    expect(res.status).toBe(200);
    expect(res.body.roles).toEqual([role.body.id]);
  });

  it('still takes the same ids as strings', async () => {
    const target = await unroundable('strings');
    const res = await raw('POST', `/channels/${guild.generalId}/messages`, `{"content":"r","message_reference":{"message_id":"${target}"}}`);
    expect(res.body.message_reference.message_id).toBe(target);
  });

  it.each([
    ['-1', 'a negative integer'],
    ['1.5', 'a fraction'],
    ['"12a"', 'a string with letters'],
    ['" 12"', 'a string with a space'],
    ['"123456789012345678901"', 'a 21-digit string'],
    ['123456789012345678901', 'a 21-digit integer'],
    ['true', 'a boolean'],
  ])('refuses %s (%s) with 50035 on the field', async (value) => {
    const res = await raw('POST', `/channels/${guild.generalId}/messages`, `{"content":"x","message_reference":{"message_id":${value}}}`);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe(50035);
    expect(Object.keys(res.body.errors)).toEqual(['message_reference']);
    expect(Object.keys(res.body.errors.message_reference)).toEqual(['message_id']);
  });
});

describe('booleans in query strings', () => {
  it.each(['true', 'True', '1'])('with_counts=%s adds the counts', async (value) => {
    const res = await raw('GET', `/guilds/${guild.id}?with_counts=${value}`, '');
    expect(res.status).toBe(200);
    expect(res.body.approximate_member_count).toBe(3);
  });

  it.each(['false', 'False', '0'])('with_counts=%s leaves them out', async (value) => {
    const res = await raw('GET', `/guilds/${guild.id}?with_counts=${value}`, '');
    expect(res.status).toBe(200);
    expect(res.body.approximate_member_count).toBeUndefined();
  });

  it('refuses with_counts=yes with 50035', async () => {
    const res = await raw('GET', `/guilds/${guild.id}?with_counts=yes`, '');
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 400, code: 50035 });
  });
});

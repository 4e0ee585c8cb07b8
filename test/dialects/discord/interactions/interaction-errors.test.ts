// What goes wrong with interactions, each with Discord's documented error: late and repeated callbacks, wrong
// tokens, invalid options, commands the person may not use, applications that cannot see the channel, follow-ups
// before the first answer and after 15 minutes. Raw HTTP (exact statuses and bodies) against a server with a fake
// clock; the bot listens on the v1 gateway, which also pins the v1 shape of INTERACTION_CREATE.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { PermissionFlagsBits as P } from 'discord-api-types/v10';
import { connectAs, type GatewayClient } from '../../../support/gateway-client.ts';
import { startServer, type TestServer } from '../../../support/test-server.ts';
import { type Bot, botIn, createGuild, type Guild, join, type Person, people, SNOWFLAKE, v10 } from '../fixtures.ts';

let now = Date.now();
const clock = { now: () => now };
let server: TestServer;
let owner: Person;
let bob: Person;
let guild: Guild;
let bot: Bot & { roleId: string };
let botSocket: GatewayClient;
let bobSocket: GatewayClient;
const commands = new Map<string, string>();

beforeAll(async () => {
  server = await startServer({ rateLimits: false }, clock);
  [owner, bob] = (await people(server, 'owner', 'bob')) as [Person, Person];
  guild = await createGuild(server, owner);
  await join(server, owner, guild, bob);
  bot = await botIn(server, owner, guild, 'answerbot', ['read_messages', 'send_messages', 'read_message_history']);
  const res = await v10(server, bot, 'PUT', `/applications/${bot.id}/guilds/${guild.id}/commands`, [
    {
      name: 'roll',
      description: 'Roll',
      options: [
        { type: 4, name: 'sides', description: 'Sides', required: true, min_value: 2, max_value: 100 },
        { type: 3, name: 'style', description: 'Style', choices: [{ name: 'Plain', value: 'plain' }] },
        { type: 3, name: 'note', description: 'Note', max_length: 5 },
      ],
    },
    { name: 'ban', description: 'Moderators only', default_member_permissions: String(P.ManageGuild) },
    { name: 'ping', description: 'Pong' },
    { name: 'upload', description: 'Send a file', options: [{ type: 11, name: 'file', description: 'File', required: true }] },
  ]);
  for (const c of res.body) commands.set(c.name, c.id);
  botSocket = await connectAs(server, bot.token);
  bobSocket = await connectAs(server, bob.token);
}, 30_000);
afterAll(async () => {
  botSocket?.ws.close();
  bobSocket?.ws.close();
  await server.stop();
});

let nonces = 0;
const body = (name: string, options: unknown[] = [], extra: Record<string, unknown> = {}) => ({
  type: 2,
  application_id: bot.id,
  guild_id: guild.id,
  channel_id: guild.generalId,
  session_id: 's',
  nonce: String(++nonces),
  data: { id: commands.get(name), name, type: 1, options },
  ...extra,
});
const invoke = (as: Person, payload: unknown) => server.api('POST', '/api/v10/interactions', { token: as.token, body: payload });

/** Moving the fake clock past a heartbeat interval ends the sessions (the heartbeat watch reads it too): reopen them. */
async function reconnect(): Promise<void> {
  if (botSocket.closeInfo) botSocket = await connectAs(server, bot.token);
  if (bobSocket.closeInfo) bobSocket = await connectAs(server, bob.token);
}

/** bob runs `name`; resolves to the interaction the bot receives on its v1 session. */
async function run(name: string, options: unknown[] = [{ type: 4, name: 'sides', value: 6 }]): Promise<{ id: string; token: string; nonce: string }> {
  await reconnect();
  const payload = body(name, name === 'roll' ? options : []);
  const res = await invoke(bob, payload);
  if (res.status !== 204) throw new Error(`invoke -> ${res.status} ${JSON.stringify(res.body)}`);
  const frame = await botSocket.waitFor((f) => f.t === 'INTERACTION_CREATE' && f.d.data.name === name && !handled.has(f.d.id));
  handled.add(frame.d.id);
  return { id: frame.d.id, token: frame.d.token, nonce: payload.nonce };
}
const handled = new Set<string>();

const callback = (id: string, token: string, payload: unknown, query = '') =>
  server.api('POST', `/api/v10/interactions/${id}/${token}/callback${query}`, { body: payload });

describe('POST /interactions', () => {
  it('gives the bot the v1 interaction with its token and bob an acknowledgement with his nonce', async () => {
    const payload = body('roll', [{ type: 4, name: 'sides', value: 20 }]);
    expect((await invoke(bob, payload)).status).toBe(204);
    const frame = await botSocket.waitFor((f) => f.t === 'INTERACTION_CREATE' && f.d.data.options?.[0]?.value === 20);
    handled.add(frame.d.id);
    expect(frame.d).toEqual({
      id: expect.stringMatching(SNOWFLAKE),
      application_id: bot.id,
      type: 2,
      token: expect.stringMatching(/^aW50ZXJhY3Rpb246[A-Za-z0-9_-]{60,}$/),
      guild_id: guild.id,
      channel_id: guild.generalId,
      message_id: null,
      user: { id: bob.id, username: 'bob', global_name: null, avatar: null, bot: false },
      data: {
        kind: 'command',
        command_id: commands.get('roll'),
        name: 'roll',
        command_type: 1,
        command_guild_id: guild.id,
        options: [{ name: 'sides', type: 4, value: 20 }],
        resolved: { users: [], roles: [], channels: [], messages: [], attachments: [] },
        target_id: null,
        attachments: [],
      },
      app_permissions: expect.stringMatching(/^\d+$/),
      member_permissions: expect.stringMatching(/^\d+$/),
      created_at: new Date(now).toISOString(),
      answer_by: new Date(now + 3000).toISOString(),
      expires_at: new Date(now + 15 * 60_000).toISOString(),
    });
    const ack = await bobSocket.waitFor((f) => f.t === 'INTERACTION_CREATE' && f.d.id === frame.d.id);
    expect(ack.d).toEqual({ id: frame.d.id, nonce: payload.nonce });
    // Nobody but the application ever sees the token.
    expect(bobSocket.frames.some((f) => JSON.stringify(f).includes(frame.d.token))).toBe(false);
  });

  it.each([
    ['a missing required option', [], { _errors: [{ code: 'APPLICATION_COMMAND_OPTION_REQUIRED', message: 'Option "sides" is required' }] }],
    [
      'a value under min_value',
      [{ type: 4, name: 'sides', value: 1 }],
      { 0: { value: { _errors: [{ code: 'NUMBER_TYPE_MIN', message: 'Number must be greater than or equal to 2.' }] } } },
    ],
    [
      'a value that is no choice',
      [
        { type: 4, name: 'sides', value: 6 },
        { type: 3, name: 'style', value: 'loud' },
      ],
      { 1: { value: { _errors: [{ code: 'APPLICATION_COMMAND_OPTION_CHOICE_INVALID', message: 'Value must be one of the choices' }] } } },
    ],
    [
      'a string over max_length',
      [
        { type: 4, name: 'sides', value: 6 },
        { type: 3, name: 'note', value: 'too long' },
      ],
      { 1: { value: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 5 or fewer in length.' }] } } },
    ],
    [
      'an option of the wrong type',
      [{ type: 3, name: 'sides', value: '6' }],
      { 0: { type: { _errors: [{ code: 'APPLICATION_COMMAND_OPTION_TYPE_INVALID', message: 'Option type must be 4' }] } } },
    ],
    [
      'an unknown option',
      [
        { type: 4, name: 'sides', value: 6 },
        { type: 3, name: 'colour', value: 'red' },
      ],
      { 1: { name: { _errors: [{ code: 'APPLICATION_COMMAND_OPTION_UNKNOWN', message: 'Unknown option' }] } } },
    ],
  ])('refuses %s with 400 50035 naming the option, and the bot hears nothing', async (_what, options, errors) => {
    const before = botSocket.frames.length;
    const res = await invoke(bob, body('roll', options as unknown[]));
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ code: 50035, message: 'Invalid Form Body', errors: { data: { options: errors } } });
    await Bun.sleep(20);
    expect(botSocket.frames.slice(before).some((f) => f.t === 'INTERACTION_CREATE')).toBe(false);
  });

  it('refuses a command the person lacks default_member_permissions for with 403 50013, and lets the owner run it', async () => {
    const res = await invoke(bob, body('ban'));
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ code: 50013, message: 'Missing Permissions' });
    expect((await invoke(owner, body('ban'))).status).toBe(204);
  });

  it('refuses a person without USE_APPLICATION_COMMANDS in the channel with 403 50013', async () => {
    const deny = await server.api('PUT', `/api/v10/channels/${guild.generalId}/permissions/${bob.id}`, {
      token: owner.token,
      body: { type: 1, deny: String(P.UseApplicationCommands) },
    });
    expect(deny.status).toBe(204);
    try {
      const res = await invoke(bob, body('ping'));
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ code: 50013, message: 'Missing Permissions' });
    } finally {
      await server.api('DELETE', `/api/v10/channels/${guild.generalId}/permissions/${bob.id}`, { token: owner.token });
    }
  });

  it('refuses a channel the application cannot see with 403 50001', async () => {
    const deny = await server.api('PUT', `/api/v10/channels/${guild.generalId}/permissions/${bot.roleId}`, {
      token: owner.token,
      body: { type: 0, deny: String(P.ViewChannel) },
    });
    expect(deny.status).toBe(204);
    try {
      const res = await invoke(bob, body('ping'));
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ code: 50001, message: 'Missing Access: the application cannot see this channel' });
    } finally {
      await server.api('DELETE', `/api/v10/channels/${guild.generalId}/permissions/${bot.roleId}`, { token: owner.token });
    }
  });

  it('refuses an ATTACHMENT option in a JSON body (it names no upload), and a multipart body without the required file, with 400 50035', async () => {
    const res = await invoke(bob, {
      ...body('upload'),
      data: {
        id: commands.get('upload'),
        name: 'upload',
        type: 1,
        options: [{ type: 11, name: 'file', value: '0' }],
        attachments: [{ id: '0', filename: 'a.png' }],
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual({
      data: {
        options: {
          0: {
            value: {
              _errors: [{ code: 'APPLICATION_COMMAND_OPTION_ATTACHMENT_INVALID', message: 'Unknown attachment: upload it in the same request (multipart)' }],
            },
          },
        },
      },
    });
    const form = new FormData();
    form.set('payload_json', JSON.stringify(body('upload')));
    form.set('files[0]', new Blob(['x'], { type: 'image/png' }), 'a.png');
    const multipart = await fetch(`${server.url}/api/v10/interactions`, { method: 'POST', headers: { authorization: `Bearer ${bob.token}` }, body: form });
    expect(multipart.status).toBe(400);
    expect((await multipart.json()).errors).toEqual({
      data: { options: { _errors: [{ code: 'APPLICATION_COMMAND_OPTION_REQUIRED', message: 'Option "file" is required' }] } },
    });
  });

  it('refuses an unknown command with 404 10063, and a bot token with 403 50001', async () => {
    const unknownCommand = await invoke(bob, { ...body('ping'), data: { id: '1234567890123456789', name: 'ping', type: 1 } });
    expect(unknownCommand.status).toBe(404);
    expect(unknownCommand.body).toEqual({ code: 10063, message: 'Unknown application command' });
    const asBot = await v10(server, bot, 'POST', '/interactions', body('ping'));
    expect(asBot.status).toBe(403);
    expect(asBot.body.code).toBe(50001);
  });
});

describe('POST /interactions/{id}/{token}/callback', () => {
  it("answers 204, then 400 40060 to a second answer; with_response=true gives Discord's body", async () => {
    const i = await run('ping');
    const first = await callback(i.id, i.token, { type: 4, data: { content: 'pong' } }, '?with_response=true');
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('application/json');
    expect(first.body).toEqual({
      interaction: {
        id: i.id,
        type: 2,
        activity_instance_id: null,
        response_message_id: expect.stringMatching(SNOWFLAKE),
        response_message_loading: false,
        response_message_ephemeral: false,
      },
      resource: { type: 4, message: expect.objectContaining({ content: 'pong', type: 20, application_id: bot.id, webhook_id: bot.id }) },
    });
    const again = await callback(i.id, i.token, { type: 4, data: { content: 'pong again' } });
    expect(again.status).toBe(400);
    expect(again.body).toEqual({ code: 40060, message: 'Interaction has already been acknowledged.' });
  });

  it('fails an interaction nobody answers within 3 s of real time, too', async () => {
    const i = await run('ping');
    const failure = await bobSocket.waitFor((f) => f.t === 'INTERACTION_FAILURE' && f.d.id === i.id, 4_000);
    expect(failure.d.reason).toBe(2);
  });

  it('takes exactly one of two answers sent at once; the other gets 40060', async () => {
    const i = await run('ping');
    const answers = await Promise.all([1, 2].map((n) => callback(i.id, i.token, { type: 4, data: { content: `answer ${n}` } })));
    expect(answers.map((a) => a.status).sort()).toEqual([204, 400]);
    expect(answers.find((a) => a.status === 400)?.body.code).toBe(40060);
  });

  it('refuses a callback type the interaction does not take, and an empty message', async () => {
    const i = await run('ping');
    const update = await callback(i.id, i.token, { type: 7, data: { content: 'x' } });
    expect(update.status).toBe(400);
    expect(update.body.errors).toEqual({
      type: { _errors: [{ code: 'INTERACTION_CALLBACK_TYPE_INVALID', message: 'This callback type is not valid for this interaction' }] },
    });
    const empty = await callback(i.id, i.token, { type: 4, data: {} });
    expect(empty.status).toBe(400);
    expect(empty.body).toEqual({ code: 50006, message: 'Cannot send an empty message' });
    // A refused answer does not use up the interaction.
    expect((await callback(i.id, i.token, { type: 4, data: { content: 'now with content' } })).status).toBe(204);
  });
  it('refuses a wrong token with 404 10062, and an answer after 3 s with 10062 while the person hears INTERACTION_FAILURE reason 2', async () => {
    const i = await run('ping');
    const wrong = await callback(i.id, `${i.token.slice(0, -2)}xx`, { type: 4, data: { content: 'x' } });
    expect(wrong.status).toBe(404);
    expect(wrong.body).toEqual({ code: 10062, message: 'Unknown interaction' });
    now += 3_001;
    const late = await callback(i.id, i.token, { type: 4, data: { content: 'too late' } });
    expect(late.status).toBe(404);
    expect(late.body).toEqual({ code: 10062, message: 'Unknown interaction' });
    const failure = await bobSocket.waitFor((f) => f.t === 'INTERACTION_FAILURE' && f.d.id === i.id);
    expect(failure.d).toEqual({ id: i.id, nonce: i.nonce, reason: 2 });
  });
});

describe('mentions in answers', () => {
  it('notify @everyone only when the application holds MENTION_EVERYONE', async () => {
    const i = await run('ping');
    const answered = await callback(i.id, i.token, { type: 4, data: { content: '@everyone look' } }, '?with_response=true');
    expect(answered.body.resource.message.mention_everyone).toBe(false);
  });
});

describe('components on an ephemeral message', () => {
  it('only its viewer can click them, and an update edits the ephemeral message in place', async () => {
    const i = await run('ping');
    const button = { type: 1, components: [{ type: 2, style: 1, label: 'Go', custom_id: 'go' }] };
    const answered = await callback(i.id, i.token, { type: 4, data: { content: 'secret button', flags: 64, components: [button] } }, '?with_response=1');
    expect(answered.body.interaction).toMatchObject({ response_message_ephemeral: true });
    const messageId = answered.body.resource.message.id;
    expect(answered.body.resource.message.flags).toBe(64);
    // The owner cannot click what only bob sees.
    const clickBody = {
      type: 3,
      application_id: bot.id,
      guild_id: guild.id,
      channel_id: guild.generalId,
      message_id: messageId,
      data: { component_type: 2, custom_id: 'go' },
    };
    const foreign = await invoke(owner, clickBody);
    expect(foreign.status).toBe(404);
    expect(foreign.body).toEqual({ code: 10008, message: 'Unknown Message' });
    expect((await invoke(bob, { ...clickBody, nonce: 'click' })).status).toBe(204);
    const click = await botSocket.waitFor((f) => f.t === 'INTERACTION_CREATE' && f.d.message_id === messageId);
    handled.add(click.d.id);
    expect(click.d.data).toEqual({
      kind: 'component',
      custom_id: 'go',
      component_type: 2,
      values: null,
      resolved: { users: [], roles: [], channels: [], messages: [], attachments: [] },
    });
    expect((await callback(click.d.id, click.d.token, { type: 7, data: { content: 'clicked', components: [] } })).status).toBe(204);
    const updated = await bobSocket.waitFor((f) => f.t === 'MESSAGE_UPDATE' && f.d.id === messageId);
    expect(updated.d).toMatchObject({ content: 'clicked', components: [], interaction: { ephemeral: true } });
    const original = await server.api('GET', `/api/v10/webhooks/${bot.id}/${i.token}/messages/@original`, {});
    expect(original.body).toMatchObject({ id: messageId, content: 'clicked', flags: 64 });
  });
});

describe('follow-ups on /webhooks/{application}/{token}', () => {
  it('refuse a token whose interaction was not answered yet with 404 10015, and after 15 minutes with 401 50027', async () => {
    const i = await run('ping');
    const early = await server.api('POST', `/api/v10/webhooks/${bot.id}/${i.token}`, { body: { content: 'early' } });
    expect(early.status).toBe(404);
    expect(early.body).toEqual({ code: 10015, message: 'Unknown Webhook' });
    expect((await callback(i.id, i.token, { type: 5 })).status).toBe(204);
    const edited = await server.api('PATCH', `/api/v10/webhooks/${bot.id}/${i.token}/messages/@original`, { body: { content: 'done' } });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ content: 'done', flags: 0, interaction_metadata: { id: i.id } });
    const follow = await server.api('POST', `/api/v10/webhooks/${bot.id}/${i.token}`, { body: { content: 'later', flags: 64 } });
    expect(follow.status).toBe(200);
    expect(follow.body).toMatchObject({ content: 'later', flags: 64, interaction_metadata: { original_response_message_id: edited.body.id } });
    expect((await server.api('GET', `/api/v10/webhooks/${bot.id}/${i.token}/messages/${follow.body.id}`, {})).body.content).toBe('later');
    expect((await server.api('DELETE', `/api/v10/webhooks/${bot.id}/${i.token}/messages/${follow.body.id}`, {})).status).toBe(204);
    expect((await server.api('GET', `/api/v10/webhooks/${bot.id}/${i.token}/messages/${follow.body.id}`, {})).status).toBe(404);
    now += 15 * 60_000 + 1;
    const expired = await server.api('POST', `/api/v10/webhooks/${bot.id}/${i.token}`, { body: { content: 'too late' } });
    expect(expired.status).toBe(401);
    expect(expired.body).toEqual({ code: 50027, message: 'Invalid Webhook Token' });
  });
});

describe('GET /guilds/{id}/application-command-index', () => {
  it('lists what the caller may run: bob does not see the moderators-only command, the owner does', async () => {
    const forBob = await server.api('GET', `/api/v10/guilds/${guild.id}/application-command-index`, { token: bob.token });
    expect(forBob.status).toBe(200);
    expect(forBob.body.applications).toEqual([{ id: bot.id, name: 'answerbot', icon: null, description: '', bot_id: bot.id, flags: 0 }]);
    expect(forBob.body.application_commands.map((c: any) => c.name).sort()).toEqual(['ping', 'roll', 'upload']);
    const forOwner = await server.api('GET', `/api/v10/guilds/${guild.id}/application-command-index`, { token: owner.token });
    expect(forOwner.body.application_commands.map((c: any) => c.name).sort()).toEqual(['ban', 'ping', 'roll', 'upload']);
  });
});

describe('a restart inside the window', () => {
  it('keeps the interaction: the bot answers and follows up through the next process', async () => {
    const dir = mkdtempSync(joinPath(tmpdir(), 'harmony-interactions-'));
    let t = Date.now();
    const fixed = { now: () => t };
    const first = await startServer({ rateLimits: false, dataDir: dir }, fixed);
    try {
      const [alice] = (await people(first, 'alice')) as [Person];
      const g = await createGuild(first, alice);
      const b = await botIn(first, alice, g, 'durable', ['read_messages', 'send_messages']);
      const made = await v10(first, b, 'POST', `/applications/${b.id}/commands`, { name: 'ping', description: 'Pong' });
      const socket = await connectAs(first, b.token);
      const sent = await first.api('POST', '/api/v10/interactions', {
        token: alice.token,
        body: { type: 2, application_id: b.id, guild_id: g.id, channel_id: g.generalId, data: { id: made.body.id, name: 'ping', type: 1 } },
      });
      expect(sent.status).toBe(204);
      const frame = await socket.waitFor((f) => f.t === 'INTERACTION_CREATE');
      socket.ws.close();
      const port = Number(new URL(first.url).port);
      await first.harmony.stop();
      t += 1_000;
      const second = await startServer({ rateLimits: false, dataDir: dir, port }, fixed);
      try {
        const answered = await second.api('POST', `/api/v10/interactions/${frame.d.id}/${frame.d.token}/callback`, {
          body: { type: 4, data: { content: 'still here' } },
        });
        expect(answered.status).toBe(204);
        const original = await second.api('GET', `/api/v10/webhooks/${b.id}/${frame.d.token}/messages/@original`, {});
        expect(original.body).toMatchObject({ content: 'still here', type: 20 });
        // One nobody answered before the restart still fails on time, and its invoker hears it.
        const person = await connectAs(second, alice.token);
        const unanswered = await second.api('POST', '/api/v10/interactions', {
          token: alice.token,
          body: { type: 2, application_id: b.id, guild_id: g.id, channel_id: g.generalId, nonce: 'left', data: { id: made.body.id, name: 'ping', type: 1 } },
        });
        expect(unanswered.status).toBe(204);
        const leftId = (await person.waitFor((f) => f.t === 'INTERACTION_CREATE' && f.d.nonce === 'left')).d.id;
        await second.harmony.stop();
        t += 2_000;
        const third = await startServer({ rateLimits: false, dataDir: dir, port }, fixed);
        try {
          const again = await connectAs(third, alice.token);
          const failure = await again.waitFor((f) => f.t === 'INTERACTION_FAILURE' && f.d.id === leftId, 3_000);
          expect(failure.d).toEqual({ id: leftId, nonce: 'left', reason: 2 });
          again.ws.close();
        } finally {
          await third.harmony.stop();
        }
      } finally {
        await second.harmony.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

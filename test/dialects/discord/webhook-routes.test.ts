// Webhooks through the discord dialect, raw HTTP: Discord's webhook object (token and url only in the answer
// that created it), MANAGE_WEBHOOKS on every managed route, token routes with no Authorization header (401
// 50027 for a wrong token, 10015 for none), execute's 204 / 200-with-wait, webhook messages (webhook_id, the
// name they were posted under, no member), their edit and delete, and the limits (names, 15 per channel, rate).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'bun:test';
import { startServer, type TestServer } from '../../support/test-server.ts';
import { type Bot, botIn, createGuild, type Guild, ISO_TIME, join, type Person, people, SNOWFLAKE, v10 } from './fixtures.ts';

let server: TestServer;
let admin: Person;
let bob: Person;
let guild: Guild;
let manager: Bot & { roleId: string };
let plain: Bot & { roleId: string };

const TALK = ['read_messages', 'send_messages', 'read_message_history'];
const TOKEN = /^[A-Za-z0-9_-]{68}$/;

beforeAll(async () => {
  server = await startServer({ rateLimits: false });
  [admin, bob] = (await people(server, 'admin', 'bob')) as [Person, Person];
  guild = await createGuild(server, admin);
  await join(server, admin, guild, bob);
  manager = await botIn(server, admin, guild, 'hookmaster', [...TALK, 'manage_webhooks']);
  plain = await botIn(server, admin, guild, 'plainbot', TALK);
});
afterAll(() => server.stop());

type Json = Record<string, any>;
/** No Authorization header: how Discord libraries call token routes. */
const open = (method: string, path: string, body?: unknown) => server.api(method, `/api/v10${path}`, { body });
const create = (body: Json, who: { token: string } = manager, channelId = guild.generalId) => v10(server, who, 'POST', `/channels/${channelId}/webhooks`, body);

async function newChannel(name: string): Promise<string> {
  const res = await server.api('POST', `/api/v1/guilds/${guild.id}/channels`, { token: admin.token, body: { name } });
  expect(res.status).toBe(201);
  return res.body.id;
}

/** Channels fill up (15 webhooks each): each test's webhooks go to a channel of its own unless told otherwise. */
let home = '';
beforeEach(async () => {
  home = await newChannel('hooks');
});

async function hook(name = 'Captain Hook', channelId = home): Promise<{ id: string; token: string; url: string; channel_id: string }> {
  const res = await create({ name }, manager, channelId);
  expect(res.status).toBe(200);
  return res.body;
}

function errorCodes(body: Json, field: string): string[] | undefined {
  return body.errors?.[field]?._errors?.map((e: { code: string }) => e.code);
}

describe('POST /channels/:id/webhooks', () => {
  it('creates an incoming webhook and shows its token and url this once', async () => {
    const res = await create({ name: 'Captain Hook' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.body).toEqual({
      id: expect.stringMatching(SNOWFLAKE),
      type: 1,
      guild_id: guild.id,
      channel_id: guild.generalId,
      user: { id: manager.id, username: 'hookmaster', discriminator: '0', global_name: null, avatar: null, bot: true, public_flags: 0 },
      name: 'Captain Hook',
      avatar: null,
      application_id: null,
      token: expect.stringMatching(TOKEN),
      url: `${server.url}/api/webhooks/${res.body.id}/${res.body.token}`,
    });
  });

  it('keeps only a SHA-256 digest of the token', async () => {
    const created = await hook('Digest');
    const [row] = await server.rows<{ token_hash: Uint8Array }>('SELECT token_hash FROM webhooks WHERE id = ?', created.id);
    expect(Buffer.from(row?.token_hash ?? []).toString('hex')).toBe(new Bun.CryptoHasher('sha256').update(created.token).digest('hex'));
  });

  it('stores a data-URI avatar by its content hash, and refuses what is not an image', async () => {
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64').toString('base64');
    const res = await create({ name: 'Pictured', avatar: `data:image/png;base64,${png}` });
    expect(res.status).toBe(200);
    expect(res.body.avatar).toMatch(/^[0-9a-f]{32}$/);
    // Served at Discord's CDN path, as a person's avatar is, until it is replaced.
    const served = await fetch(`${server.url}/avatars/${res.body.id}/${res.body.avatar}.png`);
    expect({ status: served.status, type: served.headers.get('content-type'), nosniff: served.headers.get('x-content-type-options') }).toEqual({
      status: 200,
      type: 'image/png',
      nosniff: 'nosniff',
    });
    expect(Buffer.from(await served.arrayBuffer()).toString('base64')).toBe(png);
    const cleared = await v10(server, manager, 'PATCH', `/webhooks/${res.body.id}`, { avatar: null });
    expect(cleared.body.avatar).toBeNull();
    expect((await fetch(`${server.url}/avatars/${res.body.id}/${res.body.avatar}.png`)).status).toBe(404);
    const bad = await create({ name: 'Pictured', avatar: `data:image/png;base64,${Buffer.from('<svg onload=alert(1)>').toString('base64')}` });
    expect({ status: bad.status, code: bad.body.code, fields: errorCodes(bad.body, 'avatar') }).toEqual({
      status: 400,
      code: 50035,
      fields: ['IMAGE_INVALID'],
    });
  });

  it('refuses names that are empty, longer than 80 characters, or contain "clyde" / "discord" in any case, with 50035 on name', async () => {
    for (const name of ['', '   ', 'x'.repeat(81), 'Clyde', 'DISCORD', 'My Discord Relay', 'clydesdale']) {
      const res = await create({ name });
      expect({ status: res.status, code: res.body.code, field: errorCodes(res.body, 'name')?.length }).toEqual({ status: 400, code: 50035, field: 1 });
    }
    expect((await create({ name: 'x'.repeat(80) })).status).toBe(200);
  });

  it('needs MANAGE_WEBHOOKS in the channel (403 50013)', async () => {
    const res = await create({ name: 'Nope' }, plain);
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 403, code: 50013 });
  });

  it('refuses a 16th webhook in a channel with 30007', async () => {
    const channelId = await newChannel('crowded');
    for (let i = 0; i < 15; i++) await hook(`hook ${i}`, channelId);
    const res = await create({ name: 'one too many' }, manager, channelId);
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 400, code: 30007 });
  });
});

describe('listing and reading webhooks', () => {
  it('lists a channel’s and a guild’s webhooks to managers, without tokens', async () => {
    const channelId = await newChannel('listed');
    const a = await hook('A', channelId);
    const list = await v10(server, manager, 'GET', `/channels/${channelId}/webhooks`);
    expect(list.status).toBe(200);
    expect(list.body).toEqual([
      {
        id: a.id,
        type: 1,
        guild_id: guild.id,
        channel_id: channelId,
        user: expect.objectContaining({ id: manager.id }),
        name: 'A',
        avatar: null,
        application_id: null,
      },
    ]);
    const all = await v10(server, manager, 'GET', `/guilds/${guild.id}/webhooks`);
    expect(all.body.map((w: Json) => w.id)).toContain(a.id);
    expect(all.body.every((w: Json) => !('token' in w) && !('url' in w))).toBe(true);
    expect((await v10(server, plain, 'GET', `/channels/${channelId}/webhooks`)).body.code).toBe(50013);
    expect((await v10(server, plain, 'GET', `/guilds/${guild.id}/webhooks`)).body.code).toBe(50013);
  });

  it('GET /webhooks/:id needs MANAGE_WEBHOOKS; GET /webhooks/:id/:token needs only the token, shows no user and echoes the token sent', async () => {
    const w = await hook('Readable');
    expect((await v10(server, manager, 'GET', `/webhooks/${w.id}`)).body).toMatchObject({ id: w.id, name: 'Readable', user: { id: manager.id } });
    expect((await v10(server, plain, 'GET', `/webhooks/${w.id}`)).status).toBe(403);
    const byToken = await open('GET', `/webhooks/${w.id}/${w.token}`);
    expect(byToken.body).toEqual({
      id: w.id,
      type: 1,
      guild_id: guild.id,
      channel_id: home,
      name: 'Readable',
      avatar: null,
      application_id: null,
      token: w.token,
      url: w.url,
    });
  });

  it('answers a wrong token with 401 50027 and an unknown webhook with 404 10015', async () => {
    const w = await hook('Guarded');
    const wrong = await open('GET', `/webhooks/${w.id}/${'A'.repeat(68)}`);
    expect({ status: wrong.status, body: wrong.body }).toEqual({ status: 401, body: { message: 'Invalid Webhook Token', code: 50027 } });
    const none = await open('GET', `/webhooks/1300000000000000099/${w.token}`);
    expect({ status: none.status, body: none.body }).toEqual({ status: 404, body: { message: 'Unknown Webhook', code: 10015 } });
    expect((await v10(server, manager, 'GET', '/webhooks/1300000000000000099')).body.code).toBe(10015);
    expect((await open('POST', `/webhooks/${w.id}/${'B'.repeat(68)}`, { content: 'x' })).status).toBe(401);
  });
});

describe('modifying and deleting webhooks', () => {
  it('renames, and moves to another channel of the guild, with MANAGE_WEBHOOKS', async () => {
    const w = await hook('Mover');
    const elsewhere = await newChannel('elsewhere');
    const res = await v10(server, manager, 'PATCH', `/webhooks/${w.id}`, { name: 'Moved', channel_id: elsewhere });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: w.id, name: 'Moved', channel_id: elsewhere });
    expect('token' in res.body).toBe(false);
    expect((await v10(server, plain, 'PATCH', `/webhooks/${w.id}`, { name: 'Stolen' })).status).toBe(403);
    const sent = await open('POST', `/webhooks/${w.id}/${w.token}?wait=true`, { content: 'where am I' });
    expect(sent.body.channel_id).toBe(elsewhere);
  });

  it('renames with the token alone, which cannot move it', async () => {
    const w = await hook('Self');
    const res = await open('PATCH', `/webhooks/${w.id}/${w.token}`, { name: 'Renamed' });
    expect(res.body).toEqual({
      id: w.id,
      type: 1,
      guild_id: guild.id,
      channel_id: home,
      name: 'Renamed',
      avatar: null,
      application_id: null,
      token: w.token,
      url: w.url,
    });
    expect((await open('PATCH', `/webhooks/${w.id}/${w.token}`, { name: 'discord' })).body.code).toBe(50035);
  });

  it('deletes with MANAGE_WEBHOOKS or with the token (204), after which it is unknown', async () => {
    const a = await hook('Doomed A');
    const b = await hook('Doomed B');
    expect((await v10(server, plain, 'DELETE', `/webhooks/${a.id}`)).status).toBe(403);
    const byManager = await v10(server, manager, 'DELETE', `/webhooks/${a.id}`);
    expect({ status: byManager.status, body: byManager.body }).toEqual({ status: 204, body: null });
    const byToken = await open('DELETE', `/webhooks/${b.id}/${b.token}`);
    expect(byToken.status).toBe(204);
    expect((await open('POST', `/webhooks/${a.id}/${a.token}`, { content: 'x' })).body.code).toBe(10015);
    expect((await open('GET', `/webhooks/${b.id}/${b.token}`)).status).toBe(404);
  });

  it('goes with its channel', async () => {
    const channelId = await newChannel('short-lived');
    const w = await hook('Ephemeral', channelId);
    expect((await server.api('DELETE', `/api/v1/channels/${channelId}`, { token: admin.token })).status).toBeLessThan(300);
    expect((await open('GET', `/webhooks/${w.id}/${w.token}`)).body.code).toBe(10015);
  });
});

describe('POST /webhooks/:id/:token (execute)', () => {
  it('answers 204 with no body, and 200 with the message when wait=true', async () => {
    const w = await hook('Poster', guild.generalId);
    const quiet = await open('POST', `/webhooks/${w.id}/${w.token}`, { content: 'no wait' });
    expect({ status: quiet.status, body: quiet.body }).toEqual({ status: 204, body: null });
    const loud = await open('POST', `/webhooks/${w.id}/${w.token}?wait=true`, { content: 'waited', username: 'Someone Else' });
    expect(loud.status).toBe(200);
    expect(loud.headers.get('content-type')).toBe('application/json');
    expect(loud.body).toEqual({
      id: expect.stringMatching(SNOWFLAKE),
      channel_id: guild.generalId,
      guild_id: guild.id,
      author: { id: w.id, username: 'Someone Else', discriminator: '0000', global_name: null, avatar: null, bot: true, public_flags: 0 },
      webhook_id: w.id,
      content: 'waited',
      timestamp: expect.stringMatching(ISO_TIME),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: [],
      embeds: [],
      components: [],
      pinned: false,
      type: 0,
      flags: 0,
    });
    const history = await v10(server, plain, 'GET', `/channels/${guild.generalId}/messages?limit=2`);
    expect(history.body.map((m: Json) => [m.content, m.author.username, m.webhook_id, 'member' in m])).toEqual([
      ['waited', 'Someone Else', w.id, false],
      ['no wait', 'Poster', w.id, false],
    ]);
  });

  it('answers at the unversioned URL it hands out, as Discord does, and nothing else is served there', async () => {
    const w = await hook('Unversioned');
    const viaUrl = await fetch(`${w.url}?wait=true`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ content: 'plain url' }),
    });
    expect({ status: viaUrl.status, type: viaUrl.headers.get('content-type') }).toEqual({ status: 200, type: 'application/json' });
    expect(((await viaUrl.json()) as { webhook_id: string }).webhook_id).toBe(w.id);
    const wrong = await server.api('POST', `/api/webhooks/${w.id}/${'Q'.repeat(68)}`, { body: { content: 'x' } });
    expect({ status: wrong.status, body: wrong.body }).toEqual({ status: 401, body: { message: 'Invalid Webhook Token', code: 50027 } });
    const managed = await server.api('GET', `/api/channels/${home}/webhooks`, { token: manager.token, scheme: 'Bot' });
    expect(managed.status).toBe(404);
  });

  it('keeps the name a message was posted under when the webhook is renamed', async () => {
    const w = await hook('Before');
    const sent = await open('POST', `/webhooks/${w.id}/${w.token}?wait=1`, { content: 'named' });
    await open('PATCH', `/webhooks/${w.id}/${w.token}`, { name: 'After' });
    const again = await open('GET', `/webhooks/${w.id}/${w.token}/messages/${sent.body.id}`);
    expect(again.body.author.username).toBe('Before');
  });

  it('takes embeds, link buttons, allowed_mentions and SUPPRESS_EMBEDS; a webhook may mention @everyone', async () => {
    const w = await hook('Rich');
    const res = await open('POST', `/webhooks/${w.id}/${w.token}?wait=true`, {
      content: `@everyone and <@${bob.id}>`,
      embeds: [{ title: 'Build passed', color: 0x00ff00 }],
      components: [{ type: 1, components: [{ type: 2, style: 5, label: 'Logs', url: 'https://example.com/logs' }] }],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      mention_everyone: true,
      mentions: [expect.objectContaining({ id: bob.id })],
      embeds: [{ type: 'rich', title: 'Build passed', color: 0x00ff00 }],
      components: [{ type: 1, components: [{ type: 2, style: 5, label: 'Logs', url: 'https://example.com/logs' }] }],
    });
    const narrowed = await open('POST', `/webhooks/${w.id}/${w.token}?wait=true`, {
      content: `@everyone <@${bob.id}>`,
      allowed_mentions: { parse: [] },
      embeds: [{ title: 'hidden' }],
      flags: 4,
    });
    expect({ everyone: narrowed.body.mention_everyone, mentions: narrowed.body.mentions, embeds: narrowed.body.embeds, flags: narrowed.body.flags }).toEqual({
      everyone: false,
      mentions: [],
      embeds: [],
      flags: 4,
    });
  });

  it('refuses interactive components (only link buttons without an application), bad usernames and non-http avatar_url', async () => {
    const w = await hook('Strict');
    const button = await open('POST', `/webhooks/${w.id}/${w.token}`, {
      components: [{ type: 1, components: [{ type: 2, style: 1, label: 'Click', custom_id: 'x' }] }],
    });
    expect({ status: button.status, code: button.body.code, at: button.body.errors?.components?.[0]?.components?.[0]?._errors?.[0]?.code }).toEqual({
      status: 400,
      code: 50035,
      at: 'COMPONENT_INVALID',
    });
    const name = await open('POST', `/webhooks/${w.id}/${w.token}`, { content: 'x', username: 'Clyde' });
    expect(errorCodes(name.body, 'username')).toEqual(['WEBHOOK_INVALID_NAME']);
    const avatar = await open('POST', `/webhooks/${w.id}/${w.token}`, { content: 'x', avatar_url: 'javascript:alert(1)' });
    expect(errorCodes(avatar.body, 'avatar_url')).toEqual(['URL_TYPE_INVALID_URL']);
    const empty = await open('POST', `/webhooks/${w.id}/${w.token}`, {});
    expect({ status: empty.status, code: empty.body.code }).toEqual({ status: 400, code: 50006 });
  });

  it('shows avatar_url as the author picture in the v1 dialect, and webhook_id', async () => {
    const w = await hook('Pictured');
    const sent = await open('POST', `/webhooks/${w.id}/${w.token}?wait=true`, { content: 'face', avatar_url: 'https://example.com/face.png' });
    const seen = (await server.api('GET', `/api/v1/channels/${home}/messages/${sent.body.id}`, { token: admin.token })).body;
    expect({ author: seen.author, webhook_id: seen.webhook_id }).toEqual({
      author: { id: w.id, username: 'Pictured', global_name: null, avatar: 'https://example.com/face.png', bot: true },
      webhook_id: w.id,
    });
  });

  it('answers thread_id naming no thread of its channel with 10003, and thread_name outside a forum with 220003', async () => {
    const w = await hook('Threaded');
    const thread = await open('POST', `/webhooks/${w.id}/${w.token}?thread_id=${guild.generalId}`, { content: 'x' });
    expect({ status: thread.status, code: thread.body.code }).toEqual({ status: 404, code: 10003 });
    const named = await open('POST', `/webhooks/${w.id}/${w.token}`, { content: 'x', thread_name: 'new thread' });
    expect({ status: named.status, code: named.body.code }).toEqual({ status: 400, code: 220003 });
  });
});

describe('/webhooks/:id/:token/messages/:messageId', () => {
  it('gets, edits and deletes the webhook’s own messages; anything else is 10008', async () => {
    const w = await hook('Editor');
    const other = await hook('Other');
    const sent = (await open('POST', `/webhooks/${w.id}/${w.token}?wait=true`, { content: 'first draft' })).body;
    const path = `/webhooks/${w.id}/${w.token}/messages/${sent.id}`;
    expect((await open('GET', path)).body).toMatchObject({ id: sent.id, content: 'first draft', webhook_id: w.id });
    const edited = await open('PATCH', path, { content: 'second draft', embeds: [{ title: 'now with embed' }] });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ id: sent.id, content: 'second draft', embeds: [{ title: 'now with embed' }], author: { username: 'Editor' } });
    expect(edited.body.edited_timestamp).toMatch(ISO_TIME);
    expect((await open('GET', `/webhooks/${other.id}/${other.token}/messages/${sent.id}`)).body.code).toBe(10008);
    const botMessage = await v10(server, plain, 'POST', `/channels/${home}/messages`, { content: 'mine' });
    expect((await open('GET', `/webhooks/${w.id}/${w.token}/messages/${botMessage.body.id}`)).body.code).toBe(10008);
    expect((await open('PATCH', `/webhooks/${w.id}/${w.token}/messages/${botMessage.body.id}`, { content: 'hijack' })).body.code).toBe(10008);
    const deleted = await open('DELETE', path);
    expect({ status: deleted.status, body: deleted.body }).toEqual({ status: 204, body: null });
    expect((await open('GET', path)).body.code).toBe(10008);
  });

  it('is no member’s message: nobody edits it as theirs, deleting it takes MANAGE_MESSAGES', async () => {
    const w = await hook('Untouchable');
    const sent = (await open('POST', `/webhooks/${w.id}/${w.token}?wait=true`, { content: 'hands off' })).body;
    const edit = await v10(server, manager, 'PATCH', `/channels/${home}/messages/${sent.id}`, { content: 'mine now' });
    expect({ status: edit.status, code: edit.body.code }).toEqual({ status: 403, code: 50005 });
    const del = await v10(server, plain, 'DELETE', `/channels/${home}/messages/${sent.id}`);
    expect({ status: del.status, code: del.body.code }).toEqual({ status: 403, code: 50013 });
    expect((await server.api('DELETE', `/api/v1/messages/${sent.id}`, { token: admin.token })).status).toBeLessThan(300);
  });
});

describe('execute rate limit', () => {
  it('allows 5 executes per 2 seconds per webhook, then 429 with retry_after', async () => {
    const limited = await startServer();
    try {
      const [owner] = (await people(limited, 'owner')) as [Person];
      const g = await createGuild(limited, owner);
      const created = await limited.api('POST', `/api/v10/channels/${g.generalId}/webhooks`, { token: owner.token, body: { name: 'Busy' } });
      expect(created.status).toBe(200);
      const { id, token } = created.body;
      const statuses: number[] = [];
      let last: Awaited<ReturnType<TestServer['api']>> | null = null;
      for (let i = 0; i < 6; i++) {
        last = await limited.api('POST', `/api/v10/webhooks/${id}/${token}`, { body: { content: `n${i}` } });
        statuses.push(last.status);
      }
      expect(statuses).toEqual([204, 204, 204, 204, 204, 429]);
      expect(last?.body).toMatchObject({ message: 'You are being rate limited.', global: false });
      expect(Number(last?.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(last?.headers.get('x-ratelimit-limit')).toBe('5');
    } finally {
      await limited.stop();
    }
  });
});

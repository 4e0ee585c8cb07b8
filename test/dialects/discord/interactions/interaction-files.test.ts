// Files inside interactions, what can go wrong and where the files go: an ATTACHMENT value naming no upload, a file
// over the size limit, files on an interaction that takes none, large bodies from callers whose token does not
// check out (refused before the body is read), and the life of the stored files: an ephemeral answer's file goes
// when the bot deletes the message, every file an interaction holds goes when its 15 minutes are over (also when
// they ended while the server was down), and with its channel. Raw HTTP
// against a server with a fake clock; the bot listens on the v1 gateway.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { connectAs, type GatewayClient } from '../../../support/gateway-client.ts';
import { png } from '../../../support/images.ts';
import { startServer, type TestServer } from '../../../support/test-server.ts';
import { type Bot, botIn, createGuild, type Guild, join, type Person, people, v10 } from '../fixtures.ts';

const MAX_BYTES = 64 * 1024;
let now = Date.now();
const clock = { now: () => now };
let server: TestServer;
let owner: Person;
let bob: Person;
let guild: Guild;
let bot: Bot;
let botSocket: GatewayClient;
const commands = new Map<string, string>();

beforeAll(async () => {
  server = await startServer({ rateLimits: false, maxAttachmentBytes: MAX_BYTES }, clock);
  [owner, bob] = (await people(server, 'owner', 'bob')) as [Person, Person];
  guild = await createGuild(server, owner);
  await join(server, owner, guild, bob);
  bot = await botIn(server, owner, guild, 'filebot', ['read_messages', 'send_messages', 'read_message_history']);
  const res = await v10(server, bot, 'PUT', `/applications/${bot.id}/guilds/${guild.id}/commands`, [
    { name: 'upload', description: 'Send a file', options: [{ type: 11, name: 'file', description: 'File', required: true }] },
    { name: 'ping', description: 'Pong' },
  ]);
  for (const c of res.body) commands.set(c.name, c.id);
  botSocket = await connectAs(server, bot.token);
}, 30_000);
afterAll(async () => {
  botSocket?.ws.close();
  await server.stop();
});

let nonces = 0;
const payload = (name: string, options: unknown[] = [], attachments?: unknown[]) => ({
  type: 2,
  application_id: bot.id,
  guild_id: guild.id,
  channel_id: guild.generalId,
  nonce: String(++nonces),
  data: { id: commands.get(name), name, type: 1, options, ...(attachments ? { attachments } : {}) },
});

/** A multipart POST as Discord's clients send it: payload_json and files[n]. */
async function postForm(path: string, json: unknown, files: { bytes: Uint8Array | string; filename: string }[], authorization?: string) {
  const form = new FormData();
  form.set('payload_json', JSON.stringify(json));
  files.forEach((f, n) => {
    form.set(`files[${n}]`, new Blob([typeof f.bytes === 'string' ? f.bytes : Buffer.from(f.bytes)]), f.filename);
  });
  const res = await fetch(`${server.url}${path}`, { method: 'POST', headers: authorization ? { authorization } : {}, body: form });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** bob runs /upload with `bytes`; resolves to the interaction as the bot receives it. */
async function upload(bytes: Uint8Array | string, filename: string): Promise<any> {
  if (botSocket.closeInfo) botSocket = await connectAs(server, bot.token);
  const sent = payload('upload', [{ type: 11, name: 'file', value: '0' }], [{ id: '0', filename }]);
  const res = await postForm('/api/v10/interactions', sent, [{ bytes, filename }], `Bearer ${bob.token}`);
  if (res.status !== 204) throw new Error(`invoke -> ${res.status} ${JSON.stringify(res.body)}`);
  const frame = await botSocket.waitFor((f) => f.t === 'INTERACTION_CREATE' && f.d.data.options?.[0]?.name === 'file' && !seen.has(f.d.id));
  seen.add(frame.d.id);
  return frame.d;
}
const seen = new Set<string>();

const stored = (attachmentId: string) => joinPath(server.dir, 'files', 'interactions', guild.generalId, attachmentId);

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 100 && !condition(); i++) await Bun.sleep(20);
  if (!condition()) throw new Error(`timed out waiting for ${what}`);
}

describe('invoking with files', () => {
  it('refuses an ATTACHMENT value that names no uploaded file with 400 50035', async () => {
    const res = await postForm(
      '/api/v10/interactions',
      payload('upload', [{ type: 11, name: 'file', value: '1' }], [{ id: '0', filename: 'a.txt' }]),
      [{ bytes: 'hello', filename: 'a.txt' }],
      `Bearer ${bob.token}`,
    );
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      code: 50035,
      message: 'Invalid Form Body',
      errors: {
        data: {
          options: {
            0: {
              value: {
                _errors: [{ code: 'APPLICATION_COMMAND_OPTION_ATTACHMENT_INVALID', message: 'Unknown attachment: upload it in the same request (multipart)' }],
              },
            },
          },
        },
      },
    });
  });

  it('refuses a file over the size limit with 413 40005, and files on a component click with 400 50035', async () => {
    const big = await postForm(
      '/api/v10/interactions',
      payload('upload', [{ type: 11, name: 'file', value: '0' }]),
      [{ bytes: new Uint8Array(MAX_BYTES + 1), filename: 'big.bin' }],
      `Bearer ${bob.token}`,
    );
    expect(big.status).toBe(413);
    expect(big.body).toEqual({ code: 40005, message: `Request entity too large (files up to ${MAX_BYTES} bytes)` });
    const stray = await postForm(
      '/api/v10/interactions',
      { ...payload('ping'), type: 3, message_id: '1', data: { component_type: 2, custom_id: 'x' } },
      [{ bytes: 'x', filename: 'x.txt' }],
      `Bearer ${bob.token}`,
    );
    expect(stray.status).toBe(400);
    expect(stray.body.errors).toEqual({
      files: { _errors: [{ code: 'ATTACHMENT_NOT_EXPECTED', message: 'Only a command with ATTACHMENT options takes files' }] },
    });
  });

  it('refuses a body over 1 MiB before reading it when the token does not check out (401)', async () => {
    const files = Array.from({ length: 20 }, (_, n) => ({ bytes: new Uint8Array(60 * 1024), filename: `f${n}.bin` }));
    const anonymous = await postForm('/api/v10/interactions', payload('upload'), files);
    expect(anonymous.status).toBe(401);
    const wrongToken = await postForm('/api/v10/interactions', payload('upload'), files, 'Bearer not-a-session');
    expect(wrongToken.status).toBe(401);
    const callback = await postForm('/api/v10/interactions/1300000000000000000/aW50ZXJhY3Rpb246bad/callback', { type: 4, data: {} }, files);
    expect(callback.status).toBe(401);
    const followUp = await postForm(`/api/v10/webhooks/${bot.id}/aW50ZXJhY3Rpb246bad`, { content: 'x' }, files);
    expect(followUp.status).toBe(401);
  });
});

describe('the files an interaction holds', () => {
  it("go with an ephemeral answer the bot deletes, and all of them when the interaction's 15 minutes are over", async () => {
    const i = await upload(png(4, 4), 'shot.png');
    const optionFile = i.data.options[0].value as string;
    expect(i.data.resolved.attachments).toEqual([optionFile]);
    expect(existsSync(stored(optionFile))).toBe(true);
    // The bot answers with an ephemeral file, and follows up with another, which it then deletes.
    const answered = await postForm(
      `/api/v10/interactions/${i.id}/${i.token}/callback?with_response=true`,
      { type: 4, data: { content: 'only you', flags: 64, attachments: [{ id: 0, filename: 'answer.txt' }] } },
      [{ bytes: 'answer bytes', filename: 'ignored.txt' }],
    );
    expect(answered.status).toBe(200);
    const answer = answered.body.resource.message.attachments[0];
    expect(answer).toMatchObject({ filename: 'answer.txt', content_type: 'text/plain; charset=utf-8', size: 12, ephemeral: true });
    expect(await (await fetch(answer.url)).text()).toBe('answer bytes');
    const followUp = await postForm(`/api/v10/webhooks/${bot.id}/${i.token}`, { flags: 64 }, [{ bytes: 'gone soon', filename: 'later.txt' }]);
    expect(followUp.status).toBe(200);
    const later = followUp.body.attachments[0];
    expect(existsSync(stored(later.id))).toBe(true);
    const deleted = await server.api('DELETE', `/api/v10/webhooks/${bot.id}/${i.token}/messages/${followUp.body.id}`);
    expect(deleted.status).toBe(204);
    await until(() => !existsSync(stored(later.id)), 'the deleted follow-up file to go');
    expect((await fetch(later.url)).status).toBe(404);
    expect(existsSync(stored(answer.id))).toBe(true);

    // 15 minutes on, the next invocation lets go of everything the first one held.
    now += 15 * 60_000 + 1;
    // The jump is past the bot's heartbeat deadline too: the gateway's next tick closes its socket, before or after
    // the next invocation is sent to it. The bot connects again first, as one whose session timed out would.
    botSocket.ws.close();
    botSocket = await connectAs(server, bot.token);
    await upload('next', 'next.txt');
    await until(() => !existsSync(stored(optionFile)) && !existsSync(stored(answer.id)), 'the expired files to go');
    const gone = await fetch(answer.url);
    expect(gone.status).toBe(404);
    expect(await gone.text()).toBe('This content is no longer available.');
  });

  it('go with the channel they were uploaded in', async () => {
    const created = await server.api('POST', `/api/v10/guilds/${guild.id}/channels`, { token: owner.token, body: { name: 'scratch', type: 0 } });
    expect(created.status).toBe(201);
    const scratch = created.body.id as string;
    if (botSocket.closeInfo) botSocket = await connectAs(server, bot.token);
    const sent = { ...payload('upload', [{ type: 11, name: 'file', value: '0' }]), channel_id: scratch };
    expect((await postForm('/api/v10/interactions', sent, [{ bytes: 'scratch bytes', filename: 's.txt' }], `Bearer ${bob.token}`)).status).toBe(204);
    const frame = await botSocket.waitFor((f) => f.t === 'INTERACTION_CREATE' && f.d.channel_id === scratch);
    const file = joinPath(server.dir, 'files', 'interactions', scratch, frame.d.data.options[0].value);
    expect(existsSync(file)).toBe(true);
    expect((await server.api('DELETE', `/api/v10/channels/${scratch}`, { token: owner.token })).status).toBe(200);
    await until(() => !existsSync(file), 'the file to go with its channel');
  });
});

describe('after a restart', () => {
  it('the files of an interaction that expired while the server was down go at the next start', async () => {
    const dir = mkdtempSync(joinPath(tmpdir(), 'harmony-interaction-files-'));
    let later = Date.now();
    const laterClock = { now: () => later };
    let first: TestServer | null = await startServer({ rateLimits: false, dataDir: dir }, laterClock);
    try {
      const [admin, person] = (await people(first, 'admin', 'person')) as [Person, Person];
      const place = await createGuild(first, admin);
      await join(first, admin, place, person);
      const app = await botIn(first, admin, place, 'restartbot', ['read_messages', 'send_messages']);
      const registered = await v10(first, app, 'POST', `/applications/${app.id}/guilds/${place.id}/commands`, {
        name: 'upload',
        description: 'Send a file',
        options: [{ type: 11, name: 'file', description: 'File', required: true }],
      });
      const socket = await connectAs(first, app.token);
      const form = new FormData();
      form.set(
        'payload_json',
        JSON.stringify({
          type: 2,
          application_id: app.id,
          guild_id: place.id,
          channel_id: place.generalId,
          data: { id: registered.body.id, name: 'upload', type: 1, options: [{ type: 11, name: 'file', value: '0' }] },
        }),
      );
      form.set('files[0]', new Blob(['kept across a restart']), 'r.txt');
      const res = await fetch(`${first.url}/api/v10/interactions`, { method: 'POST', headers: { authorization: `Bearer ${person.token}` }, body: form });
      expect(res.status).toBe(204);
      const frame = await socket.waitFor((f) => f.t === 'INTERACTION_CREATE' && f.d.data.name === 'upload');
      socket.ws.close();
      const file = joinPath(dir, 'files', 'interactions', place.generalId, frame.d.data.options[0].value);
      expect(existsSync(file)).toBe(true);
      await first.stop();
      first = null;
      later += 15 * 60_000 + 1;
      const second = await startServer({ rateLimits: false, dataDir: dir }, laterClock);
      try {
        await until(() => !existsSync(file), 'the expired file to go at start');
      } finally {
        await second.stop();
      }
    } finally {
      await first?.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

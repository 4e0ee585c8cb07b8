// Files on messages through the Discord dialect, with an unmodified discord.js client (REST and gateway) and raw
// HTTP for the edges: Discord's attachment objects, attachment:// in embeds, edits that keep only the listed
// attachments, the signed links (bytes, headers, HEAD, expiry, tampering), what is never served inline, the limits
// (413 40005, 50035), ATTACH_FILES, nothing stored from a refused request, and files leaving the disk with their
// message, in bulk, and with their channel.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'bun:test';
import { existsSync, readdirSync } from 'node:fs';
import { join as joinPath } from 'node:path';
import { AttachmentBuilder, EmbedBuilder, GatewayIntentBits, type Message, type TextChannel } from 'discord.js';
import { Routes } from 'discord-api-types/v10';
import { gif, png } from '../../support/images.ts';
import { rawRequest } from '../../support/raw-http.ts';
import { botIn, createGuild, discordError, type Person, people } from './fixtures.ts';
import { type Account, buildWorld, createBot, destroyClients, discordClient, loginReady, nextEvent, type World } from './gateway/fixtures.ts';

let offset = 0;
const clock = { now: () => Date.now() + offset };
let world: World;
let bot: Account;
let noFiles: Account;

const FILE_PERMISSIONS = ['read_messages', 'send_messages', 'read_message_history', 'attach_files', 'embed_links', 'manage_messages'];

beforeAll(async () => {
  world = await buildWorld({ maxAttachmentBytes: 1024 * 1024, maxAttachments: 3 });
  // buildWorld's server runs on the real clock; a second server below covers expiry with a moving clock.
  bot = await createBot(world, 'filebot', undefined, FILE_PERMISSIONS);
  noFiles = await createBot(world, 'nofilebot', undefined, ['read_messages', 'send_messages', 'read_message_history']);
  await world.call(world.alice.token, 'PUT', `/channels/${world.generalId}/permissions/${noFiles.id}`, { type: 1, deny: ['attach_files'] });
});
afterEach(() => destroyClients());
afterAll(() => world.server.stop());

type Json = Record<string, any>;
const LINK = /^http:\/\/127\.0\.0\.1:\d+\/attachments\/(\d+)\/(\d+)\/([^?]+)\?ex=([0-9a-f]+)&is=([0-9a-f]+)&hm=([0-9a-f]{64})$/;

const filesOnDisk = () => {
  const root = joinPath(world.server.dir, 'files', 'attachments');
  if (!existsSync(root)) return [] as string[];
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => e.name);
};

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await Bun.sleep(10);
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

/** A raw multipart request as Discord libraries build it. */
function form(payload: Json | null, files: { name: string; bytes: Uint8Array | string; field?: string }[]): FormData {
  const body = new FormData();
  if (payload) body.set('payload_json', JSON.stringify(payload));
  for (const [i, f] of files.entries()) body.append(f.field ?? `files[${i}]`, new Blob([f.bytes as BlobPart]), f.name);
  return body;
}

async function raw(method: string, path: string, body: FormData | Json, token = bot.token): Promise<{ status: number; body: any }> {
  const init: RequestInit =
    body instanceof FormData
      ? { method, body, headers: { authorization: `Bot ${token}` } }
      : { method, body: JSON.stringify(body), headers: { authorization: `Bot ${token}`, 'content-type': 'application/json' } };
  const res = await fetch(`${world.server.url}/api/v10${path}`, init);
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

const messagesPath = () => `/channels/${world.generalId}/messages`;
async function latest(): Promise<string | undefined> {
  const res = await fetch(`${world.server.url}/api/v10${messagesPath()}?limit=1`, { headers: { authorization: `Bot ${bot.token}` } });
  return ((await res.json()) as Json[])[0]?.id;
}

describe('discord.js: channel.send with files', () => {
  it('sends files with AttachmentBuilder and gets Discord attachment objects, in the reply and in MESSAGE_CREATE', async () => {
    const client = await loginReady(
      discordClient(world, [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent]),
      bot.token,
    );
    const channel = (await client.channels.fetch(world.generalId)) as TextChannel;
    const picture = png(3, 2);
    const created = nextEvent<[Message]>(client, 'messageCreate', (m) => m.content === 'two files');
    const sent = await channel.send({
      content: 'two files',
      files: [
        new AttachmentBuilder(Buffer.from(picture), { name: 'pixel art.png', description: 'a tiny picture' }),
        new AttachmentBuilder(Buffer.from('hello\n'), { name: 'notes.txt' }),
      ],
    });
    const [fromGateway] = await created;

    for (const message of [sent, fromGateway]) {
      const [image, text] = [...message.attachments.values()];
      expect(message.attachments.size).toBe(2);
      expect({
        name: image?.name,
        description: image?.description,
        contentType: image?.contentType,
        size: image?.size,
        width: image?.width,
        height: image?.height,
      }).toEqual({
        name: 'pixel_art.png',
        description: 'a tiny picture',
        contentType: 'image/png',
        size: picture.length,
        width: 3,
        height: 2,
      });
      expect({
        name: text?.name,
        description: text?.description,
        contentType: text?.contentType,
        size: text?.size,
        width: text?.width,
        height: text?.height,
      }).toEqual({
        name: 'notes.txt',
        description: null,
        contentType: 'text/plain; charset=utf-8',
        size: 6,
        width: null,
        height: null,
      });
      const [, channelId, attachmentId, filename] = LINK.exec(image?.url ?? '') ?? [];
      expect({ channelId, attachmentId, filename }).toEqual({ channelId: world.generalId, attachmentId: image?.id, filename: 'pixel_art.png' });
      expect(image?.proxyURL).toBe(image?.url);
    }

    const download = await fetch(sent.attachments.first()?.url ?? '');
    expect(download.status).toBe(200);
    expect([...new Uint8Array(await download.arrayBuffer())]).toEqual([...picture]);
    expect(Object.fromEntries(download.headers)).toMatchObject({
      'content-type': 'image/png',
      'content-length': String(picture.length),
      'x-content-type-options': 'nosniff',
      'content-disposition': "inline; filename*=UTF-8''pixel_art.png",
      'content-security-policy': "default-src 'none'; sandbox",
      'cache-control': 'private, max-age=86400',
    });
    const notes = await fetch(sent.attachments.last()?.url ?? '');
    expect(await notes.text()).toBe('hello\n');
    expect(notes.headers.get('content-disposition')).toBe("attachment; filename*=UTF-8''notes.txt");
  });

  it('shows an embed picture given as attachment://name at that attachment, and keeps only the listed attachments on edit', async () => {
    const client = await loginReady(discordClient(world, [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages]), bot.token);
    const channel = (await client.channels.fetch(world.generalId)) as TextChannel;
    const sent = await channel.send({
      embeds: [
        new EmbedBuilder()
          .setTitle('chart')
          .setImage('attachment://chart.gif')
          .setThumbnail('attachment://thumb.png')
          .setFooter({ text: 'f', iconURL: 'attachment://thumb.png' }),
      ],
      files: [new AttachmentBuilder(Buffer.from(gif()), { name: 'chart.gif' }), new AttachmentBuilder(Buffer.from(png()), { name: 'thumb.png' })],
    });
    const chart = sent.attachments.find((a) => a.name === 'chart.gif');
    const thumb = sent.attachments.find((a) => a.name === 'thumb.png');
    expect(sent.embeds[0]?.image?.url).toBe(chart?.url as string);
    expect(sent.embeds[0]?.thumbnail?.url).toBe(thumb?.url as string);
    expect(sent.embeds[0]?.footer?.iconURL).toBe(thumb?.url as string);
    expect(filesOnDisk()).toEqual(expect.arrayContaining([chart?.id, thumb?.id]));

    // Keep the chart only: the thumbnail's row and file go.
    const updated = nextEvent<[unknown, Message]>(client, 'messageUpdate', (_old, m) => m.id === sent.id);
    const kept = await sent.edit({ attachments: [chart as NonNullable<typeof chart>] });
    expect([...kept.attachments.keys()]).toEqual([chart?.id as string]);
    const [, fromGateway] = await updated;
    expect([...fromGateway.attachments.keys()]).toEqual([chart?.id as string]);
    await until(() => !filesOnDisk().includes(thumb?.id as string), 'the removed file to leave the disk');
    expect(filesOnDisk()).toContain(chart?.id as string);
    const oldLink = await fetch(thumb?.url ?? '');
    expect({ status: oldLink.status, text: await oldLink.text() }).toEqual({ status: 404, text: 'This content is no longer available.' });

    // New files in an edit are added beside the ones kept.
    const grown = await sent.edit({ attachments: [chart as NonNullable<typeof chart>], files: [new AttachmentBuilder(Buffer.from('v2'), { name: 'v2.txt' })] });
    expect([...grown.attachments.values()].map((a) => a.name)).toEqual(['chart.gif', 'v2.txt']);
    // An edit of the content alone keeps every attachment.
    const text = await sent.edit({ content: 'now with words' });
    expect([...text.attachments.values()].map((a) => a.name)).toEqual(['chart.gif', 'v2.txt']);

    // Deleting the message deletes its files.
    const ids = [...text.attachments.keys()];
    await sent.delete();
    await until(() => ids.every((id) => !filesOnDisk().includes(id)), 'the files of a deleted message to leave the disk');
  });
});

describe('raw HTTP: files at the edges', () => {
  it('answers HEAD with the headers and no body', async () => {
    const sent = await raw('POST', messagesPath(), form({ content: 'head' }, [{ name: 'a.png', bytes: png() }]));
    const head = await fetch(sent.body.attachments[0].url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(png().length));
    expect(head.headers.get('content-type')).toBe('image/png');
    expect(await head.text()).toBe('');
  });

  it('serves HTML, SVG and unknown bytes as downloads of what they are, never as a page or an image', async () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>';
    const sent = await raw(
      'POST',
      messagesPath(),
      form({ content: 'hostile' }, [
        { name: 'page.html', bytes: '<html><script>alert(1)</script></html>' },
        { name: 'logo.svg', bytes: svg },
        { name: 'fake.png', bytes: new Uint8Array([0, 1, 2, 3, 255]) },
      ]),
    );
    expect(sent.status).toBe(200);
    const types = sent.body.attachments.map((a: Json) => [a.filename, a.content_type, 'width' in a]);
    expect(types).toEqual([
      ['page.html', 'text/plain; charset=utf-8', false],
      ['logo.svg', 'text/plain; charset=utf-8', false],
      ['fake.png', 'application/octet-stream', false],
    ]);
    for (const a of sent.body.attachments) {
      const res = await fetch(a.url);
      expect(res.headers.get('content-type')).toBe(a.content_type);
      expect(res.headers.get('content-disposition')).toBe(`attachment; filename*=UTF-8''${a.filename}`);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    }
  });

  it('answers 404 for a tampered signature, a changed expiry, another attachment id or a wrong file name', async () => {
    const sent = await raw(
      'POST',
      messagesPath(),
      form({ content: 'signed' }, [
        { name: 'a.png', bytes: png() },
        { name: 'b.png', bytes: png(1, 1) },
      ]),
    );
    const [a, b] = sent.body.attachments as Json[];
    const url = new URL(a?.url);
    const variants = [
      (() => {
        const u = new URL(url);
        u.searchParams.set(
          'hm',
          (u.searchParams.get('hm') as string).replace(/^./, (c) => (c === '0' ? '1' : '0')),
        );
        return u;
      })(),
      (() => {
        const u = new URL(url);
        u.searchParams.set('ex', (Number.parseInt(u.searchParams.get('ex') as string, 16) + 3600).toString(16));
        return u;
      })(),
      new URL(url.href.replace(`/${a?.id}/`, `/${b?.id}/`).replace('/a.png', '/b.png')),
      new URL(url.href.replace('/a.png', '/other.png')),
      new URL(url.href.split('?')[0] as string),
    ];
    for (const u of variants) {
      const res = await fetch(u);
      expect({ url: u.href, status: res.status, text: await res.text() }).toEqual({ url: u.href, status: 404, text: 'This content is no longer available.' });
    }
    expect((await fetch(url)).status).toBe(200);
  });

  it('refuses a file over the size limit with 413 and code 40005, and stores nothing', async () => {
    const before = [await latest(), filesOnDisk().length];
    const res = await raw(
      'POST',
      messagesPath(),
      form({ content: 'big' }, [
        { name: 'small.txt', bytes: 'ok' },
        { name: 'big.bin', bytes: new Uint8Array(1024 * 1024 + 1) },
      ]),
    );
    expect(res).toEqual({ status: 413, body: { code: 40005, message: expect.stringContaining('Request entity too large') } });
    expect([await latest(), filesOnDisk().length]).toEqual(before);
  });

  it('refuses more files than a message may carry with 400 50035 on attachments, and stores nothing', async () => {
    const before = [await latest(), filesOnDisk().length];
    const files = Array.from({ length: 4 }, (_, i) => ({ name: `f${i}.txt`, bytes: `file ${i}` }));
    const res = await raw('POST', messagesPath(), form({ content: 'many' }, files));
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      code: 50035,
      message: 'Invalid Form Body',
      errors: { attachments: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 3 or fewer in length.' }] } },
    });
    expect([await latest(), filesOnDisk().length]).toEqual(before);
  });

  it('refuses a whole body declared larger than every file at its largest with 413 40005, before reading it', async () => {
    const limit = 3 * 1024 * 1024 + 1024 * 1024;
    const host = new URL(world.server.url).host;
    const res = await rawRequest(
      world.server.url,
      `POST /api/v10${messagesPath()} HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bot ${bot.token}\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: ${limit + 1}\r\nConnection: close\r\n\r\n`,
    );
    expect({ status: res.status, body: res.body }).toEqual({ status: 413, body: { code: 40005, message: 'Request entity too large (4 MiB at most)' } });
  });

  it('answers 401 to an upload larger than 1 MiB without a valid token, before reading it', async () => {
    const body = form({ content: 'anon' }, [{ name: 'a.bin', bytes: new Uint8Array(1024 * 1024 + 10) }]);
    const res = await fetch(`${world.server.url}/api/v10${messagesPath()}`, { method: 'POST', body, headers: { authorization: 'Bot nope' } });
    expect(res.status).toBe(401);
  });

  it('needs ATTACH_FILES for files (403 50013, nothing stored) but not for text', async () => {
    const before = [await latest(), filesOnDisk().length];
    const refused = await raw('POST', messagesPath(), form({ content: 'file' }, [{ name: 'a.txt', bytes: 'x' }]), noFiles.token);
    expect(refused).toEqual({ status: 403, body: { code: 50013, message: 'Missing Permissions' } });
    expect([await latest(), filesOnDisk().length]).toEqual(before);
    const text = await raw('POST', messagesPath(), form({ content: 'just text' }, []), noFiles.token);
    expect(text.status).toBe(200);
  });

  it('refuses an attachments entry that names no upload with 50035 on its id, storing nothing', async () => {
    const before = [await latest(), filesOnDisk().length];
    const res = await raw('POST', messagesPath(), form({ content: 'x', attachments: [{ id: 0 }, { id: 5 }] }, [{ name: 'a.txt', bytes: 'x' }]));
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual({ attachments: { 1: { id: { _errors: [{ code: 'ATTACHMENT_NOT_FOUND', message: expect.any(String) }] } } } });
    expect([await latest(), filesOnDisk().length]).toEqual(before);
  });

  it('keeps no file from a send that enforce_nonce turns into the earlier message', async () => {
    const payload = { content: 'once', nonce: 'files-once', enforce_nonce: true };
    const first = await raw('POST', messagesPath(), form(payload, [{ name: 'once.txt', bytes: 'first' }]));
    const before = filesOnDisk().length;
    const again = await raw('POST', messagesPath(), form(payload, [{ name: 'once.txt', bytes: 'second' }]));
    expect({ id: again.body.id, files: again.body.attachments.map((a: Json) => a.id) }).toEqual({
      id: first.body.id,
      files: first.body.attachments.map((a: Json) => a.id),
    });
    expect(filesOnDisk().length).toBe(before);
    expect(await (await fetch(again.body.attachments[0].url)).text()).toBe('first');
  });

  it('takes a message that is only files, and form fields instead of payload_json', async () => {
    const only = await raw('POST', messagesPath(), form(null, [{ name: 'only.txt', bytes: 'just a file' }]));
    expect({ status: only.status, content: only.body.content, files: only.body.attachments.map((a: Json) => a.filename) }).toEqual({
      status: 200,
      content: '',
      files: ['only.txt'],
    });
    const fields = new FormData();
    fields.set('content', 'from a form field');
    fields.append('file', new Blob(['x']), 'x.txt');
    const res = await raw('POST', messagesPath(), fields);
    expect({ status: res.status, content: res.body.content, files: res.body.attachments.map((a: Json) => a.filename) }).toEqual({
      status: 200,
      content: 'from a form field',
      files: ['x.txt'],
    });
  });

  it('lets an edit empty the text of a message its files still show, and refuses it where nothing would be left', async () => {
    const withFile = await raw('POST', messagesPath(), form({ content: 'text and a file' }, [{ name: 'kept.txt', bytes: 'kept' }]));
    const emptied = await raw('PATCH', `${messagesPath()}/${withFile.body.id}`, { content: '' });
    expect({ status: emptied.status, content: emptied.body.content, files: emptied.body.attachments.map((a: Json) => a.filename) }).toEqual({
      status: 200,
      content: '',
      files: ['kept.txt'],
    });
    const textOnly = await raw('POST', messagesPath(), { content: 'only text' });
    const refused = await raw('PATCH', `${messagesPath()}/${textOnly.body.id}`, { content: '' });
    expect({ status: refused.status, body: refused.body }).toEqual({ status: 400, body: { message: 'Cannot send an empty message', code: 50006 } });
    const dropped = await raw('PATCH', `${messagesPath()}/${withFile.body.id}`, { attachments: [] });
    expect({ status: dropped.status, code: dropped.body.code }).toEqual({ status: 400, code: 50006 });
  });

  it('refuses multipart on routes that take no files with 400 50035', async () => {
    const res = await raw('PATCH', `/channels/${world.generalId}`, form({ name: 'renamed' }, [{ name: 'a.txt', bytes: 'x' }]));
    expect(res.status).toBe(400);
    expect(res.body.errors.files._errors[0].code).toBe('UNSUPPORTED_BY_SERVER');
  });

  it('removes the files of bulk-deleted messages and of a deleted channel', async () => {
    const channel = await world.call(world.alice.token, 'POST', `/guilds/${world.guildId}/channels`, { name: 'scratch' });
    const send = async (name: string, channelId = world.generalId) =>
      (await raw('POST', `/channels/${channelId}/messages`, form({ content: name }, [{ name: `${name}.txt`, bytes: name }]))).body;
    const [one, two] = [await send('one'), await send('two')];
    const ids = [one.attachments[0].id, two.attachments[0].id];
    expect(filesOnDisk()).toEqual(expect.arrayContaining(ids));
    expect((await raw('POST', `${messagesPath()}/bulk-delete`, { messages: [one.id, two.id] })).status).toBe(204);
    await until(() => ids.every((id) => !filesOnDisk().includes(id)), 'bulk-deleted files to leave the disk');

    const inScratch = await send('scratch', channel.id);
    const scratchFile = inScratch.attachments[0].id;
    expect(filesOnDisk()).toContain(scratchFile);
    await world.call(world.alice.token, 'DELETE', `/channels/${channel.id}`);
    await until(() => !filesOnDisk().includes(scratchFile), "a deleted channel's files to leave the disk");
  });
});

describe('expiry', () => {
  it('serves a link until its expiry (24 hours) and answers 404 after; the next serialization mints a fresh one', async () => {
    const { startServer, register } = await import('../../support/test-server.ts');
    const server = await startServer({ rateLimits: false }, clock);
    try {
      const person = await register(server, 'timekeeper');
      const guild = await server.api('POST', '/api/v1/guilds', { token: person.token, body: { name: 'Time' } });
      const channelId = guild.body.channels[0].id;
      const body = form({ content: 'expiring' }, [{ name: 'a.txt', bytes: 'tick' }]);
      const sent = (await (
        await fetch(`${server.url}/api/v10/channels/${channelId}/messages`, { method: 'POST', body, headers: { authorization: `Bearer ${person.token}` } })
      ).json()) as Json;
      const url = sent.attachments[0].url as string;
      const [, , , , ex, is] = LINK.exec(url) ?? [];
      expect(Number.parseInt(ex as string, 16) - Number.parseInt(is as string, 16)).toBe(24 * 3600);
      offset = 23 * 3600 * 1000;
      expect((await fetch(url)).status).toBe(200);
      offset = 24 * 3600 * 1000 + 1000;
      const expired = await fetch(url);
      expect({ status: expired.status, text: await expired.text() }).toEqual({ status: 404, text: 'This content is no longer available.' });
      const again = await server.api('GET', `/api/v10/channels/${channelId}/messages/${sent.id}`, { token: person.token });
      expect(again.body.attachments[0].url).not.toBe(url);
      expect(await (await fetch(again.body.attachments[0].url)).text()).toBe('tick');
    } finally {
      offset = 0;
      await server.stop();
    }
  });
});

describe('the default limits (25 MiB, 10 files), through discord.js', () => {
  it('refuses a 26 MiB file with 413 40005 as a DiscordAPIError, and 11 files with 50035, storing nothing', async () => {
    const { startServer } = await import('../../support/test-server.ts');
    const server = await startServer({ rateLimits: false });
    try {
      const admin = (await people(server, 'limitadmin'))[0] as Person;
      const guild = await createGuild(server, admin);
      const uploader = await botIn(server, admin, guild, 'limitbot', ['read_messages', 'send_messages', 'attach_files']);
      const route = Routes.channelMessages(guild.generalId);
      const big = await discordError(
        uploader.rest.post(route, { body: { content: 'big' }, files: [{ name: 'big.bin', data: Buffer.alloc(26 * 1024 * 1024) }] }),
      );
      expect({ status: big.status, code: big.code }).toEqual({ status: 413, code: 40005 });
      const eleven = Array.from({ length: 11 }, (_, i) => ({ name: `f${i}.txt`, data: Buffer.from(`file ${i}`) }));
      const many = await discordError(uploader.rest.post(route, { body: { content: 'many' }, files: eleven }));
      expect({ status: many.status, code: many.code, errors: (many.rawError as Json).errors }).toEqual({
        status: 400,
        code: 50035,
        errors: { attachments: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 10 or fewer in length.' }] } },
      });
      const ten = await uploader.rest.post(route, { body: { content: 'ten' }, files: eleven.slice(0, 10) });
      expect((ten as Json).attachments).toHaveLength(10);
      const history = (await uploader.rest.get(route)) as Json[];
      expect(history.map((m) => m.content)).toEqual(['ten']);
      expect(readdirSync(joinPath(server.dir, 'files', 'attachments', guild.generalId))).toHaveLength(10);
    } finally {
      await server.stop();
    }
  }, 30_000);
});

// Avatars, guild icons and custom emoji over raw HTTP: uploads as data URIs on both dialects, what is refused
// (and that nothing is stored then), and the CDN paths that serve them with their exact headers.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { readdirSync } from 'node:fs';
import { join as joinPath } from 'node:path';
import { GatewayIntentBits as Intent } from 'discord-api-types/v10';
import { sniffImage } from '../../../src/files/sniff.ts';
import { connectAs } from '../../support/gateway-client.ts';
import { dataUri, gif, jpeg, png, webp } from '../../support/images.ts';
import { startServer, type TestServer } from '../../support/test-server.ts';
import { type Bot, botIn, createGuild, type Guild, join, type Person, people, v10 } from '../discord/fixtures.ts';
import { closeSockets, connectV10 } from '../discord/gateway/fixtures.ts';

let server: TestServer;
let admin: Person;
let bob: Person;
let guild: Guild;
let bot: Bot;
let expressions: Bot;

const IMAGE_HEADERS = {
  'x-content-type-options': 'nosniff',
  'cache-control': 'public, max-age=31536000, immutable',
  'content-security-policy': "default-src 'none'; sandbox",
};
const HASH = /^[0-9a-f]{32}$/;

/** Every file the server has stored, relative to its files folder. */
function storedFiles(): string[] {
  const root = joinPath(server.dir, 'files');
  try {
    return readdirSync(root, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => joinPath(e.parentPath, e.name).slice(root.length + 1))
      .sort();
  } catch {
    return [];
  }
}

async function fetchBytes(path: string, init: RequestInit = {}) {
  const response = await fetch(server.url + path, init);
  return { status: response.status, headers: response.headers, bytes: new Uint8Array(await response.arrayBuffer()) };
}

const invalidImage = (field: string) => ({
  code: 50035,
  message: 'Invalid Form Body',
  errors: { [field]: { _errors: [{ code: 'IMAGE_INVALID', message: 'Invalid image data' }] } },
});

beforeAll(async () => {
  server = await startServer({ rateLimits: false });
  [admin, bob] = (await people(server, 'admin', 'bob')) as [Person, Person];
  guild = await createGuild(server, admin);
  await join(server, admin, guild, bob);
  bot = await botIn(server, admin, guild, 'imagebot', ['read_messages', 'send_messages', 'add_reactions', 'read_message_history']);
  expressions = await botIn(server, admin, guild, 'emojibot', ['read_messages', 'manage_guild_expressions', 'manage_guild']);
});
afterAll(() => {
  closeSockets();
  return server.stop();
});

describe('PATCH /api/v10/users/@me {avatar}', () => {
  it('stores a PNG data URI under its content hash and serves it at /avatars/{id}/{hash}.png with exact headers', async () => {
    const image = png(4, 4, [10, 200, 30, 255]);
    const res = await v10(server, bot, 'PATCH', '/users/@me', { avatar: dataUri(image, 'image/png') });
    expect(res.status).toBe(200);
    expect(res.body.avatar).toMatch(HASH);
    const served = await fetchBytes(`/avatars/${bot.id}/${res.body.avatar}.png?size=128`);
    expect(served.status).toBe(200);
    expect(Buffer.from(served.bytes).equals(Buffer.from(image))).toBe(true);
    expect(Object.fromEntries(served.headers)).toMatchObject({ ...IMAGE_HEADERS, 'content-type': 'image/png', etag: `"${res.body.avatar}"` });
    // The same bytes give the same hash; GET /users/@me and the user object show it.
    expect((await v10(server, bot, 'GET', '/users/@me')).body.avatar).toBe(res.body.avatar);
    expect((await v10(server, bot, 'GET', `/users/${bot.id}`)).body.avatar).toBe(res.body.avatar);
  });

  it('trusts the bytes, not the declared type: a JPEG sent as image/png is served as image/jpeg', async () => {
    const res = await v10(server, bot, 'PATCH', '/users/@me', { avatar: dataUri(jpeg(8, 8), 'image/png') });
    expect(res.status).toBe(200);
    const served = await fetchBytes(`/avatars/${bot.id}/${res.body.avatar}.png`);
    expect(served.headers.get('content-type')).toBe('image/jpeg');
    // Another extension of the same hash is the same stored image with its real type (no conversion).
    const asWebp = await fetchBytes(`/avatars/${bot.id}/${res.body.avatar}.webp`);
    expect({ status: asWebp.status, type: asWebp.headers.get('content-type') }).toEqual({ status: 200, type: 'image/jpeg' });
  });

  it('prefixes the hash of an animated GIF with a_', async () => {
    const res = await v10(server, bot, 'PATCH', '/users/@me', { avatar: dataUri(gif(2), 'image/gif') });
    expect(res.body.avatar).toMatch(/^a_[0-9a-f]{32}$/);
    const served = await fetchBytes(`/avatars/${bot.id}/${res.body.avatar}.gif`);
    expect({ status: served.status, type: served.headers.get('content-type') }).toEqual({ status: 200, type: 'image/gif' });
  });

  it('refuses SVG, HTML disguised as PNG and a broken data URI with 50035 IMAGE_INVALID, storing nothing', async () => {
    const before = storedFiles();
    const current = (await v10(server, bot, 'GET', '/users/@me')).body.avatar;
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    const html = Buffer.from('<!doctype html><script>alert(1)</script>');
    for (const avatar of [dataUri(svg, 'image/svg+xml'), dataUri(html, 'image/png'), 'data:image/png;base64,@@@', 'https://example.com/a.png', '']) {
      const res = await v10(server, bot, 'PATCH', '/users/@me', { avatar });
      expect({ status: res.status, body: res.body }).toEqual({ status: 400, body: invalidImage('avatar') });
    }
    expect(storedFiles()).toEqual(before);
    expect((await v10(server, bot, 'GET', '/users/@me')).body.avatar).toBe(current);
  });

  it('refuses an avatar over 512 KiB with 50035 BINARY_TYPE_MAX_SIZE, storing nothing', async () => {
    const before = storedFiles();
    const big = Buffer.concat([png(2, 2), Buffer.alloc(512 * 1024)]);
    const res = await v10(server, bot, 'PATCH', '/users/@me', { avatar: dataUri(big, 'image/png') });
    expect({ status: res.status, body: res.body }).toEqual({
      status: 400,
      body: {
        code: 50035,
        message: 'Invalid Form Body',
        errors: { avatar: { _errors: [{ code: 'BINARY_TYPE_MAX_SIZE', message: 'File cannot be larger than 512 KiB.' }] } },
      },
    });
    expect(storedFiles()).toEqual(before);
  });

  it('null removes the avatar, and the old URL answers 404', async () => {
    const set = await v10(server, bot, 'PATCH', '/users/@me', { avatar: dataUri(webp(), 'image/webp') });
    expect((await fetchBytes(`/avatars/${bot.id}/${set.body.avatar}.webp`)).status).toBe(200);
    const cleared = await v10(server, bot, 'PATCH', '/users/@me', { avatar: null });
    expect({ status: cleared.status, avatar: cleared.body.avatar }).toEqual({ status: 200, avatar: null });
    expect((await fetchBytes(`/avatars/${bot.id}/${set.body.avatar}.webp`)).status).toBe(404);
  });
});

describe('v1: PATCH /api/v1/users/@me {avatar} and the user objects', () => {
  it('takes the same data URI and shows avatar as its served path, on every v1 user shape', async () => {
    const res = await server.api('PATCH', '/api/v1/users/@me', { token: bob.token, body: { avatar: dataUri(png(3, 3), 'image/png') } });
    expect(res.status).toBe(200);
    expect(res.body.avatar).toMatch(new RegExp(`^/avatars/${bob.id}/[0-9a-f]{32}\\.png$`));
    expect((await fetchBytes(res.body.avatar)).status).toBe(200);
    const members = await server.api('GET', `/api/v1/guilds/${guild.id}/members`, { token: admin.token });
    expect(members.body.find((m: any) => m.user.id === bob.id).user.avatar).toBe(res.body.avatar);
    const hash = res.body.avatar.split('/')[3].split('.')[0];
    // The Discord dialect carries the hash of the same upload.
    expect((await v10(server, bot, 'GET', `/users/${bob.id}`)).body.avatar).toBe(hash);
  });

  it('refuses the old URL-only avatar with 50035 on avatar', async () => {
    const res = await server.api('PATCH', '/api/v1/users/@me', { token: bob.token, body: { avatar: 'https://example.com/me.png' } });
    expect({ status: res.status, body: res.body }).toEqual({ status: 400, body: invalidImage('avatar') });
  });
});

describe('guild icons', () => {
  it('PATCH /api/v10/guilds/:id {icon} stores the icon (MANAGE_GUILD), serves it at /icons/{guild}/{hash}.png', async () => {
    const image = png(5, 5, [0, 0, 255, 255]);
    const res = await v10(server, expressions, 'PATCH', `/guilds/${guild.id}`, { icon: dataUri(image, 'image/png') });
    expect(res.status).toBe(200);
    expect(res.body.icon).toMatch(HASH);
    const served = await fetchBytes(`/icons/${guild.id}/${res.body.icon}.png`);
    expect(served.status).toBe(200);
    expect(Object.fromEntries(served.headers)).toMatchObject({ ...IMAGE_HEADERS, 'content-type': 'image/png' });
    const v1 = await server.api('GET', `/api/v1/guilds/${guild.id}`, { token: admin.token });
    expect(v1.body.icon).toBe(`/icons/${guild.id}/${res.body.icon}.png`);
  });

  it('POST /api/v1/guilds takes an icon too, and refuses a bad one without creating the guild', async () => {
    const made = await server.api('POST', '/api/v1/guilds', { token: bob.token, body: { name: 'Iconic', icon: dataUri(gif(), 'image/gif') } });
    expect(made.status).toBe(201);
    expect(made.body.icon).toMatch(new RegExp(`^/icons/${made.body.id}/[0-9a-f]{32}\\.png$`));
    expect((await fetchBytes(made.body.icon)).headers.get('content-type')).toBe('image/gif');
    const count = (await server.api('GET', '/api/v1/users/@me/guilds', { token: bob.token })).body.length;
    const bad = await server.api('POST', '/api/v1/guilds', { token: bob.token, body: { name: 'Broken', icon: 'data:image/png;base64,AAAA' } });
    expect({ status: bad.status, body: bad.body }).toEqual({ status: 400, body: invalidImage('icon') });
    expect((await server.api('GET', '/api/v1/users/@me/guilds', { token: bob.token })).body.length).toBe(count);
  });

  it('answers 50013 without MANAGE_GUILD and 50035 for a bad icon, storing nothing', async () => {
    const before = storedFiles();
    const denied = await v10(server, bot, 'PATCH', `/guilds/${guild.id}`, { icon: dataUri(png(6, 6), 'image/png') });
    expect({ status: denied.status, code: denied.body.code }).toEqual({ status: 403, code: 50013 });
    const bad = await server.api('PATCH', `/api/v1/guilds/${guild.id}`, { token: admin.token, body: { icon: 'javascript:alert(1)' } });
    expect({ status: bad.status, body: bad.body }).toEqual({ status: 400, body: invalidImage('icon') });
    expect(storedFiles()).toEqual(before);
  });
});

describe('the presence API', () => {
  it("shows the uploaded avatar's hash in GET /user/:id, the seed's shape", async () => {
    await server.api('POST', '/api/v1/users/@me/presence/token', { token: bob.token });
    const hash = (await server.api('GET', '/api/v10/users/@me', { token: bob.token })).body.avatar;
    expect(hash).toMatch(HASH);
    const res = await server.api('GET', `/user/${bob.id}`);
    expect({ status: res.status, avatar: res.body.presence.avatar }).toEqual({ status: 200, avatar: hash });
  });
});

describe('images of deleted accounts and guilds', () => {
  it('stops serving a deleted bot’s avatar and a deleted guild’s icon', async () => {
    const doomed = await botIn(server, admin, guild, 'doomedbot', ['read_messages']);
    const avatar = (await v10(server, doomed, 'PATCH', '/users/@me', { avatar: dataUri(png(11, 11), 'image/png') })).body.avatar;
    expect((await fetchBytes(`/avatars/${doomed.id}/${avatar}.png`)).status).toBe(200);
    expect((await server.api('DELETE', `/api/v1/admin/bots/${doomed.id}`, { token: admin.token })).status).toBe(204);
    expect((await fetchBytes(`/avatars/${doomed.id}/${avatar}.png`)).status).toBe(404);

    const other = await createGuild(server, admin, 'Short-lived');
    const icon = (await server.api('PATCH', `/api/v1/guilds/${other.id}`, { token: admin.token, body: { icon: dataUri(png(12, 12), 'image/png') } })).body.icon;
    expect((await fetchBytes(icon)).status).toBe(200);
    expect((await server.api('DELETE', `/api/v1/guilds/${other.id}`, { token: admin.token })).status).toBe(204);
    expect((await fetchBytes(icon)).status).toBe(404);
  });
});

describe('the CDN paths', () => {
  it('serves the six default avatars as real PNGs at /embed/avatars/{0-5}.png', async () => {
    for (let n = 0; n < 6; n++) {
      const served = await fetchBytes(`/embed/avatars/${n}.png`);
      expect(served.status).toBe(200);
      expect(served.headers.get('content-type')).toBe('image/png');
      expect(sniffImage(served.bytes)).toEqual({ format: 'png', contentType: 'image/png', width: 128, height: 128, animated: false });
    }
    expect((await fetchBytes('/embed/avatars/6.png')).status).toBe(404);
  });

  it('answers HEAD with the headers and no body, 304 to a matching If-None-Match, 400 for a bad size, 404 for unknowns', async () => {
    const hash = (await v10(server, bot, 'PATCH', '/users/@me', { avatar: dataUri(png(7, 7), 'image/png') })).body.avatar;
    const head = await fetchBytes(`/avatars/${bot.id}/${hash}.png`, { method: 'HEAD' });
    expect({ status: head.status, body: head.bytes.length, length: head.headers.get('content-length'), type: head.headers.get('content-type') }).toEqual({
      status: 200,
      body: 0,
      length: String(png(7, 7).length),
      type: 'image/png',
    });
    const cached = await fetchBytes(`/avatars/${bot.id}/${hash}.png`, { headers: { 'if-none-match': `"${hash}"` } });
    expect(cached.status).toBe(304);
    for (const size of ['15', '100', '8192', 'big']) expect((await fetchBytes(`/avatars/${bot.id}/${hash}.png?size=${size}`)).status).toBe(400);
    for (const path of [
      `/avatars/${bob.id}/${hash}.png`,
      `/avatars/${bot.id}/${'0'.repeat(32)}.png`,
      `/avatars/${bot.id}/${hash}.svg`,
      `/avatars/${bot.id}/${hash}`,
      `/icons/${guild.id}/${hash}.png`,
      '/emojis/123.png',
    ]) {
      expect({ path, status: (await fetchBytes(path)).status }).toEqual({ path, status: 404 });
    }
  });
});

describe('USER_UPDATE and GUILD_UPDATE on both gateways', () => {
  it('sends the new avatar hash (v10) and path (v1) to the user, and the new icon to the guild', async () => {
    const botSession = await connectV10(server, bot.token, Intent.Guilds);
    const person = await connectAs(server, admin.token);
    try {
      const avatar = (await v10(server, bot, 'PATCH', '/users/@me', { avatar: dataUri(png(9, 9, [9, 9, 9, 255]), 'image/png') })).body.avatar;
      const userUpdate = await botSession.dispatch('USER_UPDATE', (d) => d.avatar === avatar);
      expect({ id: userUpdate.d.id, avatar: userUpdate.d.avatar }).toEqual({ id: bot.id, avatar });

      const v1Avatar = (await server.api('PATCH', '/api/v1/users/@me', { token: admin.token, body: { avatar: dataUri(gif(2), 'image/gif') } })).body.avatar;
      expect(v1Avatar).toMatch(new RegExp(`^/avatars/${admin.id}/a_[0-9a-f]{32}\\.gif$`));
      const v1UserUpdate = await person.waitFor((f) => f.t === 'USER_UPDATE' && f.d.avatar === v1Avatar);
      expect(v1UserUpdate.d.id).toBe(admin.id);

      const icon = (await server.api('PATCH', `/api/v1/guilds/${guild.id}`, { token: admin.token, body: { icon: dataUri(png(10, 10), 'image/png') } })).body
        .icon;
      const v10Update = await botSession.dispatch('GUILD_UPDATE', (d) => d.icon !== null && icon.includes(d.icon));
      expect(icon).toBe(`/icons/${guild.id}/${v10Update.d.icon}.png`);
      const v1Update = await person.waitFor((f) => f.t === 'GUILD_UPDATE' && f.d.icon === icon);
      expect(v1Update.d.id).toBe(guild.id);
    } finally {
      person.close();
    }
  });
});

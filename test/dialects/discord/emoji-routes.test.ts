// Custom emoji on the Discord dialect over raw HTTP and raw gateways: /guilds/:id/emojis CRUD with Discord's shapes
// and statuses, what is refused (name, image, size, permission, the per-guild allowance) with nothing stored, the
// /emojis/{id}.{ext} CDN path, GUILD_EMOJIS_UPDATE on both gateways, and emoji in the guild object.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'bun:test';
import { readdirSync } from 'node:fs';
import { join as joinPath } from 'node:path';
import { GatewayIntentBits as Intent } from 'discord-api-types/v10';
import { connectAs, type GatewayClient } from '../../support/gateway-client.ts';
import { dataUri, gif, png } from '../../support/images.ts';
import { startServer, type TestServer } from '../../support/test-server.ts';
import { type Bot, botIn, createGuild, type Guild, join, type Person, people, post, SNOWFLAKE, v10 } from './fixtures.ts';
import { closeSockets, connectV10 } from './gateway/fixtures.ts';

let server: TestServer;
let admin: Person;
let bob: Person;
let guild: Guild;
let manager: Bot;
let plain: Bot;
let v1: GatewayClient[] = [];

beforeAll(async () => {
  server = await startServer({ rateLimits: false });
  [admin, bob] = (await people(server, 'admin', 'bob')) as [Person, Person];
  guild = await createGuild(server, admin);
  await join(server, admin, guild, bob);
  manager = await botIn(server, admin, guild, 'emojimanager', ['read_messages', 'manage_guild_expressions']);
  plain = await botIn(server, admin, guild, 'emojiviewer', ['read_messages']);
});
afterAll(() => server.stop());
afterEach(() => {
  closeSockets();
  for (const c of v1) c.close();
  v1 = [];
});

function storedFiles(): string[] {
  try {
    return readdirSync(joinPath(server.dir, 'files'), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => joinPath(e.parentPath, e.name))
      .sort();
  } catch {
    return [];
  }
}

const emojiCount = async () => Number((await server.rows<{ n: bigint | string }>('SELECT count(*) AS n FROM emojis'))[0]?.n);

const create = (who: Bot | Person, body: unknown) =>
  server.api('POST', `/api/v10/guilds/${guild.id}/emojis`, { token: who.token, scheme: 'username' in who && 'rest' in who ? 'Bot' : 'Bearer', body });

const formError = (field: string, code: string, message: string) => ({
  code: 50035,
  message: 'Invalid Form Body',
  errors: { [field]: { _errors: [{ code, message }] } },
});

describe('POST /guilds/:id/emojis', () => {
  it("creates an emoji (201) in Discord's shape, with the uploader as user, served at /emojis/{id}.png", async () => {
    const image = png(8, 8, [255, 200, 0, 255]);
    const res = await create(manager, { name: 'party_1', image: dataUri(image, 'image/png'), roles: [] });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(SNOWFLAKE),
      name: 'party_1',
      roles: [],
      user: { id: manager.id, username: 'emojimanager', discriminator: '0', global_name: null, avatar: null, bot: true, public_flags: 0 },
      require_colons: true,
      managed: false,
      animated: false,
      available: true,
    });
    const served = await fetch(`${server.url}/emojis/${res.body.id}.png?size=64`);
    expect(served.status).toBe(200);
    expect(Buffer.from(await served.arrayBuffer()).equals(Buffer.from(image))).toBe(true);
    expect({
      type: served.headers.get('content-type'),
      nosniff: served.headers.get('x-content-type-options'),
      cache: served.headers.get('cache-control'),
      csp: served.headers.get('content-security-policy'),
    }).toEqual({ type: 'image/png', nosniff: 'nosniff', cache: 'public, max-age=31536000, immutable', csp: "default-src 'none'; sandbox" });
    // The same emoji as .webp is the stored PNG, with its real type.
    expect((await fetch(`${server.url}/emojis/${res.body.id}.webp`)).headers.get('content-type')).toBe('image/png');
  });

  it('marks an animated GIF animated and limits it to roles given', async () => {
    const role = await server.api('POST', `/api/v1/guilds/${guild.id}/roles`, { token: admin.token, body: { name: 'vip' } });
    const res = await create(manager, { name: 'dance', image: dataUri(gif(2), 'image/gif'), roles: [role.body.id] });
    expect({ status: res.status, animated: res.body.animated, roles: res.body.roles }).toEqual({ status: 201, animated: true, roles: [role.body.id] });
    expect((await fetch(`${server.url}/emojis/${res.body.id}.gif`)).headers.get('content-type')).toBe('image/gif');
  });

  it('refuses bad names, bad images and images over 256 KiB with 50035 on the field, storing nothing', async () => {
    const files = storedFiles();
    const count = await emojiCount();
    const good = dataUri(png(), 'image/png');
    const svg = dataUri(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'image/png');
    const html = dataUri(Buffer.from('<html><script>alert(1)</script></html>'), 'image/png');
    const big = dataUri(Buffer.concat([png(), Buffer.alloc(256 * 1024)]), 'image/png');
    const nameError = formError('name', 'STRING_TYPE_REGEX', 'Emoji name must be 2-32 characters of letters, digits and _');
    const cases: [unknown, unknown][] = [
      [{ name: 'a', image: good }, nameError],
      [{ name: 'x'.repeat(33), image: good }, nameError],
      [{ name: 'no-dash', image: good }, nameError],
      [{ name: 'has space', image: good }, nameError],
      [{ name: 'svg', image: svg }, formError('image', 'IMAGE_INVALID', 'Invalid image data')],
      [{ name: 'html', image: html }, formError('image', 'IMAGE_INVALID', 'Invalid image data')],
      [{ name: 'big', image: big }, formError('image', 'BINARY_TYPE_MAX_SIZE', 'File cannot be larger than 256 KiB.')],
    ];
    for (const [body, expected] of cases) {
      const res = await create(manager, body);
      expect({ status: res.status, body: res.body }).toEqual({ status: 400, body: expected });
    }
    const missing = await create(manager, { name: 'noimage' });
    expect({ status: missing.status, code: missing.body.code }).toEqual({ status: 400, code: 50035 });
    expect(storedFiles()).toEqual(files);
    expect(await emojiCount()).toBe(count);
  });

  it('answers 50013 without MANAGE_GUILD_EXPRESSIONS and 50001 to a non-member, storing nothing', async () => {
    const files = storedFiles();
    const denied = await create(plain, { name: 'nope', image: dataUri(png(9, 9), 'image/png') });
    expect({ status: denied.status, body: denied.body }).toEqual({ status: 403, body: { code: 50013, message: 'Missing Permissions' } });
    const [outsider] = (await people(server, 'outsider')) as [Person];
    const stranger = await create(outsider, { name: 'nope', image: dataUri(png(9, 9), 'image/png') });
    expect({ status: stranger.status, code: stranger.body.code }).toEqual({ status: 403, code: 50001 });
    expect(storedFiles()).toEqual(files);
  });

  it('allows 50 static emoji per guild, then answers 30008; animated ones count apart', async () => {
    const other = await createGuild(server, admin, 'Full Guild');
    const post = (name: string, image: Uint8Array, type: string) =>
      server.api('POST', `/api/v10/guilds/${other.id}/emojis`, { token: admin.token, body: { name, image: dataUri(image, type) } });
    for (let i = 0; i < 50; i++) expect((await post(`e${i}`, png(1, 1, [i, 0, 0, 255]), 'image/png')).status).toBe(201);
    const files = storedFiles();
    const full = await post('one_more', png(1, 1, [0, 99, 0, 255]), 'image/png');
    expect({ status: full.status, body: full.body }).toEqual({ status: 400, body: { code: 30008, message: 'Maximum number of emojis reached (50)' } });
    expect(storedFiles()).toEqual(files);
    expect((await post('animated_ok', gif(2), 'image/gif')).status).toBe(201);
  });
});

describe('emoji limited to roles', () => {
  it('refuses an unknown role with 50035 on roles.N, and lets only holders of a role react with a limited emoji', async () => {
    const bad = await create(manager, { name: 'nobody', image: dataUri(png(), 'image/png'), roles: ['1234567890123456789'] });
    expect({ status: bad.status, errors: bad.body.errors }).toEqual({
      status: 400,
      errors: { roles: { 0: { _errors: [{ code: 'ROLE_INVALID', message: 'Unknown role 1234567890123456789' }] } } },
    });
    const role = await server.api('POST', `/api/v1/guilds/${guild.id}/roles`, { token: admin.token, body: { name: 'stars' } });
    const limited = (await create(manager, { name: 'star_only', image: dataUri(png(3, 1), 'image/png'), roles: [role.body.id] })).body;
    const message = await post(server, admin, guild.generalId, 'react if you may');
    const path = `/channels/${guild.generalId}/messages/${message.id}/reactions/${encodeURIComponent(`star_only:${limited.id}`)}/@me`;
    const denied = await v10(server, plain, 'PUT', path);
    expect({ status: denied.status, code: denied.body.code }).toEqual({ status: 403, code: 50013 });
    await server.api('PUT', `/api/v1/guilds/${guild.id}/members/${plain.id}/roles/${role.body.id}`, { token: admin.token });
    expect((await v10(server, plain, 'PUT', path)).status).toBe(204);
  });
});

describe('GET, PATCH and DELETE /guilds/:id/emojis/:id', () => {
  it('lists for any member (user only for managers), gets one, renames (200), deletes (204), then 10014', async () => {
    const created = (await create(manager, { name: 'wave', image: dataUri(png(2, 3), 'image/png') })).body;
    const listed = await v10(server, plain, 'GET', `/guilds/${guild.id}/emojis`);
    expect(listed.status).toBe(200);
    const seen = listed.body.find((e: any) => e.id === created.id);
    expect(seen).toEqual({ id: created.id, name: 'wave', roles: [], require_colons: true, managed: false, animated: false, available: true });
    const managed = await v10(server, manager, 'GET', `/guilds/${guild.id}/emojis/${created.id}`);
    expect({ status: managed.status, user: managed.body.user?.id }).toEqual({ status: 200, user: manager.id });

    const renamed = await v10(server, manager, 'PATCH', `/guilds/${guild.id}/emojis/${created.id}`, { name: 'wave_hello' });
    expect({ status: renamed.status, name: renamed.body.name }).toEqual({ status: 200, name: 'wave_hello' });
    const badName = await v10(server, manager, 'PATCH', `/guilds/${guild.id}/emojis/${created.id}`, { name: '!' });
    expect(badName.status).toBe(400);
    const denied = await v10(server, plain, 'PATCH', `/guilds/${guild.id}/emojis/${created.id}`, { name: 'mine' });
    expect({ status: denied.status, code: denied.body.code }).toEqual({ status: 403, code: 50013 });

    const deleted = await v10(server, manager, 'DELETE', `/guilds/${guild.id}/emojis/${created.id}`);
    expect({ status: deleted.status, body: deleted.body }).toEqual({ status: 204, body: null });
    const gone = await v10(server, manager, 'GET', `/guilds/${guild.id}/emojis/${created.id}`);
    expect({ status: gone.status, body: gone.body }).toEqual({ status: 404, body: { code: 10014, message: 'Unknown Emoji' } });
    expect((await fetch(`${server.url}/emojis/${created.id}.png`)).status).toBe(404);
  });

  it('shows the emoji in the guild object (GET /guilds/:id)', async () => {
    const created = (await create(manager, { name: 'in_guild', image: dataUri(png(4, 1), 'image/png') })).body;
    const g = await v10(server, plain, 'GET', `/guilds/${guild.id}`);
    expect(g.body.emojis).toContainEqual({
      id: created.id,
      name: 'in_guild',
      roles: [],
      require_colons: true,
      managed: false,
      animated: false,
      available: true,
    });
  });
});

describe('GUILD_EMOJIS_UPDATE', () => {
  it('reaches v10 sessions with GUILD_EXPRESSIONS (whole list) and not those without; v1 sessions too', async () => {
    const withIntent = await connectV10(server, plain.token, Intent.Guilds | Intent.GuildExpressions);
    const without = await connectV10(server, manager.token, Intent.Guilds);
    const person = await connectAs(server, bob.token);
    v1.push(person);
    const created = (await create(manager, { name: 'event_emoji', image: dataUri(png(5, 2), 'image/png') })).body;
    const frame = await withIntent.dispatch('GUILD_EMOJIS_UPDATE', (d) => d.emojis.some((e: any) => e.id === created.id));
    expect(frame.d.guild_id).toBe(guild.id);
    expect(frame.d.emojis.find((e: any) => e.id === created.id)).toEqual({
      id: created.id,
      name: 'event_emoji',
      roles: [],
      require_colons: true,
      managed: false,
      animated: false,
      available: true,
    });
    const v1Frame = await person.waitFor((f) => f.t === 'GUILD_EMOJIS_UPDATE' && f.d.emojis.some((e: any) => e.id === created.id));
    expect(v1Frame.d.emojis.find((e: any) => e.id === created.id)).toEqual({
      id: created.id,
      guild_id: guild.id,
      name: 'event_emoji',
      animated: false,
      roles: [],
      user_id: manager.id,
      url: `/emojis/${created.id}.png`,
    });
    await v10(server, manager, 'DELETE', `/guilds/${guild.id}/emojis/${created.id}`);
    await withIntent.dispatch('GUILD_EMOJIS_UPDATE', (d) => !d.emojis.some((e: any) => e.id === created.id));
    expect(without.frames.some((f) => f.t === 'GUILD_EMOJIS_UPDATE')).toBe(false);
  });

  it('follows the deletion of a role an emoji was limited to, the emoji then being everyone’s', async () => {
    const role = await server.api('POST', `/api/v1/guilds/${guild.id}/roles`, { token: admin.token, body: { name: 'fleeting' } });
    const limited = (await create(manager, { name: 'fleeting', image: dataUri(png(2, 5), 'image/png'), roles: [role.body.id] })).body;
    const session = await connectV10(server, plain.token, Intent.Guilds | Intent.GuildExpressions);
    await server.api('DELETE', `/api/v1/guilds/${guild.id}/roles/${role.body.id}`, { token: admin.token });
    const frame = await session.dispatch('GUILD_EMOJIS_UPDATE', (d) => d.emojis.some((e: any) => e.id === limited.id && e.roles.length === 0));
    expect(frame.d.guild_id).toBe(guild.id);
  });

  it('GUILD_CREATE carries the emoji', async () => {
    const session = await connectV10(server, plain.token, Intent.Guilds);
    const created = await session.dispatch('GUILD_CREATE', (d) => d.id === guild.id);
    expect(created.d.emojis.length).toBeGreaterThan(0);
    expect(created.d.emojis.every((e: any) => e.require_colons === true && typeof e.animated === 'boolean')).toBe(true);
  });
});

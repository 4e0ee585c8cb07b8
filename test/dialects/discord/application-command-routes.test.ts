// Application commands through the discord dialect's REST routes, raw: Discord's shapes, 201 vs 200 upserts,
// PUT replacing a scope while keeping ids, PATCH and DELETE (204, then 10063), who may manage which commands,
// the per-scope limits, and every validation rule with the exact 50035 naming its field.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { startServer, type TestServer } from '../../support/test-server.ts';
import { type Bot, botIn, createBot, createGuild, type Guild, type Person, people, SNOWFLAKE, v10 } from './fixtures.ts';

let server: TestServer;
let admin: Person;
let guild: Guild;
let otherGuild: Guild;
let bot: Bot;
let other: Bot;

beforeAll(async () => {
  server = await startServer({ rateLimits: false });
  [admin] = (await people(server, 'admin')) as [Person];
  guild = await createGuild(server, admin);
  otherGuild = await createGuild(server, admin, 'Elsewhere');
  bot = await botIn(server, admin, guild, 'cmdbot', ['read_messages']);
  other = await botIn(server, admin, guild, 'otherbot', ['read_messages']);
});
afterAll(() => server.stop());

type Json = Record<string, any>;
const globalPath = (suffix = '') => `/applications/${bot.id}/commands${suffix}`;
const guildPath = (suffix = '', g: Guild = guild) => `/applications/${bot.id}/guilds/${g.id}/commands${suffix}`;
const ping = { name: 'ping', description: 'Replies with pong' };

/** The `_errors` list at a dotted path of a 50035 answer ('' for the root). */
function errorAt(body: Json, dotted: string): { code: string; message: string }[] | undefined {
  let node: Json | undefined = body.errors;
  for (const part of dotted ? dotted.split('.') : []) node = node?.[part];
  return node?._errors;
}

/** POSTs `command` to the bot's guild scope and expects exactly one 50035 entry at `field`. */
async function refused(command: unknown, field: string, code: string, message?: string | RegExp) {
  const res = await v10(server, bot, 'POST', guildPath(), command);
  expect({ status: res.status, code: res.body.code, message: res.body.message }).toEqual({ status: 400, code: 50035, message: 'Invalid Form Body' });
  const errors = errorAt(res.body, field);
  expect(errors?.map((e) => e.code)).toEqual([code]);
  if (message !== undefined) expect(errors?.[0]?.message).toMatch(message);
  return res;
}

describe('POST /applications/:app/commands', () => {
  it("creates a global CHAT_INPUT command with 201 and Discord's full object", async () => {
    const res = await v10(server, bot, 'POST', globalPath(), ping);
    expect(res.status).toBe(201);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.body).toEqual({
      id: expect.stringMatching(SNOWFLAKE),
      application_id: bot.id,
      version: expect.stringMatching(SNOWFLAKE),
      default_member_permissions: null,
      type: 1,
      name: 'ping',
      name_localizations: null,
      description: 'Replies with pong',
      description_localizations: null,
      dm_permission: true,
      contexts: null,
      integration_types: [0],
      nsfw: false,
    });
    expect(res.body.version).toBe(res.body.id);
  });

  it('upserts by name and type: 200, same id, new version only when something changed', async () => {
    const first = (await v10(server, bot, 'POST', globalPath(), { name: 'echo', description: 'Echo' })).body;
    const again = await v10(server, bot, 'POST', globalPath(), { name: 'echo', description: 'Echo' });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first);
    const changed = await v10(server, bot, 'POST', globalPath(), { name: 'echo', description: 'Echo it back', default_member_permissions: 8 });
    expect(changed.status).toBe(200);
    expect(changed.body.id).toBe(first.id);
    expect(BigInt(changed.body.version)).toBeGreaterThan(BigInt(first.version));
    expect(changed.body).toMatchObject({ description: 'Echo it back', default_member_permissions: '8' });
    // A USER command may share the name: a different type is a different command.
    const user = await v10(server, bot, 'POST', globalPath(), { name: 'echo', type: 2 });
    expect(user.status).toBe(201);
    expect(user.body).toMatchObject({ type: 2, name: 'echo', description: '' });
    expect(user.body.id).not.toBe(first.id);
  });

  it('creates guild commands with guild_id and without dm_permission', async () => {
    const res = await v10(server, bot, 'POST', guildPath(), { name: 'Report User', type: 2, description: '' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(SNOWFLAKE),
      application_id: bot.id,
      version: res.body.id,
      default_member_permissions: null,
      type: 2,
      name: 'Report User',
      name_localizations: null,
      description: '',
      description_localizations: null,
      guild_id: guild.id,
      contexts: null,
      integration_types: [0],
      nsfw: false,
    });
  });

  it("stores the whole option tree and answers it in Discord's shape", async () => {
    const command = {
      name: 'config',
      description: 'Configure things',
      default_member_permissions: '32',
      nsfw: true,
      name_localizations: { fr: 'réglages' },
      options: [
        {
          type: 2,
          name: 'limits',
          description: 'Limits',
          options: [
            {
              type: 1,
              name: 'set',
              description: 'Set a limit',
              options: [
                { type: 4, name: 'value', description: 'The value', required: true, min_value: 1, max_value: 10 },
                { type: 3, name: 'unit', description: 'Unit', choices: [{ name: 'Seconds', value: 's', name_localizations: { de: 'Sekunden' } }] },
                { type: 7, name: 'where', description: 'Channel', channel_types: [0, 5] },
                { type: 3, name: 'note', description: 'Note', min_length: 0, max_length: 50, autocomplete: true },
                { type: 10, name: 'ratio', description: 'Ratio', min_value: 0.5, max_value: 2.5 },
              ],
            },
          ],
        },
        { type: 1, name: 'show', description: 'Show', options: [{ type: 6, name: 'who', description: 'A user' }] },
      ],
    };
    const res = await v10(server, bot, 'POST', guildPath(), command);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ default_member_permissions: '32', nsfw: true, name_localizations: { fr: 'réglages' } });
    expect(res.body.options).toEqual([
      {
        type: 2,
        name: 'limits',
        description: 'Limits',
        options: [
          {
            type: 1,
            name: 'set',
            description: 'Set a limit',
            options: [
              { type: 4, name: 'value', description: 'The value', required: true, min_value: 1, max_value: 10 },
              { type: 3, name: 'unit', description: 'Unit', choices: [{ name: 'Seconds', name_localizations: { de: 'Sekunden' }, value: 's' }] },
              { type: 7, name: 'where', description: 'Channel', channel_types: [0, 5] },
              { type: 3, name: 'note', description: 'Note', min_length: 0, max_length: 50, autocomplete: true },
              { type: 10, name: 'ratio', description: 'Ratio', min_value: 0.5, max_value: 2.5 },
            ],
          },
        ],
      },
      { type: 1, name: 'show', description: 'Show', options: [{ type: 6, name: 'who', description: 'A user' }] },
    ]);
    const fetched = await v10(server, bot, 'GET', guildPath(`/${res.body.id}`));
    expect(fetched.body).toEqual(res.body);
  });
});

describe('GET /applications/:app/commands', () => {
  it('lists without localization dictionaries unless with_localizations=true; name_localized for the locale', async () => {
    await v10(server, bot, 'POST', guildPath(), {
      name: 'hello',
      description: 'Say hi',
      name_localizations: { fr: 'bonjour' },
      description_localizations: { fr: 'Dire bonjour' },
    });
    const plain = await v10(server, bot, 'GET', guildPath());
    expect(plain.status).toBe(200);
    const hello = plain.body.find((c: Json) => c.name === 'hello');
    expect(hello).not.toHaveProperty('name_localizations');
    expect(hello).not.toHaveProperty('name_localized');
    const french = await v10(server, bot, 'GET', guildPath(), undefined, { 'X-Discord-Locale': 'fr' });
    expect(french.body.find((c: Json) => c.name === 'hello')).toMatchObject({ name_localized: 'bonjour', description_localized: 'Dire bonjour' });
    const full = await v10(server, bot, 'GET', guildPath('?with_localizations=true'));
    expect(full.body.find((c: Json) => c.name === 'hello')).toMatchObject({
      name_localizations: { fr: 'bonjour' },
      description_localizations: { fr: 'Dire bonjour' },
    });
    // Global and guild scopes are separate lists.
    expect(plain.body.every((c: Json) => c.guild_id === guild.id)).toBe(true);
    const global = await v10(server, bot, 'GET', globalPath());
    expect(global.body.every((c: Json) => c.guild_id === undefined)).toBe(true);
  });
});

describe('PUT /applications/:app/commands', () => {
  it('replaces the scope, keeps the id (and version) of same-named commands and deletes the rest', async () => {
    const scope = await createGuild(server, admin, 'Put Guild');
    await server.api('PUT', `/api/v1/guilds/${scope.id}/bots/${bot.id}`, { token: admin.token, body: { permissions: ['read_messages'] } });
    const first = await v10(server, bot, 'PUT', guildPath('', scope), [ping, { name: 'old', description: 'Going away' }, { name: 'Inspect', type: 3 }]);
    expect(first.status).toBe(200);
    expect(first.body.map((c: Json) => [c.type, c.name])).toEqual([
      [1, 'ping'],
      [1, 'old'],
      [3, 'Inspect'],
    ]);
    const [oldPing, old, inspect] = first.body as Json[];
    const second = await v10(server, bot, 'PUT', guildPath('', scope), [
      { name: 'Inspect', type: 3 },
      { ...ping, description: 'Pong, now' },
      { name: 'new', description: 'Brand new' },
    ]);
    expect(second.status).toBe(200);
    const byName = Object.fromEntries((second.body as Json[]).map((c) => [c.name, c]));
    expect(Object.keys(byName).sort()).toEqual(['Inspect', 'new', 'ping']);
    expect(byName.Inspect).toEqual(inspect);
    expect(byName.ping.id).toBe(oldPing?.id);
    expect(byName.ping.version).not.toBe(oldPing?.version);
    expect(byName.ping.description).toBe('Pong, now');
    expect((await v10(server, bot, 'GET', guildPath(`/${old?.id}`, scope))).body).toEqual({ code: 10063, message: 'Unknown application command' });
    const listed = await v10(server, bot, 'GET', guildPath('', scope));
    expect(listed.body.map((c: Json) => c.name).sort()).toEqual(['Inspect', 'new', 'ping']);
    // An empty list clears the scope.
    expect((await v10(server, bot, 'PUT', guildPath('', scope), [])).body).toEqual([]);
    expect((await v10(server, bot, 'GET', guildPath('', scope))).body).toEqual([]);
  });

  it('keeps the id of a command named by id even when it is renamed', async () => {
    const created = (await v10(server, bot, 'PUT', globalPath(), [{ name: 'before', description: 'x' }])).body[0];
    const renamed = await v10(server, bot, 'PUT', globalPath(), [{ id: created.id, name: 'after', description: 'x' }]);
    expect(renamed.body).toEqual([{ ...created, name: 'after', version: expect.stringMatching(SNOWFLAKE) }]);
    expect(renamed.body[0].version).not.toBe(created.version);
  });

  it('refuses two commands of one name and type with APPLICATION_COMMANDS_DUPLICATE_NAME and changes nothing', async () => {
    const before = (await v10(server, bot, 'GET', globalPath())).body;
    const res = await v10(server, bot, 'PUT', globalPath(), [ping, { name: 'other', description: 'x' }, { ...ping, description: 'again' }]);
    expect(res.status).toBe(400);
    expect(errorAt(res.body, '2.name')).toEqual([{ code: 'APPLICATION_COMMANDS_DUPLICATE_NAME', message: 'Application command names must be unique' }]);
    expect((await v10(server, bot, 'GET', globalPath())).body).toEqual(before);
  });

  it('names the item of a bad command by its index', async () => {
    const res = await v10(server, bot, 'PUT', globalPath(), [ping, { name: 'Bad Name', description: 'x' }]);
    expect(res.status).toBe(400);
    expect(errorAt(res.body, '1.name')?.[0]?.code).toBe('APPLICATION_COMMAND_INVALID_NAME');
  });
});

describe('PATCH and DELETE /applications/:app/commands/:id', () => {
  it('edits only the fields given, bumps the version, keeps the type', async () => {
    const created = (
      await v10(server, bot, 'POST', guildPath(), { name: 'patchme', description: 'Before', options: [{ type: 3, name: 'text', description: 'Text' }] })
    ).body;
    const res = await v10(server, bot, 'PATCH', guildPath(`/${created.id}`), { description: 'After' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...created, description: 'After', version: expect.stringMatching(SNOWFLAKE) });
    expect(res.body.version).not.toBe(created.version);
    const cleared = await v10(server, bot, 'PATCH', guildPath(`/${created.id}`), { options: [], default_member_permissions: '0' });
    expect(cleared.body).not.toHaveProperty('options');
    expect(cleared.body.default_member_permissions).toBe('0');
    const typed = await v10(server, bot, 'PATCH', guildPath(`/${created.id}`), { type: 2 });
    expect(typed.status).toBe(400);
    expect(errorAt(typed.body, 'type')?.[0]?.message).toBe('Application command types are immutable');
  });

  it('refuses a rename onto another command of the same type', async () => {
    await v10(server, bot, 'POST', guildPath(), { name: 'taken', description: 'x' });
    const mine = (await v10(server, bot, 'POST', guildPath(), { name: 'mine', description: 'x' })).body;
    const res = await v10(server, bot, 'PATCH', guildPath(`/${mine.id}`), { name: 'taken' });
    expect(res.status).toBe(400);
    expect(errorAt(res.body, 'name')).toEqual([{ code: 'APPLICATION_COMMANDS_DUPLICATE_NAME', message: 'Application command names must be unique' }]);
  });

  it('deletes with 204 and an empty body; then the command is 10063 Unknown application command', async () => {
    const created = (await v10(server, bot, 'POST', guildPath(), { name: 'gone', description: 'x' })).body;
    const res = await v10(server, bot, 'DELETE', guildPath(`/${created.id}`));
    expect(res.status).toBe(204);
    expect(res.body).toBeNull();
    for (const [method, body] of [['GET'], ['PATCH', { description: 'y' }], ['DELETE']] as const) {
      const again = await v10(server, bot, method, guildPath(`/${created.id}`), body);
      expect({ status: again.status, body: again.body }).toEqual({ status: 404, body: { code: 10063, message: 'Unknown application command' } });
    }
  });

  it('finds a command only in its own scope', async () => {
    const global = (await v10(server, bot, 'POST', globalPath(), { name: 'globalonly', description: 'x' })).body;
    expect((await v10(server, bot, 'GET', guildPath(`/${global.id}`))).status).toBe(404);
    expect((await v10(server, bot, 'GET', globalPath(`/${global.id}`))).body).toEqual(global);
  });
});

describe('who may manage commands', () => {
  it('refuses another bot with 403 50001 and an id that is no application with 404 10002', async () => {
    for (const [method, body] of [['GET'], ['POST', ping], ['PUT', [ping]]] as const) {
      const res = await v10(server, other, method, globalPath(), body);
      expect({ status: res.status, body: res.body }).toEqual({ status: 403, body: { code: 50001, message: 'Missing Access' } });
    }
    const unknownApp = await v10(server, bot, 'GET', `/applications/${admin.id}/commands`);
    expect({ status: unknownApp.status, body: unknownApp.body }).toEqual({ status: 404, body: { code: 10002, message: 'Unknown Application' } });
    const nobody = await v10(server, bot, 'GET', '/applications/1234567890123456789/commands');
    expect(nobody.body.code).toBe(10002);
  });

  it('refuses a person (Bearer) with 403 50001, and no token with 401', async () => {
    const person = await server.api('GET', `/api/v10/applications/${bot.id}/commands`, { token: admin.token });
    expect({ status: person.status, code: person.body.code }).toEqual({ status: 403, code: 50001 });
    expect(person.body.message).toMatch(/bot/);
    const anonymous = await server.api('GET', `/api/v10/applications/${bot.id}/commands`);
    expect({ status: anonymous.status, body: anonymous.body }).toEqual({ status: 401, body: { code: 0, message: '401: Unauthorized' } });
  });

  it('refuses guild commands in a guild the bot is not in (or that does not exist) with 403 50001', async () => {
    for (const guildId of [otherGuild.id, '1234567890123456789']) {
      const res = await v10(server, bot, 'POST', `/applications/${bot.id}/guilds/${guildId}/commands`, ping);
      expect({ status: res.status, body: res.body }).toEqual({ status: 403, body: { code: 50001, message: 'Missing Access' } });
    }
  });

  it("removes a guild's commands with the guild, and a bot's with the bot", async () => {
    const doomed = await createGuild(server, admin, 'Doomed');
    const temp = await createBot(server, admin, 'tempbot');
    for (const b of [bot, temp])
      await server.api('PUT', `/api/v1/guilds/${doomed.id}/bots/${b.id}`, { token: admin.token, body: { permissions: ['read_messages'] } });
    await v10(server, bot, 'POST', `/applications/${bot.id}/guilds/${doomed.id}/commands`, ping);
    await v10(server, temp, 'POST', `/applications/${temp.id}/commands`, ping);
    const rows = async (sql: string, ...args: string[]) => Number((await server.rows<{ n: bigint | string }>(sql, ...args))[0]?.n);
    expect(await rows('SELECT count(*) AS n FROM application_commands WHERE guild_id = ?', doomed.id)).toBe(1);
    expect((await server.api('DELETE', `/api/v1/guilds/${doomed.id}`, { token: admin.token })).status).toBe(204);
    expect(await rows('SELECT count(*) AS n FROM application_commands WHERE guild_id = ?', doomed.id)).toBe(0);
    expect(await rows('SELECT count(*) AS n FROM application_commands WHERE application_id = ?', temp.id)).toBe(1);
    expect((await server.api('DELETE', `/api/v1/admin/bots/${temp.id}`, { token: admin.token })).status).toBe(204);
    expect(await rows('SELECT count(*) AS n FROM application_commands WHERE application_id = ?', temp.id)).toBe(0);
  });
});

describe('limits per scope', () => {
  it('takes 100 CHAT_INPUT, 15 USER and 15 MESSAGE commands; the next one is 30032', async () => {
    const scope = await createGuild(server, admin, 'Full Guild');
    await server.api('PUT', `/api/v1/guilds/${scope.id}/bots/${bot.id}`, { token: admin.token, body: { permissions: ['read_messages'] } });
    const full = [
      ...Array.from({ length: 100 }, (_, i) => ({ name: `c${i}`, description: 'x' })),
      ...Array.from({ length: 15 }, (_, i) => ({ name: `User ${i}`, type: 2 })),
      ...Array.from({ length: 15 }, (_, i) => ({ name: `Message ${i}`, type: 3 })),
    ];
    const put = await v10(server, bot, 'PUT', guildPath('', scope), full);
    expect(put.status).toBe(200);
    expect(put.body).toHaveLength(130);
    for (const [body, max] of [
      [{ name: 'c100', description: 'x' }, 100],
      [{ name: 'User 15', type: 2 }, 15],
      [{ name: 'Message 15', type: 3 }, 15],
    ] as const) {
      const res = await v10(server, bot, 'POST', guildPath('', scope), body);
      expect({ status: res.status, body: res.body }).toEqual({
        status: 400,
        body: { code: 30032, message: `Maximum number of application commands reached (${max})` },
      });
    }
    // Replacing one that exists is not a new command.
    expect((await v10(server, bot, 'POST', guildPath('', scope), { name: 'c5', description: 'y' })).status).toBe(200);
    const over = await v10(server, bot, 'PUT', guildPath('', scope), [...full, { name: 'User 15', type: 2 }]);
    expect({ status: over.status, code: over.body.code }).toEqual({ status: 400, code: 30032 });
    expect((await v10(server, bot, 'GET', guildPath('', scope))).body).toHaveLength(130);
  });
});

describe('permissions', () => {
  it('lists no overwrites for the guild, and answers 10066 for a command without any', async () => {
    const created = (await v10(server, bot, 'POST', guildPath(), { name: 'perm', description: 'x' })).body;
    const all = await v10(server, bot, 'GET', guildPath('/permissions'));
    expect({ status: all.status, body: all.body }).toEqual({ status: 200, body: [] });
    const one = await v10(server, bot, 'GET', guildPath(`/${created.id}/permissions`));
    expect({ status: one.status, body: one.body }).toEqual({ status: 404, body: { code: 10066, message: 'Unknown application command permissions' } });
    const global = (await v10(server, bot, 'POST', globalPath(), { name: 'gperm', description: 'x' })).body;
    expect((await v10(server, bot, 'GET', guildPath(`/${global.id}/permissions`))).body.code).toBe(10066);
    expect((await v10(server, bot, 'GET', guildPath('/1234567890123456789/permissions'))).body.code).toBe(10063);
    expect((await v10(server, other, 'GET', guildPath('/permissions'))).status).toBe(403);
  });
});

describe('validation (50035 naming the field)', () => {
  it('checks names: CHAT_INPUT pattern and lowercase, 1-32 characters', async () => {
    await refused({ name: 'Ping', description: 'x' }, 'name', 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
    await refused({ name: 'two words', description: 'x' }, 'name', 'APPLICATION_COMMAND_INVALID_NAME');
    await refused({ name: 'bang!', description: 'x' }, 'name', 'APPLICATION_COMMAND_INVALID_NAME');
    await refused({ name: '', description: 'x' }, 'name', 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 32 in length.');
    await refused({ name: 'a'.repeat(33), description: 'x' }, 'name', 'BASE_TYPE_BAD_LENGTH');
    await refused({ description: 'x' }, 'name', 'BASE_TYPE_REQUIRED');
    await refused({ name: 'User Name That Is Far Too Long Now', type: 2 }, 'name', 'BASE_TYPE_BAD_LENGTH');
    await refused({ name: '😀'.repeat(33), type: 2 }, 'name', 'BASE_TYPE_BAD_LENGTH');
    // Letters of any script, digits, - _ ' ; uncased scripts and Devanagari/Thai marks; USER/MESSAGE take case and spaces.
    for (const body of [
      { name: "it's-a_name9", description: 'x' },
      { name: 'привет', description: 'x' },
      { name: '日本語', description: 'x' },
      { name: 'नमस्ते', description: 'x' },
      { name: 'Mixed Case Menu', type: 3 },
      // Lengths are characters: 32 emoji (64 UTF-16 units) make a valid context menu name.
      { name: '😀'.repeat(32), type: 2 },
    ]) {
      const res = await v10(server, bot, 'POST', guildPath(), body);
      expect(res.status).toBe(201);
    }
  });

  it('checks descriptions: 1-100 for CHAT_INPUT, none for context menus', async () => {
    await refused({ name: 'nodesc' }, 'description', 'BASE_TYPE_REQUIRED');
    await refused({ name: 'longdesc', description: 'd'.repeat(101) }, 'description', 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
    await refused(
      { name: 'Menu', type: 2, description: 'Not allowed' },
      'description',
      'APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION_INVALID',
      'Context menu commands cannot have description',
    );
    await refused({ name: 'bad', type: 4 }, 'type', 'BASE_TYPE_CHOICES');
  });

  it('checks option structure: required first, unique names, subcommand nesting', async () => {
    const opt = (name: string, extra: Json = {}) => ({ type: 3, name, description: 'x', ...extra });
    await refused(
      { name: 'order', description: 'x', options: [opt('a'), opt('b', { required: true })] },
      'options.1',
      'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID',
      'Required options must be placed before non-required options',
    );
    await refused({ name: 'dupe', description: 'x', options: [opt('a'), opt('a')] }, 'options.1.name', 'APPLICATION_COMMAND_OPTIONS_DUPLICATE_NAME');
    await refused(
      { name: 'mixed', description: 'x', options: [{ type: 1, name: 'sub', description: 'x' }, opt('a')] },
      'options',
      'APPLICATION_COMMAND_OPTIONS_TYPE_INVALID',
      'Sub-command and sub-command group option types are mutually exclusive to all other types',
    );
    await refused(
      { name: 'group', description: 'x', options: [{ type: 2, name: 'g', description: 'x', options: [opt('a')] }] },
      'options.0.options.0.type',
      'APPLICATION_COMMAND_OPTIONS_TYPE_INVALID',
    );
    await refused(
      { name: 'nested', description: 'x', options: [{ type: 1, name: 's', description: 'x', options: [{ type: 1, name: 't', description: 'x' }] }] },
      'options.0.options.0.type',
      'APPLICATION_COMMAND_OPTIONS_TYPE_INVALID',
    );
    await refused({ name: 'optname', description: 'x', options: [opt('Upper')] }, 'options.0.name', 'APPLICATION_COMMAND_INVALID_NAME');
    await refused({ name: 'opttype', description: 'x', options: [{ type: 12, name: 'a', description: 'x' }] }, 'options.0.type', 'BASE_TYPE_CHOICES');
    await refused({ name: 'optdesc', description: 'x', options: [{ type: 3, name: 'a' }] }, 'options.0.description', 'BASE_TYPE_REQUIRED');
    await refused({ name: 'many', description: 'x', options: Array.from({ length: 26 }, (_, i) => opt(`o${i}`)) }, 'options', 'BASE_TYPE_MAX_LENGTH');
    await refused({ name: 'Menu Options', type: 2, options: [opt('a')] }, 'options', 'APPLICATION_COMMAND_OPTION_FIELD_INVALID');
  });

  it("checks choices: only STRING/INTEGER/NUMBER, values of the option's type, at most 25, not with autocomplete", async () => {
    const choices = (type: number, value: unknown, extra: Json = {}) => ({
      name: 'c',
      description: 'x',
      options: [{ type, name: 'a', description: 'x', choices: [{ name: 'one', value }], ...extra }],
    });
    await refused(choices(5, true), 'options.0.choices', 'APPLICATION_COMMAND_OPTION_FIELD_INVALID');
    await refused(choices(3, 1), 'options.0.choices.0.value', 'BASE_TYPE_STRING');
    await refused(choices(4, 1.5), 'options.0.choices.0.value', 'NUMBER_TYPE_COERCE', 'Value is not int.');
    await refused(choices(4, '1'), 'options.0.choices.0.value', 'NUMBER_TYPE_COERCE');
    await refused(choices(10, 'x'), 'options.0.choices.0.value', 'NUMBER_TYPE_COERCE', 'Value is not float.');
    await refused(choices(3, 'v'.repeat(101)), 'options.0.choices.0.value', 'BASE_TYPE_BAD_LENGTH');
    await refused(choices(3, 'v', { autocomplete: true }), 'options.0.autocomplete', 'APPLICATION_COMMAND_OPTION_FIELD_INVALID', /mutually exclusive/);
    await refused(
      {
        name: 'c',
        description: 'x',
        options: [{ type: 3, name: 'a', description: 'x', choices: Array.from({ length: 26 }, (_, i) => ({ name: `n${i}`, value: `v${i}` })) }],
      },
      'options.0.choices',
      'BASE_TYPE_MAX_LENGTH',
    );
    await refused(
      { name: 'c', description: 'x', options: [{ type: 6, name: 'a', description: 'x', autocomplete: true }] },
      'options.0.autocomplete',
      'APPLICATION_COMMAND_OPTION_FIELD_INVALID',
    );
  });

  it('checks ranges, lengths and channel types against the option type', async () => {
    const one = (option: Json) => ({ name: 'r', description: 'x', options: [{ name: 'a', description: 'x', ...option }] });
    await refused(one({ type: 3, min_value: 1 }), 'options.0.min_value', 'APPLICATION_COMMAND_OPTION_FIELD_INVALID');
    await refused(one({ type: 4, min_value: 1.5 }), 'options.0.min_value', 'NUMBER_TYPE_COERCE');
    await refused(one({ type: 4, min_value: 5, max_value: 1 }), 'options.0.max_value', 'NUMBER_TYPE_MIN');
    await refused(one({ type: 10, max_value: 1e300 }), 'options.0.max_value', 'NUMBER_TYPE_MAX');
    // An integer past 2^53 keeps its digits (exact JSON), so it is no number at all.
    await refused(one({ type: 4, max_value: 2 ** 60 }), 'options.0.max_value', 'NUMBER_TYPE_COERCE');
    await refused(one({ type: 4, min_length: 1 }), 'options.0.min_length', 'APPLICATION_COMMAND_OPTION_FIELD_INVALID');
    await refused(one({ type: 3, max_length: 6001 }), 'options.0.max_length', 'NUMBER_TYPE_MAX');
    await refused(one({ type: 3, max_length: 0 }), 'options.0.max_length', 'NUMBER_TYPE_MIN');
    await refused(one({ type: 3, min_length: -1 }), 'options.0.min_length', 'NUMBER_TYPE_MIN');
    await refused(one({ type: 3, min_length: 10, max_length: 5 }), 'options.0.max_length', 'NUMBER_TYPE_MIN');
    await refused(one({ type: 6, channel_types: [0] }), 'options.0.channel_types', 'APPLICATION_COMMAND_OPTION_FIELD_INVALID');
    await refused(one({ type: 7, channel_types: [99] }), 'options.0.channel_types.0', 'BASE_TYPE_CHOICES');
    await refused(one({ type: 3, options: [{ type: 3, name: 'b', description: 'x' }] }), 'options.0.options', 'APPLICATION_COMMAND_OPTION_FIELD_INVALID');
  });

  it('checks localizations, permissions and contexts', async () => {
    await refused({ name: 'l', description: 'x', name_localizations: { xx: 'l' } }, 'name_localizations.xx', 'ENUM_TYPE_COERCE');
    await refused({ name: 'l', description: 'x', name_localizations: { fr: 'Majuscule' } }, 'name_localizations.fr', 'APPLICATION_COMMAND_INVALID_NAME');
    await refused({ name: 'l', description: 'x', description_localizations: { de: 'd'.repeat(101) } }, 'description_localizations.de', 'BASE_TYPE_BAD_LENGTH');
    await refused({ name: 'p', description: 'x', default_member_permissions: 'lots' }, 'default_member_permissions', 'PERMISSIONS_INVALID');
    await refused({ name: 'p', description: 'x', contexts: [0, 7] }, 'contexts.1', 'BASE_TYPE_CHOICES');
    await refused({ name: 'p', description: 'x', integration_types: [2] }, 'integration_types.0', 'BASE_TYPE_CHOICES');
    await refused({ name: 'p', description: 'x', nsfw: 'yes' }, 'nsfw', 'BASE_TYPE_BOOLEAN');
    const ok = await v10(server, bot, 'POST', globalPath(), {
      name: 'ctx',
      description: 'x',
      contexts: [0],
      integration_types: [0, 1],
      default_member_permissions: null,
      dm_permission: false,
    });
    expect(ok.body).toMatchObject({ contexts: [0], integration_types: [0, 1], default_member_permissions: null, dm_permission: false });
  });

  it('refuses a command over 4000 characters in all with APPLICATION_COMMAND_TOO_LARGE on the command', async () => {
    const options = Array.from({ length: 25 }, (_, i) => ({
      type: 3,
      name: `o${i}`,
      description: 'd'.repeat(100),
      choices: Array.from({ length: 2 }, (_, j) => ({ name: 'n'.repeat(50), value: `${j}` })),
    }));
    const res = await v10(server, bot, 'POST', globalPath(), { name: 'huge', description: 'x', options });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      code: 50035,
      message: 'Invalid Form Body',
      errors: { _errors: [{ code: 'APPLICATION_COMMAND_TOO_LARGE', message: 'Command exceeds maximum size (4000)' }] },
    });
    const fits = await v10(server, bot, 'POST', globalPath(), { name: 'huge', description: 'x', options: options.slice(0, 15) });
    expect(fits.status).toBe(201);
  });

  it('names every bad field at once and stores nothing', async () => {
    const res = await v10(server, bot, 'POST', guildPath(), { name: 'Bad', description: '', options: [{ type: 3, name: 'x' }] });
    expect(res.body.errors).toEqual({
      name: { _errors: [{ code: 'APPLICATION_COMMAND_INVALID_NAME', message: 'Command name is invalid' }] },
      description: { _errors: [{ code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 100 in length.' }] },
      options: { 0: { description: { _errors: [{ code: 'BASE_TYPE_REQUIRED', message: 'This field is required' }] } } },
    });
    const listed = await v10(server, bot, 'GET', guildPath());
    expect(listed.body.some((c: Json) => c.name === 'Bad')).toBe(false);
  });

  it('takes snowflakes and integers as discord.py sends them', async () => {
    const res = await v10(server, bot, 'POST', `/applications/${bot.id}/commands`, {
      name: 'ints',
      description: 'x',
      default_member_permissions: 2048,
      dm_permission: true,
      nsfw: false,
    });
    expect(res.body.default_member_permissions).toBe('2048');
  });
});

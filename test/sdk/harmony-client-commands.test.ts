// Application commands through the v1 API, driven by the SDK a HarmonyClient bot uses (getCommands, createCommand,
// editCommand, setCommands, deleteCommand, with and without a guild) against a real server, plus the raw answers the
// SDK hides: 201 vs 200, 204, the v1 shape with every field, and who may call.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import type { ApplicationCommandOption } from '../../src/sdk/application-commands.ts';
import { HarmonyApiError, HarmonyClient } from '../../src/sdk/harmony-client.ts';
import { botIn, createGuild, type Guild, type Person, people, SNOWFLAKE } from '../dialects/discord/fixtures.ts';
import { startServer, type TestServer } from '../support/test-server.ts';

let server: TestServer;
let admin: Person;
let guild: Guild;
let bot: { id: string; token: string };
let client: HarmonyClient;

beforeAll(async () => {
  server = await startServer({ rateLimits: false });
  [admin] = (await people(server, 'admin')) as [Person];
  guild = await createGuild(server, admin);
  bot = await botIn(server, admin, guild, 'sdkbot', ['read_messages']);
  client = new HarmonyClient(bot.token, { apiUrl: `${server.url}/api/v1` });
});
afterAll(() => server.stop());

/** An option as v1 shows it: every field present, null or false when unset. */
const leaf = (fields: { type: number; name: string; description: string; [key: string]: unknown }): ApplicationCommandOption =>
  ({
    name_localizations: null,
    description_localizations: null,
    required: false,
    choices: null,
    channel_types: null,
    min_value: null,
    max_value: null,
    min_length: null,
    max_length: null,
    autocomplete: false,
    options: null,
    ...fields,
  }) as ApplicationCommandOption;

describe('HarmonyClient application commands (v1 API)', () => {
  it('creates, lists, edits and deletes global commands, learning its application id from /users/@me', async () => {
    const created = await client.createCommand({
      name: 'weather',
      description: 'The weather',
      default_member_permissions: '0',
      options: [
        { type: 3, name: 'city', description: 'City', required: true, max_length: 64 },
        { type: 4, name: 'days', description: 'Days ahead', min_value: 1, max_value: 7, choices: [{ name: 'Tomorrow', value: 1 }] },
      ],
    });
    expect(created).toEqual({
      id: expect.stringMatching(SNOWFLAKE),
      application_id: bot.id,
      guild_id: null,
      version: created.id,
      type: 1,
      name: 'weather',
      name_localizations: null,
      description: 'The weather',
      description_localizations: null,
      options: [
        leaf({ type: 3, name: 'city', description: 'City', required: true, max_length: 64 }),
        leaf({
          type: 4,
          name: 'days',
          description: 'Days ahead',
          min_value: 1,
          max_value: 7,
          choices: [{ name: 'Tomorrow', name_localizations: null, value: 1 }],
        }),
      ],
      default_member_permissions: '0',
      dm_permission: true,
      contexts: null,
      integration_types: [0],
      nsfw: false,
    });
    expect(await client.getCommands()).toEqual([created]);
    expect(await client.getCommand(created.id)).toEqual(created);

    const edited = await client.editCommand(created.id, { description: "Tomorrow's weather", nsfw: true });
    expect(edited).toEqual({ ...created, description: "Tomorrow's weather", nsfw: true, version: expect.stringMatching(SNOWFLAKE) });
    expect(edited.version).not.toBe(created.version);

    await client.deleteCommand(created.id);
    expect(await client.getCommands()).toEqual([]);
  });

  it('sets a guild scope with subcommands and context menus, keeping ids across sets', async () => {
    const first = await client.setCommands(
      [
        {
          name: 'notes',
          description: 'Notes',
          options: [
            {
              type: 2,
              name: 'admin',
              description: 'Admin',
              options: [{ type: 1, name: 'wipe', description: 'Wipe', options: [{ type: 5, name: 'sure', description: 'Sure?', required: true }] }],
            },
            { type: 1, name: 'add', description: 'Add' },
          ],
        },
        { name: 'Save Message', type: 3 },
      ],
      { guildId: guild.id },
    );
    expect(first.map((c) => [c.type, c.name, c.guild_id])).toEqual([
      [1, 'notes', guild.id],
      [3, 'Save Message', guild.id],
    ]);
    expect(first[0]?.options).toEqual([
      leaf({
        type: 2,
        name: 'admin',
        description: 'Admin',
        options: [leaf({ type: 1, name: 'wipe', description: 'Wipe', options: [leaf({ type: 5, name: 'sure', description: 'Sure?', required: true })] })],
      }),
      leaf({ type: 1, name: 'add', description: 'Add', options: [] }),
    ]);
    const second = await client.setCommands([{ name: 'Save Message', type: 3 }], { guildId: guild.id });
    expect(second).toEqual(first.slice(1));
    expect(await client.getCommands({ guildId: guild.id })).toEqual(second);
    expect(await client.getCommands()).toEqual([]);
  });

  it('counts lengths in characters: a context menu named with 32 emoji is stored and answered', async () => {
    const name = '😀'.repeat(32);
    const created = await client.createCommand({ name, type: 2, description: '' });
    expect({ name: created.name, type: created.type, description: created.description }).toEqual({ name, type: 2, description: '' });
    expect((await client.getCommands()).map((c) => c.name)).toContain(name);
    await client.deleteCommand(created.id);
  });

  it("surfaces Discord's validation as HarmonyApiError 50035 with the field errors", async () => {
    const error = await client.createCommand({ name: 'Bad Name', description: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HarmonyApiError);
    expect({ status: (error as HarmonyApiError).status, code: (error as HarmonyApiError).code, errors: (error as HarmonyApiError).errors }).toEqual({
      status: 400,
      code: 50035,
      errors: { name: { _errors: [{ code: 'APPLICATION_COMMAND_INVALID_NAME', message: 'Command name is invalid' }] } },
    });
  });
});

describe('the v1 routes, raw', () => {
  const v1 = (method: string, path: string, body?: unknown, token = bot.token, scheme = 'Bot') => server.api(method, `/api/v1${path}`, { token, scheme, body });

  it('answers 201 for a new command, 200 when it replaced one, 204 on delete, then 10063', async () => {
    const created = await v1('POST', `/applications/${bot.id}/commands`, { name: 'raw', description: 'x' });
    expect(created.status).toBe(201);
    expect(created.headers.get('content-type')).toBe('application/json');
    const replaced = await v1('POST', `/applications/${bot.id}/commands`, { name: 'raw', description: 'y' });
    expect({ status: replaced.status, id: replaced.body.id }).toEqual({ status: 200, id: created.body.id });
    const deleted = await v1('DELETE', `/applications/${bot.id}/commands/${created.body.id}`);
    expect({ status: deleted.status, body: deleted.body }).toEqual({ status: 204, body: null });
    const gone = await v1('GET', `/applications/${bot.id}/commands/${created.body.id}`);
    expect({ status: gone.status, body: gone.body }).toEqual({ status: 404, body: { code: 10063, message: 'Unknown application command' } });
  });

  it("refuses people and other applications' bots", async () => {
    const person = await v1('GET', `/applications/${bot.id}/commands`, undefined, admin.token, 'Bearer');
    expect({ status: person.status, code: person.body.code }).toEqual({ status: 403, code: 50001 });
    const other = await botIn(server, admin, guild, 'othersdkbot', ['read_messages']);
    const foreign = await v1('PUT', `/applications/${bot.id}/commands`, [], other.token);
    expect({ status: foreign.status, body: foreign.body }).toEqual({ status: 403, body: { code: 50001, message: 'Missing Access' } });
  });

  it("lists a guild's usable commands to its members: every bot's global and guild commands, by bot", async () => {
    const scope = await createGuild(server, admin, 'Index Guild');
    const dice = await botIn(server, admin, scope, 'dicebot', ['read_messages']);
    const cards = await botIn(server, admin, scope, 'cardbot', ['read_messages']);
    const asBot = (b: { id: string; token: string }, path: string, body: unknown) => v1('PUT', `/applications/${b.id}${path}`, body, b.token);
    await asBot(dice, '/commands', [{ name: 'roll', description: 'Roll' }]);
    await asBot(dice, `/guilds/${scope.id}/commands`, [{ name: 'Show Dice', type: 2 }]);
    await asBot(dice, `/guilds/${guild.id}/commands`, []);
    await asBot(cards, '/commands', [{ name: 'draw', description: 'Draw' }]);
    const listed = await v1('GET', `/guilds/${scope.id}/commands`, undefined, admin.token, 'Bearer');
    expect(listed.status).toBe(200);
    const names = (listed.body as { application_id: string; name: string }[]).map((c) => [c.application_id === dice.id ? 'dice' : 'cards', c.name]);
    expect(names.sort()).toEqual([
      ['cards', 'draw'],
      ['dice', 'Show Dice'],
      ['dice', 'roll'],
    ]);
    // A bot sees the index too; someone outside the guild does not.
    expect((await v1('GET', `/guilds/${scope.id}/commands`, undefined, cards.token)).status).toBe(200);
    const [outsider] = await people(server, 'outsider');
    const refused = await v1('GET', `/guilds/${scope.id}/commands`, undefined, outsider?.token, 'Bearer');
    expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 403, code: 50001 });
    // A bot that leaves takes its commands out of the index.
    await server.api('DELETE', `/api/v1/guilds/${scope.id}/bots/${cards.id}`, { token: admin.token });
    const after = await v1('GET', `/guilds/${scope.id}/commands`, undefined, admin.token, 'Bearer');
    expect((after.body as { name: string }[]).map((c) => c.name).sort()).toEqual(['Show Dice', 'roll']);
  });

  it('documents every route in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${server.url}/docs/json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    for (const prefix of ['/api/v1', '/api/v10']) {
      expect(Object.keys(doc.paths[`${prefix}/applications/{applicationId}/commands`] ?? {}).sort()).toEqual(['get', 'post', 'put']);
      expect(Object.keys(doc.paths[`${prefix}/applications/{applicationId}/guilds/{guildId}/commands/{commandId}`] ?? {}).sort()).toEqual([
        'delete',
        'get',
        'patch',
      ]);
    }
    expect(Object.keys(doc.paths['/api/v10/applications/{applicationId}/guilds/{guildId}/commands/{commandId}/permissions'] ?? {})).toEqual(['get']);
  });
});

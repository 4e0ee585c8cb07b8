// Application commands with an unmodified discord.py 2.x: a CommandTree synced from setup_hook globally and to one
// guild (test/fixtures/discord-py/app_commands.py), read back with fetch_commands, and refused in a guild the bot
// is not in. Every step the bot reports is checked exactly, and against what the server answers raw.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { runDiscordPy } from '../../support/discord-py.ts';
import { startServer, type TestServer } from '../../support/test-server.ts';
import { botIn, createGuild, type Guild, type Person, people, SNOWFLAKE, v10 } from './fixtures.ts';

type Step = { step: string; [field: string]: any };

let server: TestServer;
let admin: Person;
let guild: Guild;
let foreign: Guild;
let bot: { id: string; token: string };

beforeAll(async () => {
  server = await startServer({ rateLimits: false });
  [admin] = (await people(server, 'admin')) as [Person];
  guild = await createGuild(server, admin, 'Python Guild');
  foreign = await createGuild(server, admin, 'Not Joined');
  bot = await botIn(server, admin, guild, 'pycommands', ['read_messages']);
});
afterAll(() => server.stop());

/** Runs the fixture against this server to its end (bounded): its steps. */
const runScript = () => runDiscordPy<Step>('app_commands.py', server.url, { BOT_TOKEN: bot.token, GUILD_ID: guild.id, FOREIGN_GUILD_ID: foreign.id });

const ID = expect.stringMatching(SNOWFLAKE);

/** A value option as discord.py's Argument.to_dict() shows what it read (every field, defaults included). */
const arg = (fields: { type: number; name: string; description: string; required: boolean; [key: string]: unknown }) => ({
  choices: [],
  channel_types: [],
  min_value: null,
  max_value: null,
  min_length: null,
  max_length: null,
  autocomplete: false,
  options: [],
  name_localizations: {},
  description_localizations: {},
  ...fields,
});

describe('discord.py app_commands.CommandTree', () => {
  it('syncs globally and to a guild, fetches back, and is refused in a guild it is not in', async () => {
    const run = await runScript();
    expect(
      run.steps.map((s) => s.step),
      run.stderr,
    ).toEqual(['login', 'sync_global', 'sync_guild', 'fetch_global', 'fetch_guild', 'fetch_one', 'sync_foreign', 'sync_again', 'done']);
    expect(run.exitCode).toBe(0);
    const byStep = new Map(run.steps.map((s) => [s.step, s]));
    expect(byStep.get('login')).toEqual({ step: 'login', application_id: bot.id });

    const roll = {
      id: ID,
      application_id: bot.id,
      guild_id: null,
      type: 1,
      name: 'roll',
      description: 'Roll a die',
      default_member_permissions: 2048,
      dm_permission: true,
      nsfw: false,
      options: [
        arg({ type: 4, name: 'sides', description: 'How many sides', required: true, min_value: 2, max_value: 100 }),
        arg({ type: 6, name: 'who', description: 'Who rolls', required: true }),
        arg({
          type: 3,
          name: 'style',
          description: 'How to show it',
          required: false,
          choices: [
            { name: 'Plain', value: 'plain' },
            { name: 'Fancy', value: 'fancy' },
          ],
        }),
      ],
    };
    const tag = {
      id: ID,
      application_id: bot.id,
      guild_id: null,
      type: 1,
      name: 'tag',
      description: 'Tags',
      default_member_permissions: null,
      dm_permission: false,
      nsfw: false,
      options: [
        {
          type: 1,
          name: 'add',
          description: 'Add a tag',
          // discord.py describes an undocumented parameter with '…'.
          options: [arg({ type: 3, name: 'text', description: '…', required: true, min_length: 1, max_length: 200 })],
          name_localizations: {},
          description_localizations: {},
        },
      ],
    };
    const profile = {
      id: ID,
      application_id: bot.id,
      guild_id: null,
      type: 2,
      name: 'Show Profile',
      description: '',
      default_member_permissions: null,
      dm_permission: true,
      nsfw: false,
      options: [],
    };
    const synced = byStep.get('sync_global')?.commands;
    expect(synced).toEqual([roll, tag, profile]);
    expect(byStep.get('fetch_global')?.commands).toEqual(synced);
    const here = {
      id: ID,
      application_id: bot.id,
      guild_id: guild.id,
      type: 1,
      name: 'here',
      description: 'Only in one guild',
      default_member_permissions: null,
      dm_permission: true,
      nsfw: false,
      options: [arg({ type: 3, name: 'note', description: '…', required: false })],
    };
    expect(byStep.get('sync_guild')?.commands).toEqual([here]);
    expect(byStep.get('fetch_guild')?.commands).toEqual(byStep.get('sync_guild')?.commands);
    expect(byStep.get('fetch_one')?.command).toEqual(synced[0]);
    expect(byStep.get('sync_foreign')).toEqual({ step: 'sync_foreign', ok: false, error: 'Forbidden', status: 403, code: 50001 });
    expect(byStep.get('sync_again')?.ids).toEqual(synced.map((c: { id: string }) => c.id));

    // What the server stored, raw: the same commands and ids.
    const raw = await v10(server, bot, 'GET', `/applications/${bot.id}/commands`);
    expect(raw.body.map((c: { id: string; name: string }) => [c.id, c.name])).toEqual(synced.map((c: { id: string; name: string }) => [c.id, c.name]));
  }, 30_000);
});

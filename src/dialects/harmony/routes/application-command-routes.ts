// /applications/:applicationId/commands (global) and /applications/:applicationId/guilds/:guildId/commands: a bot
// (HarmonyClient) manages its slash commands and context menus with the same service and rules as the Discord
// dialect. Bodies are Discord's command shape, checked field by field by the domain parser.
import { Elysia, t } from 'elysia';
import type { CommandScope } from '../../../domain/commands/application-commands.ts';
import type { RouteDeps } from '../../../http/guard.ts';
import { Snowflake } from '../../../http/schemas.ts';
import { ApplicationCommandModel, applicationCommand } from '../application-commands.ts';
import { ERRORS, none, ok } from '../models.ts';

const BOT_ONLY = [{ bot: [] }];
const GlobalParams = t.Object({ applicationId: Snowflake });
const GuildParams = t.Object({ applicationId: Snowflake, guildId: Snowflake });
const GlobalCommandParams = t.Object({ applicationId: Snowflake, commandId: Snowflake });
const GuildCommandParams = t.Object({ applicationId: Snowflake, guildId: Snowflake, commandId: Snowflake });

const CommandBody = t.Object(
  {
    name: t.Optional(t.Unknown({ description: "Slash commands: 1-32 lowercase letters, digits, - _ '; context menus: 1-32 characters" })),
    type: t.Optional(t.Unknown({ description: '1 CHAT_INPUT (default), 2 USER, 3 MESSAGE' })),
    description: t.Optional(t.Unknown({ description: 'Slash commands: 1-100 characters; context menus: none' })),
    options: t.Optional(t.Unknown({ description: "Up to 25 options in Discord's shape, required ones first" })),
    default_member_permissions: t.Optional(t.Unknown({ description: 'A permission bitfield as a decimal string, or null' })),
  },
  { additionalProperties: true, description: "An application command in Discord's request shape" },
);
const CommandList = t.Array(t.Unknown(), { description: 'The new command list of the scope (items may carry the id of a command to keep)' });

export function applicationCommandRoutes({ core, guard }: RouteDeps) {
  const commands = core.services.commands;
  const scopeOf = (params: { applicationId: string; guildId?: string }): CommandScope => ({
    applicationId: params.applicationId,
    guildId: params.guildId ?? null,
  });
  const detail = (summary: string) => ({ summary, security: BOT_ONLY });

  type Params = { applicationId: string; guildId?: string };
  type CommandParams = Params & { commandId: string };
  type Caller = { caller: { user: { id: string } } };

  const list = async ({ caller, params }: Caller & { params: Params }) => (await commands.list(caller.user.id, scopeOf(params))).map(applicationCommand);
  const create = async ({ caller, params, body, set }: Caller & { params: Params; body: unknown; set: { status?: number | string } }) => {
    const { command, created } = await commands.create(caller.user.id, scopeOf(params), body);
    set.status = created ? 201 : 200;
    return applicationCommand(command);
  };
  const overwrite = async ({ caller, params, body }: Caller & { params: Params; body: unknown }) =>
    (await commands.overwrite(caller.user.id, scopeOf(params), body)).map(applicationCommand);
  const get = async ({ caller, params }: Caller & { params: CommandParams }) =>
    applicationCommand(await commands.get(caller.user.id, scopeOf(params), params.commandId));
  const edit = async ({ caller, params, body }: Caller & { params: CommandParams; body: unknown }) =>
    applicationCommand(await commands.edit(caller.user.id, scopeOf(params), params.commandId, body));
  const remove = async ({ caller, params, set }: Caller & { params: CommandParams; set: { status?: number | string } }) => {
    await commands.delete(caller.user.id, scopeOf(params), params.commandId);
    set.status = 204;
  };
  const upserted = { 200: ApplicationCommandModel, 201: ApplicationCommandModel, ...ERRORS };
  const upsertSummary = (where: string) => `Create ${where} command; one of the same name and type is replaced (201 new, 200 replaced)`;

  return new Elysia({ detail: { tags: ['Application commands'] } })
    .use(guard)
    .get('/applications/:applicationId/commands', list, {
      auth: 'any',
      params: GlobalParams,
      response: ok(t.Array(ApplicationCommandModel)),
      detail: detail("Your bot's global commands (only the bot itself: its user id is its application id)"),
    })
    .post('/applications/:applicationId/commands', create, {
      auth: 'any',
      params: GlobalParams,
      body: CommandBody,
      response: upserted,
      detail: detail(upsertSummary('a global')),
    })
    .put('/applications/:applicationId/commands', overwrite, {
      auth: 'any',
      params: GlobalParams,
      body: CommandList,
      response: ok(t.Array(ApplicationCommandModel)),
      detail: detail('Replace all global commands (same name and type, or the id given, keeps the id)'),
    })
    .get('/applications/:applicationId/commands/:commandId', get, {
      auth: 'any',
      params: GlobalCommandParams,
      response: ok(ApplicationCommandModel),
      detail: detail('One global command'),
    })
    .patch('/applications/:applicationId/commands/:commandId', edit, {
      auth: 'any',
      params: GlobalCommandParams,
      body: CommandBody,
      response: ok(ApplicationCommandModel),
      detail: detail('Edit a global command: the fields given replace the current ones'),
    })
    .delete('/applications/:applicationId/commands/:commandId', remove, {
      auth: 'any',
      params: GlobalCommandParams,
      response: none(),
      detail: detail('Delete a global command'),
    })
    .get('/applications/:applicationId/guilds/:guildId/commands', list, {
      auth: 'any',
      params: GuildParams,
      response: ok(t.Array(ApplicationCommandModel)),
      detail: detail("Your bot's commands in a guild it is in"),
    })
    .post('/applications/:applicationId/guilds/:guildId/commands', create, {
      auth: 'any',
      params: GuildParams,
      body: CommandBody,
      response: upserted,
      detail: detail(upsertSummary('a guild')),
    })
    .put('/applications/:applicationId/guilds/:guildId/commands', overwrite, {
      auth: 'any',
      params: GuildParams,
      body: CommandList,
      response: ok(t.Array(ApplicationCommandModel)),
      detail: detail('Replace all commands in a guild'),
    })
    .get('/applications/:applicationId/guilds/:guildId/commands/:commandId', get, {
      auth: 'any',
      params: GuildCommandParams,
      response: ok(ApplicationCommandModel),
      detail: detail('One guild command'),
    })
    .patch('/applications/:applicationId/guilds/:guildId/commands/:commandId', edit, {
      auth: 'any',
      params: GuildCommandParams,
      body: CommandBody,
      response: ok(ApplicationCommandModel),
      detail: detail('Edit a guild command: the fields given replace the current ones'),
    })
    .delete('/applications/:applicationId/guilds/:guildId/commands/:commandId', remove, {
      auth: 'any',
      params: GuildCommandParams,
      response: none(),
      detail: detail('Delete a guild command'),
    })
    .get('/guilds/:guildId/commands', async ({ caller, params }) => (await commands.usableIn(caller.user.id, params.guildId)).map(applicationCommand), {
      auth: 'any',
      params: t.Object({ guildId: Snowflake }),
      response: ok(t.Array(ApplicationCommandModel)),
      detail: {
        summary: "The commands usable in a guild: every bot's global commands and its commands for this guild (members only)",
        security: [{ bot: [] }, { bearer: [] }],
      },
    });
}

// /applications/:applicationId/commands and /applications/:applicationId/guilds/:guildId/commands: a bot registers
// its slash commands and context menus, globally or per guild, as Discord's "Application Commands" endpoints. The
// bodies are checked field by field in the domain (command-parser.ts), so the schemas here only document them.
import { Elysia, t } from 'elysia';
import type { CommandScope } from '../../../domain/commands/application-commands.ts';
import type { Caller } from '../../../domain/users.ts';
import { Query } from '../../../http/schemas.ts';
import { isTrue, QueryBoolean, Snowflake } from '../schemas.ts';
import { applicationCommand, commandPermissions, type LocalizationView } from '../serializers/application-command.ts';
import type { DiscordRouteDeps } from './deps.ts';

const GlobalParams = t.Object({ applicationId: Snowflake });
const GuildParams = t.Object({ applicationId: Snowflake, guildId: Snowflake });
const GlobalCommandParams = t.Object({ applicationId: Snowflake, commandId: Snowflake });
const GuildCommandParams = t.Object({ applicationId: Snowflake, guildId: Snowflake, commandId: Snowflake });

/** Documents Discord's command body; every rule is checked by the domain parser, which names each bad field. */
const CommandBody = t.Object(
  {
    name: t.Optional(t.Unknown({ description: "CHAT_INPUT: ^[-_'\\p{L}\\p{N}\\p{sc=Deva}\\p{sc=Thai}]{1,32}$, lowercase; USER/MESSAGE: 1-32 characters" })),
    type: t.Optional(t.Unknown({ description: '1 CHAT_INPUT (default), 2 USER, 3 MESSAGE' })),
    description: t.Optional(t.Unknown({ description: 'CHAT_INPUT: 1-100 characters; USER/MESSAGE: empty' })),
    options: t.Optional(t.Unknown({ description: 'Up to 25 options (types 1-11), required ones first' })),
    default_member_permissions: t.Optional(t.Unknown({ description: 'A permission bitfield (string or integer), or null' })),
    name_localizations: t.Optional(t.Unknown()),
    description_localizations: t.Optional(t.Unknown()),
    dm_permission: t.Optional(t.Unknown()),
    contexts: t.Optional(t.Unknown()),
    integration_types: t.Optional(t.Unknown()),
    nsfw: t.Optional(t.Unknown()),
  },
  { additionalProperties: true, description: "An application command in Discord's request shape" },
);
const CommandList = t.Array(t.Unknown(), { description: "The scope's new command list (each item a command body, optionally with its id)" });

/** Discord picks the locale from X-Discord-Locale, then Accept-Language. */
function listView(withLocalizations: string | boolean | undefined, headers: Record<string, string | undefined>): LocalizationView {
  if (isTrue(withLocalizations)) return { full: true };
  const locale = headers['x-discord-locale'] ?? headers['accept-language']?.split(/[,;]/)[0]?.trim() ?? null;
  return { full: false, locale: locale || null };
}

const ListQuery = Query({ with_localizations: QueryBoolean });

export function applicationCommandRoutes({ core, guard, detail }: DiscordRouteDeps) {
  const commands = core.services.commands;
  const scopeOf = (params: { applicationId: string; guildId?: string }): CommandScope => ({
    applicationId: params.applicationId,
    guildId: params.guildId ?? null,
  });

  type Ctx<P> = { caller: Caller; params: P };
  type ListCtx<P> = Ctx<P> & { query: { with_localizations?: string | boolean }; headers: Record<string, string | undefined> };

  const list = async <P extends { applicationId: string; guildId?: string }>({ caller, params, query, headers }: ListCtx<P>) =>
    (await commands.list(caller.user.id, scopeOf(params))).map((c) => applicationCommand(c, listView(query.with_localizations, headers)));
  const create = async <P extends { applicationId: string; guildId?: string }>({
    caller,
    params,
    body,
    set,
  }: Ctx<P> & { body: unknown; set: { status?: number | string } }) => {
    const { command, created } = await commands.create(caller.user.id, scopeOf(params), body);
    set.status = created ? 201 : 200;
    return applicationCommand(command);
  };
  const overwrite = async <P extends { applicationId: string; guildId?: string }>({ caller, params, body }: Ctx<P> & { body: unknown }) =>
    (await commands.overwrite(caller.user.id, scopeOf(params), body)).map((c) => applicationCommand(c));
  const get = async <P extends { applicationId: string; guildId?: string; commandId: string }>({ caller, params }: Ctx<P>) =>
    applicationCommand(await commands.get(caller.user.id, scopeOf(params), params.commandId));
  const edit = async <P extends { applicationId: string; guildId?: string; commandId: string }>({ caller, params, body }: Ctx<P> & { body: unknown }) =>
    applicationCommand(await commands.edit(caller.user.id, scopeOf(params), params.commandId, body));
  const remove = async <P extends { applicationId: string; guildId?: string; commandId: string }>({
    caller,
    params,
    set,
  }: Ctx<P> & { set: { status?: number | string } }) => {
    await commands.delete(caller.user.id, scopeOf(params), params.commandId);
    set.status = 204;
  };

  const createDetail = (where: string) => ({
    summary: `Create ${where} command (an upsert by name and type: 201 new, 200 replaced)`,
    responses: { 200: { description: 'An existing command of that name and type was replaced' }, 201: { description: 'Created' } },
  });

  return (
    new Elysia({ detail })
      .use(guard)
      // Global commands.
      .get('/applications/:applicationId/commands', list, {
        auth: 'any',
        params: GlobalParams,
        query: ListQuery,
        detail: { summary: "The application's global commands" },
      })
      .post('/applications/:applicationId/commands', create, { auth: 'any', params: GlobalParams, body: CommandBody, detail: createDetail('a global') })
      .put('/applications/:applicationId/commands', overwrite, {
        auth: 'any',
        params: GlobalParams,
        body: CommandList,
        detail: { summary: 'Replace every global command of the application' },
      })
      .get('/applications/:applicationId/commands/:commandId', get, {
        auth: 'any',
        params: GlobalCommandParams,
        detail: { summary: 'One global command' },
      })
      .patch('/applications/:applicationId/commands/:commandId', edit, {
        auth: 'any',
        params: GlobalCommandParams,
        body: CommandBody,
        detail: { summary: 'Edit a global command (fields given replace the current ones)' },
      })
      .delete('/applications/:applicationId/commands/:commandId', remove, {
        auth: 'any',
        params: GlobalCommandParams,
        detail: { summary: 'Delete a global command (204)' },
      })
      // Guild commands.
      .get('/applications/:applicationId/guilds/:guildId/commands', list, {
        auth: 'any',
        params: GuildParams,
        query: ListQuery,
        detail: { summary: "The application's commands in a guild" },
      })
      .post('/applications/:applicationId/guilds/:guildId/commands', create, {
        auth: 'any',
        params: GuildParams,
        body: CommandBody,
        detail: createDetail('a guild'),
      })
      .put('/applications/:applicationId/guilds/:guildId/commands', overwrite, {
        auth: 'any',
        params: GuildParams,
        body: CommandList,
        detail: { summary: 'Replace every command of the application in a guild' },
      })
      .get(
        '/applications/:applicationId/guilds/:guildId/commands/permissions',
        async ({ caller, params }) =>
          (await commands.guildPermissions(caller.user.id, { applicationId: params.applicationId, guildId: params.guildId })).map(commandPermissions),
        { auth: 'any', params: GuildParams, detail: { summary: "Permission overwrites of the application's commands in a guild (none on Harmony yet)" } },
      )
      .get('/applications/:applicationId/guilds/:guildId/commands/:commandId', get, {
        auth: 'any',
        params: GuildCommandParams,
        detail: { summary: 'One guild command' },
      })
      .patch('/applications/:applicationId/guilds/:guildId/commands/:commandId', edit, {
        auth: 'any',
        params: GuildCommandParams,
        body: CommandBody,
        detail: { summary: 'Edit a guild command (fields given replace the current ones)' },
      })
      .delete('/applications/:applicationId/guilds/:guildId/commands/:commandId', remove, {
        auth: 'any',
        params: GuildCommandParams,
        detail: { summary: 'Delete a guild command (204)' },
      })
      .get(
        '/applications/:applicationId/guilds/:guildId/commands/:commandId/permissions',
        async ({ caller, params }) =>
          commandPermissions(
            await commands.commandPermissions(caller.user.id, { applicationId: params.applicationId, guildId: params.guildId }, params.commandId),
          ),
        {
          auth: 'any',
          params: GuildCommandParams,
          detail: { summary: "A command's permission overwrites in a guild (10066 without any, as on Discord)" },
        },
      )
  );
}

// Managing an application's commands: list, fetch, create (an upsert by name and type), edit, delete, and
// overwrite a whole scope, globally or in one guild. On Harmony an application is a bot and shares its user id;
// only that bot manages its commands, and guild commands only in guilds it is a member of.
import { RESTJSONErrorCodes as Codes } from 'discord-api-types/v10';
import { ApiError, type FieldErrors, FormErrors, missingAccess } from '../../http/api-error.ts';
import type { ApplicationCommandsRepo } from '../ports/index.ts';
import type { UnitOfWork } from '../ports/unit-of-work.ts';
import type { SnowflakeGenerator } from '../snowflake.ts';
import type { User } from '../users.ts';
import { type ApplicationCommand, COMMAND_LIMITS, type CommandDefinition } from './command-model.ts';
import { COMMAND_ERRORS, parseCommand } from './command-parser.ts';

/** The storage this service needs (store/application-commands-store.ts implements it). */
export type { ApplicationCommandsRepo };

/** Who the application is, and whether it is in a guild. */
export type ApplicationDirectory = {
  user(userId: string): Promise<User | null>;
  isMember(guildId: string, userId: string): Promise<boolean>;
};

/** Which commands: an application's global ones (guildId null) or those of one guild. */
export type CommandScope = { applicationId: string; guildId: string | null };

/** Discord's permissions of a command in a guild; Harmony has no per-command overwrites yet. */
export type CommandPermissions = { id: string; applicationId: string; guildId: string; permissions: never[] };

export const unknownCommand = () => new ApiError(404, Codes.UnknownApplicationCommand, 'Unknown application command');

const tooManyCommands = (max: number) =>
  new ApiError(400, Codes.MaximumNumberOfApplicationCommandsReached, `Maximum number of application commands reached (${max})`);

/** Definitions equal in everything stored (the version only moves when something changed). */
const sameDefinition = (a: CommandDefinition, b: CommandDefinition): boolean =>
  JSON.stringify(definitionOf(a), (_k, v) => (typeof v === 'bigint' ? v.toString() : v)) ===
  JSON.stringify(definitionOf(b), (_k, v) => (typeof v === 'bigint' ? v.toString() : v));

function definitionOf(c: CommandDefinition): CommandDefinition {
  return {
    type: c.type,
    name: c.name,
    nameLocalizations: c.nameLocalizations,
    description: c.description,
    descriptionLocalizations: c.descriptionLocalizations,
    options: c.options,
    defaultMemberPermissions: c.defaultMemberPermissions,
    dmPermission: c.dmPermission,
    contexts: c.contexts,
    integrationTypes: c.integrationTypes,
    nsfw: c.nsfw,
  };
}

/** One body checked, or the 50035 for it (a too-large command is reported on the command itself). */
function checkOne(body: unknown, current?: CommandDefinition): CommandDefinition {
  const errors = new FormErrors();
  const parsed = parseCommand(body, errors, [], current);
  errors.throwIfAny();
  if (!parsed) throw new ApiError(400, Codes.InvalidFormBodyOrContentType, 'Invalid Form Body');
  if (parsed.tooLarge) throw tooLargeError();
  return parsed.definition;
}

function tooLargeError(index?: number): ApiError {
  const [code, message] = COMMAND_ERRORS.tooLarge;
  const entry: FieldErrors = { _errors: [{ code, message }] };
  return new ApiError(400, Codes.InvalidFormBodyOrContentType, 'Invalid Form Body', index === undefined ? entry : { [index]: entry });
}

export class ApplicationCommandService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly commands: ApplicationCommandsRepo,
    private readonly directory: ApplicationDirectory,
    private readonly ids: SnowflakeGenerator,
  ) {}

  /**
   * May `callerId` manage the commands of `scope`? Only the application's own bot may; an id that is no bot is
   * Discord's Unknown Application, and a guild the bot is not in (or that does not exist) is Missing Access.
   */
  async authorize(callerId: string, scope: CommandScope): Promise<void> {
    if (!(await this.directory.user(callerId))?.bot) throw new ApiError(403, Codes.MissingAccess, "Only an application's bot can manage its commands");
    const app = await this.directory.user(scope.applicationId);
    if (!app?.bot || app.deleted) throw new ApiError(404, Codes.UnknownApplication, 'Unknown Application');
    if (app.id !== callerId) throw missingAccess();
    if (scope.guildId !== null && !(await this.directory.isMember(scope.guildId, app.id))) throw missingAccess();
  }

  async list(callerId: string, scope: CommandScope): Promise<ApplicationCommand[]> {
    await this.authorize(callerId, scope);
    return await this.commands.list(scope.applicationId, scope.guildId);
  }

  async get(callerId: string, scope: CommandScope, commandId: string): Promise<ApplicationCommand> {
    await this.authorize(callerId, scope);
    return await this.mustGet(scope, commandId);
  }

  /** Discord's POST: a command with the same name and type in the scope is replaced (keeping its id). */
  async create(callerId: string, scope: CommandScope, body: unknown): Promise<{ command: ApplicationCommand; created: boolean }> {
    await this.authorize(callerId, scope);
    const definition = checkOne(body);
    return await this.uow.write(async () => {
      const existing = await this.commands.list(scope.applicationId, scope.guildId);
      const same = existing.find((c) => c.type === definition.type && c.name === definition.name);
      if (same) return { command: await this.replace(same, definition), created: false };
      const max = COMMAND_LIMITS.perScope[definition.type];
      if (existing.filter((c) => c.type === definition.type).length >= max) throw tooManyCommands(max);
      const id = this.ids.next();
      const command: ApplicationCommand = { ...definition, id, applicationId: scope.applicationId, guildId: scope.guildId, version: id };
      await this.commands.insert(command);
      return { command, created: true };
    });
  }

  /** Discord's PATCH: the fields given replace the current ones; the type cannot change, the name must stay unique. */
  async edit(callerId: string, scope: CommandScope, commandId: string, body: unknown): Promise<ApplicationCommand> {
    await this.authorize(callerId, scope);
    const current = await this.mustGet(scope, commandId);
    const definition = checkOne(body, current);
    return await this.uow.write(async () => {
      const clash = (await this.commands.list(scope.applicationId, scope.guildId)).some(
        (c) => c.id !== current.id && c.type === definition.type && c.name === definition.name,
      );
      if (clash) {
        const [code, message] = COMMAND_ERRORS.duplicateCommand;
        throw new ApiError(400, Codes.InvalidFormBodyOrContentType, 'Invalid Form Body', { name: { _errors: [{ code, message }] } });
      }
      return this.replace(current, definition);
    });
  }

  async delete(callerId: string, scope: CommandScope, commandId: string): Promise<void> {
    await this.authorize(callerId, scope);
    const command = await this.mustGet(scope, commandId);
    await this.uow.write(async () => this.commands.delete(command.id));
  }

  /**
   * Discord's PUT: the scope's commands become exactly `body`. A command keeps its id (and, unchanged, its version)
   * when an item names it by `id` or has its name and type; every other command of the scope is deleted.
   */
  async overwrite(callerId: string, scope: CommandScope, body: unknown): Promise<ApplicationCommand[]> {
    await this.authorize(callerId, scope);
    const errors = new FormErrors();
    if (!Array.isArray(body)) {
      errors.add([], 'LIST_TYPE_CONVERT', 'Only iterables may be used in a ListType');
      errors.throwIfAny();
    }
    const items = body as unknown[];
    const most = Object.values(COMMAND_LIMITS.perScope).reduce((a, b) => a + b, 0);
    if (items.length > most) throw tooManyCommands(COMMAND_LIMITS.perScope[1]);
    const parsed = items.map((item, index) => ({ index, item, result: parseCommand(item, errors, [index]) }));
    const seen = new Set<string>();
    for (const { index, result } of parsed) {
      if (!result) continue;
      const key = `${result.definition.type}:${result.definition.name}`;
      if (seen.has(key)) errors.add([index, 'name'], ...COMMAND_ERRORS.duplicateCommand);
      seen.add(key);
    }
    errors.throwIfAny();
    const definitions = parsed.map(({ index, item, result }) => {
      if (!result) throw new ApiError(400, Codes.InvalidFormBodyOrContentType, 'Invalid Form Body');
      if (result.tooLarge) throw tooLargeError(index);
      const wanted = typeof item === 'object' && item !== null ? (item as { id?: unknown }).id : undefined;
      return { definition: result.definition, wantedId: typeof wanted === 'string' || typeof wanted === 'number' ? String(wanted) : null };
    });
    for (const [type, max] of Object.entries(COMMAND_LIMITS.perScope)) {
      if (definitions.filter(({ definition }) => definition.type === Number(type)).length > max) throw tooManyCommands(max);
    }
    return await this.uow.write(async () => {
      const existing = await this.commands.list(scope.applicationId, scope.guildId);
      const kept = new Set<string>();
      const next = definitions.map(({ definition, wantedId }) => {
        const match =
          existing.find((c) => c.id === wantedId && c.type === definition.type && !kept.has(c.id)) ??
          existing.find((c) => c.type === definition.type && c.name === definition.name && !kept.has(c.id));
        if (match) {
          kept.add(match.id);
          const version = sameDefinition(match, definition) ? match.version : this.ids.next();
          return { ...definition, id: match.id, applicationId: match.applicationId, guildId: match.guildId, version };
        }
        const id = this.ids.next();
        return { ...definition, id, applicationId: scope.applicationId, guildId: scope.guildId, version: id };
      });
      // Everything goes and comes back with its id: renames that swap two names never meet the unique index.
      for (const c of existing) await this.commands.delete(c.id);
      for (const c of next) await this.commands.insert(c);
      return [...next].sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
    });
  }

  /**
   * What members of a guild can see: the global and guild commands of every bot in it (the index a command picker
   * reads). Anyone in the guild may ask; others get Missing Access.
   */
  async usableIn(callerId: string, guildId: string): Promise<ApplicationCommand[]> {
    if (!(await this.directory.isMember(guildId, callerId))) throw missingAccess();
    return await this.commands.usableIn(guildId);
  }

  /** Discord's GET .../commands/permissions: the overwrites of every command that has some (none on Harmony yet). */
  async guildPermissions(callerId: string, scope: CommandScope & { guildId: string }): Promise<CommandPermissions[]> {
    await this.authorize(callerId, scope);
    return [];
  }

  /** Discord's GET .../commands/{id}/permissions: a command without overwrites is Unknown application command permissions. */
  async commandPermissions(callerId: string, scope: CommandScope & { guildId: string }, commandId: string): Promise<CommandPermissions> {
    await this.authorize(callerId, scope);
    // The command may be global or of this guild; both can have overwrites in a guild on Discord.
    if (!(await this.commands.byId(scope.applicationId, scope.guildId, commandId)) && !(await this.commands.byId(scope.applicationId, null, commandId))) {
      throw unknownCommand();
    }
    throw new ApiError(404, Codes.UnknownApplicationCommandPermissions, 'Unknown application command permissions');
  }

  private async replace(current: ApplicationCommand, definition: CommandDefinition): Promise<ApplicationCommand> {
    if (sameDefinition(current, definition)) return current;
    const command: ApplicationCommand = { ...current, ...definition, version: this.ids.next() };
    await this.commands.update(command);
    return command;
  }

  private async mustGet(scope: CommandScope, commandId: string): Promise<ApplicationCommand> {
    const command = await this.commands.byId(scope.applicationId, scope.guildId, commandId);
    if (!command) throw unknownCommand();
    return command;
  }
}

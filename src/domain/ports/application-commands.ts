// Application commands (global and per guild).
// A port: the domain declares it, src/store/sqlite (and src/store/postgres) implement it. See ./index.ts.
import type { ApplicationCommand } from '../commands/command-model.ts';

export interface ApplicationCommandsRepo {
  /** The commands of an application in a scope, oldest first (Discord lists them by id). */
  list(applicationId: string, guildId: string | null): Promise<ApplicationCommand[]>;
  byId(applicationId: string, guildId: string | null, commandId: string): Promise<ApplicationCommand | null>;
  /** The commands usable in a guild: global and this guild's commands of the applications that are its members, by application then id. */
  usableIn(guildId: string): Promise<ApplicationCommand[]>;
  insert(c: ApplicationCommand): Promise<void>;
  update(c: ApplicationCommand): Promise<void>;
  delete(commandId: string): Promise<void>;
}

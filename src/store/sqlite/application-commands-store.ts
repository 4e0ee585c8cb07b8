// SQL for application commands. The definition is stored as JSON of the domain model (written only here);
// name and type are columns too, for the uniqueness the table enforces per application, scope and type.

import type { Database } from 'bun:sqlite';
import type { ApplicationCommand, CommandDefinition } from '../../domain/commands/command-model.ts';
import type { ApplicationCommandsRepo } from '../../domain/ports/index.ts';
import type { Immediate } from './immediate.ts';
import { type Int, id, idOrNull } from './rows.ts';

type CommandRow = { id: Int; application_id: Int; guild_id: Int | null; type: Int; name: string; definition: string; version: Int };

/** The definition minus what has a column, with the bitfield as text (JSON has no bigint). */
type StoredDefinition = Omit<CommandDefinition, 'type' | 'name' | 'defaultMemberPermissions'> & { defaultMemberPermissions: string | null };

const toCommand = (r: CommandRow): ApplicationCommand => {
  const stored = JSON.parse(r.definition) as StoredDefinition;
  return {
    ...stored,
    id: id(r.id),
    applicationId: id(r.application_id),
    guildId: idOrNull(r.guild_id),
    type: Number(r.type) as ApplicationCommand['type'],
    name: r.name,
    defaultMemberPermissions: stored.defaultMemberPermissions === null ? null : BigInt(stored.defaultMemberPermissions),
    version: id(r.version),
  };
};

function toJson(c: CommandDefinition): string {
  const { type: _type, name: _name, defaultMemberPermissions, ...rest } = c;
  const stored: StoredDefinition = { ...rest, defaultMemberPermissions: defaultMemberPermissions === null ? null : defaultMemberPermissions.toString() };
  return JSON.stringify(stored);
}

/** Global commands match `guild_id IS NULL`; `IS` compares NULL with NULL as equal, so one statement serves both scopes. */
const SCOPE = 'application_id = ? AND guild_id IS ?';

export class ApplicationCommandsStore implements Immediate<ApplicationCommandsRepo> {
  constructor(private readonly db: Database) {}

  /** The commands of an application in a scope, oldest first (Discord lists them by id). */
  list(applicationId: string, guildId: string | null): ApplicationCommand[] {
    return this.db
      .query<CommandRow, [string, string | null]>(`SELECT * FROM application_commands WHERE ${SCOPE} ORDER BY id`)
      .all(applicationId, guildId)
      .map(toCommand);
  }

  byId(applicationId: string, guildId: string | null, commandId: string): ApplicationCommand | null {
    const row = this.db
      .query<CommandRow, [string, string | null, string]>(`SELECT * FROM application_commands WHERE ${SCOPE} AND id = ?`)
      .get(applicationId, guildId, commandId);
    return row ? toCommand(row) : null;
  }

  /** The commands usable in a guild: global and this guild's commands of the applications that are its members, by application then id. */
  usableIn(guildId: string): ApplicationCommand[] {
    return this.db
      .query<CommandRow, [string]>(
        `SELECT c.* FROM application_commands c JOIN members m ON m.user_id = c.application_id AND m.guild_id = ?
         WHERE c.guild_id IS NULL OR c.guild_id = m.guild_id ORDER BY c.application_id, c.id`,
      )
      .all(guildId)
      .map(toCommand);
  }

  insert(c: ApplicationCommand): void {
    this.db
      .query('INSERT INTO application_commands (id, application_id, guild_id, type, name, definition, version) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(c.id, c.applicationId, c.guildId, c.type, c.name, toJson(c), c.version);
  }

  update(c: ApplicationCommand): void {
    this.db.query('UPDATE application_commands SET name = ?, definition = ?, version = ? WHERE id = ?').run(c.name, toJson(c), c.version, c.id);
  }

  delete(commandId: string): void {
    this.db.query('DELETE FROM application_commands WHERE id = ?').run(commandId);
  }
}

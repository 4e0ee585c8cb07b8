// Application commands on PostgreSQL (the SQLite twin: src/store/application-commands-store.ts). The definition is
// JSON of the domain model (written only here); name and type are columns for the uniqueness the table enforces.
import type { ApplicationCommand, CommandDefinition } from '../../domain/commands/command-model.ts';
import { type Db, idOrNull, sf } from './sql.ts';

type CommandRow = { id: string; application_id: string; guild_id: string | null; type: number; name: string; definition: string; version: string };

type StoredDefinition = Omit<CommandDefinition, 'type' | 'name' | 'defaultMemberPermissions'> & { defaultMemberPermissions: string | null };

const toCommand = (r: CommandRow): ApplicationCommand => {
  const stored = JSON.parse(r.definition) as StoredDefinition;
  return {
    ...stored,
    id: r.id,
    applicationId: r.application_id,
    guildId: idOrNull(r.guild_id),
    type: Number(r.type) as ApplicationCommand['type'],
    name: r.name,
    defaultMemberPermissions: stored.defaultMemberPermissions === null ? null : BigInt(stored.defaultMemberPermissions),
    version: r.version,
  };
};

function toJson(c: CommandDefinition): string {
  const { type: _type, name: _name, defaultMemberPermissions, ...rest } = c;
  const stored: StoredDefinition = { ...rest, defaultMemberPermissions: defaultMemberPermissions === null ? null : defaultMemberPermissions.toString() };
  return JSON.stringify(stored);
}

export class ApplicationCommandsStore {
  constructor(private readonly sql: Db) {}

  /** Global commands match `guild_id IS NULL`: IS NOT DISTINCT FROM is SQLite's `IS`, NULL equal to NULL. */
  private scope(applicationId: string, guildId: string | null) {
    return this.sql`application_id = ${sf(applicationId)} AND guild_id IS NOT DISTINCT FROM ${guildId === null ? null : sf(guildId)}::bigint`;
  }

  /** The commands of an application in a scope, oldest first (Discord lists them by id). */
  async list(applicationId: string, guildId: string | null): Promise<ApplicationCommand[]> {
    return (await this.sql<CommandRow[]>`SELECT * FROM application_commands WHERE ${this.scope(applicationId, guildId)} ORDER BY id`).map(toCommand);
  }

  async byId(applicationId: string, guildId: string | null, commandId: string): Promise<ApplicationCommand | null> {
    const [row] = await this.sql<CommandRow[]>`SELECT * FROM application_commands WHERE ${this.scope(applicationId, guildId)} AND id = ${sf(commandId)}`;
    return row ? toCommand(row) : null;
  }

  /** The commands usable in a guild: global and this guild's commands of the applications that are its members, by application then id. */
  async usableIn(guildId: string): Promise<ApplicationCommand[]> {
    const rows = await this.sql<CommandRow[]>`
      SELECT c.* FROM application_commands c JOIN members m ON m.user_id = c.application_id AND m.guild_id = ${sf(guildId)}
      WHERE c.guild_id IS NULL OR c.guild_id = m.guild_id ORDER BY c.application_id, c.id`;
    return rows.map(toCommand);
  }

  async insert(c: ApplicationCommand): Promise<void> {
    await this.sql`INSERT INTO application_commands (id, application_id, guild_id, type, name, definition, version)
      VALUES (${c.id}, ${c.applicationId}, ${c.guildId}, ${c.type}, ${c.name}, ${toJson(c)}, ${c.version})`;
  }

  async update(c: ApplicationCommand): Promise<void> {
    await this.sql`UPDATE application_commands SET name = ${c.name}, definition = ${toJson(c)}, version = ${c.version} WHERE id = ${sf(c.id)}`;
  }

  async delete(commandId: string): Promise<void> {
    await this.sql`DELETE FROM application_commands WHERE id = ${sf(commandId)}`;
  }
}

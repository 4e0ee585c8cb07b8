// Application commands: one row per command of an application (a bot's user id) in a scope, global (guild_id
// NULL) or one guild. Names are unique per application, scope and type. The definition (description, options,
// localizations, permissions, contexts) is JSON of the domain model, read and written only by
// application-commands-store. A guild's commands go with the guild; a bot's with the bot, including when its
// account is kept as a tombstone (deleted_at set), which the trigger covers.
import type { Migration } from '../migrate.ts';

export const applicationCommands: Migration = {
  id: 12,
  name: 'application-commands',
  up(db) {
    db.exec(`
      CREATE TABLE application_commands (
        id INTEGER PRIMARY KEY,
        application_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        guild_id INTEGER REFERENCES guilds(id) ON DELETE CASCADE,
        type INTEGER NOT NULL CHECK (type IN (1, 2, 3)),
        name TEXT NOT NULL,
        definition TEXT NOT NULL,
        version INTEGER NOT NULL
      );
      CREATE UNIQUE INDEX application_commands_by_name ON application_commands (application_id, IFNULL(guild_id, 0), type, name);
      CREATE INDEX application_commands_by_guild ON application_commands (guild_id) WHERE guild_id IS NOT NULL;
      CREATE TRIGGER application_commands_of_deleted_bot AFTER UPDATE OF deleted_at ON users
        WHEN NEW.deleted_at IS NOT NULL
        BEGIN
          DELETE FROM application_commands WHERE application_id = NEW.id;
        END;
    `);
  },
};

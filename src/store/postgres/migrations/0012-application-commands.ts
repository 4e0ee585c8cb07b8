// Application commands (mirrors src/db/migrations/0012-application-commands.ts): names unique per application,
// scope (global: guild_id NULL, indexed as 0) and type; a bot's commands go when its account becomes a tombstone.
import type { PgMigration } from '../migrate.ts';

export const applicationCommands: PgMigration = {
  id: 12,
  name: 'application-commands',
  async up(sql) {
    await sql.unsafe(`
      CREATE TABLE application_commands (
        id BIGINT PRIMARY KEY,
        application_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        guild_id BIGINT REFERENCES guilds(id) ON DELETE CASCADE,
        type INTEGER NOT NULL CHECK (type IN (1, 2, 3)),
        name TEXT NOT NULL,
        definition TEXT NOT NULL,
        version BIGINT NOT NULL
      );
      CREATE UNIQUE INDEX application_commands_by_name ON application_commands (application_id, COALESCE(guild_id, 0), type, name);
      CREATE INDEX application_commands_by_guild ON application_commands (guild_id) WHERE guild_id IS NOT NULL;
      CREATE FUNCTION application_commands_of_deleted_bot() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM application_commands WHERE application_id = NEW.id;
        RETURN NULL;
      END $$;
      CREATE TRIGGER application_commands_of_deleted_bot AFTER UPDATE OF deleted_at ON users
        FOR EACH ROW WHEN (NEW.deleted_at IS NOT NULL) EXECUTE FUNCTION application_commands_of_deleted_bot();
    `);
  },
};

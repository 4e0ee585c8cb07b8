// Mirrored Discord members as presence subjects (mirrors src/db/migrations/0003-discord-bridge.ts). PostgreSQL
// changes the foreign keys in place where SQLite rebuilds the tables; a trigger keeps the old cascade from users.
import type { PgMigration } from '../migrate.ts';

export const discordBridge: PgMigration = {
  id: 3,
  name: 'discord-bridge',
  async up(sql) {
    await sql.unsafe(`
      ALTER TABLE presence_users DROP CONSTRAINT presence_users_user_id_fkey;
      ALTER TABLE presence_kv DROP CONSTRAINT presence_kv_user_id_fkey;
      ALTER TABLE presence_tokens DROP CONSTRAINT presence_tokens_user_id_fkey;
      ALTER TABLE presence_github DROP CONSTRAINT presence_github_user_id_fkey;
      INSERT INTO presence_users (user_id, shared, created_at)
        SELECT user_id, FALSE, 0 FROM presence_kv
        UNION SELECT user_id, FALSE, 0 FROM presence_tokens
        UNION SELECT user_id, FALSE, 0 FROM presence_github
        ON CONFLICT DO NOTHING;
      ALTER TABLE presence_kv ADD CONSTRAINT presence_kv_user_id_fkey FOREIGN KEY (user_id) REFERENCES presence_users(user_id) ON DELETE CASCADE;
      ALTER TABLE presence_tokens ADD CONSTRAINT presence_tokens_user_id_fkey FOREIGN KEY (user_id) REFERENCES presence_users(user_id) ON DELETE CASCADE;
      ALTER TABLE presence_github ADD CONSTRAINT presence_github_user_id_fkey FOREIGN KEY (user_id) REFERENCES presence_users(user_id) ON DELETE CASCADE;

      CREATE TABLE external_profiles (
        user_id BIGINT PRIMARY KEY REFERENCES presence_users(user_id) ON DELETE CASCADE,
        source TEXT NOT NULL,
        guild_id BIGINT NOT NULL,
        username TEXT NOT NULL,
        global_name TEXT,
        avatar TEXT,
        bot BOOLEAN NOT NULL DEFAULT FALSE,
        nick TEXT,
        member BOOLEAN NOT NULL DEFAULT TRUE,
        updated_at BIGINT NOT NULL
      );
      CREATE INDEX external_profiles_source ON external_profiles(source, guild_id);

      CREATE FUNCTION presence_users_account_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM presence_users
        WHERE user_id = OLD.id AND NOT EXISTS (SELECT 1 FROM external_profiles WHERE user_id = OLD.id);
        RETURN NULL;
      END $$;
      CREATE TRIGGER presence_users_account_deleted AFTER DELETE ON users
        FOR EACH ROW EXECUTE FUNCTION presence_users_account_deleted();
    `);
  },
};

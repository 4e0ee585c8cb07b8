// Mirrors src/db/migrations/0024-foreign-key-indexes.ts: PostgreSQL does not index a referencing column by itself
// either, so a cascading delete (of a channel, a role, a guild) read the whole referencing table, and the session
// sweep (idle too long OR open too long) read every session; with both sessions indexes its plan is a BitmapOr of
// the two ranges. Three of SQLite's new indexes were here since 0001 and are not added twice: member_roles_role,
// overwrites_target and invites_channel (channel_id only: one channel's few invites are sorted in memory).
import type { PgMigration } from '../migrate.ts';

export const foreignKeyIndexes: PgMigration = {
  id: 24,
  name: 'foreign-key-indexes',
  async up(sql) {
    await sql.unsafe(`
      CREATE INDEX interactions_channel ON interactions (channel_id);
      CREATE INDEX emoji_roles_role ON emoji_roles (role_id);
      CREATE INDEX notification_settings_guild ON notification_settings (guild_id);
      CREATE INDEX presence_users_guild ON presence_users (guild_id);
      CREATE INDEX sessions_last_used ON sessions (last_used_at);
      CREATE INDEX sessions_created ON sessions (created_at);
    `);
  },
};

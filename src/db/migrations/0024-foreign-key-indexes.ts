// Deleting a row makes SQLite look up every row that references it (to cascade or set null), and a referencing
// column without an index is looked up by reading its whole table: deleting a channel or thread read all
// interactions and invites, a role all member_roles and emoji_roles, a guild all notification_settings and
// presence_users. Each such column gets an index here (none of them leads an existing index). Also:
// - invites (channel_id, created_at): the channel's invite list (GET /channels/:id/invites) comes out in order;
// - overwrites (target_id): deleting a role deletes its overwrites in every channel, and the key leads with channel_id;
// - sessions (last_used_at) and (created_at): the periodic sweep deletes sessions idle too long OR open too long,
//   inside a write transaction that holds the database's one writer. With both indexes the plan is a union of two
//   range reads over expired sessions only; with one or none it reads every session ever opened. Their upkeep is
//   small: a session's last use is written at most once a minute.
import type { Migration } from '../migrate.ts';

export const foreignKeyIndexes: Migration = {
  id: 24,
  name: 'foreign-key-indexes',
  up(db) {
    db.exec(`
      CREATE INDEX interactions_channel ON interactions (channel_id);
      CREATE INDEX invites_channel ON invites (channel_id, created_at);
      CREATE INDEX member_roles_role ON member_roles (role_id);
      CREATE INDEX emoji_roles_role ON emoji_roles (role_id);
      CREATE INDEX notification_settings_guild ON notification_settings (guild_id);
      CREATE INDEX presence_users_guild ON presence_users (guild_id);
      CREATE INDEX overwrites_target ON overwrites (target_id);
      CREATE INDEX sessions_last_used ON sessions (last_used_at);
      CREATE INDEX sessions_created ON sessions (created_at);
    `);
  },
};

// Who may open a DM with a user (mirrors src/db/migrations/0006-dm-privacy.ts).
import type { PgMigration } from '../migrate.ts';

export const dmPrivacy: PgMigration = {
  id: 6,
  name: 'dm-privacy',
  async up(sql) {
    await sql.unsafe("ALTER TABLE users ADD COLUMN allow_dms_from TEXT NOT NULL DEFAULT 'members' CHECK (allow_dms_from IN ('members', 'everyone'))");
  },
};

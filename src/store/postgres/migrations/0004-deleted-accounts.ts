// Deleted accounts stay as tombstones (mirrors src/db/migrations/0004-deleted-accounts.ts).
import type { PgMigration } from '../migrate.ts';

export const deletedAccounts: PgMigration = {
  id: 4,
  name: 'deleted-accounts',
  async up(sql) {
    await sql.unsafe('ALTER TABLE users ADD COLUMN deleted_at BIGINT');
  },
};

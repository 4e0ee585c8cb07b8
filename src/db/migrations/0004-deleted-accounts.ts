// Deleting an account keeps its row as a tombstone, as Discord does: messages keep an author
// ("Deleted User") and nothing that points at the account breaks.
import type { Migration } from '../migrate.ts';

export const deletedAccounts: Migration = {
  id: 4,
  name: 'deleted-accounts',
  up(db) {
    db.exec('ALTER TABLE users ADD COLUMN deleted_at INTEGER');
  },
};

// Mirrors src/db/migrations/0023-search-queue.ts by id only: SQLite's FTS5 index is now filled in batches from a
// queue, while PostgreSQL's search is a GIN trigram index that the row's own insert keeps current at little cost
// (no segment per transaction), so there is nothing to queue here.
import type { PgMigration } from '../migrate.ts';

export const searchQueue: PgMigration = {
  id: 23,
  name: 'search-queue',
  async up() {},
};

// Mirrors src/db/migrations/0025-search-watermark.ts by id only: it changes how SQLite's FTS5 index learns which
// messages wait for it, and PostgreSQL's GIN trigram index waits for nothing.
import type { PgMigration } from '../migrate.ts';

export const searchWatermark: PgMigration = {
  id: 25,
  name: 'search-watermark',
  async up() {},
};

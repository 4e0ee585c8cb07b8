// Embeds, components and SUPPRESS_EMBEDS on messages (mirrors src/db/migrations/0007-rich-messages.ts). The JSON
// stays TEXT: it is the domain model's JSON, read back byte for byte by messages-store only.
import type { PgMigration } from '../migrate.ts';

export const richMessages: PgMigration = {
  id: 7,
  name: 'rich-messages',
  async up(sql) {
    await sql.unsafe(`
      ALTER TABLE messages ADD COLUMN embeds TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE messages ADD COLUMN components TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE messages ADD COLUMN suppress_embeds BOOLEAN NOT NULL DEFAULT FALSE;
    `);
  },
};

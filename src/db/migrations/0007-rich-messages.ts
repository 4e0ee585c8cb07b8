// Embeds and components on messages, as JSON of the domain model (only messages-store reads or writes it),
// and Discord's SUPPRESS_EMBEDS flag. Existing messages get none and are not suppressed.
import type { Migration } from '../migrate.ts';

export const richMessages: Migration = {
  id: 7,
  name: 'rich-messages',
  up(db) {
    db.exec(`
      ALTER TABLE messages ADD COLUMN embeds TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE messages ADD COLUMN components TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE messages ADD COLUMN suppress_embeds INTEGER NOT NULL DEFAULT 0;
    `);
  },
};

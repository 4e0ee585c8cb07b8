// Who may open a direct message with a user: Discord's "allow direct messages from server members"
// privacy setting. Every account, old and new, starts at 'members' (people who share a guild with it).
import type { Migration } from '../migrate.ts';

export const dmPrivacy: Migration = {
  id: 6,
  name: 'dm-privacy',
  up(db) {
    db.exec("ALTER TABLE users ADD COLUMN allow_dms_from TEXT NOT NULL DEFAULT 'members' CHECK (allow_dms_from IN ('members', 'everyone'))");
  },
};

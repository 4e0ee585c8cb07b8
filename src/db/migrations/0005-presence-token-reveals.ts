// One-time links that reveal a new presence API token (the `.token` command's answer), so the token itself
// is never written into a chat message. Only a digest of each link's nonce is kept; a row is used once.
import type { Migration } from '../migrate.ts';

export const presenceTokenReveals: Migration = {
  id: 5,
  name: 'presence-token-reveals',
  up(db) {
    db.exec(`
      CREATE TABLE presence_token_reveals (
        nonce_hash BLOB PRIMARY KEY,                -- SHA-256 of the link's nonce; the nonce itself is never stored
        user_id INTEGER NOT NULL REFERENCES presence_users(user_id) ON DELETE CASCADE,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,                -- unix ms; the link is refused from then on
        used_at INTEGER                             -- set by the one reveal that succeeded
      ) WITHOUT ROWID;
      CREATE INDEX presence_token_reveals_user ON presence_token_reveals(user_id);
      CREATE INDEX presence_token_reveals_expiry ON presence_token_reveals(expires_at);
    `);
  },
};

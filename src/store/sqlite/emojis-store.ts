// Custom emoji rows of a guild, with the roles allowed to use each (none: everyone).

import type { Database } from 'bun:sqlite';
import type { CustomEmoji } from '../../domain/model/emoji.ts';
import type { EmojisRepo } from '../../domain/ports/index.ts';
import type { Immediate } from './immediate.ts';
import { bool, type Int, id, idOrNull, num } from './rows.ts';

type EmojiRow = {
  id: Int;
  guild_id: Int;
  name: string;
  user_id: Int | null;
  animated: Int;
  file_key: string;
  content_type: string;
  size: Int;
  created_at: Int;
  role_ids: string | null;
};

const SELECT = `SELECT e.id, e.guild_id, e.name, e.user_id, e.animated, e.file_key, e.content_type, e.size, e.created_at,
  (SELECT group_concat(role_id) FROM emoji_roles WHERE emoji_id = e.id) AS role_ids FROM emojis e`;

const toEmoji = (r: EmojiRow): CustomEmoji => ({
  id: id(r.id),
  guildId: id(r.guild_id),
  name: r.name,
  userId: idOrNull(r.user_id),
  animated: bool(r.animated),
  fileKey: r.file_key,
  contentType: r.content_type,
  size: num(r.size),
  createdAt: num(r.created_at),
  roleIds: r.role_ids ? r.role_ids.split(',').sort() : [],
});

export class EmojisStore implements Immediate<EmojisRepo> {
  constructor(private readonly db: Database) {}

  list(guildId: string): CustomEmoji[] {
    return this.db.query<EmojiRow, [string]>(`${SELECT} WHERE e.guild_id = ? ORDER BY e.id`).all(guildId).map(toEmoji);
  }

  byId(emojiId: string): CustomEmoji | null {
    const r = this.db.query<EmojiRow, [string]>(`${SELECT} WHERE e.id = ?`).get(emojiId);
    return r ? toEmoji(r) : null;
  }

  count(guildId: string, animated: boolean): number {
    const r = this.db
      .query<{ n: Int }, [string, number]>('SELECT count(*) AS n FROM emojis WHERE guild_id = ? AND animated = ?')
      .get(guildId, animated ? 1 : 0);
    return r ? num(r.n) : 0;
  }

  insert(e: CustomEmoji): void {
    this.db
      .query('INSERT INTO emojis (id, guild_id, name, user_id, animated, file_key, content_type, size, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(e.id, e.guildId, e.name, e.userId, e.animated ? 1 : 0, e.fileKey, e.contentType, e.size, e.createdAt);
    this.setRoles(e.id, e.roleIds);
  }

  rename(emojiId: string, name: string): void {
    this.db.query('UPDATE emojis SET name = ? WHERE id = ?').run(name, emojiId);
  }

  setRoles(emojiId: string, roleIds: readonly string[]): void {
    this.db.query('DELETE FROM emoji_roles WHERE emoji_id = ?').run(emojiId);
    const insert = this.db.query('INSERT OR IGNORE INTO emoji_roles (emoji_id, role_id) VALUES (?, ?)');
    for (const roleId of roleIds) insert.run(emojiId, roleId);
  }

  delete(emojiId: string): void {
    this.db.query('DELETE FROM emojis WHERE id = ?').run(emojiId);
  }
}

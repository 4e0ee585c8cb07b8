// Custom emoji of a guild with the roles allowed to use each, on PostgreSQL (the SQLite twin: src/store/emojis-store.ts).
import type { CustomEmoji } from '../../domain/model/emoji.ts';
import { type Db, idOrNull, num, sf } from './sql.ts';

type EmojiRow = {
  id: string;
  guild_id: string;
  name: string;
  user_id: string | null;
  animated: boolean;
  file_key: string;
  content_type: string;
  size: string;
  created_at: string;
  role_ids: string | null;
};

const SELECT = `SELECT e.id, e.guild_id, e.name, e.user_id, e.animated, e.file_key, e.content_type, e.size, e.created_at,
  (SELECT string_agg(role_id::text, ',') FROM emoji_roles WHERE emoji_id = e.id) AS role_ids FROM emojis e`;

const toEmoji = (r: EmojiRow): CustomEmoji => ({
  id: r.id,
  guildId: r.guild_id,
  name: r.name,
  userId: idOrNull(r.user_id),
  animated: r.animated,
  fileKey: r.file_key,
  contentType: r.content_type,
  size: num(r.size),
  createdAt: num(r.created_at),
  // Sorted as text, exactly as the SQLite store sorts them.
  roleIds: r.role_ids ? r.role_ids.split(',').sort() : [],
});

export class EmojisStore {
  constructor(private readonly sql: Db) {}

  async list(guildId: string): Promise<CustomEmoji[]> {
    return (await this.sql<EmojiRow[]>`${this.sql.unsafe(SELECT)} WHERE e.guild_id = ${sf(guildId)} ORDER BY e.id`).map(toEmoji);
  }

  async byId(emojiId: string): Promise<CustomEmoji | null> {
    const [r] = await this.sql<EmojiRow[]>`${this.sql.unsafe(SELECT)} WHERE e.id = ${sf(emojiId)}`;
    return r ? toEmoji(r) : null;
  }

  async count(guildId: string, animated: boolean): Promise<number> {
    const [r] = await this.sql<{ n: string }[]>`SELECT count(*) AS n FROM emojis WHERE guild_id = ${sf(guildId)} AND animated = ${animated}`;
    return r ? num(r.n) : 0;
  }

  async insert(e: CustomEmoji): Promise<void> {
    await this.sql`INSERT INTO emojis (id, guild_id, name, user_id, animated, file_key, content_type, size, created_at)
      VALUES (${e.id}, ${e.guildId}, ${e.name}, ${e.userId}, ${e.animated}, ${e.fileKey}, ${e.contentType}, ${e.size}, ${e.createdAt})`;
    await this.setRoles(e.id, e.roleIds);
  }

  async rename(emojiId: string, name: string): Promise<void> {
    await this.sql`UPDATE emojis SET name = ${name} WHERE id = ${sf(emojiId)}`;
  }

  async setRoles(emojiId: string, roleIds: readonly string[]): Promise<void> {
    await this.sql`DELETE FROM emoji_roles WHERE emoji_id = ${sf(emojiId)}`;
    for (const roleId of roleIds) await this.sql`INSERT INTO emoji_roles (emoji_id, role_id) VALUES (${emojiId}, ${roleId}) ON CONFLICT DO NOTHING`;
  }

  async delete(emojiId: string): Promise<void> {
    await this.sql`DELETE FROM emojis WHERE id = ${sf(emojiId)}`;
  }
}

// SQL for messages and their reactions.

import type { Database } from 'bun:sqlite';
import type { ActionRow } from '../../domain/model/component.ts';
import type { Embed } from '../../domain/model/embed.ts';
import type { Message, MessageInteraction, ReactionCount } from '../../domain/model/message.ts';
import type { Immediate, MessagesRepo } from '../../domain/ports/index.ts';
import { bool, type Int, id, idOrNull, num, numOrNull } from './rows.ts';

type MessageRow = {
  id: Int;
  channel_id: Int;
  guild_id: Int | null;
  author_id: Int;
  content: string;
  reply_to: Int | null;
  mention_everyone: Int;
  mentions: string;
  pinned: Int;
  nonce: string | null;
  embeds: string;
  components: string;
  suppress_embeds: Int;
  edited_at: Int | null;
  created_at: Int;
  webhook_id: Int | null;
  webhook_name: string | null;
  webhook_avatar: string | null;
  webhook_avatar_url: string | null;
  interaction: string | null;
  mention_roles?: string;
};

const SELECT = 'SELECT m.*, c.guild_id FROM messages m JOIN channels c ON c.id = m.channel_id';

const toMessage = (r: MessageRow): Message => ({
  id: id(r.id),
  channelId: id(r.channel_id),
  guildId: idOrNull(r.guild_id),
  authorId: id(r.author_id),
  content: r.content,
  replyTo: idOrNull(r.reply_to),
  mentionEveryone: bool(r.mention_everyone),
  mentions: r.mentions === '' ? [] : r.mentions.split(' '),
  mentionRoles: r.mention_roles ? r.mention_roles.split(' ') : [],
  pinned: bool(r.pinned),
  nonce: r.nonce,
  // JSON of the domain model, written only by this store (see toJson).
  embeds: JSON.parse(r.embeds) as Embed[],
  components: JSON.parse(r.components) as ActionRow[],
  suppressEmbeds: bool(r.suppress_embeds),
  editedAt: numOrNull(r.edited_at),
  createdAt: num(r.created_at),
  webhook: r.webhook_id === null ? null : { id: id(r.webhook_id), name: r.webhook_name ?? '', avatar: r.webhook_avatar, avatarUrl: r.webhook_avatar_url },
  interaction: r.interaction === null ? null : (JSON.parse(r.interaction) as MessageInteraction),
});

export class MessagesStore implements Immediate<MessagesRepo> {
  constructor(private readonly db: Database) {}

  insert(m: Message): void {
    this.db
      .query(
        `INSERT INTO messages (id, channel_id, author_id, content, reply_to, mention_everyone, mentions, pinned, nonce,
           embeds, components, suppress_embeds, edited_at, created_at, webhook_id, webhook_name, webhook_avatar, webhook_avatar_url)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        m.id,
        m.channelId,
        m.authorId,
        m.content,
        m.replyTo,
        m.mentionEveryone ? 1 : 0,
        m.mentions.join(' '),
        m.pinned ? 1 : 0,
        m.nonce,
        JSON.stringify(m.embeds),
        JSON.stringify(m.components),
        m.suppressEmbeds ? 1 : 0,
        m.editedAt,
        m.createdAt,
        m.webhook?.id ?? null,
        m.webhook?.name ?? null,
        m.webhook?.avatar ?? null,
        m.webhook?.avatarUrl ?? null,
      );
  }

  byId(messageId: string): Message | null {
    const row = this.db.query<MessageRow, [string]>(`${SELECT} WHERE m.id = ?`).get(messageId);
    return row ? toMessage(row) : null;
  }

  /** Newest first. `before`/`after` are exclusive snowflake bounds. */
  list(channelId: string, options: { limit: number; before?: string; after?: string; around?: string }): Message[] {
    if (options.around) {
      const half = Math.floor(options.limit / 2);
      const older = this.db
        .query<MessageRow, [string, string, number]>(`${SELECT} WHERE m.channel_id = ? AND m.id <= ? ORDER BY m.id DESC LIMIT ?`)
        .all(channelId, options.around, options.limit - half);
      const newer = this.db
        .query<MessageRow, [string, string, number]>(`${SELECT} WHERE m.channel_id = ? AND m.id > ? ORDER BY m.id ASC LIMIT ?`)
        .all(channelId, options.around, half);
      return [...newer.reverse(), ...older].map(toMessage);
    }
    if (options.after && !options.before) {
      // Oldest page after the bound, returned newest first like every other page.
      return this.db
        .query<MessageRow, [string, string, number]>(`${SELECT} WHERE m.channel_id = ? AND m.id > ? ORDER BY m.id ASC LIMIT ?`)
        .all(channelId, options.after, options.limit)
        .reverse()
        .map(toMessage);
    }
    return this.db
      .query<MessageRow, [string, string, string, number]>(`${SELECT} WHERE m.channel_id = ? AND m.id < ? AND m.id > ? ORDER BY m.id DESC LIMIT ?`)
      .all(channelId, options.before ?? '18446744073709551615', options.after ?? '0', options.limit)
      .map(toMessage);
  }

  /** The newest message by `authorId` in the channel with this nonce, among ids above `afterId` (the messages_channel index bounds the scan). */
  byNonce(channelId: string, authorId: string, nonce: string, afterId: string): Message | null {
    const row = this.db
      .query<MessageRow, [string, string, string, string]>(
        `${SELECT} WHERE m.channel_id = ? AND m.id > ? AND m.author_id = ? AND m.nonce = ? ORDER BY m.id DESC LIMIT 1`,
      )
      .get(channelId, afterId, authorId, nonce);
    return row ? toMessage(row) : null;
  }

  /** The roles a message mentions (kept apart from insert and update so that only a message naming roles pays for it). */
  setMentionRoles(messageId: string, roleIds: readonly string[]): void {
    this.db.query('UPDATE messages SET mention_roles = ? WHERE id = ?').run(roleIds.join(' '), messageId);
  }

  /** Writes what an edit can change: the body, its mentions, SUPPRESS_EMBEDS and the edit time. */
  update(m: Message): void {
    this.db
      .query('UPDATE messages SET content = ?, mentions = ?, mention_everyone = ?, embeds = ?, components = ?, suppress_embeds = ?, edited_at = ? WHERE id = ?')
      .run(
        m.content,
        m.mentions.join(' '),
        m.mentionEveryone ? 1 : 0,
        JSON.stringify(m.embeds),
        JSON.stringify(m.components),
        m.suppressEmbeds ? 1 : 0,
        m.editedAt,
        m.id,
      );
  }

  setPinned(messageId: string, pinned: boolean): void {
    this.db.query('UPDATE messages SET pinned = ? WHERE id = ?').run(pinned ? 1 : 0, messageId);
  }

  pinned(channelId: string): Message[] {
    return this.db.query<MessageRow, [string]>(`${SELECT} WHERE m.channel_id = ? AND m.pinned = 1 ORDER BY m.id DESC`).all(channelId).map(toMessage);
  }

  delete(messageId: string): void {
    this.db.query('DELETE FROM messages WHERE id = ?').run(messageId);
  }

  /** The interaction a message answers (JSON of the domain model); written after insert, and when a loading reply is answered. */
  setInteraction(messageId: string, interaction: MessageInteraction | null): void {
    this.db.query('UPDATE messages SET interaction = ? WHERE id = ?').run(interaction === null ? null : JSON.stringify(interaction), messageId);
  }

  // ---- reactions ----

  addReaction(messageId: string, emoji: string, userId: string, at: number): boolean {
    return (
      this.db.query('INSERT OR IGNORE INTO reactions (message_id, emoji, user_id, created_at) VALUES (?, ?, ?, ?)').run(messageId, emoji, userId, at).changes >
      0
    );
  }

  removeReaction(messageId: string, emoji: string, userId: string): boolean {
    return this.db.query('DELETE FROM reactions WHERE message_id = ? AND emoji = ? AND user_id = ?').run(messageId, emoji, userId).changes > 0;
  }

  /** Deletes a message's reactions (all, or one emoji's) and returns what was removed. */
  clearReactions(messageId: string, emoji: string | null): { emoji: string; userId: string }[] {
    const rows =
      emoji === null
        ? this.db.query<{ emoji: string; user_id: Int }, [string]>('DELETE FROM reactions WHERE message_id = ? RETURNING emoji, user_id').all(messageId)
        : this.db
            .query<{ emoji: string; user_id: Int }, [string, string]>('DELETE FROM reactions WHERE message_id = ? AND emoji = ? RETURNING emoji, user_id')
            .all(messageId, emoji);
    return rows.map((r) => ({ emoji: r.emoji, userId: id(r.user_id) }));
  }

  reactionUsers(messageId: string, emoji: string, limit: number, after: string): string[] {
    return this.db
      .query<{ user_id: Int }, [string, string, string, number]>(
        'SELECT user_id FROM reactions WHERE message_id = ? AND emoji = ? AND user_id > ? ORDER BY user_id LIMIT ?',
      )
      .all(messageId, emoji, after, limit)
      .map((r) => id(r.user_id));
  }

  /** Counts per emoji for many messages at once, with whether `viewerId` reacted. */
  reactionCounts(messageIds: readonly string[], viewerId: string): Map<string, ReactionCount[]> {
    const out = new Map<string, ReactionCount[]>();
    if (messageIds.length === 0) return out;
    // One query for a whole page of messages (ids passed as a JSON array), not one per message.
    const rows = this.db
      .query<{ message_id: Int; emoji: string; n: Int; me: Int; first: Int }, [string, string]>(
        `SELECT message_id, emoji, count(*) AS n, max(user_id = ?) AS me, min(created_at) AS first
         FROM reactions WHERE message_id IN (SELECT CAST(value AS INTEGER) FROM json_each(?))
         GROUP BY message_id, emoji ORDER BY message_id, first`,
      )
      .all(viewerId, JSON.stringify(messageIds));
    for (const r of rows) {
      const key = id(r.message_id);
      const list = out.get(key) ?? [];
      list.push({ emoji: r.emoji, count: num(r.n), me: bool(r.me) });
      out.set(key, list);
    }
    return out;
  }
}

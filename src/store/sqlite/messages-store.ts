// SQL for messages and their reactions.

import type { Database, SQLQueryBindings } from 'bun:sqlite';
import type { ActionRow } from '../../domain/model/component.ts';
import type { Embed } from '../../domain/model/embed.ts';
import type { Message, MessageInteraction, ReactionCount, SystemMessageKind } from '../../domain/model/message.ts';
import type { MessageSearchQuery } from '../../domain/model/message-search.ts';
import type { MessageLinks, MessagesRepo } from '../../domain/ports/index.ts';
import type { Immediate } from './immediate.ts';
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
  system?: string | null;
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
  ...(r.system ? { system: r.system as SystemMessageKind } : {}),
});

/**
 * Indexes the queued messages up to an id. CROSS JOIN keeps the queue as the outer loop: with a plain JOIN the
 * planner read `messages` by `id <= ?` (every message ever posted) and probed the queue per row, so each pass cost
 * the size of the whole table.
 */
export const INDEX_QUEUED =
  'INSERT INTO messages_fts (rowid, content) SELECT m.id, m.content FROM search_pending p CROSS JOIN messages m ON m.id = p.message_id WHERE p.message_id <= ?';

/** Moves the oldest `limit` queued messages (migration 0023's queue) into the index; how many it took. */
export function indexQueued(db: Database, limit: number): number {
  const last = db
    .query<{ id: Int | null }, [number]>('SELECT max(message_id) AS id FROM (SELECT message_id FROM search_pending ORDER BY message_id LIMIT ?)')
    .get(limit)?.id;
  if (last === null || last === undefined) return 0;
  db.query(INDEX_QUEUED).run(last);
  return db.query('DELETE FROM search_pending WHERE message_id <= ?').run(last).changes;
}

/** The messages above the search index's mark (migration 0025), read as a range of ids. */
const ABOVE_MARK = 'FROM messages WHERE id > (SELECT through FROM search_indexed)';
/** Whether any message waits for the index: queued, or above its mark. */
export const ANY_WAITING = `SELECT EXISTS (SELECT 1 FROM search_pending) OR EXISTS (SELECT 1 ${ABOVE_MARK}) AS waiting`;
/** The id of the last of the next `?` messages above the mark. */
export const LAST_ABOVE_MARK = `SELECT max(id) AS id FROM (SELECT id ${ABOVE_MARK} ORDER BY id LIMIT ?)`;
/** Indexes the messages above the mark up to an id. */
export const INDEX_ABOVE_MARK = `INSERT INTO messages_fts (rowid, content) SELECT id, content ${ABOVE_MARK} AND id <= ?`;

export class MessagesStore implements Immediate<MessagesRepo> {
  constructor(private readonly db: Database) {}

  insert(m: Message): void {
    this.db
      .query(
        `INSERT INTO messages (id, channel_id, author_id, content, reply_to, mention_everyone, mentions, mention_roles, pinned, nonce,
           embeds, components, suppress_embeds, edited_at, created_at, webhook_id, webhook_name, webhook_avatar, webhook_avatar_url)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        m.id,
        m.channelId,
        m.authorId,
        m.content,
        m.replyTo,
        m.mentionEveryone ? 1 : 0,
        m.mentions.join(' '),
        (m.mentionRoles ?? []).join(' '),
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

  /** Writes what an edit can change, and answers (in the same statement) what hangs off the message. */
  update(m: Message): MessageLinks | null {
    const row = this.db
      .query<{ files: Int; thread: Int; reactions: Int }, SQLQueryBindings[]>(
        `UPDATE messages SET content = ?, mentions = ?, mention_roles = ?, mention_everyone = ?, embeds = ?, components = ?, suppress_embeds = ?, edited_at = ?
         WHERE id = ?
         RETURNING EXISTS (SELECT 1 FROM attachments a WHERE a.message_id = messages.id) AS files,
           EXISTS (SELECT 1 FROM threads t WHERE t.channel_id = messages.id) AS thread,
           EXISTS (SELECT 1 FROM reactions r WHERE r.message_id = messages.id) AS reactions`,
      )
      .get(
        m.content,
        m.mentions.join(' '),
        (m.mentionRoles ?? []).join(' '),
        m.mentionEveryone ? 1 : 0,
        JSON.stringify(m.embeds),
        JSON.stringify(m.components),
        m.suppressEmbeds ? 1 : 0,
        m.editedAt,
        m.id,
      );
    return row ? { files: bool(row.files), thread: bool(row.thread), reactions: bool(row.reactions) } : null;
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

  /** Marks a message as one the server wrote itself (a join announcement); written right after its insert. */
  setSystem(messageId: string, kind: SystemMessageKind): void {
    this.db.query('UPDATE messages SET system = ? WHERE id = ?').run(kind, messageId);
  }

  /** The interaction a message answers (JSON of the domain model); written after insert, and when a loading reply is answered. */
  setInteraction(messageId: string, interaction: MessageInteraction | null): void {
    this.db.query('UPDATE messages SET interaction = ? WHERE id = ?').run(interaction === null ? null : JSON.stringify(interaction), messageId);
  }

  /**
   * Messages in `q.channelIds` matching every filter, with how many match in all (before offset and limit). Terms of
   * three characters or more go through the trigram index (messages_fts, migration 0019); shorter ones through LIKE
   * over the rows the other filters leave. Each list filter matches any of its values; `has` kinds match any of the
   * wanted ones and none of the refused ones.
   */
  search(q: MessageSearchQuery): { total: number; messages: Message[] } {
    if (q.channelIds.length === 0) return { total: 0, messages: [] };
    // What people wrote: the server's own messages (join announcements) are not search results.
    const where: string[] = ['m.channel_id IN (SELECT CAST(value AS INTEGER) FROM json_each(?))', 'm.system IS NULL'];
    const args: (string | number)[] = [JSON.stringify(q.channelIds)];
    const fts = q.terms.filter((term) => [...term].length >= 3);
    const match = fts.map((term) => `"${term.replaceAll('"', '""')}"`).join(' ');
    for (const term of q.terms.filter((term) => [...term].length < 3)) {
      where.push("m.content LIKE ? ESCAPE '\\'");
      args.push(`%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    }
    const anyOf = (column: string, values: readonly string[] | undefined) => {
      if (!values?.length) return;
      where.push(`${column} IN (SELECT CAST(value AS INTEGER) FROM json_each(?))`);
      args.push(JSON.stringify(values));
    };
    anyOf('m.author_id', q.authorIds);
    if (q.mentions?.length) {
      where.push(`(${q.mentions.map(() => "instr(' ' || m.mentions || ' ', ?) > 0").join(' OR ')})`);
      args.push(...q.mentions.map((userId) => ` ${userId} `));
    }
    if (q.pinned !== undefined) where.push(q.pinned ? 'm.pinned = 1' : 'm.pinned = 0');
    if (q.mentionEveryone !== undefined) where.push(q.mentionEveryone ? 'm.mention_everyone = 1' : 'm.mention_everyone = 0');
    if (q.minId) {
      where.push('m.id > ?');
      args.push(q.minId);
    }
    if (q.maxId) {
      where.push('m.id < ?');
      args.push(q.maxId);
    }
    const kinds = (list: readonly { value: string; negate: boolean }[] | undefined, sql: (value: string) => string) => {
      const wanted = (list ?? []).filter((f) => !f.negate).map((f) => sql(f.value));
      const refused = (list ?? []).filter((f) => f.negate).map((f) => `NOT ${sql(f.value)}`);
      if (wanted.length) where.push(`(${wanted.join(' OR ')})`);
      where.push(...refused);
    };
    kinds(q.has, hasSql);
    kinds(q.authorTypes, authorTypeSql);
    const from = `FROM messages m JOIN channels c ON c.id = m.channel_id${match ? ' JOIN messages_fts f ON f.rowid = m.id AND messages_fts MATCH ?' : ''}`;
    const all = match ? [match, ...args] : args;
    const filter = `WHERE ${where.join(' AND ')}`;
    const total = this.db.query<{ n: Int }, (string | number)[]>(`SELECT count(*) AS n ${from} ${filter}`).get(...all)?.n ?? 0n;
    const direction = q.sortOrder === 'asc' ? 'ASC' : 'DESC';
    const order = q.sortBy === 'relevance' && match ? 'bm25(messages_fts), m.id DESC' : `m.id ${direction}`;
    const rows = this.db
      .query<MessageRow, (string | number)[]>(`SELECT m.*, c.guild_id ${from} ${filter} ORDER BY ${order} LIMIT ? OFFSET ?`)
      .all(...all, q.limit, q.offset);
    return { total: num(total), messages: rows.map(toMessage) };
  }

  /** Messages waiting for the search index: above its mark, or queued by the insert and edit triggers (migration 0025). */
  hasPendingSearch(): boolean {
    return bool(this.db.query<{ waiting: Int }, []>(ANY_WAITING).get()?.waiting ?? 0n);
  }

  /**
   * Moves the oldest `limit` waiting messages into the index, one FTS5 segment for all of them: the queued ones
   * first, then, with what is left of `limit`, those above the mark, which then moves up to the last one taken.
   */
  indexPendingSearch(limit: number): number {
    let taken = indexQueued(this.db, limit);
    if (taken >= limit) return taken;
    const newest = this.db.query<{ id: Int | null }, [number]>(LAST_ABOVE_MARK).get(limit - taken)?.id;
    if (newest === null || newest === undefined) return taken;
    taken += this.db.query(INDEX_ABOVE_MARK).run(newest).changes;
    this.db.query('UPDATE search_indexed SET through = ?').run(newest);
    return taken;
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

/** SQL true when message `m` has this kind of content (stickers, polls and forwards are never stored here: false). */
function hasSql(kind: string): string {
  const attachment = (type: string) => `EXISTS (SELECT 1 FROM attachments a WHERE a.message_id = m.id${type})`;
  switch (kind) {
    case 'link':
      return "(instr(lower(m.content), 'http://') > 0 OR instr(lower(m.content), 'https://') > 0)";
    case 'embed':
      return "m.embeds != '[]'";
    case 'file':
      return attachment('');
    case 'image':
      return attachment(" AND a.content_type LIKE 'image/%'");
    case 'video':
      return attachment(" AND a.content_type LIKE 'video/%'");
    case 'sound':
      return attachment(" AND a.content_type LIKE 'audio/%'");
    default:
      return '0';
  }
}

/** SQL true when message `m` was sent by this kind of author: a webhook, a bot account, or a person. */
function authorTypeSql(kind: string): string {
  const bot = 'EXISTS (SELECT 1 FROM users u WHERE u.id = m.author_id AND u.bot = 1)';
  if (kind === 'webhook') return 'm.webhook_id IS NOT NULL';
  if (kind === 'bot') return `(m.webhook_id IS NULL AND ${bot})`;
  return `(m.webhook_id IS NULL AND NOT ${bot})`;
}

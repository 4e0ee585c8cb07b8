// Messages and their reactions on PostgreSQL (the SQLite twin: src/store/messages-store.ts).
import type { ActionRow } from '../../domain/model/component.ts';
import type { Embed } from '../../domain/model/embed.ts';
import type { Message, MessageInteraction, ReactionCount, SystemMessageKind } from '../../domain/model/message.ts';
import type { MessageSearchQuery } from '../../domain/model/message-search.ts';
import type { MessageLinks } from '../../domain/ports/index.ts';
import { type Db, idArray, idOrNull, num, numOrNull, sf } from './sql.ts';

type MessageRow = {
  id: string;
  channel_id: string;
  guild_id: string | null;
  author_id: string;
  content: string;
  reply_to: string | null;
  mention_everyone: boolean;
  mentions: string;
  pinned: boolean;
  nonce: string | null;
  embeds: string;
  components: string;
  suppress_embeds: boolean;
  edited_at: string | null;
  created_at: string;
  webhook_id: string | null;
  webhook_name: string | null;
  webhook_avatar: string | null;
  webhook_avatar_url: string | null;
  interaction: string | null;
  mention_roles: string;
  system: string | null;
};

const SELECT = 'SELECT m.*, c.guild_id FROM messages m JOIN channels c ON c.id = m.channel_id';

const toMessage = (r: MessageRow): Message => ({
  id: r.id,
  channelId: r.channel_id,
  guildId: idOrNull(r.guild_id),
  authorId: r.author_id,
  content: r.content,
  replyTo: idOrNull(r.reply_to),
  mentionEveryone: r.mention_everyone,
  mentions: r.mentions === '' ? [] : r.mentions.split(' '),
  mentionRoles: r.mention_roles ? r.mention_roles.split(' ') : [],
  pinned: r.pinned,
  nonce: r.nonce,
  embeds: JSON.parse(r.embeds) as Embed[],
  components: JSON.parse(r.components) as ActionRow[],
  suppressEmbeds: r.suppress_embeds,
  editedAt: numOrNull(r.edited_at),
  createdAt: num(r.created_at),
  webhook: r.webhook_id === null ? null : { id: r.webhook_id, name: r.webhook_name ?? '', avatar: r.webhook_avatar, avatarUrl: r.webhook_avatar_url },
  interaction: r.interaction === null ? null : (JSON.parse(r.interaction) as MessageInteraction),
  ...(r.system ? { system: r.system as SystemMessageKind } : {}),
});

export class MessagesStore {
  constructor(private readonly sql: Db) {}

  private select() {
    return this.sql.unsafe(SELECT);
  }

  async insert(m: Message): Promise<void> {
    await this.sql`
      INSERT INTO messages (id, channel_id, author_id, content, reply_to, mention_everyone, mentions, mention_roles, pinned, nonce,
        embeds, components, suppress_embeds, edited_at, created_at, webhook_id, webhook_name, webhook_avatar, webhook_avatar_url)
      VALUES (${m.id}, ${m.channelId}, ${m.authorId}, ${m.content}, ${m.replyTo}, ${m.mentionEveryone}, ${m.mentions.join(' ')},
        ${(m.mentionRoles ?? []).join(' ')}, ${m.pinned}, ${m.nonce},
        ${JSON.stringify(m.embeds)}, ${JSON.stringify(m.components)}, ${m.suppressEmbeds}, ${m.editedAt}, ${m.createdAt},
        ${m.webhook?.id ?? null}, ${m.webhook?.name ?? null}, ${m.webhook?.avatar ?? null}, ${m.webhook?.avatarUrl ?? null})`;
  }

  async byId(messageId: string): Promise<Message | null> {
    const [row] = await this.sql<MessageRow[]>`${this.select()} WHERE m.id = ${sf(messageId)}`;
    return row ? toMessage(row) : null;
  }

  /** Newest first. `before`/`after` are exclusive snowflake bounds. */
  async list(channelId: string, options: { limit: number; before?: string; after?: string; around?: string }): Promise<Message[]> {
    const channel = sf(channelId);
    if (options.around) {
      const around = sf(options.around);
      const half = Math.floor(options.limit / 2);
      const older = await this.sql<MessageRow[]>`${this.select()}
        WHERE m.channel_id = ${channel} AND m.id <= ${around} ORDER BY m.id DESC LIMIT ${options.limit - half}`;
      const newer = await this.sql<MessageRow[]>`${this.select()} WHERE m.channel_id = ${channel} AND m.id > ${around} ORDER BY m.id ASC LIMIT ${half}`;
      return [...[...newer].reverse(), ...older].map(toMessage);
    }
    if (options.after && !options.before) {
      // Oldest page after the bound, returned newest first like every other page.
      const rows = await this.sql<MessageRow[]>`${this.select()}
        WHERE m.channel_id = ${channel} AND m.id > ${sf(options.after)} ORDER BY m.id ASC LIMIT ${options.limit}`;
      return [...rows].reverse().map(toMessage);
    }
    // No `before`: every id is below the largest BIGINT (SQLite's store uses the u64 bound for the same purpose).
    const rows = await this.sql<MessageRow[]>`${this.select()}
      WHERE m.channel_id = ${channel} AND m.id < ${sf(options.before ?? '18446744073709551615')} AND m.id > ${sf(options.after ?? '0')}
      ORDER BY m.id DESC LIMIT ${options.limit}`;
    return rows.map(toMessage);
  }

  /** The newest message by `authorId` in the channel with this nonce, among ids above `afterId`. */
  async byNonce(channelId: string, authorId: string, nonce: string, afterId: string): Promise<Message | null> {
    const [row] = await this.sql<MessageRow[]>`${this.select()}
      WHERE m.channel_id = ${sf(channelId)} AND m.id > ${sf(afterId)} AND m.author_id = ${sf(authorId)} AND m.nonce = ${nonce} ORDER BY m.id DESC LIMIT 1`;
    return row ? toMessage(row) : null;
  }

  /** Writes what an edit can change, and answers (in the same statement) what hangs off the message. */
  async update(m: Message): Promise<MessageLinks | null> {
    const [row] = await this.sql<MessageLinks[]>`
      UPDATE messages SET content = ${m.content}, mentions = ${m.mentions.join(' ')}, mention_roles = ${(m.mentionRoles ?? []).join(' ')},
        mention_everyone = ${m.mentionEveryone},
        embeds = ${JSON.stringify(m.embeds)}, components = ${JSON.stringify(m.components)}, suppress_embeds = ${m.suppressEmbeds}, edited_at = ${m.editedAt}
      WHERE id = ${sf(m.id)}
      RETURNING EXISTS (SELECT 1 FROM attachments a WHERE a.message_id = messages.id) AS files,
        EXISTS (SELECT 1 FROM threads t WHERE t.channel_id = messages.id) AS thread,
        EXISTS (SELECT 1 FROM reactions r WHERE r.message_id = messages.id) AS reactions`;
    return row ?? null;
  }

  async setPinned(messageId: string, pinned: boolean): Promise<void> {
    await this.sql`UPDATE messages SET pinned = ${pinned} WHERE id = ${sf(messageId)}`;
  }

  async pinned(channelId: string): Promise<Message[]> {
    return (await this.sql<MessageRow[]>`${this.select()} WHERE m.channel_id = ${sf(channelId)} AND m.pinned ORDER BY m.id DESC`).map(toMessage);
  }

  async delete(messageId: string): Promise<void> {
    await this.sql`DELETE FROM messages WHERE id = ${sf(messageId)}`;
  }

  /** Marks a message as one the server wrote (a member's join). */
  async setSystem(messageId: string, kind: SystemMessageKind): Promise<void> {
    await this.sql`UPDATE messages SET system = ${kind} WHERE id = ${sf(messageId)}`;
  }

  async setInteraction(messageId: string, interaction: MessageInteraction | null): Promise<void> {
    await this.sql`UPDATE messages SET interaction = ${interaction === null ? null : JSON.stringify(interaction)} WHERE id = ${sf(messageId)}`;
  }

  /**
   * Messages in `q.channelIds` matching every filter, with how many match in all (before offset and limit). Each
   * term is a substring of the content once both are folded (migration 0019: no case, no diacritics), through the
   * trigram index when it has three characters or more. Each list filter matches any of its values; `has` kinds
   * match any of the wanted ones and none of the refused ones.
   */
  /** PostgreSQL's trigram index is kept current by each row's own insert: nothing ever waits to be indexed. */
  async hasPendingSearch(): Promise<boolean> {
    return false;
  }

  async indexPendingSearch(): Promise<number> {
    return 0;
  }

  async search(q: MessageSearchQuery): Promise<{ total: number; messages: Message[] }> {
    if (q.channelIds.length === 0) return { total: 0, messages: [] };
    const args: (string | number)[] = [];
    const param = (value: string | number) => {
      args.push(value);
      return `$${args.length}`;
    };
    const ids = (values: readonly string[]) => `${param(`{${values.map(sf).join(',')}}`)}::bigint[]`;
    // What people wrote: the server's own messages (join announcements) are not search results.
    const where = [`m.channel_id = ANY(${ids(q.channelIds)})`, 'm.system IS NULL'];
    for (const term of q.terms) {
      const pattern = term.replace(/[\\%_]/g, (c) => `\\${c}`);
      where.push(`harmony_search_fold(m.content) LIKE '%' || harmony_search_fold(${param(pattern)}) || '%'`);
    }
    if (q.authorIds?.length) where.push(`m.author_id = ANY(${ids(q.authorIds)})`);
    if (q.mentions?.length) where.push(`(${q.mentions.map((userId) => `strpos(' ' || m.mentions || ' ', ${param(` ${userId} `)}) > 0`).join(' OR ')})`);
    if (q.pinned !== undefined) where.push(q.pinned ? 'm.pinned' : 'NOT m.pinned');
    if (q.mentionEveryone !== undefined) where.push(q.mentionEveryone ? 'm.mention_everyone' : 'NOT m.mention_everyone');
    if (q.minId) where.push(`m.id > ${param(sf(q.minId))}::bigint`);
    if (q.maxId) where.push(`m.id < ${param(sf(q.maxId))}::bigint`);
    const kinds = (list: readonly { value: string; negate: boolean }[] | undefined, sql: (value: string) => string) => {
      const wanted = (list ?? []).filter((f) => !f.negate).map((f) => sql(f.value));
      const refused = (list ?? []).filter((f) => f.negate).map((f) => `NOT ${sql(f.value)}`);
      if (wanted.length) where.push(`(${wanted.join(' OR ')})`);
      where.push(...refused);
    };
    kinds(q.has, hasSql);
    kinds(q.authorTypes, authorTypeSql);
    const from = `FROM messages m JOIN channels c ON c.id = m.channel_id WHERE ${where.join(' AND ')}`;
    const [count] = await this.sql.unsafe<{ n: string }[]>(`SELECT count(*) AS n ${from}`, args);
    const direction = q.sortOrder === 'asc' ? 'ASC' : 'DESC';
    // Relevance: how much of the content the terms cover (pg_trgm's similarity), then newest first, as bm25 does on SQLite.
    const order =
      q.sortBy === 'relevance' && q.terms.length
        ? `similarity(harmony_search_fold(m.content), harmony_search_fold(${param(q.terms.join(' '))})) DESC, m.id DESC`
        : `m.id ${direction}`;
    const rows = await this.sql.unsafe<MessageRow[]>(
      `SELECT m.*, c.guild_id ${from} ORDER BY ${order} LIMIT ${param(q.limit)} OFFSET ${param(q.offset)}`,
      args,
    );
    return { total: num(count?.n ?? 0), messages: rows.map(toMessage) };
  }

  // ---- reactions ----

  async addReaction(messageId: string, emoji: string, userId: string, at: number): Promise<boolean> {
    const result = await this.sql`
      INSERT INTO reactions (message_id, emoji, user_id, created_at) VALUES (${messageId}, ${emoji}, ${userId}, ${at}) ON CONFLICT DO NOTHING`;
    return result.count > 0;
  }

  async removeReaction(messageId: string, emoji: string, userId: string): Promise<boolean> {
    return (await this.sql`DELETE FROM reactions WHERE message_id = ${sf(messageId)} AND emoji = ${emoji} AND user_id = ${sf(userId)}`).count > 0;
  }

  /** Deletes a message's reactions (all, or one emoji's) and returns what was removed. */
  async clearReactions(messageId: string, emoji: string | null): Promise<{ emoji: string; userId: string }[]> {
    const rows =
      emoji === null
        ? await this.sql<{ emoji: string; user_id: string }[]>`DELETE FROM reactions WHERE message_id = ${sf(messageId)} RETURNING emoji, user_id`
        : await this.sql<{ emoji: string; user_id: string }[]>`
            DELETE FROM reactions WHERE message_id = ${sf(messageId)} AND emoji = ${emoji} RETURNING emoji, user_id`;
    return rows.map((r) => ({ emoji: r.emoji, userId: r.user_id }));
  }

  async reactionUsers(messageId: string, emoji: string, limit: number, after: string): Promise<string[]> {
    const rows = await this.sql<{ user_id: string }[]>`
      SELECT user_id FROM reactions WHERE message_id = ${sf(messageId)} AND emoji = ${emoji} AND user_id > ${sf(after)} ORDER BY user_id LIMIT ${limit}`;
    return rows.map((r) => r.user_id);
  }

  /** Counts per emoji for many messages at once, with whether `viewerId` reacted; emoji in the order first used. */
  async reactionCounts(messageIds: readonly string[], viewerId: string): Promise<Map<string, ReactionCount[]>> {
    const out = new Map<string, ReactionCount[]>();
    if (messageIds.length === 0) return out;
    const rows = await this.sql<{ message_id: string; emoji: string; n: string; me: boolean }[]>`
      SELECT message_id, emoji, count(*) AS n, bool_or(user_id = ${sf(viewerId)}) AS me, min(created_at) AS first
      FROM reactions WHERE message_id = ANY(${idArray(this.sql, messageIds)})
      GROUP BY message_id, emoji ORDER BY message_id, first, emoji`;
    for (const r of rows) {
      const list = out.get(r.message_id) ?? [];
      list.push({ emoji: r.emoji, count: num(r.n), me: r.me });
      out.set(r.message_id, list);
    }
    return out;
  }
}

/** SQL true when message `m` has this kind of content (Discord's `has` search filter); unknown kinds match nothing. */
function hasSql(kind: string): string {
  const attachment = (type: string) => `EXISTS (SELECT 1 FROM attachments a WHERE a.message_id = m.id${type})`;
  switch (kind) {
    case 'link':
      return "(strpos(lower(m.content), 'http://') > 0 OR strpos(lower(m.content), 'https://') > 0)";
    case 'embed':
      return "m.embeds <> '[]'";
    case 'file':
      return attachment('');
    case 'image':
      return attachment(" AND a.content_type LIKE 'image/%'");
    case 'video':
      return attachment(" AND a.content_type LIKE 'video/%'");
    case 'sound':
      return attachment(" AND a.content_type LIKE 'audio/%'");
    default:
      return 'FALSE';
  }
}

/** SQL true when message `m` was sent by this kind of author: a webhook, a bot account, or a person. */
function authorTypeSql(kind: string): string {
  const bot = 'EXISTS (SELECT 1 FROM users u WHERE u.id = m.author_id AND u.bot)';
  if (kind === 'webhook') return 'm.webhook_id IS NOT NULL';
  if (kind === 'bot') return `(m.webhook_id IS NULL AND ${bot})`;
  return `(m.webhook_id IS NULL AND NOT ${bot})`;
}

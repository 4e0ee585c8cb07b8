// Messages and their reactions on PostgreSQL (the SQLite twin: src/store/messages-store.ts).
import type { ActionRow } from '../../domain/components.ts';
import type { Embed } from '../../domain/embeds.ts';
import type { Message, MessageInteraction, ReactionCount } from '../../domain/messages.ts';
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
});

export class MessagesStore {
  constructor(private readonly sql: Db) {}

  private select() {
    return this.sql.unsafe(SELECT);
  }

  async insert(m: Message): Promise<void> {
    await this.sql`
      INSERT INTO messages (id, channel_id, author_id, content, reply_to, mention_everyone, mentions, pinned, nonce,
        embeds, components, suppress_embeds, edited_at, created_at, webhook_id, webhook_name, webhook_avatar, webhook_avatar_url)
      VALUES (${m.id}, ${m.channelId}, ${m.authorId}, ${m.content}, ${m.replyTo}, ${m.mentionEveryone}, ${m.mentions.join(' ')}, ${m.pinned}, ${m.nonce},
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

  async setMentionRoles(messageId: string, roleIds: readonly string[]): Promise<void> {
    await this.sql`UPDATE messages SET mention_roles = ${roleIds.join(' ')} WHERE id = ${sf(messageId)}`;
  }

  /** Writes what an edit can change: the body, its mentions, SUPPRESS_EMBEDS and the edit time. */
  async update(m: Message): Promise<void> {
    await this.sql`
      UPDATE messages SET content = ${m.content}, mentions = ${m.mentions.join(' ')}, mention_everyone = ${m.mentionEveryone},
        embeds = ${JSON.stringify(m.embeds)}, components = ${JSON.stringify(m.components)}, suppress_embeds = ${m.suppressEmbeds}, edited_at = ${m.editedAt}
      WHERE id = ${sf(m.id)}`;
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

  async setInteraction(messageId: string, interaction: MessageInteraction | null): Promise<void> {
    await this.sql`UPDATE messages SET interaction = ${interaction === null ? null : JSON.stringify(interaction)} WHERE id = ${sf(messageId)}`;
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

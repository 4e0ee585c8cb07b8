// Webhooks on PostgreSQL (the SQLite twin: src/store/webhooks-store.ts). The token is kept only as its digest.
import type { Webhook } from '../../domain/model/webhook.ts';
import { bytes, type Db, idOrNull, num, sf } from './sql.ts';

type WebhookRow = {
  id: string;
  guild_id: string;
  channel_id: string;
  creator_id: string | null;
  name: string;
  avatar: string | null;
  token_hash: Uint8Array;
  created_at: string;
};

const toWebhook = (r: WebhookRow): Webhook => ({
  id: r.id,
  guildId: r.guild_id,
  channelId: r.channel_id,
  creatorId: idOrNull(r.creator_id),
  name: r.name,
  avatar: r.avatar,
  createdAt: num(r.created_at),
});

export class WebhooksStore {
  constructor(private readonly sql: Db) {}

  async insert(w: Webhook, tokenHash: Uint8Array): Promise<void> {
    await this.sql`INSERT INTO webhooks (id, guild_id, channel_id, creator_id, name, avatar, token_hash, created_at)
      VALUES (${w.id}, ${w.guildId}, ${w.channelId}, ${w.creatorId}, ${w.name}, ${w.avatar}, ${tokenHash}, ${w.createdAt})`;
  }

  async byId(webhookId: string): Promise<Webhook | null> {
    const [row] = await this.sql<WebhookRow[]>`SELECT * FROM webhooks WHERE id = ${sf(webhookId)}`;
    return row ? toWebhook(row) : null;
  }

  /** The webhook and its token digest, for the one comparison that proves a token. */
  async withDigest(webhookId: string): Promise<{ webhook: Webhook; tokenHash: Uint8Array } | null> {
    const [row] = await this.sql<WebhookRow[]>`SELECT * FROM webhooks WHERE id = ${sf(webhookId)}`;
    return row ? { webhook: toWebhook(row), tokenHash: bytes(row.token_hash) } : null;
  }

  async ofChannel(channelId: string): Promise<Webhook[]> {
    return (await this.sql<WebhookRow[]>`SELECT * FROM webhooks WHERE channel_id = ${sf(channelId)} ORDER BY id`).map(toWebhook);
  }

  async ofGuild(guildId: string): Promise<Webhook[]> {
    return (await this.sql<WebhookRow[]>`SELECT * FROM webhooks WHERE guild_id = ${sf(guildId)} ORDER BY id`).map(toWebhook);
  }

  async countInChannel(channelId: string): Promise<number> {
    const [row] = await this.sql<{ n: string }[]>`SELECT count(*) AS n FROM webhooks WHERE channel_id = ${sf(channelId)}`;
    return row ? num(row.n) : 0;
  }

  async update(w: Webhook): Promise<void> {
    await this.sql`UPDATE webhooks SET channel_id = ${w.channelId}, name = ${w.name}, avatar = ${w.avatar} WHERE id = ${sf(w.id)}`;
  }

  async delete(webhookId: string): Promise<void> {
    await this.sql`DELETE FROM webhooks WHERE id = ${sf(webhookId)}`;
  }
}

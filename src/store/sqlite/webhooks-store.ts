// SQL for webhooks. The token is kept only as its SHA-256 digest, and the digest never leaves this store
// except to the service that compares it.

import type { Database } from 'bun:sqlite';
import type { Webhook } from '../../domain/model/webhook.ts';
import type { WebhooksRepo } from '../../domain/ports/index.ts';
import type { Immediate } from './immediate.ts';
import { type Int, id, idOrNull, num } from './rows.ts';

type WebhookRow = {
  id: Int;
  guild_id: Int;
  channel_id: Int;
  creator_id: Int | null;
  name: string;
  avatar: string | null;
  token_hash: Uint8Array;
  created_at: Int;
};

const toWebhook = (r: WebhookRow): Webhook => ({
  id: id(r.id),
  guildId: id(r.guild_id),
  channelId: id(r.channel_id),
  creatorId: idOrNull(r.creator_id),
  name: r.name,
  avatar: r.avatar,
  createdAt: num(r.created_at),
});

export class WebhooksStore implements Immediate<WebhooksRepo> {
  constructor(private readonly db: Database) {}

  insert(w: Webhook, tokenHash: Uint8Array): void {
    this.db
      .query('INSERT INTO webhooks (id, guild_id, channel_id, creator_id, name, avatar, token_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(w.id, w.guildId, w.channelId, w.creatorId, w.name, w.avatar, tokenHash, w.createdAt);
  }

  byId(webhookId: string): Webhook | null {
    const row = this.db.query<WebhookRow, [string]>('SELECT * FROM webhooks WHERE id = ?').get(webhookId);
    return row ? toWebhook(row) : null;
  }

  /** The webhook and its token digest, for the one comparison that proves a token. */
  withDigest(webhookId: string): { webhook: Webhook; tokenHash: Uint8Array } | null {
    const row = this.db.query<WebhookRow, [string]>('SELECT * FROM webhooks WHERE id = ?').get(webhookId);
    return row ? { webhook: toWebhook(row), tokenHash: row.token_hash } : null;
  }

  ofChannel(channelId: string): Webhook[] {
    return this.db.query<WebhookRow, [string]>('SELECT * FROM webhooks WHERE channel_id = ? ORDER BY id').all(channelId).map(toWebhook);
  }

  ofGuild(guildId: string): Webhook[] {
    return this.db.query<WebhookRow, [string]>('SELECT * FROM webhooks WHERE guild_id = ? ORDER BY id').all(guildId).map(toWebhook);
  }

  countInChannel(channelId: string): number {
    return num(this.db.query<{ n: Int }, [string]>('SELECT count(*) AS n FROM webhooks WHERE channel_id = ?').get(channelId)?.n ?? 0n);
  }

  update(w: Webhook): void {
    this.db.query('UPDATE webhooks SET channel_id = ?, name = ?, avatar = ? WHERE id = ?').run(w.channelId, w.name, w.avatar, w.id);
  }

  delete(webhookId: string): void {
    this.db.query('DELETE FROM webhooks WHERE id = ?').run(webhookId);
  }
}

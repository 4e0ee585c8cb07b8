// Channel webhooks and their token digests.
// A port: the domain declares it, src/store/sqlite (and src/store/postgres) implement it. See ./index.ts.
import type { Webhook } from '../model/webhook.ts';

export interface WebhooksRepo {
  insert(w: Webhook, tokenHash: Uint8Array): Promise<void>;
  byId(webhookId: string): Promise<Webhook | null>;
  /** The webhook and its token digest, for the one comparison that proves a token. */
  withDigest(webhookId: string): Promise<{
    webhook: Webhook;
    tokenHash: Uint8Array;
  } | null>;
  ofChannel(channelId: string): Promise<Webhook[]>;
  ofGuild(guildId: string): Promise<Webhook[]>;
  countInChannel(channelId: string): Promise<number>;
  update(w: Webhook): Promise<void>;
  delete(webhookId: string): Promise<void>;
}

// Webhooks in Discord's shape (type 1, Incoming). `user` (the creator) only for callers with MANAGE_WEBHOOKS;
// `token` and `url` in the answer that created it, and on token routes (echoing what the caller sent, as Discord
// does): Harmony keeps a digest, so managers never see them again (Discord shows them on every read — see
// docs/discord-compat.md).
import { type APIWebhook, WebhookType } from 'discord-api-types/v10';
import type { User } from '../../../domain/users.ts';
import type { Webhook } from '../../../domain/webhooks.ts';
import { user } from './user.ts';

export function webhook(w: Webhook, options: { creator?: User | null; secret?: { token: string; url: string } } = {}): APIWebhook {
  return {
    id: w.id,
    type: WebhookType.Incoming,
    guild_id: w.guildId,
    channel_id: w.channelId,
    ...(options.creator ? { user: user(options.creator) } : {}),
    name: w.name,
    avatar: w.avatar,
    application_id: null,
    ...(options.secret ? { token: options.secret.token, url: options.secret.url } : {}),
  };
}

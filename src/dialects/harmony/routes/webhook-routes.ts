// Webhooks in the v1 API, for the web app and the SDK: manage them with manage_webhooks, and execute one with
// its token (no Authorization). Execute always answers with the message here; the Discord dialect's 204 (without
// ?wait=true) is a Discord habit v1 clients need not copy.

import { Elysia, t } from 'elysia';
import type { Message } from '../../../domain/messages.ts';
import type { RouteDeps } from '../../../http/guard.ts';
import { BOT_OR_BEARER, Snowflake } from '../../../http/schemas.ts';
import { uploadsOf } from '../../../http/uploads.ts';
import { countWebhookExecute } from '../../../http/webhook-rate-limit.ts';
import { webhookUrl } from '../../discord/webhook-url.ts';
import { created, MessageModel, none, ok, WebhookModel } from '../models.ts';
import * as wire from '../serializers.ts';

const security = BOT_OR_BEARER;
const tags = ['Webhooks'];
const ChannelParams = t.Object({ channelId: Snowflake });
const GuildParams = t.Object({ guildId: Snowflake });
const WebhookParams = t.Object({ webhookId: Snowflake });
const Token = t.String({
  pattern: '^[A-Za-z0-9_.-]{1,300}$',
  description: "The webhook token, or an interaction's (follow-ups: the application id as webhook id)",
});
const TokenParams = t.Object({ webhookId: Snowflake, token: Token });
// `@original`: an interaction's first answer (interaction tokens only).
const TokenMessageParams = t.Object({ webhookId: Snowflake, token: Token, messageId: t.Union([Snowflake, t.Literal('@original')]) });
const Avatar = t.Optional(t.Nullable(t.String({ maxLength: 12_000_000, description: 'A data URI (data:image/png;base64,...), or null for none' })));
const Rich = {
  embeds: t.Optional(t.Unknown({ description: 'Up to 10 embeds in the Embed shape' })),
  components: t.Optional(t.Unknown({ description: 'Up to 5 action rows of link buttons (a webhook has no application to answer others)' })),
};

export function webhookRoutes({ core, guard, limiter }: RouteDeps) {
  const { webhooks, messages, interactions } = core.services;
  const view = async (m: Message) => wire.message(await messages.view(m, null));
  /** An interaction's token: its follow-ups share these routes (with the application id), as on Discord. */
  const interactionOf = (params: { webhookId: string; token: string }) => interactions.byToken(params.webhookId, params.token);
  const answer = (body: { content?: string | null; embeds?: unknown; components?: unknown; suppress_embeds?: boolean; flags?: number }) => ({
    content: body.content,
    embeds: body.embeds,
    components: body.components,
    flags: (body.flags ?? 0) | (body.suppress_embeds ? 4 : 0),
  });

  return (
    new Elysia({ detail: { security, tags } })
      .use(guard)
      .post(
        '/channels/:channelId/webhooks',
        async ({ caller, params, body, request, set }) => {
          const { webhook, token } = await webhooks.create(params.channelId, caller.user.id, body);
          set.status = 201;
          return wire.webhook(webhook, { token, url: webhookUrl(core.config, request, webhook.id, token) });
        },
        {
          response: created(WebhookModel),
          auth: 'any',
          params: ChannelParams,
          body: t.Object({ name: t.String({ maxLength: 200 }), avatar: Avatar }, { additionalProperties: false }),
          detail: { summary: 'Create a webhook (manage_webhooks; 15 per channel). The answer holds its token and URL, shown this once' },
        },
      )
      .get(
        '/channels/:channelId/webhooks',
        async ({ caller, params }) => (await webhooks.ofChannel(params.channelId, caller.user.id)).map((w) => wire.webhook(w)),
        {
          response: ok(t.Array(WebhookModel)),
          auth: 'any',
          params: ChannelParams,
          detail: { summary: "A channel's webhooks (manage_webhooks), without tokens" },
        },
      )
      .get('/guilds/:guildId/webhooks', async ({ caller, params }) => (await webhooks.ofGuild(params.guildId, caller.user.id)).map((w) => wire.webhook(w)), {
        response: ok(t.Array(WebhookModel)),
        auth: 'any',
        params: GuildParams,
        detail: { summary: "A server's webhooks (manage_webhooks), without tokens" },
      })
      .get('/webhooks/:webhookId', async ({ caller, params }) => wire.webhook(await webhooks.get(params.webhookId, caller.user.id)), {
        response: ok(WebhookModel),
        auth: 'any',
        params: WebhookParams,
        detail: { summary: 'A webhook (manage_webhooks in its channel)' },
      })
      .patch(
        '/webhooks/:webhookId',
        async ({ caller, params, body }) =>
          wire.webhook(await webhooks.modify(params.webhookId, caller.user.id, { name: body.name, avatar: body.avatar, channelId: body.channel_id })),
        {
          response: ok(WebhookModel),
          auth: 'any',
          params: WebhookParams,
          body: t.Object(
            { name: t.Optional(t.String({ maxLength: 200 })), avatar: Avatar, channel_id: t.Optional(Snowflake) },
            { additionalProperties: false },
          ),
          detail: { summary: 'Rename, change the avatar of, or move (channel_id, same server) a webhook (manage_webhooks in both channels)' },
        },
      )
      .delete(
        '/webhooks/:webhookId',
        async ({ caller, params, set }) => {
          await webhooks.delete(params.webhookId, caller.user.id);
          set.status = 204;
        },
        { response: none(), auth: 'any', params: WebhookParams, detail: { summary: 'Delete a webhook (manage_webhooks)' } },
      )
      // ---- with the token, no Authorization ----
      .post(
        '/webhooks/:webhookId/:token',
        async ({ params, body, set, request }) => {
          const interaction = await interactionOf(params);
          if (interaction)
            return view(await interactions.followUp(interaction, { ...answer(body), uploads: uploadsOf(request), attachments: body.attachments }));
          Object.assign(set.headers, countWebhookExecute(limiter, params.webhookId));
          const message = await webhooks.execute(params.webhookId, params.token, {
            uploads: uploadsOf(request),
            attachments: body.attachments,
            content: body.content,
            embeds: body.embeds,
            components: body.components,
            suppressEmbeds: body.suppress_embeds ?? false,
            username: body.username,
            avatarUrl: body.avatar_url,
          });
          return view(message);
        },
        {
          response: ok(MessageModel),
          params: TokenParams,
          body: t.Object(
            {
              content: t.Optional(t.Nullable(t.String({ maxLength: 16000 }))),
              ...Rich,
              attachments: t.Optional(
                t.Unknown({ description: 'With files (multipart: files[n] + payload_json): [{ id, filename?, description? }], id the n of a files[n] part' }),
              ),
              suppress_embeds: t.Optional(t.Boolean()),
              username: t.Optional(t.String({ maxLength: 200, description: 'The name shown on this message instead of the webhook’s' })),
              avatar_url: t.Optional(t.String({ maxLength: 2048, description: 'An http(s) picture shown on this message instead of the webhook’s' })),
              flags: t.Optional(t.Integer({ description: 'Interaction follow-ups: 64 EPHEMERAL (only the invoker sees it)' })),
            },
            { additionalProperties: false },
          ),
          detail: { summary: 'Post as the webhook (no Authorization: the token is the credential); 5 per 2 seconds per webhook', security: [] },
        },
      )
      .patch(
        '/webhooks/:webhookId/:token/messages/:messageId',
        async ({ params, body, request }) => {
          const interaction = await interactionOf(params);
          const files = { uploads: uploadsOf(request), attachments: body.attachments };
          if (interaction) {
            const flags = body.suppress_embeds === undefined ? undefined : body.suppress_embeds ? 4 : 0;
            return view(
              await interactions.editMessage(interaction, params.messageId, {
                content: body.content,
                embeds: body.embeds,
                components: body.components,
                flags,
                ...files,
              }),
            );
          }
          return view(
            await webhooks.editMessage(params.webhookId, params.token, params.messageId, {
              content: body.content,
              embeds: body.embeds,
              components: body.components,
              suppressEmbeds: body.suppress_embeds,
              ...files,
            }),
          );
        },
        {
          response: ok(MessageModel),
          params: TokenMessageParams,
          body: t.Object(
            {
              content: t.Optional(t.Nullable(t.String({ maxLength: 16000 }))),
              ...Rich,
              attachments: t.Optional(
                t.Unknown({
                  description: 'The files to keep ({ id }) and new ones (multipart: files[n] + payload_json, { id: n, filename? }); left out, all stay',
                }),
              ),
              suppress_embeds: t.Optional(t.Boolean()),
            },
            { additionalProperties: false },
          ),
          detail: { summary: 'Edit a message this webhook (or an interaction, with its token) posted; files as on a message edit', security: [] },
        },
      )
      .delete(
        '/webhooks/:webhookId/:token/messages/:messageId',
        async ({ params, set }) => {
          const interaction = await interactionOf(params);
          if (interaction) await interactions.deleteMessage(interaction, params.messageId);
          else await webhooks.deleteMessage(params.webhookId, params.token, params.messageId);
          set.status = 204;
        },
        { response: none(), params: TokenMessageParams, detail: { summary: 'Delete a message this webhook posted', security: [] } },
      )
  );
}

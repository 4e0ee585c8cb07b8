// Webhooks: managed by members with MANAGE_WEBHOOKS (/channels/:id/webhooks, /guilds/:id/webhooks,
// /webhooks/:id), used with their token and no Authorization header (/webhooks/:id/:token, its messages).
// Execute answers 204 unless `wait=true`, which returns the message, as on Discord.
import { MessageFlags } from 'discord-api-types/v10';
import { Elysia, t } from 'elysia';
import type { Webhook } from '../../../domain/webhooks.ts';
import { Query } from '../../../http/schemas.ts';
import { uploadsOf } from '../../../http/uploads.ts';
import { countWebhookExecute } from '../../../http/webhook-rate-limit.ts';
import { unsupportedFields } from '../errors.ts';
import { AllowedMentionsBody, allowedMentions, isTrue, Open, QueryBoolean, Snowflake } from '../schemas.ts';
import { createInteractionSerializer } from '../serializers/interaction.ts';
import { webhook } from '../serializers/webhook.ts';
import { webhookUrl } from '../webhook-url.ts';
import type { DiscordRouteDeps } from './deps.ts';
import { answerBody } from './interaction-routes.ts';

const ChannelParams = t.Object({ channelId: Snowflake });
const GuildParams = t.Object({ guildId: Snowflake });
const WebhookParams = t.Object({ webhookId: Snowflake });
// Tokens are base64url; anything else cannot match, and is refused before any lookup.
const Token = t.String({ pattern: '^[A-Za-z0-9_.-]{1,200}$', description: 'The webhook token' });
const TokenParams = t.Object({ webhookId: Snowflake, token: Token });
// `@original` names an interaction's first answer (interaction tokens only; a webhook has no such message).
const TokenMessageParams = t.Object({ webhookId: Snowflake, token: Token, messageId: t.Union([Snowflake, t.Literal('@original')]) });
const ThreadQuery = Query({ thread_id: t.Optional(Snowflake) });

const Avatar = t.Optional(t.Nullable(t.String({ description: 'A data URI (data:image/png;base64,...), or null for the default avatar' })));
const CreateWebhook = Open({ name: t.String({ description: '1-80 characters, without "clyde" or "discord" in any case' }), avatar: Avatar });
const ModifyWebhook = Open({ name: t.Optional(t.String()), avatar: Avatar, channel_id: t.Optional(Snowflake) });
const ModifyWebhookWithToken = Open({ name: t.Optional(t.String()), avatar: Avatar });

/** Checked by the domain's parsers, which name the exact field in their 50035. */
const Rich = { embeds: t.Optional(t.Nullable(t.Unknown())), components: t.Optional(t.Nullable(t.Unknown())) };
const Unsupported = {
  attachments: t.Optional(t.Nullable(t.Array(t.Unknown()))),
  poll: t.Optional(t.Unknown()),
};

const ExecuteWebhook = Open({
  content: t.Optional(t.Nullable(t.String())),
  username: t.Optional(t.String()),
  avatar_url: t.Optional(t.String()),
  tts: t.Optional(t.Boolean()),
  flags: t.Optional(t.Integer()),
  allowed_mentions: t.Optional(t.Nullable(AllowedMentionsBody)),
  thread_name: t.Optional(t.String()),
  applied_tags: t.Optional(t.Array(t.Unknown())),
  ...Rich,
  ...Unsupported,
});

const EditWebhookMessage = Open({
  content: t.Optional(t.Nullable(t.String())),
  flags: t.Optional(t.Nullable(t.Integer())),
  allowed_mentions: t.Optional(t.Nullable(AllowedMentionsBody)),
  ...Rich,
  ...Unsupported,
});

type Extras = { poll?: unknown };

/** Files come as a multipart body (files[n] + payload_json), as on the message routes; polls are refused. */
function rejectUnsupported(body: Extras): void {
  if (body.poll != null) throw unsupportedFields({ poll: 'Polls are not supported by this server' });
}

const suppressEmbeds = (flags: number | null | undefined) => (flags == null ? undefined : (flags & MessageFlags.SuppressEmbeds) !== 0);
/** `null` clears embeds/components on edit, as [] does; absent keeps them. */
const clearable = (value: unknown) => (value === null ? [] : value);

/** The routes that need MANAGE_WEBHOOKS (and an Authorization header). */
export function webhookRoutes({ core, guard, detail }: DiscordRouteDeps) {
  const { webhooks } = core.services;
  const creatorOf = async (w: Webhook) => (w.creatorId ? await core.uow.repos.users.byId(w.creatorId) : null);
  const managed = async (w: Webhook) => webhook(w, { creator: await creatorOf(w) });

  return new Elysia({ detail })
    .use(guard)
    .post(
      '/channels/:channelId/webhooks',
      async ({ caller, params, body, request }) => {
        const { webhook: created, token } = await webhooks.create(params.channelId, caller.user.id, { name: body.name, avatar: body.avatar });
        return webhook(created, { creator: caller.user, secret: { token, url: webhookUrl(core.config, request, created.id, token) } });
      },
      {
        auth: 'any',
        params: ChannelParams,
        body: CreateWebhook,
        detail: {
          summary: 'Create a webhook (MANAGE_WEBHOOKS; at most 15 per channel). The answer carries `token` and `url`: the only time they are shown',
        },
      },
    )
    .get(
      '/channels/:channelId/webhooks',
      async ({ caller, params }) => Promise.all((await webhooks.ofChannel(params.channelId, caller.user.id)).map(managed)),
      {
        auth: 'any',
        params: ChannelParams,
        detail: { summary: "A channel's webhooks (MANAGE_WEBHOOKS), without tokens" },
      },
    )
    .get('/guilds/:guildId/webhooks', async ({ caller, params }) => Promise.all((await webhooks.ofGuild(params.guildId, caller.user.id)).map(managed)), {
      auth: 'any',
      params: GuildParams,
      detail: { summary: "A guild's webhooks (MANAGE_WEBHOOKS), without tokens" },
    })
    .get('/webhooks/:webhookId', async ({ caller, params }) => managed(await webhooks.get(params.webhookId, caller.user.id)), {
      auth: 'any',
      params: WebhookParams,
      detail: { summary: 'A webhook (MANAGE_WEBHOOKS in its channel), without its token' },
    })
    .patch(
      '/webhooks/:webhookId',
      async ({ caller, params, body }) =>
        managed(await webhooks.modify(params.webhookId, caller.user.id, { name: body.name, avatar: body.avatar, channelId: body.channel_id })),
      {
        auth: 'any',
        params: WebhookParams,
        body: ModifyWebhook,
        detail: { summary: 'Rename, change the avatar of, or move (channel_id, same guild) a webhook (MANAGE_WEBHOOKS in both channels)' },
      },
    )
    .delete(
      '/webhooks/:webhookId',
      async ({ caller, params, set }) => {
        await webhooks.delete(params.webhookId, caller.user.id);
        set.status = 204;
      },
      { auth: 'any', params: WebhookParams, detail: { summary: 'Delete a webhook (MANAGE_WEBHOOKS)' } },
    );
}

/**
 * The routes whose credential is the token in the path (no Authorization header). Mounted under each API version,
 * and under /api itself: Discord hands out webhook URLs without a version, and discord.js builds `webhook.url` so.
 */
export function webhookTokenRoutes({ core, present, detail, limiter }: Omit<DiscordRouteDeps, 'guard'>) {
  const { webhooks, interactions } = core.services;
  const interactionShapes = createInteractionSerializer(core);
  /** The interaction whose token this is (its follow-ups share these routes, as on Discord), or null for a webhook's. */
  const interactionOf = (params: { webhookId: string; token: string }) => interactions.byToken(params.webhookId, params.token);
  /** On token routes the caller proved the token, so echoing it (as Discord does) tells them nothing new. */
  const withSecret = (request: Request, w: Webhook, token: string) => webhook(w, { secret: { token, url: webhookUrl(core.config, request, w.id, token) } });

  return new Elysia({ detail })
    .get(
      '/webhooks/:webhookId/:token',
      async ({ params, request }) => withSecret(request, await webhooks.withToken(params.webhookId, params.token), params.token),
      {
        params: TokenParams,
        detail: {
          summary: 'The webhook its token names (no user; the token the caller sent, echoed as Discord does); 401 code 50027 for a wrong token',
          security: [],
        },
      },
    )
    .patch(
      '/webhooks/:webhookId/:token',
      async ({ params, body, request }) =>
        withSecret(request, await webhooks.modifyWithToken(params.webhookId, params.token, { name: body.name, avatar: body.avatar }), params.token),
      {
        params: TokenParams,
        body: ModifyWebhookWithToken,
        detail: { summary: 'Rename or change the avatar of the webhook its token names (it cannot move)', security: [] },
      },
    )
    .delete(
      '/webhooks/:webhookId/:token',
      async ({ params, set }) => {
        await webhooks.deleteWithToken(params.webhookId, params.token);
        set.status = 204;
      },
      { params: TokenParams, detail: { summary: 'Delete the webhook its token names', security: [] } },
    )
    .post(
      '/webhooks/:webhookId/:token',
      async ({ params, query, body, set, request }) => {
        const interaction = await interactionOf(params);
        if (interaction) {
          // A follow-up: Discord always answers with the message (wait is implied), and it may be ephemeral.
          const sent = await interactions.followUp(interaction, answerBody(body, { uploads: uploadsOf(request) }));
          return interactionShapes.message(sent);
        }
        Object.assign(set.headers, countWebhookExecute(limiter, params.webhookId));
        rejectUnsupported(body);
        const message = await webhooks.execute(params.webhookId, params.token, {
          uploads: uploadsOf(request),
          attachments: body.attachments ?? undefined,
          content: body.content,
          embeds: body.embeds ?? undefined,
          components: body.components ?? undefined,
          suppressEmbeds: suppressEmbeds(body.flags) ?? false,
          allowedMentions: body.allowed_mentions ? allowedMentions(body.allowed_mentions) : undefined,
          username: body.username,
          avatarUrl: body.avatar_url,
          threadId: query.thread_id,
          threadName: body.thread_name,
        });
        if (!isTrue(query.wait)) {
          set.status = 204;
          return;
        }
        return present.message(message, params.webhookId);
      },
      {
        params: TokenParams,
        query: Query({ wait: QueryBoolean, thread_id: t.Optional(Snowflake) }),
        body: ExecuteWebhook,
        detail: {
          summary:
            'Post as the webhook: content, embeds, link buttons, files (multipart: files[n] + payload_json), username and avatar_url for this message, allowed_mentions, flags (SUPPRESS_EMBEDS). 204, or 200 with the message when wait=true. 5 per 2 s per webhook',
          security: [],
        },
      },
    )
    .get(
      '/webhooks/:webhookId/:token/messages/:messageId',
      async ({ params, query }) => {
        const interaction = await interactionOf(params);
        if (interaction) return interactionShapes.message(await interactions.message(interaction, params.messageId));
        return present.message(await webhooks.message(params.webhookId, params.token, params.messageId, query.thread_id), params.webhookId);
      },
      {
        params: TokenMessageParams,
        query: ThreadQuery,
        detail: { summary: 'A message this webhook posted (10008 for any other)', security: [] },
      },
    )
    .patch(
      '/webhooks/:webhookId/:token/messages/:messageId',
      async ({ params, query, body, request }) => {
        const interaction = await interactionOf(params);
        if (interaction)
          return interactionShapes.message(
            await interactions.editMessage(interaction, params.messageId, answerBody(body, { edit: true, uploads: uploadsOf(request) })),
          );
        rejectUnsupported(body);
        const edited = await webhooks.editMessage(
          params.webhookId,
          params.token,
          params.messageId,
          {
            content: body.content,
            embeds: body.embeds === undefined ? undefined : clearable(body.embeds),
            components: body.components === undefined ? undefined : clearable(body.components),
            suppressEmbeds: suppressEmbeds(body.flags),
            allowedMentions: body.allowed_mentions ? allowedMentions(body.allowed_mentions) : undefined,
            uploads: uploadsOf(request),
            attachments: body.attachments ?? undefined,
          },
          query.thread_id,
        );
        return present.message(edited, params.webhookId);
      },
      {
        params: TokenMessageParams,
        query: ThreadQuery,
        body: EditWebhookMessage,
        detail: { summary: 'Edit a message this webhook posted (what is sent replaces what was there)', security: [] },
      },
    )
    .delete(
      '/webhooks/:webhookId/:token/messages/:messageId',
      async ({ params, query, set }) => {
        const interaction = await interactionOf(params);
        if (interaction) await interactions.deleteMessage(interaction, params.messageId);
        else await webhooks.deleteMessage(params.webhookId, params.token, params.messageId, query.thread_id);
        set.status = 204;
      },
      { params: TokenMessageParams, query: ThreadQuery, detail: { summary: 'Delete a message this webhook posted', security: [] } },
    );
}

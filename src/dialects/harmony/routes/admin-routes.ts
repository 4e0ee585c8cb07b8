// Instance administration: bot management (the seed's "Bot Management"), users, settings.
// Also the bot search guild managers use to add bots.

import { Elysia, t } from 'elysia';
import { ApiError } from '../../../http/api-error.ts';
import type { RouteDeps } from '../../../http/guard.ts';
import { BEARER_ONLY, Query, Snowflake } from '../../../http/schemas.ts';
import { AdminUserModel, BotModel, BotWithTokenModel, created, none, ok, SettingsModel } from '../models.ts';
import * as wire from '../serializers.ts';

const PRIVILEGED = { presence: 1 << 8, members: 1 << 1, message_content: 1 << 15 } as const;
const admin = BEARER_ONLY;

/** Search and paging shared by the bot and user lists. */
const ListQuery = Query({
  query: t.Optional(t.String({ maxLength: 64 })),
  limit: t.Optional(t.Integer({ minimum: 1, maximum: 1000 })),
  after: t.Optional(Snowflake),
});

export function adminRoutes({ core, guard }: RouteDeps) {
  const { users } = core.services;
  return new Elysia({ detail: { tags: ['Admin'], security: admin } })
    .use(guard)
    .get(
      '/bots',
      async ({ query }) => (await users.list({ bots: true, query: query.query, limit: query.limit ?? 25 })).filter((b) => !b.disabled).map(wire.bot),
      {
        response: ok(t.Array(BotModel)),
        auth: 'human',
        query: Query({ query: t.Optional(t.String({ maxLength: 64 })), limit: t.Optional(t.Integer({ minimum: 1, maximum: 100 })) }),
        detail: { tags: ['Bots'], summary: 'Search bots by name (to add one to a guild)' },
      },
    )
    .post(
      '/admin/bots',
      async ({ caller, body, set }) => {
        const { bot, token } = await users.createBot({ username: body.username, description: body.description, createdBy: caller.user.id });
        set.status = 201;
        return { bot: wire.bot(bot), token };
      },
      {
        response: created(BotWithTokenModel),
        auth: 'admin',
        body: t.Object(
          { username: t.String({ maxLength: 64 }), description: t.Optional(t.Nullable(t.String({ maxLength: 1000 }))) },
          { additionalProperties: false },
        ),
        detail: { summary: 'Create a bot; its token is in this response only' },
      },
    )
    .get(
      '/admin/bots',
      async ({ query }) => (await users.list({ bots: true, query: query.query, limit: query.limit ?? 100, after: query.after })).map(wire.bot),
      {
        response: ok(t.Array(BotModel)),
        auth: 'admin',
        query: ListQuery,
        detail: { summary: 'All bots (never their tokens)' },
      },
    )
    .patch(
      '/admin/bots/:botId',
      async ({ params, body }) => {
        const current = await users.get(params.botId);
        let intents = current.botIntents;
        for (const [name, bit] of Object.entries(PRIVILEGED)) {
          const wanted = body.privileged_intents?.[name as keyof typeof PRIVILEGED];
          if (wanted !== undefined) intents = wanted ? intents | bit : intents & ~bit;
        }
        return wire.bot(await users.setBotIntents(params.botId, intents));
      },
      {
        response: ok(BotModel),
        auth: 'admin',
        params: t.Object({ botId: Snowflake }),
        body: t.Object(
          {
            privileged_intents: t.Optional(
              t.Object(
                { presence: t.Optional(t.Boolean()), members: t.Optional(t.Boolean()), message_content: t.Optional(t.Boolean()) },
                { additionalProperties: false },
              ),
            ),
          },
          { additionalProperties: false },
        ),
        detail: { summary: 'Allow or refuse privileged gateway intents (presence, members, message_content)' },
      },
    )
    .post(
      '/admin/bots/:botId/token',
      async ({ params }) => {
        const { bot, token } = await users.regenerateBotToken(params.botId);
        return { bot: wire.bot(bot), token };
      },
      {
        response: ok(BotWithTokenModel),
        auth: 'admin',
        params: t.Object({ botId: Snowflake }),
        detail: { summary: 'Regenerate a token: the old one stops working at once, open sessions close' },
      },
    )
    .delete(
      '/admin/bots/:botId',
      async ({ params, set }) => {
        await users.deleteBot(params.botId);
        set.status = 204;
      },
      { response: none(), auth: 'admin', params: t.Object({ botId: Snowflake }), detail: { summary: 'Delete a bot' } },
    )
    .get(
      '/admin/users',
      async ({ query }) => (await users.list({ bots: false, query: query.query, limit: query.limit ?? 100, after: query.after })).map(wire.adminUser),
      {
        response: ok(t.Array(AdminUserModel)),
        auth: 'admin',
        query: ListQuery,
        detail: { summary: 'People on this instance' },
      },
    )
    .patch(
      '/admin/users/:userId',
      async ({ caller, params, body }) => {
        if (params.userId === caller.user.id && (body.admin === false || body.disabled === true)) {
          throw new ApiError(400, 0, 'You cannot remove your own admin rights or disable yourself');
        }
        if (body.admin !== undefined) await users.setAdmin(params.userId, body.admin);
        if (body.disabled !== undefined) await users.setDisabled(params.userId, body.disabled);
        return wire.adminUser(await users.get(params.userId));
      },
      {
        response: ok(AdminUserModel),
        auth: 'admin',
        params: t.Object({ userId: Snowflake }),
        body: t.Object({ admin: t.Optional(t.Boolean()), disabled: t.Optional(t.Boolean()) }, { additionalProperties: false }),
        detail: { summary: 'Make or unmake an admin; disable or re-enable an account' },
      },
    )
    .get('/admin/settings', async () => ({ registration: await users.registration() }), {
      response: ok(SettingsModel),
      auth: 'admin',
      detail: { summary: 'Instance settings' },
    })
    .patch(
      '/admin/settings',
      async ({ body }) => {
        if (body.registration) await users.setRegistration(body.registration);
        return { registration: await users.registration() };
      },
      {
        response: ok(SettingsModel),
        auth: 'admin',
        body: t.Object({ registration: t.Optional(t.Union([t.Literal('open'), t.Literal('closed')])) }, { additionalProperties: false }),
        detail: { summary: 'Open or close registration' },
      },
    );
}

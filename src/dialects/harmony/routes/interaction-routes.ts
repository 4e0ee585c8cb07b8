// Interactions in the v1 API: the web app's command picker reads the index and invokes (people only), and a
// HarmonyClient bot answers through the same callback route as a Discord bot, with the same body (Discord's
// {type, data}); the v1 answer always carries what was posted. Follow-ups use the v1 webhook token routes.
import { Elysia, t } from 'elysia';
import type { RouteDeps } from '../../../http/guard.ts';
import { invocationOf } from '../../../http/invocation-body.ts';
import { BEARER_ONLY, BOT_OR_BEARER, Snowflake } from '../../../http/schemas.ts';
import { uploadsOf } from '../../../http/uploads.ts';
import { answerBody, type CallbackDataInput } from '../../discord/routes/interaction-routes.ts';
import { ApplicationCommandModel, applicationCommand } from '../application-commands.ts';
import { MessageModel, none, ok, UserModel } from '../models.ts';
import * as wire from '../serializers.ts';

const tags = ['Interactions'];
const Token = t.String({ pattern: '^[A-Za-z0-9_.-]{1,300}$', description: 'The interaction token (from INTERACTION_CREATE)' });

const Invoke = t.Object(
  {
    type: t.Integer({ description: '2 command, 3 component, 4 autocomplete, 5 modal submit' }),
    application_id: Snowflake,
    channel_id: Snowflake,
    guild_id: t.Optional(t.Nullable(Snowflake)),
    message_id: t.Optional(t.Nullable(Snowflake, { description: 'Components: the message the component is on' })),
    session_id: t.Optional(t.Nullable(t.String({ maxLength: 128 }))),
    nonce: t.Optional(t.Nullable(t.String({ maxLength: 25, description: 'Echoed in INTERACTION_CREATE/SUCCESS/FAILURE to this user' }))),
    data: t.Unknown({
      description:
        "Discord's interaction data: {id, name, type, options} for a command, {component_type, custom_id, values} for a component, {id, custom_id, components} for a modal",
    }),
  },
  { additionalProperties: true },
);

const Callback = t.Object(
  {
    type: t.Integer({ description: '4 message, 5 deferred message, 6 deferred update, 7 update message, 8 autocomplete choices, 9 modal' }),
    data: t.Optional(
      t.Nullable(
        t.Object(
          {
            content: t.Optional(t.Nullable(t.String({ maxLength: 16000 }))),
            flags: t.Optional(t.Nullable(t.Integer({ description: '64 EPHEMERAL (only the invoker sees it), 4 SUPPRESS_EMBEDS' }))),
            embeds: t.Optional(t.Unknown()),
            components: t.Optional(t.Unknown({ description: 'Message components (4, 7) or the modal text inputs (9)' })),
            choices: t.Optional(t.Unknown({ description: 'Type 8: up to 25 {name, value}' })),
            custom_id: t.Optional(t.Unknown({ description: 'Type 9' })),
            title: t.Optional(t.Unknown({ description: 'Type 9' })),
          },
          { additionalProperties: true },
        ),
      ),
    ),
  },
  { additionalProperties: true },
);

const CallbackModel = t.Object(
  { interaction_id: t.String(), type: t.Integer(), message: t.Nullable(MessageModel) },
  { title: 'InteractionCallback', description: 'The answer given; `message` is what types 4, 5 and 7 posted or edited' },
);
const CommandIndexModel = t.Object(
  { applications: t.Array(UserModel, { description: 'The bots whose commands are listed' }), commands: t.Array(ApplicationCommandModel) },
  { title: 'CommandIndex' },
);

export function interactionRoutes({ core, guard }: RouteDeps) {
  const { interactions, messages } = core.services;
  const index = (i: Awaited<ReturnType<typeof interactions.guildIndex>>) => ({
    applications: i.applications.map(wire.user),
    commands: i.commands.map(applicationCommand),
  });

  return new Elysia({ detail: { tags, security: BOT_OR_BEARER } })
    .post(
      '/interactions/:interactionId/:token/callback',
      async ({ params, body, request }) => {
        const data = (body.data ?? null) as CallbackDataInput | null;
        const answer = body.type === 8 || body.type === 9 ? {} : answerBody(data, { uploads: uploadsOf(request) });
        const result = await interactions.callback(params.interactionId, params.token, body.type, data, answer);
        return {
          interaction_id: result.interaction.id,
          type: body.type,
          message: result.message ? wire.message(await messages.view(result.message, null)) : null,
        };
      },
      {
        params: t.Object({ interactionId: Snowflake, token: Token }),
        body: Callback,
        response: ok(CallbackModel),
        detail: {
          summary:
            'Answer an interaction once, within 3 s (no Authorization: the token is the credential); types 4 and 7 may carry files (multipart: files[n] + payload_json)',
          security: [],
        },
      },
    )
    .use(guard)
    .post(
      '/interactions',
      async ({ caller, body, set, request }) => {
        await interactions.invoke(caller.user, invocationOf(body, request));
        set.status = 204;
      },
      {
        auth: 'human',
        body: Invoke,
        response: none(),
        detail: {
          summary:
            'Run a command, click a component, submit a modal or ask for suggestions (people only); ATTACHMENT options name the files of a multipart body (files[n] + payload_json with data.attachments [{id: n, filename}])',
          security: BEARER_ONLY,
        },
      },
    )
    .get('/guilds/:guildId/application-command-index', async ({ caller, params }) => index(await interactions.guildIndex(caller.user.id, params.guildId)), {
      auth: 'any',
      params: t.Object({ guildId: Snowflake }),
      response: ok(CommandIndexModel),
      detail: { summary: 'The commands the caller may run in a guild (filtered by permission), for a command picker' },
    })
    .get(
      '/channels/:channelId/application-command-index',
      async ({ caller, params }) => index(await interactions.channelIndex(caller.user.id, params.channelId)),
      {
        auth: 'any',
        params: t.Object({ channelId: Snowflake }),
        response: ok(CommandIndexModel),
        detail: { summary: 'The commands the caller may run in a channel (in a DM with a bot: its global commands allowed there)' },
      },
    );
}

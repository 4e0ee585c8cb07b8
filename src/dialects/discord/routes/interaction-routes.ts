// Interactions on the Discord dialect: a person invokes (POST /interactions, Discord's user-client body), the bot
// answers through POST /interactions/{id}/{token}/callback (no Authorization: the token is the credential), and a
// command picker reads the command index of a guild or channel. Follow-ups share the webhook token routes
// (webhook-routes.ts hands interaction tokens to interactionFollowUps below).
import { Elysia, t } from 'elysia';
import type { Upload } from '../../../domain/attachments.ts';
import type { AnswerBody } from '../../../domain/interactions/interaction-service.ts';
import { invocationOf } from '../../../http/invocation-body.ts';
import { Query } from '../../../http/schemas.ts';
import { uploadsOf } from '../../../http/uploads.ts';
import { unsupportedFields } from '../errors.ts';
import { AllowedMentionsBody, allowedMentions, isTrue, Open, QueryBoolean, Snowflake } from '../schemas.ts';
import { createInteractionSerializer } from '../serializers/interaction.ts';
import type { DiscordRouteDeps } from './deps.ts';

// Interaction tokens are base64url; anything else cannot match and is refused before any lookup.
const Token = t.String({ pattern: '^[A-Za-z0-9_.-]{1,300}$', description: 'The interaction token' });

const Invoke = Open({
  type: t.Integer({ description: '2 APPLICATION_COMMAND, 3 MESSAGE_COMPONENT, 4 APPLICATION_COMMAND_AUTOCOMPLETE, 5 MODAL_SUBMIT' }),
  application_id: Snowflake,
  channel_id: Snowflake,
  guild_id: t.Optional(t.Nullable(Snowflake)),
  message_id: t.Optional(t.Nullable(Snowflake)),
  message_flags: t.Optional(t.Integer()),
  session_id: t.Optional(t.Nullable(t.String({ maxLength: 128 }))),
  nonce: t.Optional(t.Nullable(t.Union([t.String(), t.Integer()]))),
  data: t.Unknown({
    description: 'The command (id, name, type, options, target_id), component (component_type, custom_id, values) or modal (id, custom_id, components)',
  }),
});

/** A callback's `data`: a message (types 4, 5, 7), choices (8) or a modal (9); each is checked where it is used. */
const CallbackData = Open({
  content: t.Optional(t.Nullable(t.String())),
  flags: t.Optional(t.Nullable(t.Integer())),
  tts: t.Optional(t.Boolean()),
  allowed_mentions: t.Optional(t.Nullable(AllowedMentionsBody)),
  embeds: t.Optional(t.Nullable(t.Unknown())),
  components: t.Optional(t.Nullable(t.Unknown())),
  attachments: t.Optional(t.Nullable(t.Array(t.Unknown()))),
  poll: t.Optional(t.Unknown()),
  choices: t.Optional(t.Unknown()),
  custom_id: t.Optional(t.Unknown()),
  title: t.Optional(t.Unknown()),
});
const Callback = Open({
  type: t.Integer({ description: '4 message, 5 deferred message, 6 deferred update, 7 update message, 8 autocomplete result, 9 modal' }),
  data: t.Optional(t.Nullable(CallbackData)),
});

export type CallbackDataInput = {
  content?: string | null;
  flags?: number | null;
  allowed_mentions?: { parse?: ('users' | 'roles' | 'everyone')[]; users?: string[]; roles?: string[]; replied_user?: boolean } | null;
  embeds?: unknown;
  components?: unknown;
  attachments?: unknown[] | null;
  poll?: unknown;
};

/** Polls are refused; files come as a multipart body (`files[n]` + payload_json), named by `attachments`. */
function rejectUnsupported(data: CallbackDataInput): void {
  if (data.poll != null) throw unsupportedFields({ poll: 'Polls are not supported by this server' });
}

/**
 * Discord's message fields of a callback or follow-up, as the domain takes them. `uploads` are the request's files
 * (a multipart body); on an `edit`, `attachments` lists the files to keep, as on a message edit.
 */
export function answerBody(data: CallbackDataInput | null | undefined, options: { edit?: boolean; uploads?: readonly Upload[] } = {}): AnswerBody {
  const uploads = options.uploads ?? [];
  if (!data) return uploads.length > 0 ? { uploads } : {};
  rejectUnsupported(data);
  const clear = (v: unknown) => (options.edit && v === null ? [] : (v ?? undefined));
  return {
    content: data.content,
    embeds: clear(data.embeds),
    components: clear(data.components),
    flags: data.flags,
    allowedMentions: data.allowed_mentions ? allowedMentions(data.allowed_mentions) : undefined,
    ...(uploads.length > 0 ? { uploads } : {}),
    ...(data.attachments !== undefined ? { attachments: data.attachments } : {}),
  };
}

export function interactionRoutes({ core, guard, detail }: DiscordRouteDeps) {
  const { interactions } = core.services;
  const shapes = createInteractionSerializer(core);

  return new Elysia({ detail })
    .post(
      '/interactions/:interactionId/:token/callback',
      async ({ params, body, query, set, request }) => {
        const data = (body.data ?? null) as CallbackDataInput | null;
        const answer = body.type === 8 || body.type === 9 ? {} : answerBody(data, { uploads: uploadsOf(request) });
        const result = await interactions.callback(params.interactionId, params.token, body.type, data, answer);
        if (!isTrue(query.with_response)) {
          set.status = 204;
          return;
        }
        return shapes.callbackResponse(result.interaction, result.message);
      },
      {
        params: t.Object({ interactionId: Snowflake, token: Token }),
        query: Query({ with_response: QueryBoolean }),
        body: Callback,
        detail: {
          summary:
            "Answer an interaction once, within 3 s (10062 after, 40060 for a second answer); types 4 and 7 may carry files (multipart: files[n] + payload_json). 204, or Discord's {interaction, resource} with with_response=true",
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
        detail: {
          summary:
            'Run a command, click a component, submit a modal or ask for autocomplete (people only); ATTACHMENT options name files of a multipart body (files[n] + payload_json with data.attachments [{id: n, filename}]). 204; the sessions then get INTERACTION_CREATE {id, nonce} and INTERACTION_SUCCESS/FAILURE',
        },
      },
    )
    .get(
      '/guilds/:guildId/application-command-index',
      async ({ caller, params }) => shapes.commandIndex(await interactions.guildIndex(caller.user.id, params.guildId), core.ids.next()),
      {
        auth: 'any',
        params: t.Object({ guildId: Snowflake }),
        detail: { summary: "The commands the caller may run in a guild (every bot's global and guild commands, filtered by permission), for a command picker" },
      },
    )
    .get(
      '/channels/:channelId/application-command-index',
      async ({ caller, params }) => shapes.commandIndex(await interactions.channelIndex(caller.user.id, params.channelId), core.ids.next()),
      {
        auth: 'any',
        params: t.Object({ channelId: Snowflake }),
        detail: { summary: 'The commands the caller may run in a channel (in a DM with a bot: its global commands allowed in DMs)' },
      },
    );
}

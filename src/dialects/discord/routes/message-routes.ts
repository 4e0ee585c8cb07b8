// Messages under /channels/:channelId/messages: send (replies, allowed_mentions, nonce, embeds, components,
// SUPPRESS_EMBEDS, files as multipart/form-data with payload_json and files[n]), history, one, edit, delete, bulk delete, and reactions. Every route first finds the message *in this channel*, so a
// message id from another channel is a 10008, as on Discord.

import { RESTJSONErrorCodes as Codes, MessageFlags, MessageReferenceType } from 'discord-api-types/v10';
import { Elysia, type Static, t } from 'elysia';
import { PAGE_MAX } from '../../../domain/messages.ts';
import { ApiError, invalidField } from '../../../http/api-error.ts';
import { Query } from '../../../http/schemas.ts';
import { uploadsOf } from '../../../http/uploads.ts';
import { unsupportedFields } from '../errors.ts';
import { AllowedMentionsBody, allowedMentions, Open, QueryInt, queryInt, Snowflake } from '../schemas.ts';
import { user } from '../serializers/user.ts';
import type { DiscordRouteDeps } from './deps.ts';
import { noContent } from './no-content.ts';

const ChannelParams = t.Object({ channelId: Snowflake });
const MessageParams = t.Object({ channelId: Snowflake, messageId: Snowflake });
const Emoji = t.String({ minLength: 1, maxLength: 256 });
const ReactionParams = t.Object({ channelId: Snowflake, messageId: Snowflake, emoji: Emoji });
const UserReactionParams = t.Object({ channelId: Snowflake, messageId: Snowflake, emoji: Emoji, userId: Snowflake });
type MessageIds = Static<typeof MessageParams>;
type ReactionIds = Static<typeof ReactionParams>;
type UserReactionIds = Static<typeof UserReactionParams>;

/** What discord.js may send that Harmony has no storage for; empty lists (its defaults) are fine. */
type Extras = { sticker_ids?: unknown[] | null; poll?: unknown };

function rejectUnsupported(body: Extras): void {
  const refused: Record<string, string> = {};
  if (body.sticker_ids?.length) refused.sticker_ids = 'Stickers are not supported by this server';
  if (body.poll != null) refused.poll = 'Polls are not supported by this server';
  if (Object.keys(refused).length > 0) throw unsupportedFields(refused);
}

/** SUPPRESS_EMBEDS in a `flags` field; other bits are not stored (and ignored, as before). */
const suppressEmbeds = (flags: number | null | undefined) => (flags == null ? undefined : (flags & MessageFlags.SuppressEmbeds) !== 0);

/** Checked by the domain's parsers, which name the exact field (`embeds.0.fields.3.value`) in their 50035. */
const Rich = { embeds: t.Optional(t.Unknown()), components: t.Optional(t.Unknown()) };

const Unsupported = {
  sticker_ids: t.Optional(t.Nullable(t.Array(t.Unknown()))),
  poll: t.Optional(t.Unknown()),
};

/**
 * Discord's attachment list: `{ id, filename?, description? }`, where id is the n of a `files[n]` part or, on an
 * edit, the id of an attachment to keep (checked by the domain, which names the exact entry in its 50035).
 */
const Attachments = { attachments: t.Optional(t.Nullable(t.Array(t.Unknown()))) };

const CreateMessage = Open({
  content: t.Optional(t.Nullable(t.String())),
  nonce: t.Optional(t.Union([t.String({ maxLength: 25 }), t.Integer()])),
  enforce_nonce: t.Optional(t.Boolean()),
  tts: t.Optional(t.Boolean()),
  flags: t.Optional(t.Integer()),
  allowed_mentions: t.Optional(AllowedMentionsBody),
  message_reference: t.Optional(
    Open({
      type: t.Optional(t.Integer()),
      message_id: t.Optional(Snowflake),
      channel_id: t.Optional(Snowflake),
      guild_id: t.Optional(Snowflake),
      fail_if_not_exists: t.Optional(t.Boolean()),
    }),
  ),
  ...Rich,
  ...Attachments,
  ...Unsupported,
});

const EditMessage = Open({
  content: t.Optional(t.Nullable(t.String())),
  flags: t.Optional(t.Nullable(t.Integer())),
  allowed_mentions: t.Optional(t.Nullable(AllowedMentionsBody)),
  ...Rich,
  ...Attachments,
  ...Unsupported,
});

export function messageRoutes({ core, guard, present, detail }: DiscordRouteDeps) {
  const { messages } = core.services;

  /** A 204 write on a message, which is first found *in this channel*: an id from another channel is a 10008. */
  return (
    new Elysia({ detail })
      .use(guard)
      .post(
        '/channels/:channelId/messages',
        async ({ caller, params, body, request }) => {
          rejectUnsupported(body);
          const me = caller.user.id;
          let replyTo: string | null = null;
          const reference = body.message_reference;
          if (reference) {
            if (reference.type === MessageReferenceType.Forward)
              throw unsupportedFields({ message_reference: 'Forwarding messages is not supported by this server' });
            if (!reference.message_id) throw invalidField('message_reference', 'BASE_TYPE_REQUIRED', 'message_id is required for a reply');
            replyTo = reference.message_id;
            // fail_if_not_exists: false turns a reply to a missing message into a plain message, as on Discord.
            if (reference.fail_if_not_exists === false && !(await existsInChannel(params.channelId, me, reference.message_id, reference.channel_id)))
              replyTo = null;
          }
          const message = await messages.send(params.channelId, me, {
            content: body.content,
            embeds: body.embeds,
            components: body.components,
            suppressEmbeds: suppressEmbeds(body.flags) ?? false,
            replyTo,
            nonce: body.nonce === undefined ? null : String(body.nonce),
            enforceNonce: body.enforce_nonce === true,
            allowedMentions: allowedMentions(body.allowed_mentions),
            uploads: uploadsOf(request),
            attachments: body.attachments,
          });
          return present.message(message, me);
        },
        {
          auth: 'any',
          params: ChannelParams,
          body: CreateMessage,
          detail: {
            summary:
              'Send a message (SEND_MESSAGES; embeds need EMBED_LINKS, files ATTACH_FILES): content, up to 10 embeds, up to 5 rows of components, files as multipart/form-data (files[n] + payload_json, 10 files of 25 MiB by default; larger: 413 code 40005); replies with message_reference',
          },
        },
      )
      .get(
        '/channels/:channelId/messages',
        async ({ caller, params, query }) => {
          const list = await messages.list(params.channelId, caller.user.id, {
            limit: queryInt(query.limit, 'limit', { min: 1, max: PAGE_MAX, fallback: 50 }),
            before: query.before,
            after: query.after,
            around: query.around,
          });
          return present.messages(list, caller.user.id);
        },
        {
          auth: 'any',
          params: ChannelParams,
          query: Query({ limit: QueryInt, before: t.Optional(Snowflake), after: t.Optional(Snowflake), around: t.Optional(Snowflake) }),
          detail: { summary: 'History, newest first (READ_MESSAGE_HISTORY); limit 1-100 (default 50), before/after/around' },
        },
      )
      .post(
        '/channels/:channelId/messages/bulk-delete',
        async ({ caller, params, body, set }) => {
          await messages.bulkDelete(params.channelId, caller.user.id, body.messages);
          set.status = 204;
        },
        {
          auth: 'any',
          params: ChannelParams,
          body: Open({ messages: t.Array(Snowflake, { minItems: 2, maxItems: 100 }) }),
          detail: { summary: 'Delete 2-100 messages younger than 14 days (MANAGE_MESSAGES)' },
        },
      )
      .get(
        '/channels/:channelId/messages/:messageId',
        async ({ caller, params }) => present.message(await messages.get(params.channelId, caller.user.id, params.messageId), caller.user.id),
        {
          auth: 'any',
          params: MessageParams,
          detail: { summary: 'One message' },
        },
      )
      .patch(
        '/channels/:channelId/messages/:messageId',
        async ({ caller, params, body, request }) => {
          rejectUnsupported(body);
          const me = caller.user.id;
          const changes = {
            content: body.content,
            embeds: body.embeds,
            components: body.components,
            suppressEmbeds: suppressEmbeds(body.flags),
            allowedMentions: body.allowed_mentions ? allowedMentions(body.allowed_mentions) : undefined,
            uploads: uploadsOf(request),
            attachments: body.attachments,
          };
          const edited = await messages.edit(params.messageId, me, changes, params.channelId);
          return present.message(edited, me);
        },
        {
          auth: 'any',
          params: MessageParams,
          body: EditMessage,
          detail: {
            summary:
              "Edit your own message (content, embeds, components: what is sent replaces what was there; attachments keeps only the listed attachment ids, and new files may come as multipart; flags toggles SUPPRESS_EMBEDS), or only toggle SUPPRESS_EMBEDS on someone else's with MANAGE_MESSAGES",
          },
        },
      )
      .delete(
        '/channels/:channelId/messages/:messageId',
        noContent<MessageIds>(({ channelId, messageId }, me) => messages.delete(messageId, me, channelId)),
        { auth: 'any', params: MessageParams, detail: { summary: "Delete your message, or anyone's with MANAGE_MESSAGES" } },
      )
      // ---- reactions: the emoji is URL-encoded unicode or name:id ----
      .put(
        '/channels/:channelId/messages/:messageId/reactions/:emoji/@me',
        noContent<ReactionIds>(({ channelId, messageId, emoji }, me) => messages.react(messageId, me, emoji, channelId)),
        { auth: 'any', params: ReactionParams, detail: { summary: 'React (ADD_REACTIONS for a new emoji); idempotent' } },
      )
      .delete(
        '/channels/:channelId/messages/:messageId/reactions/:emoji/@me',
        noContent<ReactionIds>(({ channelId, messageId, emoji }, me) => messages.unreact(messageId, me, emoji, me, channelId)),
        { auth: 'any', params: ReactionParams, detail: { summary: 'Remove your reaction' } },
      )
      .delete(
        '/channels/:channelId/messages/:messageId/reactions/:emoji/:userId',
        noContent<UserReactionIds>(({ channelId, messageId, emoji, userId }, me) => messages.unreact(messageId, me, emoji, userId, channelId)),
        { auth: 'any', params: UserReactionParams, detail: { summary: "Remove someone's reaction (MANAGE_MESSAGES)" } },
      )
      .get(
        '/channels/:channelId/messages/:messageId/reactions/:emoji',
        async ({ caller, params, query }) => {
          await messages.get(params.channelId, caller.user.id, params.messageId);
          // Burst (super) reactions do not exist here: type=1 lists nobody.
          if (queryInt(query.type, 'type', { min: 0, max: 1, fallback: 0 }) === 1) return [];
          return (
            await messages.reactionUsers(params.messageId, caller.user.id, params.emoji, {
              limit: queryInt(query.limit, 'limit', { min: 1, max: 100, fallback: 25 }),
              after: query.after,
            })
          ).map(user);
        },
        {
          auth: 'any',
          params: ReactionParams,
          query: Query({ limit: QueryInt, after: t.Optional(Snowflake), type: QueryInt }),
          detail: { summary: 'Users who reacted with this emoji (limit 1-100, default 25; after)' },
        },
      )
      .delete(
        '/channels/:channelId/messages/:messageId/reactions/:emoji',
        noContent<ReactionIds>(({ channelId, messageId, emoji }, me) => messages.clearReactions(messageId, me, emoji, channelId)),
        { auth: 'any', params: ReactionParams, detail: { summary: 'Remove every reaction with this emoji (MANAGE_MESSAGES)' } },
      )
      .delete(
        '/channels/:channelId/messages/:messageId/reactions',
        noContent<MessageIds>(({ channelId, messageId }, me) => messages.clearReactions(messageId, me, undefined, channelId)),
        { auth: 'any', params: MessageParams, detail: { summary: 'Remove every reaction (MANAGE_MESSAGES)' } },
      )
  );

  /** Whether a reply target exists in this channel; permission errors still surface. */
  async function existsInChannel(channelId: string, userId: string, messageId: string, referencedChannelId: string | undefined): Promise<boolean> {
    if (referencedChannelId !== undefined && referencedChannelId !== channelId) return false;
    try {
      await messages.get(channelId, userId, messageId);
      return true;
    } catch (error) {
      if (error instanceof ApiError && error.code === Codes.UnknownMessage) return false;
      throw error;
    }
  }
}

// Channels, their overwrites and invites, and the seed's message endpoints
// (POST/GET /channels/:id/messages, PATCH/DELETE /messages/:id, reactions, typing).

import { Elysia, t } from 'elysia';
import { type Message, PAGE_MAX } from '../../../domain/messages.ts';
import { snowflakeAt } from '../../../domain/snowflake.ts';
import { invalidField } from '../../../http/api-error.ts';
import type { RouteDeps } from '../../../http/guard.ts';
import { BOT_OR_BEARER, PermissionsInput, Query, Snowflake, TimeOrId } from '../../../http/schemas.ts';
import { uploadsOf } from '../../../http/uploads.ts';
import { ChannelModel, created, InviteModel, MessageModel, none, ok, ReadStateModel, UserModel } from '../models.ts';
import * as wire from '../serializers.ts';
import { permissionsFrom } from './guild-routes.ts';

const security = BOT_OR_BEARER;
const ChannelParams = t.Object({ channelId: Snowflake });
const MessageParams = t.Object({ messageId: Snowflake });
/**
 * Embeds and components as Discord's API takes them (see EmbedModel and ActionRowModel); the domain's parsers
 * check them so that a 50035 names the exact field, e.g. embeds.0.fields.3.value.
 */
const RichBody = {
  embeds: t.Optional(t.Unknown({ description: 'Up to 10 embeds in the Embed shape (null clears them on edit)' })),
  components: t.Optional(t.Unknown({ description: 'Up to 5 action rows in the ActionRow shape (null clears them on edit)' })),
};
/** Files come as multipart/form-data (files[n] + payload_json holding the rest of the body), as in Discord's API. */
const FilesBody = {
  attachments: t.Optional(
    t.Unknown({
      description: 'With files: [{ id, filename?, description? }], id the n of a files[n] part; on edit, the ids of the attachments to keep (absent: all stay)',
    }),
  ),
};
const ReactionParams = t.Object({ messageId: Snowflake, emoji: t.String({ minLength: 1, maxLength: 256 }) });

/** `before`/`after` take a message id or, as the seed shows, an ISO timestamp. */
function boundary(value: string | undefined, field: string, side: 'before' | 'after'): string | undefined {
  if (value === undefined || /^\d+$/.test(value)) return value;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw invalidField(field, 'DATE_INVALID', 'Not a valid ISO-8601 timestamp');
  return side === 'before' ? snowflakeAt(ms) : (BigInt(snowflakeAt(ms + 1)) - 1n).toString();
}

export function channelRoutes({ core, guard }: RouteDeps) {
  const { channels, messages, invites, threads, readStates, groupDms } = core.services;
  const view = async (m: Message, viewerId: string) => wire.message(await messages.view(m, viewerId));

  return (
    new Elysia({ detail: { security } })
      .use(guard)
      .get('/channels/:channelId', async ({ caller, params }) => wire.channel(await channels.get(params.channelId, caller.user.id)), {
        response: ok(ChannelModel),
        auth: 'any',
        params: ChannelParams,
        detail: { tags: ['Channels'], summary: 'A channel you can see' },
      })
      .patch(
        '/channels/:channelId',
        async ({ caller, params, body }) => {
          const me = caller.user.id;
          const { archived, locked, auto_archive_duration, invitable, icon, ...fields } = body;
          const target = await channels.get(params.channelId, me);
          if (target.group) return wire.channel(await groupDms.update(target.id, me, { name: fields.name, icon }));
          if (target.thread) {
            const edit = { name: fields.name, archived, locked, autoArchiveMinutes: auto_archive_duration, invitable };
            return wire.channel(await threads.update(params.channelId, me, edit));
          }
          return wire.channel(await channels.update(params.channelId, me, fields));
        },
        {
          response: ok(ChannelModel),
          auth: 'any',
          params: ChannelParams,
          body: t.Object(
            {
              name: t.Optional(t.String({ maxLength: 200 })),
              topic: t.Optional(t.Nullable(t.String({ maxLength: 2048 }))),
              position: t.Optional(t.Integer({ minimum: 0, maximum: 10000 })),
              archived: t.Optional(t.Boolean({ description: 'Threads only' })),
              locked: t.Optional(t.Boolean({ description: 'Threads only (manage_threads)' })),
              auto_archive_duration: t.Optional(t.Integer({ description: 'Threads only: 60, 1440, 4320 or 10080' })),
              invitable: t.Optional(t.Boolean({ description: 'Private threads only (manage_threads)' })),
              icon: t.Optional(t.Nullable(t.String({ maxLength: 1024, pattern: '^https?://', description: 'Group DMs only: an http(s) URL' }))),
            },
            { additionalProperties: false },
          ),
          detail: {
            tags: ['Channels'],
            summary: 'Rename, re-topic or move a channel (manage_channels); rename, archive, lock a thread (its owner, or manage_threads)',
          },
        },
      )
      .delete(
        '/channels/:channelId',
        async ({ caller, params }) => {
          const me = caller.user.id;
          const target = await channels.get(params.channelId, me);
          if (target.group) return wire.channel(await groupDms.removeRecipient(target.id, me, me));
          if (target.guildId === null) return wire.channel(await readStates.closeDm(target.id, me));
          const isThread = target.thread !== null;
          return wire.channel(await (isThread ? threads.delete(params.channelId, me) : channels.delete(params.channelId, me)));
        },
        {
          response: ok(ChannelModel),
          auth: 'any',
          params: ChannelParams,
          detail: {
            tags: ['Channels'],
            summary:
              'Delete a channel with its messages and threads (manage_channels), or a thread (manage_threads); on a DM, close it for you only (its next message brings it back); on a group DM, leave it',
          },
        },
      )
      .put(
        '/channels/:channelId/permissions/:targetId',
        async ({ caller, params, body, set }) => {
          await channels.putOverwrite(params.channelId, caller.user.id, {
            id: params.targetId,
            type: body.type,
            allow: permissionsFrom(body.allow, 'allow') ?? 0n,
            deny: permissionsFrom(body.deny, 'deny') ?? 0n,
          });
          set.status = 204;
        },
        {
          response: none(),
          auth: 'any',
          params: t.Object({ channelId: Snowflake, targetId: Snowflake }),
          body: t.Object(
            { type: t.Union([t.Literal(0), t.Literal(1)]), allow: t.Optional(PermissionsInput), deny: t.Optional(PermissionsInput) },
            { additionalProperties: false },
          ),
          detail: { tags: ['Channels'], summary: 'Set a permission overwrite for a role (type 0) or member (type 1) (manage_roles)' },
        },
      )
      .delete(
        '/channels/:channelId/permissions/:targetId',
        async ({ caller, params, set }) => {
          await channels.deleteOverwrite(params.channelId, caller.user.id, params.targetId);
          set.status = 204;
        },
        {
          response: none(),
          auth: 'any',
          params: t.Object({ channelId: Snowflake, targetId: Snowflake }),
          detail: { tags: ['Channels'], summary: 'Remove a permission overwrite (manage_roles)' },
        },
      )
      .get(
        '/channels/:channelId/invites',
        async ({ caller, params }) => (await invites.listForChannel(params.channelId, caller.user.id)).map((i) => wire.invite(i)),
        {
          response: ok(t.Array(InviteModel)),
          auth: 'any',
          params: ChannelParams,
          detail: { tags: ['Invites'], summary: "This channel's invites (manage_channels)" },
        },
      )
      .post(
        '/channels/:channelId/invites',
        async ({ caller, params, body, set }) => {
          const invite = await invites.create(params.channelId, caller.user.id, { maxAge: body?.max_age, maxUses: body?.max_uses });
          set.status = 201;
          return wire.invite(invite);
        },
        {
          response: created(InviteModel),
          auth: 'any',
          params: ChannelParams,
          body: t.Optional(t.Object({ max_age: t.Optional(t.Integer()), max_uses: t.Optional(t.Integer()) }, { additionalProperties: false })),
          detail: { tags: ['Invites'], summary: 'Create an invite (create_instant_invite); max_age seconds (0 = never, default 7 days)' },
        },
      )
      // ---- messages ----
      .post(
        '/channels/:channelId/messages',
        async ({ caller, params, body, request }) => {
          const message = await messages.send(params.channelId, caller.user.id, {
            uploads: uploadsOf(request),
            attachments: body.attachments,
            content: body.content,
            embeds: body.embeds,
            components: body.components,
            suppressEmbeds: body.suppress_embeds ?? false,
            replyTo: body.reply_to,
            nonce: body.nonce,
          });
          return view(message, caller.user.id);
        },
        {
          response: ok(MessageModel),
          auth: 'any',
          params: ChannelParams,
          body: t.Object(
            {
              content: t.Optional(t.Nullable(t.String({ maxLength: 16000 }))),
              ...RichBody,
              ...FilesBody,
              suppress_embeds: t.Optional(t.Boolean()),
              reply_to: t.Optional(t.Nullable(Snowflake)),
              nonce: t.Optional(t.Nullable(t.String({ maxLength: 64 }))),
            },
            { additionalProperties: false },
          ),
          detail: {
            tags: ['Messages'],
            summary:
              'Send a message (send_messages; embeds need embed_links, files attach_files): content up to 4000 characters, embeds, components and files (at least one of them; files as multipart/form-data with files[n] and payload_json, 10 of 25 MiB by default, larger: 413 code 40005); reply_to a message in this channel',
          },
        },
      )
      .get(
        '/channels/:channelId/messages',
        async ({ caller, params, query }) => {
          const list = await messages.list(params.channelId, caller.user.id, {
            limit: query.limit ?? 50,
            before: boundary(query.before, 'before', 'before'),
            after: boundary(query.after, 'after', 'after'),
            around: query.around,
          });
          return (await messages.views(list, caller.user.id)).map(wire.message);
        },
        {
          response: ok(t.Array(MessageModel)),
          auth: 'any',
          params: ChannelParams,
          query: Query({
            limit: t.Optional(t.Integer({ minimum: 1, maximum: PAGE_MAX })),
            before: t.Optional(TimeOrId),
            after: t.Optional(TimeOrId),
            around: t.Optional(Snowflake),
          }),
          detail: { tags: ['Messages'], summary: 'History, newest first (read_message_history); before/after take a message id or ISO timestamp' },
        },
      )
      .get(
        '/channels/:channelId/messages/:messageId',
        async ({ caller, params }) => view(await messages.get(params.channelId, caller.user.id, params.messageId), caller.user.id),
        {
          response: ok(MessageModel),
          auth: 'any',
          params: t.Object({ channelId: Snowflake, messageId: Snowflake }),
          detail: { tags: ['Messages'], summary: 'One message' },
        },
      )
      .post(
        '/channels/:channelId/messages/bulk-delete',
        async ({ caller, params, body, set }) => {
          await messages.bulkDelete(params.channelId, caller.user.id, body.messages);
          set.status = 204;
        },
        {
          response: none(),
          auth: 'any',
          params: ChannelParams,
          body: t.Object({ messages: t.Array(Snowflake, { maxItems: 100 }) }, { additionalProperties: false }),
          detail: { tags: ['Messages'], summary: 'Delete 2-100 messages younger than 14 days (manage_messages)' },
        },
      )
      .put(
        '/channels/:channelId/recipients/:userId',
        async ({ caller, params, set }) => {
          await groupDms.addRecipient(params.channelId, caller.user.id, params.userId);
          set.status = 204;
        },
        {
          response: none(),
          auth: 'any',
          params: t.Object({ channelId: Snowflake, userId: Snowflake }),
          detail: {
            tags: ['Channels'],
            summary: 'Add someone to a group DM you are in (at most 10 people; they must accept DMs from you): CHANNEL_RECIPIENT_ADD',
          },
        },
      )
      .delete(
        '/channels/:channelId/recipients/:userId',
        async ({ caller, params, set }) => {
          await groupDms.removeRecipient(params.channelId, caller.user.id, params.userId);
          set.status = 204;
        },
        {
          response: none(),
          auth: 'any',
          params: t.Object({ channelId: Snowflake, userId: Snowflake }),
          detail: { tags: ['Channels'], summary: 'Remove someone from a group DM you own, or leave one: CHANNEL_RECIPIENT_REMOVE' },
        },
      )
      .post(
        '/channels/:channelId/messages/:messageId/ack',
        async ({ caller, params, body }) => wire.readState(await readStates.ack(params.channelId, caller.user.id, params.messageId, body?.mention_count ?? 0)),
        {
          response: ok(ReadStateModel),
          auth: 'any',
          params: t.Object({ channelId: Snowflake, messageId: Snowflake }),
          body: t.Optional(
            t.Object(
              {
                mention_count: t.Optional(t.Integer({ minimum: 0, maximum: 1000000, description: 'Mentions left unread (when marking unread); 0 by default' })),
              },
              { additionalProperties: false },
            ),
          ),
          detail: {
            tags: ['Messages'],
            summary: 'Mark the channel read up to this message (or unread after it), on all your devices (MESSAGE_ACK to your other sessions)',
          },
        },
      )
      .post(
        '/channels/:channelId/typing',
        async ({ caller, params, set }) => {
          await messages.typing(params.channelId, caller.user.id);
          set.status = 204;
        },
        {
          response: none(),
          auth: 'any',
          params: ChannelParams,
          detail: { tags: ['Messages'], summary: 'Show "is typing" to the channel for ~10 s (send_messages)' },
        },
      )
      .get(
        '/channels/:channelId/pins',
        async ({ caller, params }) => (await messages.views(await messages.pins(params.channelId, caller.user.id), caller.user.id)).map(wire.message),
        {
          response: ok(t.Array(MessageModel)),
          auth: 'any',
          params: ChannelParams,
          detail: { tags: ['Messages'], summary: 'Pinned messages' },
        },
      )
      .put(
        '/channels/:channelId/pins/:messageId',
        async ({ caller, params, set }) => {
          await messages.pin(params.channelId, caller.user.id, params.messageId, true);
          set.status = 204;
        },
        {
          response: none(),
          auth: 'any',
          params: t.Object({ channelId: Snowflake, messageId: Snowflake }),
          detail: { tags: ['Messages'], summary: 'Pin a message (manage_messages)' },
        },
      )
      .delete(
        '/channels/:channelId/pins/:messageId',
        async ({ caller, params, set }) => {
          await messages.pin(params.channelId, caller.user.id, params.messageId, false);
          set.status = 204;
        },
        {
          response: none(),
          auth: 'any',
          params: t.Object({ channelId: Snowflake, messageId: Snowflake }),
          detail: { tags: ['Messages'], summary: 'Unpin a message (manage_messages)' },
        },
      )
      .patch(
        '/messages/:messageId',
        async ({ caller, params, body, request }) =>
          view(
            await messages.edit(params.messageId, caller.user.id, {
              content: body.content,
              embeds: body.embeds,
              components: body.components,
              suppressEmbeds: body.suppress_embeds,
              uploads: uploadsOf(request),
              attachments: body.attachments,
            }),
            caller.user.id,
          ),
        {
          response: ok(MessageModel),
          auth: 'any',
          params: MessageParams,
          body: t.Object(
            { content: t.Optional(t.Nullable(t.String({ maxLength: 16000 }))), ...RichBody, ...FilesBody, suppress_embeds: t.Optional(t.Boolean()) },
            { additionalProperties: false },
          ),
          detail: {
            tags: ['Messages'],
            summary:
              "Edit your own message: what is sent replaces what was there (embeds: [] clears them; attachments keeps only the listed ids, and new files may come as multipart); or only set suppress_embeds on someone else's (manage_messages)",
          },
        },
      )
      .delete(
        '/messages/:messageId',
        async ({ caller, params, set }) => {
          await messages.delete(params.messageId, caller.user.id);
          set.status = 204;
        },
        {
          response: none(),
          auth: 'any',
          params: MessageParams,
          detail: { tags: ['Messages'], summary: "Delete your message, or anyone's with manage_messages" },
        },
      )
      .put(
        '/messages/:messageId/reactions/:emoji',
        async ({ caller, params, set }) => {
          await messages.react(params.messageId, caller.user.id, params.emoji);
          set.status = 204;
        },
        {
          response: none(),
          auth: 'any',
          params: ReactionParams,
          detail: { tags: ['Reactions'], summary: 'React (URL-encoded unicode emoji or name:id); idempotent' },
        },
      )
      .delete(
        '/messages/:messageId/reactions/:emoji',
        async ({ caller, params, set }) => {
          await messages.unreact(params.messageId, caller.user.id, params.emoji);
          set.status = 204;
        },
        { response: none(), auth: 'any', params: ReactionParams, detail: { tags: ['Reactions'], summary: 'Remove your reaction; idempotent' } },
      )
      .delete(
        '/messages/:messageId/reactions/:emoji/:userId',
        async ({ caller, params, set }) => {
          await messages.unreact(params.messageId, caller.user.id, params.emoji, params.userId);
          set.status = 204;
        },
        {
          response: none(),
          auth: 'any',
          params: t.Object({ messageId: Snowflake, emoji: t.String({ minLength: 1, maxLength: 256 }), userId: Snowflake }),
          detail: { tags: ['Reactions'], summary: "Remove someone's reaction (manage_messages)" },
        },
      )
      .get(
        '/messages/:messageId/reactions/:emoji',
        async ({ caller, params, query }) =>
          (await messages.reactionUsers(params.messageId, caller.user.id, params.emoji, { limit: query.limit ?? 25, after: query.after })).map(wire.user),
        {
          response: ok(t.Array(UserModel)),
          auth: 'any',
          params: ReactionParams,
          query: Query({ limit: t.Optional(t.Integer({ minimum: 1, maximum: 100 })), after: t.Optional(Snowflake) }),
          detail: { tags: ['Reactions'], summary: 'Users who reacted with this emoji' },
        },
      )
  );
}

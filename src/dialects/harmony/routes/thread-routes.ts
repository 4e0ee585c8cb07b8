// Threads on the v1 API, for the web app and the SDK: start one (from a message or not), list a channel's or a
// guild's threads, join, leave, add and remove members. Renaming, archiving, locking and deleting go through
// PATCH/DELETE /channels/:id (channel-routes.ts). Same rules as the Discord dialect (domain/threads.ts).
import { ChannelType } from 'discord-api-types/v10';
import { Elysia, t } from 'elysia';
import type { Channel } from '../../../domain/channels.ts';
import { ARCHIVED_PAGE_MAX, THREAD_MEMBERS_PAGE_MAX } from '../../../domain/threads.ts';
import type { RouteDeps } from '../../../http/guard.ts';
import { BOT_OR_BEARER, Query, Snowflake } from '../../../http/schemas.ts';
import { ChannelModel, created, none, ok, ThreadMemberModel } from '../models.ts';
import * as wire from '../serializers.ts';

const security = BOT_OR_BEARER;
const ChannelParams = t.Object({ channelId: Snowflake });
const MemberParams = t.Object({ channelId: Snowflake, userId: Snowflake });
const tags = ['Threads'];

/** Most recently archived first. */
const byArchiveTime = (a: Channel, b: Channel) => (b.thread?.archiveChangedAt ?? 0) - (a.thread?.archiveChangedAt ?? 0);

export function threadRoutes({ core, guard }: RouteDeps) {
  const { threads } = core.services;

  return new Elysia({ detail: { security } })
    .use(guard)
    .post(
      '/channels/:channelId/threads',
      async ({ caller, params, body, set }) => {
        const input = { name: body.name, type: body.type, invitable: body.invitable, autoArchiveMinutes: body.auto_archive_duration };
        const thread = body.message_id
          ? await threads.startFromMessage(params.channelId, body.message_id, caller.user.id, input)
          : await threads.start(params.channelId, caller.user.id, { ...input, type: body.type ?? ChannelType.PublicThread });
        set.status = 201;
        return wire.channel(thread);
      },
      {
        response: created(ChannelModel),
        auth: 'any',
        params: ChannelParams,
        body: t.Object(
          {
            name: t.String({ minLength: 1, maxLength: 100 }),
            message_id: t.Optional(Snowflake),
            type: t.Optional(t.Union([t.Literal(11), t.Literal(12)], { description: '11 public (the default), 12 private' })),
            invitable: t.Optional(t.Boolean()),
            auto_archive_duration: t.Optional(t.Integer({ description: '60, 1440 (the default), 4320 or 10080 minutes' })),
          },
          { additionalProperties: false },
        ),
        detail: {
          tags,
          summary:
            'Start a thread: from a message (message_id; public, with the message id; create_public_threads) or on its own (create_public_threads / create_private_threads). 201',
        },
      },
    )
    .get(
      '/channels/:channelId/threads',
      async ({ caller, params, query }) => {
        const me = caller.user.id;
        if (query.archived === 'true') {
          const options = { limit: ARCHIVED_PAGE_MAX };
          const shown = [
            ...(await threads.archived(params.channelId, me, 'public', options)).threads,
            ...(await threads.archived(params.channelId, me, 'joined', options)).threads,
          ];
          return shown.sort(byArchiveTime).map(wire.channel);
        }
        const parent = await core.services.channels.get(params.channelId, me);
        if (parent.guildId === null) return [];
        const { threads: active } = await threads.active(parent.guildId, me);
        return active.filter((c) => c.thread?.parentId === parent.id).map(wire.channel);
      },
      {
        response: ok(t.Array(ChannelModel)),
        auth: 'any',
        params: ChannelParams,
        query: Query({ archived: t.Optional(t.Union([t.Literal('true'), t.Literal('false')])) }),
        detail: { tags, summary: "A channel's active threads you can see; archived=true: its archived public threads and the private ones you joined" },
      },
    )
    .get('/guilds/:guildId/threads', async ({ caller, params }) => (await threads.active(params.guildId, caller.user.id)).threads.map(wire.channel), {
      response: ok(t.Array(ChannelModel)),
      auth: 'any',
      params: t.Object({ guildId: Snowflake }),
      detail: { tags, summary: "The guild's active threads you can see" },
    })
    .get(
      '/channels/:channelId/thread-members',
      async ({ caller, params }) => (await threads.members(params.channelId, caller.user.id, { limit: THREAD_MEMBERS_PAGE_MAX })).map(wire.threadMember),
      { response: ok(t.Array(ThreadMemberModel)), auth: 'any', params: ChannelParams, detail: { tags, summary: "A thread's members (the first 100)" } },
    )
    .put(
      '/channels/:channelId/thread-members/@me',
      async ({ caller, params, set }) => {
        await threads.join(params.channelId, caller.user.id);
        set.status = 204;
      },
      { response: none(), auth: 'any', params: ChannelParams, detail: { tags, summary: 'Join a thread (not archived)' } },
    )
    .delete(
      '/channels/:channelId/thread-members/@me',
      async ({ caller, params, set }) => {
        await threads.leave(params.channelId, caller.user.id);
        set.status = 204;
      },
      { response: none(), auth: 'any', params: ChannelParams, detail: { tags, summary: 'Leave a thread (not archived)' } },
    )
    .put(
      '/channels/:channelId/thread-members/:userId',
      async ({ caller, params, set }) => {
        await threads.add(params.channelId, caller.user.id, params.userId);
        set.status = 204;
      },
      {
        response: none(),
        auth: 'any',
        params: MemberParams,
        detail: { tags, summary: 'Add someone to a thread (send_messages_in_threads; a private thread closed to invitations: manage_threads)' },
      },
    )
    .delete(
      '/channels/:channelId/thread-members/:userId',
      async ({ caller, params, set }) => {
        await threads.remove(params.channelId, caller.user.id, params.userId);
        set.status = 204;
      },
      {
        response: none(),
        auth: 'any',
        params: MemberParams,
        detail: { tags, summary: "Remove someone from a thread (manage_threads, or a private thread's owner)" },
      },
    );
}

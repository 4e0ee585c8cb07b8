// Threads on the v10 dialect: start one from a message or on its own (201 with the thread), join, leave, add and
// remove members, list members, the guild's active threads and a channel's archived ones. Changing and deleting a
// thread go through PATCH/DELETE /channels/:id (channel-routes.ts), as on Discord.
import type { APIThreadMember, RESTGetAPIChannelUsersThreadsArchivedResult, RESTGetAPIGuildThreadsResult } from 'discord-api-types/v10';
import { Elysia, t } from 'elysia';
import type { Channel, ThreadMember } from '../../../domain/channels.ts';
import { snowflakeTime } from '../../../domain/snowflake.ts';
import { ARCHIVED_PAGE_MAX, type ArchivedKind, THREAD_MEMBERS_PAGE_MAX } from '../../../domain/threads.ts';
import { Query } from '../../../http/schemas.ts';
import { isTrue, Open, QueryBoolean, QueryInt, queryInt, Snowflake } from '../schemas.ts';
import { threadChannel, threadMember } from '../serializers/channel.ts';
import type { DiscordRouteDeps } from './deps.ts';
import { noContent } from './no-content.ts';

const ChannelParams = t.Object({ channelId: Snowflake });
const MemberParams = t.Object({ channelId: Snowflake, userId: Snowflake });
const AutoArchive = t.Optional(t.Integer({ description: '60, 1440, 4320 or 10080 minutes' }));
const RateLimit = t.Optional(t.Nullable(t.Integer({ minimum: 0, maximum: 21600 })));
const ThreadName = t.String({ minLength: 1, maxLength: 100 });
/** Archived lists page by archive time: an ISO timestamp (or, for the joined list, a snowflake as Discord takes there). */
const Before = t.Optional(t.String({ pattern: '^(\\d{1,20}|\\d{4}-\\d{2}-\\d{2}T[0-9:.]+(Z|[+-]\\d{2}:\\d{2}))$' }));

const beforeMs = (before: string | undefined): number | undefined =>
  before === undefined ? undefined : /^\d+$/.test(before) ? snowflakeTime(before) : Date.parse(before);

export function threadRoutes({ core, guard, present, detail }: DiscordRouteDeps) {
  const { threads } = core.services;

  /** Thread members as Discord lists them; with_member adds each one's guild member. */
  const members = async (list: readonly ThreadMember[], guildId: string | null, withMember: boolean): Promise<APIThreadMember[]> => {
    const out: APIThreadMember[] = [];
    for (const m of list) {
      const guildMember = withMember && guildId ? await core.uow.repos.guilds.member(guildId, m.userId) : null;
      out.push(guildMember ? { ...threadMember(m), member: await present.member(guildMember) } : threadMember(m));
    }
    return out;
  };

  const page = (list: { threads: Channel[]; members: ThreadMember[]; hasMore: boolean }): RESTGetAPIChannelUsersThreadsArchivedResult => ({
    threads: list.threads.map((c) => threadChannel(c)),
    members: list.members.map(threadMember),
    has_more: list.hasMore,
  });

  const archived =
    (kind: ArchivedKind) =>
    async ({ caller, params, query }: { caller: { user: { id: string } }; params: { channelId: string }; query: { before?: string; limit?: string } }) =>
      page(
        await threads.archived(params.channelId, caller.user.id, kind, {
          before: beforeMs(query.before),
          limit: queryInt(query.limit, 'limit', { min: 1, max: ARCHIVED_PAGE_MAX, fallback: 50 }),
        }),
      );

  return new Elysia({ detail })
    .use(guard)
    .post(
      '/channels/:channelId/messages/:messageId/threads',
      async ({ caller, params, body, set }) => {
        const thread = await threads.startFromMessage(params.channelId, params.messageId, caller.user.id, {
          name: body.name,
          autoArchiveMinutes: body.auto_archive_duration,
          rateLimitPerUser: body.rate_limit_per_user ?? undefined,
        });
        set.status = 201;
        return threadChannel(thread);
      },
      {
        auth: 'any',
        params: t.Object({ channelId: Snowflake, messageId: Snowflake }),
        body: Open({ name: ThreadName, auto_archive_duration: AutoArchive, rate_limit_per_user: RateLimit }),
        detail: { summary: 'Start a public thread from a message (CREATE_PUBLIC_THREADS); the thread has the message id. 201' },
      },
    )
    .post(
      '/channels/:channelId/threads',
      async ({ caller, params, body, set }) => {
        const thread = await threads.start(params.channelId, caller.user.id, {
          name: body.name,
          type: body.type,
          invitable: body.invitable,
          autoArchiveMinutes: body.auto_archive_duration,
          rateLimitPerUser: body.rate_limit_per_user ?? undefined,
        });
        set.status = 201;
        return threadChannel(thread);
      },
      {
        auth: 'any',
        params: ChannelParams,
        body: Open({
          name: ThreadName,
          type: t.Optional(t.Integer({ description: '11 public, 12 private (the default, as on Discord)' })),
          invitable: t.Optional(t.Boolean()),
          auto_archive_duration: AutoArchive,
          rate_limit_per_user: RateLimit,
        }),
        detail: { summary: 'Start a thread without a message (CREATE_PUBLIC_THREADS or CREATE_PRIVATE_THREADS). 201' },
      },
    )
    .put(
      '/channels/:channelId/thread-members/@me',
      noContent<{ channelId: string }>((p, me) => threads.join(p.channelId, me)),
      { auth: 'any', params: ChannelParams, detail: { summary: 'Join a thread (not archived). 204' } },
    )
    .delete(
      '/channels/:channelId/thread-members/@me',
      noContent<{ channelId: string }>((p, me) => threads.leave(p.channelId, me)),
      { auth: 'any', params: ChannelParams, detail: { summary: 'Leave a thread (not archived). 204' } },
    )
    .put(
      '/channels/:channelId/thread-members/:userId',
      noContent<{ channelId: string; userId: string }>((p, me) => threads.add(p.channelId, me, p.userId)),
      {
        auth: 'any',
        params: MemberParams,
        detail: { summary: 'Add a member to a thread (SEND_MESSAGES_IN_THREADS; a private thread not invitable: MANAGE_THREADS). 204' },
      },
    )
    .delete(
      '/channels/:channelId/thread-members/:userId',
      noContent<{ channelId: string; userId: string }>((p, me) => threads.remove(p.channelId, me, p.userId)),
      { auth: 'any', params: MemberParams, detail: { summary: "Remove a thread member (MANAGE_THREADS, or a private thread's owner). 204" } },
    )
    .get(
      '/channels/:channelId/thread-members/:userId',
      async ({ caller, params, query }) => {
        const member = await threads.member(params.channelId, caller.user.id, params.userId);
        const thread = await core.services.channels.get(params.channelId, caller.user.id);
        return (await members([member], thread.guildId, isTrue(query.with_member)))[0];
      },
      { auth: 'any', params: MemberParams, query: Query({ with_member: QueryBoolean }), detail: { summary: 'One thread member (10007 if not a member)' } },
    )
    .get(
      '/channels/:channelId/thread-members',
      async ({ caller, params, query }) => {
        const limit = queryInt(query.limit, 'limit', { min: 1, max: THREAD_MEMBERS_PAGE_MAX, fallback: THREAD_MEMBERS_PAGE_MAX });
        const list = await threads.members(params.channelId, caller.user.id, { limit, after: query.after });
        const thread = await core.services.channels.get(params.channelId, caller.user.id);
        return members(list, thread.guildId, isTrue(query.with_member));
      },
      {
        auth: 'any',
        params: ChannelParams,
        query: Query({ with_member: QueryBoolean, after: t.Optional(Snowflake), limit: QueryInt }),
        detail: { summary: 'Thread members in user id order (after, limit 1-100)' },
      },
    )
    .get(
      '/guilds/:guildId/threads/active',
      async ({ caller, params }): Promise<RESTGetAPIGuildThreadsResult> => {
        const active = await threads.active(params.guildId, caller.user.id);
        return { threads: active.threads.map((c) => threadChannel(c)), members: active.members.map(threadMember) };
      },
      { auth: 'any', params: t.Object({ guildId: Snowflake }), detail: { summary: 'Active threads you can see, with your memberships of them' } },
    )
    .get('/channels/:channelId/threads/archived/public', archived('public'), {
      auth: 'any',
      params: ChannelParams,
      query: Query({ before: Before, limit: QueryInt }),
      detail: { summary: 'Archived public threads, most recently archived first (READ_MESSAGE_HISTORY)' },
    })
    .get('/channels/:channelId/threads/archived/private', archived('private'), {
      auth: 'any',
      params: ChannelParams,
      query: Query({ before: Before, limit: QueryInt }),
      detail: { summary: 'Archived private threads (READ_MESSAGE_HISTORY and MANAGE_THREADS)' },
    })
    .get('/channels/:channelId/users/@me/threads/archived/private', archived('joined'), {
      auth: 'any',
      params: ChannelParams,
      query: Query({ before: Before, limit: QueryInt }),
      detail: { summary: 'Archived private threads you joined (READ_MESSAGE_HISTORY)' },
    });
}

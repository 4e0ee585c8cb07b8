// /channels/:channelId itself: get, modify (incl. replacing its overwrites), delete, permission overwrites,
// invites, typing and pins (both the legacy /pins routes and the paginated /messages/pins ones).

import { ChannelType, type RESTGetAPIChannelMessagesPinsResult } from 'discord-api-types/v10';
import { Elysia, t } from 'elysia';
import { snowflakeAt } from '../../../domain/snowflake.ts';
import { invalidField } from '../../../http/api-error.ts';
import { Query } from '../../../http/schemas.ts';
import { Bitfield, bitfield, Open, Overwrite, QueryInt, queryInt, Snowflake } from '../schemas.ts';
import type { DiscordRouteDeps } from './deps.ts';

const ChannelParams = t.Object({ channelId: Snowflake });
const PinParams = t.Object({ channelId: Snowflake, messageId: Snowflake });
const IsoTime = t.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}T[0-9:.]+(Z|[+-]\\d{2}:\\d{2})$', description: 'An ISO-8601 timestamp' });

type OverwriteInput = { id: string; type: 0 | 1; allow?: string | null; deny?: string | null };

export const toOverwrite = (o: OverwriteInput) => ({ id: o.id, type: o.type, allow: bitfield(o.allow, 'allow'), deny: bitfield(o.deny, 'deny') });

/** Harmony has text channels only; asking for another type is a 50035 rather than a silent text channel. */
export function checkTextType(type: number | undefined): void {
  if (type !== undefined && type !== ChannelType.GuildText)
    throw invalidField('type', 'BASE_TYPE_CHOICES', 'Only text channels (type 0) are supported by this server');
}

export function channelRoutes({ core, guard, present, detail }: DiscordRouteDeps) {
  const { channels, messages, invites, threads } = core.services;

  return (
    new Elysia({ detail })
      .use(guard)
      .get('/channels/:channelId', async ({ caller, params }) => present.channel(await channels.get(params.channelId, caller.user.id), caller.user.id), {
        auth: 'any',
        params: ChannelParams,
        detail: { summary: 'A channel you can see' },
      })
      .patch(
        '/channels/:channelId',
        async ({ caller, params, body }) => {
          const me = caller.user.id;
          if ((await channels.get(params.channelId, me)).thread) {
            const edit = {
              name: body.name,
              archived: body.archived,
              locked: body.locked,
              autoArchiveMinutes: body.auto_archive_duration,
              invitable: body.invitable,
              rateLimitPerUser: body.rate_limit_per_user ?? undefined,
            };
            return present.channel(await threads.update(params.channelId, me, edit), me);
          }
          checkTextType(body.type);
          const fields = { name: body.name, topic: body.topic, position: body.position ?? undefined };
          if (fields.name !== undefined || fields.topic !== undefined || fields.position !== undefined) await channels.update(params.channelId, me, fields);
          if (body.permission_overwrites) {
            // Discord replaces the whole list: put what is new or changed, drop what is gone.
            const wanted = body.permission_overwrites.map(toOverwrite);
            const current = (await channels.get(params.channelId, me)).overwrites;
            for (const o of wanted) {
              const old = current.find((c) => c.id === o.id);
              if (!old || old.type !== o.type || old.allow !== o.allow || old.deny !== o.deny) await channels.putOverwrite(params.channelId, me, o);
            }
            for (const old of current) if (!wanted.some((o) => o.id === old.id)) await channels.deleteOverwrite(params.channelId, me, old.id);
          }
          return present.channel(await channels.get(params.channelId, me), me);
        },
        {
          auth: 'any',
          params: ChannelParams,
          body: Open({
            name: t.Optional(t.String({ minLength: 1, maxLength: 100 })),
            type: t.Optional(t.Integer()),
            topic: t.Optional(t.Nullable(t.String({ maxLength: 1024 }))),
            position: t.Optional(t.Nullable(t.Integer({ minimum: 0, maximum: 10000 }))),
            permission_overwrites: t.Optional(t.Array(Overwrite, { maxItems: 100 })),
            // Threads only (see threads.ts for who may change what).
            archived: t.Optional(t.Boolean()),
            locked: t.Optional(t.Boolean()),
            auto_archive_duration: t.Optional(t.Integer()),
            invitable: t.Optional(t.Boolean()),
            rate_limit_per_user: t.Optional(t.Nullable(t.Integer({ minimum: 0, maximum: 21600 }))),
          }),
          detail: {
            summary:
              'Rename, re-topic, move a channel or replace its overwrites (MANAGE_CHANNELS / MANAGE_ROLES); on a thread: name, archived, locked, auto_archive_duration, invitable, rate_limit_per_user (owner or MANAGE_THREADS)',
          },
        },
      )
      .delete(
        '/channels/:channelId',
        async ({ caller, params }) => {
          const me = caller.user.id;
          const target = await channels.get(params.channelId, me);
          // On a DM, Discord's "close": gone from the caller's list only, back with the next message.
          if (target.guildId === null) return present.channel(await core.services.readStates.closeDm(target.id, me), me);
          const isThread = target.thread !== null;
          return present.channel(await (isThread ? threads.delete(params.channelId, me) : channels.delete(params.channelId, me)), me);
        },
        {
          auth: 'any',
          params: ChannelParams,
          detail: {
            summary:
              'Delete a channel and its messages and threads (MANAGE_CHANNELS), or a thread (MANAGE_THREADS), or close a DM for the caller; answers with the channel',
          },
        },
      )
      .put(
        '/channels/:channelId/permissions/:overwriteId',
        async ({ caller, params, body, set }) => {
          await channels.putOverwrite(params.channelId, caller.user.id, toOverwrite({ ...body, id: params.overwriteId }));
          set.status = 204;
        },
        {
          auth: 'any',
          params: t.Object({ channelId: Snowflake, overwriteId: Snowflake }),
          body: Open({ type: t.Union([t.Literal(0), t.Literal(1)]), allow: t.Optional(t.Nullable(Bitfield)), deny: t.Optional(t.Nullable(Bitfield)) }),
          detail: { summary: 'Set the overwrite for a role (type 0) or member (type 1) (MANAGE_ROLES)' },
        },
      )
      .delete(
        '/channels/:channelId/permissions/:overwriteId',
        async ({ caller, params, set }) => {
          await channels.deleteOverwrite(params.channelId, caller.user.id, params.overwriteId);
          set.status = 204;
        },
        { auth: 'any', params: t.Object({ channelId: Snowflake, overwriteId: Snowflake }), detail: { summary: 'Remove an overwrite (MANAGE_ROLES)' } },
      )
      .get('/channels/:channelId/invites', async ({ caller, params }) => present.invites(await invites.listForChannel(params.channelId, caller.user.id)), {
        auth: 'any',
        params: ChannelParams,
        detail: { summary: "The channel's invites (MANAGE_CHANNELS)" },
      })
      .post(
        '/channels/:channelId/invites',
        async ({ caller, params, body }) => {
          // Discord's default lifetime is one day (Harmony v1's is a week).
          const invite = await invites.create(params.channelId, caller.user.id, { maxAge: body?.max_age ?? 86400, maxUses: body?.max_uses ?? 0 });
          return (await present.invites([invite]))[0];
        },
        {
          auth: 'any',
          params: ChannelParams,
          body: t.Optional(
            Open({
              max_age: t.Optional(t.Integer({ minimum: 0, maximum: 604800 })),
              max_uses: t.Optional(t.Integer({ minimum: 0, maximum: 100 })),
              temporary: t.Optional(t.Boolean()),
              unique: t.Optional(t.Boolean()),
            }),
          ),
          detail: { summary: 'Create an invite (CREATE_INSTANT_INVITE); max_age seconds (default 86400, 0 = never)' },
        },
      )
      .post(
        '/channels/:channelId/typing',
        async ({ caller, params, set }) => {
          await messages.typing(params.channelId, caller.user.id);
          set.status = 204;
        },
        { auth: 'any', params: ChannelParams, detail: { summary: 'Show "is typing" for ~10 s (SEND_MESSAGES)' } },
      )
      .post(
        '/channels/:channelId/messages/:messageId/ack',
        async ({ caller, params }) => {
          await core.services.readStates.ack(params.channelId, caller.user.id, params.messageId);
          // Discord's answer to a user client's ack.
          return { token: null };
        },
        {
          auth: 'any',
          params: PinParams,
          detail: { summary: "Mark the channel read up to this message on all your sessions (MESSAGE_ACK to a person's other sessions)" },
        },
      )
      // ---- pins ----
      .get('/channels/:channelId/pins', async ({ caller, params }) => present.messages(await messages.pins(params.channelId, caller.user.id), caller.user.id), {
        auth: 'any',
        params: ChannelParams,
        detail: { summary: 'Pinned messages (legacy list)' },
      })
      .get(
        '/channels/:channelId/messages/pins',
        async ({ caller, params, query }): Promise<RESTGetAPIChannelMessagesPinsResult> => {
          const me = caller.user.id;
          // Harmony does not record when a message was pinned: pinned_at is the message's own time, newest first.
          const before = query.before === undefined ? null : BigInt(snowflakeAt(Date.parse(query.before)));
          const pinned = (await messages.pins(params.channelId, me))
            .filter((m) => before === null || BigInt(m.id) < before)
            .sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1));
          const limit = queryInt(query.limit, 'limit', { min: 1, max: 50, fallback: 50 });
          const shown = pinned.slice(0, limit);
          const views = await present.messages(shown, me);
          return {
            items: views.map((message, i) => ({ pinned_at: new Date(shown[i]?.createdAt ?? 0).toISOString(), message })),
            has_more: pinned.length > limit,
          };
        },
        {
          auth: 'any',
          params: ChannelParams,
          query: Query({ before: t.Optional(IsoTime), limit: QueryInt }),
          detail: { summary: 'Pinned messages, paginated (before: ISO time; limit 1-50, default 50)' },
        },
      )
      .put('/channels/:channelId/pins/:messageId', pin(true), {
        auth: 'any',
        params: PinParams,
        detail: { summary: 'Pin a message (MANAGE_MESSAGES; legacy route)' },
      })
      .delete('/channels/:channelId/pins/:messageId', pin(false), { auth: 'any', params: PinParams, detail: { summary: 'Unpin a message (legacy route)' } })
      .put('/channels/:channelId/messages/pins/:messageId', pin(true), {
        auth: 'any',
        params: PinParams,
        detail: { summary: 'Pin a message (MANAGE_MESSAGES)' },
      })
      .delete('/channels/:channelId/messages/pins/:messageId', pin(false), {
        auth: 'any',
        params: PinParams,
        detail: { summary: 'Unpin a message (MANAGE_MESSAGES)' },
      })
  );

  function pin(pinned: boolean) {
    return async ({
      caller,
      params,
      set,
    }: {
      caller: { user: { id: string } };
      params: { channelId: string; messageId: string };
      set: { status?: number | string };
    }) => {
      await messages.pin(params.channelId, caller.user.id, params.messageId, pinned);
      set.status = 204;
    };
  }
}

// /users: the caller's account, other users, DM channels, and the caller's guild list.

import type { RESTAPIPartialCurrentUserGuild } from 'discord-api-types/v10';
import { Elysia, t } from 'elysia';
import { Query } from '../../../http/schemas.ts';
import { page } from '../paging.ts';
import { isTrue, Open, QueryBoolean, QueryInt, queryInt, Snowflake } from '../schemas.ts';
import { currentUserGuild } from '../serializers/guild.ts';
import { currentUser, user } from '../serializers/user.ts';
import type { DiscordRouteDeps } from './deps.ts';

export function userRoutes({ core, guard, present, detail }: DiscordRouteDeps) {
  const { users, guilds, channels, access } = core.services;
  return new Elysia({ detail })
    .use(guard)
    .get('/users/@me', ({ caller }) => currentUser(caller.user), { auth: 'any', detail: { summary: 'The calling user or bot' } })
    .patch(
      '/users/@me',
      async ({ caller, body }) =>
        currentUser(await users.updateProfile(caller.user.id, { username: body.username, globalName: body.global_name, avatar: body.avatar })),
      {
        auth: 'any',
        // Avatars are http(s) URLs on Harmony; a Discord-style data URI is refused by the service with a 50035.
        body: Open({
          username: t.Optional(t.String({ maxLength: 64 })),
          global_name: t.Optional(t.Nullable(t.String({ maxLength: 64 }))),
          avatar: t.Optional(t.Nullable(t.String({ maxLength: 1024 * 1024 }))),
        }),
        detail: { summary: 'Change username, display name or avatar (a data URI image, or null)' },
      },
    )
    .get(
      '/users/@me/guilds',
      async ({ caller, query }) => {
        const list = page(await guilds.listFor(caller.user.id), (g) => g.id, {
          before: query.before,
          after: query.after,
          limit: queryInt(query.limit, 'limit', { min: 1, max: 200, fallback: 200 }),
        });
        const withCounts = isTrue(query.with_counts);
        const out: RESTAPIPartialCurrentUserGuild[] = [];
        for (const g of list)
          out.push(
            currentUserGuild(g, caller.user.id, (await access.guild(g.id, caller.user.id)).permissions, withCounts ? await present.counts(g.id) : undefined),
          );
        return out;
      },
      {
        auth: 'any',
        query: Query({ limit: QueryInt, before: t.Optional(Snowflake), after: t.Optional(Snowflake), with_counts: QueryBoolean }),
        detail: { summary: 'Guilds you are in, by id (limit 1-200, default 200; before/after)' },
      },
    )
    .delete(
      '/users/@me/guilds/:guildId',
      async ({ caller, params, set }) => {
        await guilds.leave(params.guildId, caller.user.id);
        set.status = 204;
      },
      { auth: 'any', params: t.Object({ guildId: Snowflake }), detail: { summary: 'Leave a guild' } },
    )
    .post(
      '/users/@me/channels',
      async ({ caller, body }) =>
        present.channel(await core.services.readStates.reopenDm(await channels.openDm(caller.user.id, body.recipient_id), caller.user.id), caller.user.id),
      {
        auth: 'any',
        body: Open({ recipient_id: Snowflake }),
        detail: { summary: 'Open (or get) the DM channel with a user; a DM the caller closed comes back' },
      },
    )
    .get('/users/:userId', async ({ params }) => user(await users.get(params.userId)), {
      auth: 'any',
      params: t.Object({ userId: Snowflake }),
      detail: { summary: 'A user by id' },
    });
}

// /guilds/:guildId/members and /bans: listing, nickname and role changes, kick, ban. Harmony has no voice
// or timeouts, so asking for them is a clear 50035 instead of a success that changed nothing.

import { Elysia, type Static, t } from 'elysia';
import { MEMBERS_PAGE_MAX } from '../../../domain/members.ts';
import { unknown } from '../../../http/api-error.ts';
import { auditReasonFrom } from '../../../http/guard.ts';
import { Query } from '../../../http/schemas.ts';
import { unsupportedFields } from '../errors.ts';
import { page } from '../paging.ts';
import { Open, QueryInt, queryInt, Snowflake } from '../schemas.ts';
import { user } from '../serializers/user.ts';
import type { DiscordRouteDeps } from './deps.ts';
import { noContent } from './no-content.ts';

const GuildParams = t.Object({ guildId: Snowflake });
const MemberParams = t.Object({ guildId: Snowflake, userId: Snowflake });
const MemberRoleParams = t.Object({ guildId: Snowflake, userId: Snowflake, roleId: Snowflake });
type MemberIds = Static<typeof MemberParams>;
type MemberRoleIds = Static<typeof MemberRoleParams>;

/** discord.js sends a reason as X-Audit-Log-Reason, URI-encoded: the audit log entry records it, and a ban keeps it as its reason. */
const auditReason = (headers: Record<string, string | undefined>) => auditReasonFrom(headers['x-audit-log-reason']);

export function memberRoutes({ core, guard, present, detail }: DiscordRouteDeps) {
  const { members, guilds } = core.services;

  return (
    new Elysia({ detail })
      .use(guard)
      .get(
        '/guilds/:guildId/members',
        async ({ caller, params, query }) =>
          present.members(
            await members.list(params.guildId, caller.user.id, {
              limit: queryInt(query.limit, 'limit', { min: 1, max: MEMBERS_PAGE_MAX, fallback: 1 }),
              after: query.after,
            }),
          ),
        {
          auth: 'any',
          params: GuildParams,
          query: Query({ limit: QueryInt, after: t.Optional(Snowflake) }),
          detail: { summary: 'Members by user id (limit 1-1000, default 1; after)' },
        },
      )
      .patch(
        '/guilds/:guildId/members/@me',
        async ({ caller, params, body }) => {
          const me = caller.user.id;
          if (body.nick === undefined) return present.member(await members.get(params.guildId, me, me));
          return present.member(await members.update(params.guildId, me, me, { nick: body.nick || null }));
        },
        {
          auth: 'any',
          params: GuildParams,
          body: Open({ nick: t.Optional(t.Nullable(t.String({ maxLength: 64 }))) }),
          detail: { summary: 'Change your own nickname (CHANGE_NICKNAME)' },
        },
      )
      .get('/guilds/:guildId/members/:userId', async ({ caller, params }) => present.member(await members.get(params.guildId, caller.user.id, params.userId)), {
        auth: 'any',
        params: MemberParams,
        detail: { summary: 'One member' },
      })
      .patch(
        '/guilds/:guildId/members/:userId',
        async ({ caller, params, body }) => {
          const refused: Record<string, string> = {};
          if (body.communication_disabled_until != null) refused.communication_disabled_until = 'Timeouts are not supported by this server';
          if (body.channel_id != null) refused.channel_id = 'Voice channels are not supported by this server';
          if (body.mute === true) refused.mute = 'Voice is not supported by this server';
          if (body.deaf === true) refused.deaf = 'Voice is not supported by this server';
          if (Object.keys(refused).length > 0) throw unsupportedFields(refused);
          const me = caller.user.id;
          // @everyone is implicit: a role list that names it means the same as one that does not.
          const roles = body.roles?.filter((id) => id !== params.guildId);
          const nick = body.nick === undefined ? undefined : body.nick || null;
          if (nick === undefined && roles === undefined) return present.member(await members.get(params.guildId, me, params.userId));
          return present.member(await members.update(params.guildId, me, params.userId, { nick, roles }));
        },
        {
          auth: 'any',
          params: MemberParams,
          body: Open({
            nick: t.Optional(t.Nullable(t.String({ maxLength: 64 }))),
            roles: t.Optional(t.Array(Snowflake, { maxItems: 250 })),
            mute: t.Optional(t.Nullable(t.Boolean())),
            deaf: t.Optional(t.Nullable(t.Boolean())),
            channel_id: t.Optional(t.Nullable(Snowflake)),
            communication_disabled_until: t.Optional(t.Nullable(t.String())),
          }),
          detail: { summary: 'Change nickname (MANAGE_NICKNAMES) or the role list (MANAGE_ROLES)' },
        },
      )
      .delete(
        '/guilds/:guildId/members/:userId',
        noContent<MemberIds>(({ guildId, userId }, me) => (userId === me ? guilds.leave(guildId, me) : members.kick(guildId, me, userId))),
        { auth: 'any', params: MemberParams, detail: { summary: 'Kick a member (KICK_MEMBERS)' } },
      )
      .put(
        '/guilds/:guildId/members/:userId/roles/:roleId',
        noContent<MemberRoleIds>(({ guildId, userId, roleId }, me) => members.addRole(guildId, me, userId, roleId)),
        { auth: 'any', params: MemberRoleParams, detail: { summary: 'Give a member a role (MANAGE_ROLES)' } },
      )
      .delete(
        '/guilds/:guildId/members/:userId/roles/:roleId',
        noContent<MemberRoleIds>(({ guildId, userId, roleId }, me) => members.removeRole(guildId, me, userId, roleId)),
        { auth: 'any', params: MemberRoleParams, detail: { summary: 'Take a role from a member (MANAGE_ROLES)' } },
      )
      // ---- bans ----
      .get(
        '/guilds/:guildId/bans',
        async ({ caller, params, query }) => {
          const bans = page(await members.bans(params.guildId, caller.user.id), (b) => b.userId, {
            before: query.before,
            after: query.after,
            limit: queryInt(query.limit, 'limit', { min: 1, max: 1000, fallback: 1000 }),
          });
          const people = await present.users(bans.map((b) => b.userId));
          return people.map((u) => ({ user: user(u), reason: bans.find((b) => b.userId === u.id)?.reason ?? null }));
        },
        {
          auth: 'any',
          params: GuildParams,
          query: Query({ limit: QueryInt, before: t.Optional(Snowflake), after: t.Optional(Snowflake) }),
          detail: { summary: 'Banned users (BAN_MEMBERS; limit 1-1000, default 1000; before/after)' },
        },
      )
      .get(
        '/guilds/:guildId/bans/:userId',
        async ({ caller, params }) => {
          const ban = (await members.bans(params.guildId, caller.user.id)).find((b) => b.userId === params.userId);
          const banned = ban ? (await present.users([ban.userId]))[0] : undefined;
          if (!ban || !banned) throw unknown.ban();
          return { user: user(banned), reason: ban.reason };
        },
        { auth: 'any', params: MemberParams, detail: { summary: 'One ban (BAN_MEMBERS)' } },
      )
      .put(
        '/guilds/:guildId/bans/:userId',
        async ({ caller, params, headers, body, set }) => {
          // delete_message_seconds is accepted and ignored: banning keeps the user's messages.
          await members.ban(params.guildId, caller.user.id, params.userId, auditReason(headers) ?? body?.reason ?? null);
          set.status = 204;
        },
        {
          auth: 'any',
          params: MemberParams,
          body: t.Optional(
            Open({
              delete_message_seconds: t.Optional(t.Integer({ minimum: 0, maximum: 604800 })),
              delete_message_days: t.Optional(t.Integer({ minimum: 0, maximum: 7 })),
              reason: t.Optional(t.String({ maxLength: 512 })),
            }),
          ),
          detail: { summary: 'Ban a user (BAN_MEMBERS); the reason comes from X-Audit-Log-Reason' },
        },
      )
      .delete(
        '/guilds/:guildId/bans/:userId',
        noContent<MemberIds>(({ guildId, userId }, me) => members.unban(guildId, me, userId)),
        { auth: 'any', params: MemberParams, detail: { summary: 'Lift a ban (BAN_MEMBERS)' } },
      )
  );
}

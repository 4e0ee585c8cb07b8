// Guilds and everything addressed under /guilds/:guildId: channels, members, roles, bans, invites, bots.

import { Elysia, t } from 'elysia';
import { MEMBERS_PAGE_MAX } from '../../../domain/members.ts';
import { parsePermissions } from '../../../domain/permissions.ts';
import { invalidField } from '../../../http/api-error.ts';
import type { RouteDeps } from '../../../http/guard.ts';
import { BEARER_ONLY, BOT_OR_BEARER, PermissionsInput, Query, Snowflake } from '../../../http/schemas.ts';
import { BanModel, ChannelModel, created, GuildBotModel, GuildDetailModel, InviteModel, MemberModel, none, ok, RoleModel } from '../models.ts';
import * as wire from '../serializers.ts';

const security = BOT_OR_BEARER;
const GuildParams = t.Object({ guildId: Snowflake });
const MemberParams = t.Object({ guildId: Snowflake, userId: Snowflake });
const RoleParams = t.Object({ guildId: Snowflake, roleId: Snowflake });

export function permissionsFrom(input: string | string[] | undefined, field = 'permissions'): bigint | undefined {
  if (input === undefined) return undefined;
  const bits = parsePermissions(input);
  if (bits === null) throw invalidField(field, 'PERMISSIONS_INVALID', 'Unknown permission name or bitfield');
  return bits;
}

const RoleBody = t.Object(
  {
    name: t.Optional(t.String({ maxLength: 100 })),
    permissions: t.Optional(PermissionsInput),
    color: t.Optional(t.Integer({ minimum: 0, maximum: 0xffffff })),
    hoist: t.Optional(t.Boolean()),
    mentionable: t.Optional(t.Boolean()),
    position: t.Optional(t.Integer({ minimum: 1, maximum: 1000 })),
  },
  { additionalProperties: false },
);

export function guildRoutes({ core, guard }: RouteDeps) {
  const { guilds, channels, members, roles, invites, guildBots, users } = core.services;
  const memberView = async (m: Parameters<typeof wire.member>[0]) => wire.member(m, await users.get(m.userId));
  const guildView = async (guildId: string, userId: string) => {
    const guild = await guilds.get(guildId, userId);
    return {
      ...wire.guild(guild),
      member_count: await core.uow.repos.guilds.memberCount(guildId),
      roles: (await roles.list(guildId, userId)).map(wire.role),
      channels: (await channels.list(guildId, userId)).map(wire.channel),
    };
  };

  return (
    new Elysia({ detail: { tags: ['Guilds'], security } })
      .use(guard)
      .post(
        '/guilds',
        async ({ caller, body, set }) => {
          const guild = await guilds.create(caller.user.id, { name: body.name, description: body.description, icon: body.icon });
          set.status = 201;
          return guildView(guild.id, caller.user.id);
        },
        {
          response: created(GuildDetailModel),
          auth: 'any',
          body: t.Object(
            {
              name: t.String({ maxLength: 200 }),
              description: t.Optional(t.Nullable(t.String({ maxLength: 1000 }))),
              icon: t.Optional(t.Nullable(t.String({ maxLength: 1024 * 1024, description: 'A PNG, JPEG, GIF or WebP image as a data URI, at most 512 KiB' }))),
            },
            { additionalProperties: false },
          ),
          detail: { summary: 'Create a guild; you become its owner, with an @everyone role and #general' },
        },
      )
      .get('/guilds/:guildId', ({ caller, params }) => guildView(params.guildId, caller.user.id), {
        response: ok(GuildDetailModel),
        auth: 'any',
        params: GuildParams,
        detail: { summary: 'A guild you are in, with its roles, visible channels and member count' },
      })
      .patch(
        '/guilds/:guildId',
        async ({ caller, params, body }) => {
          const { system_channel_id: systemChannelId, system_channel_flags: systemChannelFlags, ...rest } = body;
          await guilds.update(params.guildId, caller.user.id, { ...rest, systemChannelId, systemChannelFlags });
          return guildView(params.guildId, caller.user.id);
        },
        {
          response: ok(GuildDetailModel),
          auth: 'any',
          params: GuildParams,
          body: t.Object(
            {
              name: t.Optional(t.String({ maxLength: 200 })),
              icon: t.Optional(
                t.Nullable(
                  t.String({
                    maxLength: 1024 * 1024,
                    description: 'A PNG, JPEG, GIF or WebP image as a data URI (data:image/png;base64,...), at most 512 KiB; null removes it',
                  }),
                ),
              ),
              description: t.Optional(t.Nullable(t.String({ maxLength: 1000 }))),
              system_channel_id: t.Optional(t.Nullable(Snowflake)),
              system_channel_flags: t.Optional(t.Integer({ minimum: 0, maximum: 63, description: '1 suppresses the join messages' })),
            },
            { additionalProperties: false },
          ),
          detail: { summary: 'Rename, describe, set the icon or the system channel of a guild (manage_guild)' },
        },
      )
      .delete(
        '/guilds/:guildId',
        async ({ caller, params, set }) => {
          await guilds.delete(params.guildId, caller.user.id);
          set.status = 204;
        },
        { response: none(), auth: 'any', params: GuildParams, detail: { summary: 'Delete a guild (owner only)' } },
      )
      // ---- channels ----
      .get('/guilds/:guildId/channels', async ({ caller, params }) => (await channels.list(params.guildId, caller.user.id)).map(wire.channel), {
        response: ok(t.Array(ChannelModel)),
        auth: 'any',
        params: GuildParams,
        detail: { summary: 'Channels of the guild you can see' },
      })
      .post(
        '/guilds/:guildId/channels',
        async ({ caller, params, body, set }) => {
          const channel = await channels.create(params.guildId, caller.user.id, {
            name: body.name,
            type: body.type,
            topic: body.topic,
            position: body.position,
            overwrites: body.permission_overwrites?.map((o) => ({
              id: o.id,
              type: o.type === 1 ? 1 : 0,
              allow: permissionsFrom(o.allow, 'allow') ?? 0n,
              deny: permissionsFrom(o.deny, 'deny') ?? 0n,
            })),
          });
          set.status = 201;
          return wire.channel(channel);
        },
        {
          response: created(ChannelModel),
          auth: 'any',
          params: GuildParams,
          body: t.Object(
            {
              name: t.String({ maxLength: 200 }),
              type: t.Optional(t.Integer()),
              topic: t.Optional(t.Nullable(t.String({ maxLength: 2048 }))),
              position: t.Optional(t.Integer({ minimum: 0, maximum: 10000 })),
              permission_overwrites: t.Optional(
                t.Array(
                  t.Object(
                    { id: Snowflake, type: t.Union([t.Literal(0), t.Literal(1)]), allow: t.Optional(PermissionsInput), deny: t.Optional(PermissionsInput) },
                    { additionalProperties: false },
                  ),
                  { maxItems: 100 },
                ),
              ),
            },
            { additionalProperties: false },
          ),
          detail: { summary: 'Create a text channel (manage_channels)' },
        },
      )
      // ---- members ----
      .get(
        '/guilds/:guildId/members',
        async ({ caller, params, query }) =>
          Promise.all((await members.list(params.guildId, caller.user.id, { limit: query.limit ?? 100, after: query.after })).map(memberView)),
        {
          response: ok(t.Array(MemberModel)),
          auth: 'any',
          params: GuildParams,
          query: Query({ limit: t.Optional(t.Integer({ minimum: 1, maximum: MEMBERS_PAGE_MAX })), after: t.Optional(Snowflake) }),
          detail: { summary: 'Members ordered by user id; page with after=<last user id> (limit 1-1000, default 100)' },
        },
      )
      .get('/guilds/:guildId/members/:userId', async ({ caller, params }) => memberView(await members.get(params.guildId, caller.user.id, params.userId)), {
        response: ok(MemberModel),
        auth: 'any',
        params: MemberParams,
        detail: { summary: 'One member' },
      })
      .patch(
        '/guilds/:guildId/members/:userId',
        async ({ caller, params, body }) =>
          memberView(await members.update(params.guildId, caller.user.id, params.userId, { nick: body.nick, roles: body.roles })),
        {
          response: ok(MemberModel),
          auth: 'any',
          params: MemberParams,
          body: t.Object(
            { nick: t.Optional(t.Nullable(t.String({ maxLength: 64 }))), roles: t.Optional(t.Array(Snowflake, { maxItems: 250 })) },
            { additionalProperties: false },
          ),
          detail: { summary: 'Change nickname (change_nickname / manage_nicknames) or the role list (manage_roles)' },
        },
      )
      .delete(
        '/guilds/:guildId/members/:userId',
        async ({ caller, params, set }) => {
          if (params.userId === caller.user.id) await guilds.leave(params.guildId, caller.user.id);
          else await members.kick(params.guildId, caller.user.id, params.userId);
          set.status = 204;
        },
        { response: none(), auth: 'any', params: MemberParams, detail: { summary: 'Kick a member (kick_members); your own id leaves the guild' } },
      )
      .put(
        '/guilds/:guildId/members/:userId/roles/:roleId',
        async ({ caller, params, set }) => {
          await members.addRole(params.guildId, caller.user.id, params.userId, params.roleId);
          set.status = 204;
        },
        {
          response: none(),
          auth: 'any',
          params: t.Object({ guildId: Snowflake, userId: Snowflake, roleId: Snowflake }),
          detail: { summary: 'Give a member a role (manage_roles)' },
        },
      )
      .delete(
        '/guilds/:guildId/members/:userId/roles/:roleId',
        async ({ caller, params, set }) => {
          await members.removeRole(params.guildId, caller.user.id, params.userId, params.roleId);
          set.status = 204;
        },
        {
          response: none(),
          auth: 'any',
          params: t.Object({ guildId: Snowflake, userId: Snowflake, roleId: Snowflake }),
          detail: { summary: 'Take a role from a member (manage_roles)' },
        },
      )
      // ---- bans ----
      .get(
        '/guilds/:guildId/bans',
        async ({ caller, params }) => {
          const bans = await members.bans(params.guildId, caller.user.id);
          const people = await core.uow.repos.users.byIds(bans.map((b) => b.userId));
          return bans.flatMap((b) => {
            const u = people.get(b.userId);
            return u ? [{ user: wire.user(u), reason: b.reason }] : [];
          });
        },
        { response: ok(t.Array(BanModel)), auth: 'any', params: GuildParams, detail: { summary: 'Banned users (ban_members)' } },
      )
      .put(
        '/guilds/:guildId/bans/:userId',
        async ({ caller, params, body, set }) => {
          await members.ban(params.guildId, caller.user.id, params.userId, body?.reason ?? null);
          set.status = 204;
        },
        {
          response: none(),
          auth: 'any',
          params: MemberParams,
          body: t.Optional(t.Object({ reason: t.Optional(t.String({ maxLength: 1024 })) }, { additionalProperties: false })),
          detail: { summary: 'Ban a user (ban_members); removes them if they are a member' },
        },
      )
      .delete(
        '/guilds/:guildId/bans/:userId',
        async ({ caller, params, set }) => {
          await members.unban(params.guildId, caller.user.id, params.userId);
          set.status = 204;
        },
        { response: none(), auth: 'any', params: MemberParams, detail: { summary: 'Lift a ban (ban_members)' } },
      )
      // ---- roles ----
      .get('/guilds/:guildId/roles', async ({ caller, params }) => (await roles.list(params.guildId, caller.user.id)).map(wire.role), {
        response: ok(t.Array(RoleModel)),
        auth: 'any',
        params: GuildParams,
        detail: { summary: 'Roles, lowest position first' },
      })
      .post(
        '/guilds/:guildId/roles',
        async ({ caller, params, body, set }) => {
          const role = await roles.create(params.guildId, caller.user.id, { ...body, permissions: permissionsFrom(body.permissions) });
          set.status = 201;
          return wire.role(role);
        },
        { response: created(RoleModel), auth: 'any', params: GuildParams, body: RoleBody, detail: { summary: 'Create a role (manage_roles)' } },
      )
      .patch(
        '/guilds/:guildId/roles/:roleId',
        async ({ caller, params, body }) =>
          wire.role(await roles.update(params.guildId, caller.user.id, params.roleId, { ...body, permissions: permissionsFrom(body.permissions) })),
        {
          response: ok(RoleModel),
          auth: 'any',
          params: RoleParams,
          body: RoleBody,
          detail: { summary: 'Change a role (manage_roles; only below your highest role)' },
        },
      )
      .delete(
        '/guilds/:guildId/roles/:roleId',
        async ({ caller, params, set }) => {
          await roles.delete(params.guildId, caller.user.id, params.roleId);
          set.status = 204;
        },
        { response: none(), auth: 'any', params: RoleParams, detail: { summary: 'Delete a role (manage_roles)' } },
      )
      // ---- invites ----
      .get('/guilds/:guildId/invites', async ({ caller, params }) => (await invites.listForGuild(params.guildId, caller.user.id)).map((i) => wire.invite(i)), {
        response: ok(t.Array(InviteModel)),
        auth: 'any',
        params: GuildParams,
        detail: { summary: 'Active invites (manage_guild)' },
      })
      // ---- bots ----
      .get(
        '/guilds/:guildId/bots',
        async ({ caller, params }) => {
          const list = await guildBots.list(params.guildId, caller.user.id);
          return Promise.all(list.map(async (b) => wire.guildBot(b, await users.get(b.member.userId))));
        },
        { response: ok(t.Array(GuildBotModel)), auth: 'any', params: GuildParams, detail: { summary: 'Bots in this guild with their granted permissions' } },
      )
      .put(
        '/guilds/:guildId/bots/:botId',
        async ({ caller, params, body }) => {
          const added = await guildBots.put(params.guildId, caller.user.id, params.botId, permissionsFrom(body.permissions) ?? 0n);
          return wire.guildBot(added, await users.get(params.botId));
        },
        {
          response: ok(GuildBotModel),
          auth: 'human',
          params: t.Object({ guildId: Snowflake, botId: Snowflake }),
          body: t.Object({ permissions: PermissionsInput }, { additionalProperties: false }),
          detail: {
            summary:
              'Add a bot with permissions you hold (its role goes just below your highest), or change those of a bot below you (manage_guild or manage_roles)',
            security: BEARER_ONLY,
          },
        },
      )
      .delete(
        '/guilds/:guildId/bots/:botId',
        async ({ caller, params, set }) => {
          await guildBots.remove(params.guildId, caller.user.id, params.botId);
          set.status = 204;
        },
        {
          response: none(),
          auth: 'human',
          params: t.Object({ guildId: Snowflake, botId: Snowflake }),
          detail: { summary: 'Remove a bot below your highest role from the guild (manage_guild or manage_roles)', security: BEARER_ONLY },
        },
      )
  );
}

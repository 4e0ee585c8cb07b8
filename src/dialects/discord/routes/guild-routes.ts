// /guilds/:guildId: the guild itself, its channels, roles and invites. Members and bans are in member-routes.

import { Elysia, t } from 'elysia';
import { unknown } from '../../../http/api-error.ts';
import { Query } from '../../../http/schemas.ts';
import { Bitfield, bitfield, isTrue, Open, Overwrite, QueryBoolean, Snowflake } from '../schemas.ts';
import { guild } from '../serializers/guild.ts';
import { role } from '../serializers/role.ts';
import { checkTextType, toOverwrite } from './channel-routes.ts';
import type { DiscordRouteDeps } from './deps.ts';

const GuildParams = t.Object({ guildId: Snowflake });
const RoleParams = t.Object({ guildId: Snowflake, roleId: Snowflake });

const RoleBody = Open({
  name: t.Optional(t.Nullable(t.String({ maxLength: 100 }))),
  permissions: t.Optional(t.Nullable(Bitfield)),
  color: t.Optional(t.Nullable(t.Integer({ minimum: 0, maximum: 0xffffff }))),
  colors: t.Optional(t.Nullable(Open({ primary_color: t.Optional(t.Integer({ minimum: 0, maximum: 0xffffff })) }))),
  hoist: t.Optional(t.Nullable(t.Boolean())),
  mentionable: t.Optional(t.Nullable(t.Boolean())),
});

type RoleInput = {
  name?: string | null;
  permissions?: string | null;
  color?: number | null;
  colors?: { primary_color?: number } | null;
  hoist?: boolean | null;
  mentionable?: boolean | null;
};

/** Discord's nulls mean "leave as is" (or the default on create). `colors.primary_color` wins over `color`. */
function roleFields(body: RoleInput) {
  return {
    name: body.name ?? undefined,
    permissions: body.permissions == null ? undefined : bitfield(body.permissions, 'permissions'),
    color: body.colors?.primary_color ?? body.color ?? undefined,
    hoist: body.hoist ?? undefined,
    mentionable: body.mentionable ?? undefined,
  };
}

export function guildRoutes({ core, guard, present, detail }: DiscordRouteDeps) {
  const { guilds, channels, roles, invites } = core.services;
  const guildView = async (guildId: string, userId: string, withCounts: boolean) => {
    const g = await guilds.get(guildId, userId);
    return guild(g, await roles.list(guildId, userId), await core.services.emojis.guildEmojis(guildId), withCounts ? await present.counts(guildId) : undefined);
  };

  return (
    new Elysia({ detail })
      .use(guard)
      .get('/guilds/:guildId', ({ caller, params, query }) => guildView(params.guildId, caller.user.id, isTrue(query.with_counts)), {
        auth: 'any',
        params: GuildParams,
        query: Query({ with_counts: QueryBoolean }),
        detail: { summary: 'A guild you are in, with its roles (with_counts adds approximate counts)' },
      })
      .patch(
        '/guilds/:guildId',
        async ({ caller, params, body }) => {
          // `icon` is a data URI image (or null to remove it), checked and stored by the guild service.
          await guilds.update(params.guildId, caller.user.id, {
            name: body.name,
            description: body.description,
            icon: body.icon,
            systemChannelId: body.system_channel_id,
            systemChannelFlags: body.system_channel_flags,
          });
          return guildView(params.guildId, caller.user.id, false);
        },
        {
          auth: 'any',
          params: GuildParams,
          body: Open({
            name: t.Optional(t.String({ maxLength: 100 })),
            description: t.Optional(t.Nullable(t.String({ maxLength: 1000 }))),
            icon: t.Optional(t.Nullable(t.String({ maxLength: 1024 * 1024 }))),
            system_channel_id: t.Optional(t.Nullable(Snowflake)),
            system_channel_flags: t.Optional(t.Integer({ minimum: 0, maximum: 63 })),
          }),
          detail: {
            summary:
              'Rename, describe, set the icon or the system channel (and its flags: 1 suppresses join messages) of a guild (MANAGE_GUILD); other settings are accepted and ignored',
          },
        },
      )
      // ---- channels ----
      .get(
        '/guilds/:guildId/channels',
        async ({ caller, params }) => Promise.all((await channels.list(params.guildId, caller.user.id)).map((c) => present.channel(c, caller.user.id))),
        {
          auth: 'any',
          params: GuildParams,
          detail: { summary: 'Channels you can see' },
        },
      )
      .post(
        '/guilds/:guildId/channels',
        async ({ caller, params, body, set }) => {
          checkTextType(body.type ?? undefined);
          const created = await channels.create(params.guildId, caller.user.id, {
            name: body.name,
            topic: body.topic,
            position: body.position ?? undefined,
            overwrites: body.permission_overwrites?.map(toOverwrite),
          });
          set.status = 201;
          return present.channel(created, caller.user.id);
        },
        {
          auth: 'any',
          params: GuildParams,
          body: Open({
            name: t.String({ minLength: 1, maxLength: 100 }),
            type: t.Optional(t.Nullable(t.Integer())),
            topic: t.Optional(t.Nullable(t.String({ maxLength: 1024 }))),
            position: t.Optional(t.Nullable(t.Integer({ minimum: 0, maximum: 10000 }))),
            permission_overwrites: t.Optional(t.Array(Overwrite, { maxItems: 100 })),
          }),
          detail: { summary: 'Create a text channel (MANAGE_CHANNELS); categories, voice and the like are refused' },
        },
      )
      .patch(
        '/guilds/:guildId/channels',
        async ({ caller, params, body, set }) => {
          for (const item of body) {
            const target = await channels.get(item.id, caller.user.id);
            if (target.guildId !== params.guildId) throw unknown.channel();
            if (item.position != null) await channels.update(item.id, caller.user.id, { position: item.position });
          }
          set.status = 204;
        },
        {
          auth: 'any',
          params: GuildParams,
          body: t.Array(Open({ id: Snowflake, position: t.Optional(t.Nullable(t.Integer({ minimum: 0, maximum: 10000 }))) }), { maxItems: 500 }),
          detail: { summary: 'Move channels (MANAGE_CHANNELS)' },
        },
      )
      // ---- roles ----
      .get('/guilds/:guildId/roles', async ({ caller, params }) => (await roles.list(params.guildId, caller.user.id)).map(role), {
        auth: 'any',
        params: GuildParams,
        detail: { summary: 'Roles, lowest position first' },
      })
      .post('/guilds/:guildId/roles', async ({ caller, params, body }) => role(await roles.create(params.guildId, caller.user.id, roleFields(body ?? {}))), {
        auth: 'any',
        params: GuildParams,
        body: t.Optional(RoleBody),
        detail: { summary: 'Create a role (MANAGE_ROLES)' },
      })
      .patch(
        '/guilds/:guildId/roles',
        async ({ caller, params, body }) => {
          for (const item of body) if (item.position != null) await roles.update(params.guildId, caller.user.id, item.id, { position: item.position });
          return (await roles.list(params.guildId, caller.user.id)).map(role);
        },
        {
          auth: 'any',
          params: GuildParams,
          body: t.Array(Open({ id: Snowflake, position: t.Optional(t.Nullable(t.Integer({ minimum: 1, maximum: 1000 }))) }), { maxItems: 250 }),
          detail: { summary: 'Move roles (MANAGE_ROLES; only below your highest role)' },
        },
      )
      .get(
        '/guilds/:guildId/roles/:roleId',
        async ({ caller, params }) => {
          const found = (await roles.list(params.guildId, caller.user.id)).find((r) => r.id === params.roleId);
          if (!found) throw unknown.role();
          return role(found);
        },
        { auth: 'any', params: RoleParams, detail: { summary: 'One role' } },
      )
      .patch(
        '/guilds/:guildId/roles/:roleId',
        async ({ caller, params, body }) => role(await roles.update(params.guildId, caller.user.id, params.roleId, roleFields(body ?? {}))),
        {
          auth: 'any',
          params: RoleParams,
          body: t.Optional(RoleBody),
          detail: { summary: 'Change a role (MANAGE_ROLES; only below your highest role)' },
        },
      )
      .delete(
        '/guilds/:guildId/roles/:roleId',
        async ({ caller, params, set }) => {
          await roles.delete(params.guildId, caller.user.id, params.roleId);
          set.status = 204;
        },
        { auth: 'any', params: RoleParams, detail: { summary: 'Delete a role (MANAGE_ROLES)' } },
      )
      // ---- invites ----
      .get('/guilds/:guildId/invites', async ({ caller, params }) => present.invites(await invites.listForGuild(params.guildId, caller.user.id)), {
        auth: 'any',
        params: GuildParams,
        detail: { summary: 'Active invites (MANAGE_GUILD)' },
      })
  );
}

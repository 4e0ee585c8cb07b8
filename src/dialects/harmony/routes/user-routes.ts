// The caller's own account and settings, other users, their guild list and DM channels.

import { RESTJSONErrorCodes } from 'discord-api-types/v10';
import { Elysia, t } from 'elysia';
import { ApiError, invalidField } from '../../../http/api-error.ts';
import type { RouteDeps } from '../../../http/guard.ts';
import { BOT_OR_BEARER, Snowflake } from '../../../http/schemas.ts';
import {
  ChannelModel,
  DmAudienceModel,
  GuildModel,
  GuildNotificationSettingsChangeModel,
  GuildNotificationSettingsModel,
  none,
  ok,
  ReadStateModel,
  SelfUserModel,
  UserModel,
  UserSettingsModel,
} from '../models.ts';
import { channel, guild, guildNotificationSettings, readState, selfUser, user } from '../serializers.ts';

const bearerOrBot = BOT_OR_BEARER;

export function userRoutes({ core, guard }: RouteDeps) {
  const { users, guilds, channels, dmPolicy, readStates, groupDms } = core.services;
  return new Elysia({ detail: { tags: ['Users'] } })
    .use(guard)
    .get('/users/@me', ({ caller }) => selfUser(caller.user), {
      response: ok(SelfUserModel),
      auth: 'any',
      detail: { summary: 'The calling user or bot', security: bearerOrBot },
    })
    .patch(
      '/users/@me',
      async ({ caller, body }) => selfUser(await users.updateProfile(caller.user.id, { globalName: body.global_name, avatar: body.avatar })),
      {
        response: ok(SelfUserModel),
        auth: 'any',
        body: t.Object(
          {
            global_name: t.Optional(t.Nullable(t.String({ maxLength: 64 }))),
            avatar: t.Optional(
              t.Nullable(
                t.String({
                  maxLength: 1024 * 1024,
                  description: 'A PNG, JPEG, GIF or WebP image as a data URI (data:image/png;base64,...), at most 512 KiB; null removes it',
                }),
              ),
            ),
          },
          { additionalProperties: false },
        ),
        detail: { summary: 'Change your display name or upload your avatar', security: bearerOrBot },
      },
    )
    .get('/users/@me/settings', async ({ caller }) => ({ allow_dms_from: await dmPolicy.audienceOf(caller.user.id) }), {
      response: ok(UserSettingsModel),
      auth: 'any',
      detail: { summary: 'Your privacy settings (who may send you direct messages)', security: bearerOrBot },
    })
    .patch(
      '/users/@me/settings',
      async ({ caller, body }) => ({
        allow_dms_from:
          body.allow_dms_from === undefined ? await dmPolicy.audienceOf(caller.user.id) : await dmPolicy.setAudience(caller.user.id, body.allow_dms_from),
      }),
      {
        response: ok(UserSettingsModel),
        auth: 'any',
        body: t.Object({ allow_dms_from: t.Optional(DmAudienceModel) }, { additionalProperties: false }),
        detail: { summary: 'Change your privacy settings', security: bearerOrBot },
      },
    )
    .get('/users/@me/guilds', async ({ caller }) => (await guilds.listFor(caller.user.id)).map(guild), {
      response: ok(t.Array(GuildModel)),
      auth: 'any',
      detail: { summary: 'Guilds you are a member of', security: bearerOrBot },
    })
    .delete(
      '/users/@me/guilds/:guildId',
      async ({ caller, params, set }) => {
        await guilds.leave(params.guildId, caller.user.id);
        set.status = 204;
      },
      { response: none(), auth: 'any', params: t.Object({ guildId: Snowflake }), detail: { summary: 'Leave a guild', security: bearerOrBot } },
    )
    .get('/users/@me/channels', async ({ caller }) => (await readStates.openDms(caller.user.id, await channels.dmsOf(caller.user.id))).map(channel), {
      response: ok(t.Array(ChannelModel)),
      auth: 'any',
      detail: { summary: 'Your direct-message channels (the ones you closed left out)', security: bearerOrBot },
    })
    .get('/users/@me/read-states', async ({ caller }) => (await readStates.of(caller.user.id)).map(readState), {
      response: ok(t.Array(ReadStateModel)),
      auth: 'any',
      detail: { summary: 'Where you stopped reading each channel, and the mentions since (also in READY as read_state)', security: bearerOrBot },
    })
    .get(
      '/users/@me/guilds/:guildId/settings',
      async ({ caller, params }) => guildNotificationSettings(await readStates.settingsIn(params.guildId, caller.user.id)),
      {
        response: ok(GuildNotificationSettingsModel),
        auth: 'any',
        params: t.Object({ guildId: Snowflake }),
        detail: { summary: 'Your notification settings in a guild and its channels', security: bearerOrBot },
      },
    )
    .patch(
      '/users/@me/guilds/:guildId/settings',
      async ({ caller, params, body }) => {
        const level = (value: 0 | 1 | 2 | 3 | undefined) => (value === undefined ? undefined : value === 3 ? null : value);
        const change = {
          level: level(body.message_notifications),
          muted: body.muted,
          channels: body.channel_overrides?.map((o) => ({ channelId: o.channel_id, level: level(o.message_notifications), muted: o.muted })),
        };
        return guildNotificationSettings(await readStates.updateSettings(params.guildId, caller.user.id, change));
      },
      {
        response: ok(GuildNotificationSettingsModel),
        auth: 'any',
        params: t.Object({ guildId: Snowflake }),
        body: GuildNotificationSettingsChangeModel,
        detail: {
          summary:
            'Change how a guild and its channels notify you: level (0 all, 1 mentions, 2 nothing, 3 inherit) and mute; USER_GUILD_SETTINGS_UPDATE to your sessions',
          security: bearerOrBot,
        },
      },
    )
    .post(
      '/users/@me/channels',
      async ({ caller, body }) => {
        if (body.recipients !== undefined) {
          if (caller.kind === 'bot') throw new ApiError(403, RESTJSONErrorCodes.MissingAccess, 'Bots cannot create group DMs');
          return channel(await groupDms.create(caller.user.id, body.recipients, { name: body.name, icon: body.icon }));
        }
        if (body.recipient_id === undefined) throw invalidField('recipient_id', 'BASE_TYPE_REQUIRED', 'This field is required');
        return channel(await readStates.reopenDm(await channels.openDm(caller.user.id, body.recipient_id), caller.user.id));
      },
      {
        response: ok(ChannelModel),
        auth: 'any',
        body: t.Object(
          {
            recipient_id: t.Optional(Snowflake),
            recipients: t.Optional(t.Array(Snowflake, { minItems: 1, maxItems: 9, description: 'A group DM (people only): 1-9 others' })),
            name: t.Optional(t.Nullable(t.String({ maxLength: 100 }))),
            icon: t.Optional(t.Nullable(t.String({ maxLength: 1024, pattern: '^https?://' }))),
          },
          { additionalProperties: false },
        ),
        detail: {
          summary:
            'Open (or get) the DM channel with another user or bot (403, code 50007, unless you share a guild or their allow_dms_from is everyone); with `recipients` (people only), a new group DM you own',
          security: bearerOrBot,
        },
      },
    )
    .get('/users/:userId', async ({ params }) => user(await users.get(params.userId)), {
      response: ok(UserModel),
      auth: 'any',
      params: t.Object({ userId: Snowflake }),
      detail: { summary: 'A user by id', security: bearerOrBot },
    });
}

// /guilds/:guildId/emojis as Discord has them: any member lists; MANAGE_GUILD_EXPRESSIONS creates (201, image as a
// data URI), edits name and roles (200) and deletes (204). `user` (the uploader) is shown to those who may manage.
import { Elysia, t } from 'elysia';
import type { CustomEmoji } from '../../../domain/custom-emoji.ts';
import { Open, Snowflake } from '../schemas.ts';
import { customEmoji } from '../serializers/emoji.ts';
import type { DiscordRouteDeps } from './deps.ts';
import { noContent } from './no-content.ts';

const GuildParams = t.Object({ guildId: Snowflake });
const EmojiParams = t.Object({ guildId: Snowflake, emojiId: Snowflake });
const Roles = t.Array(Snowflake, { maxItems: 250 });

export function emojiRoutes({ core, guard, detail }: DiscordRouteDeps) {
  const { emojis } = core.services;
  const shown = async (e: CustomEmoji, canManage: boolean) => customEmoji(e, canManage && e.userId ? await core.uow.repos.users.byId(e.userId) : null);

  return new Elysia({ detail })
    .use(guard)
    .get(
      '/guilds/:guildId/emojis',
      async ({ caller, params }) => {
        const { emojis: list, canManage } = await emojis.list(params.guildId, caller.user.id);
        return Promise.all(list.map((e) => shown(e, canManage)));
      },
      { auth: 'any', params: GuildParams, detail: { summary: "The guild's custom emoji" } },
    )
    .get(
      '/guilds/:guildId/emojis/:emojiId',
      async ({ caller, params }) => {
        const { emoji, canManage } = await emojis.get(params.guildId, params.emojiId, caller.user.id);
        return shown(emoji, canManage);
      },
      { auth: 'any', params: EmojiParams, detail: { summary: 'One custom emoji' } },
    )
    .post(
      '/guilds/:guildId/emojis',
      async ({ caller, params, body, set }) => {
        const emoji = await emojis.create(params.guildId, caller.user.id, { name: body.name, image: body.image, roles: body.roles ?? [] });
        set.status = 201;
        return shown(emoji, true);
      },
      {
        auth: 'any',
        params: GuildParams,
        body: Open({
          name: t.String({ maxLength: 64 }),
          image: t.String({ maxLength: 1024 * 1024 }),
          roles: t.Optional(t.Nullable(Roles)),
        }),
        detail: {
          summary: 'Create a custom emoji (MANAGE_GUILD_EXPRESSIONS)',
          description: 'Image: PNG, JPEG, GIF or WebP as a data URI, at most 256 KiB. 50 static and 50 animated per guild (30008 beyond).',
        },
      },
    )
    .patch(
      '/guilds/:guildId/emojis/:emojiId',
      async ({ caller, params, body }) =>
        shown(await emojis.update(params.guildId, params.emojiId, caller.user.id, { name: body.name, roles: body.roles }), true),
      {
        auth: 'any',
        params: EmojiParams,
        body: Open({ name: t.Optional(t.String({ maxLength: 64 })), roles: t.Optional(t.Nullable(Roles)) }),
        detail: { summary: 'Rename a custom emoji or change its roles (MANAGE_GUILD_EXPRESSIONS)' },
      },
    )
    .delete(
      '/guilds/:guildId/emojis/:emojiId',
      noContent((params: { guildId: string; emojiId: string }, callerId) => emojis.delete(params.guildId, params.emojiId, callerId)),
      { auth: 'any', params: EmojiParams, detail: { summary: 'Delete a custom emoji (MANAGE_GUILD_EXPRESSIONS)' } },
    );
}

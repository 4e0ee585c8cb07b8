// A guild's custom emoji on v1: any member lists them; manage_guild_expressions creates, renames and deletes.
import { Elysia, t } from 'elysia';
import type { RouteDeps } from '../../../http/guard.ts';
import { BOT_OR_BEARER, Snowflake } from '../../../http/schemas.ts';
import { created, EmojiModel, none, ok } from '../models.ts';
import * as wire from '../serializers.ts';

const security = BOT_OR_BEARER;
const GuildParams = t.Object({ guildId: Snowflake });
const EmojiParams = t.Object({ guildId: Snowflake, emojiId: Snowflake });
const Name = t.String({ maxLength: 64, description: '2-32 of A-Z, a-z, 0-9 and _' });
const Roles = t.Array(Snowflake, { maxItems: 250, description: 'Roles allowed to use it; empty: everyone' });

export function emojiRoutes({ core, guard }: RouteDeps) {
  const { emojis } = core.services;
  return new Elysia({ detail: { tags: ['Emoji'], security } })
    .use(guard)
    .get('/guilds/:guildId/emojis', async ({ caller, params }) => (await emojis.list(params.guildId, caller.user.id)).emojis.map(wire.emoji), {
      response: ok(t.Array(EmojiModel)),
      auth: 'any',
      params: GuildParams,
      detail: { summary: "The guild's custom emoji (any member)" },
    })
    .get(
      '/guilds/:guildId/emojis/:emojiId',
      async ({ caller, params }) => wire.emoji((await emojis.get(params.guildId, params.emojiId, caller.user.id)).emoji),
      {
        response: ok(EmojiModel),
        auth: 'any',
        params: EmojiParams,
        detail: { summary: 'One custom emoji' },
      },
    )
    .post(
      '/guilds/:guildId/emojis',
      async ({ caller, params, body, set }) => {
        const emoji = await emojis.create(params.guildId, caller.user.id, { name: body.name, image: body.image, roles: body.roles });
        set.status = 201;
        return wire.emoji(emoji);
      },
      {
        response: created(EmojiModel),
        auth: 'any',
        params: GuildParams,
        body: t.Object(
          {
            name: Name,
            image: t.String({ maxLength: 1024 * 1024, description: 'A PNG, JPEG, GIF or WebP image as a data URI, at most 256 KiB' }),
            roles: t.Optional(Roles),
          },
          { additionalProperties: false },
        ),
        detail: { summary: 'Upload a custom emoji (manage_guild_expressions; 50 static and 50 animated per guild)' },
      },
    )
    .patch(
      '/guilds/:guildId/emojis/:emojiId',
      async ({ caller, params, body }) => wire.emoji(await emojis.update(params.guildId, params.emojiId, caller.user.id, body)),
      {
        response: ok(EmojiModel),
        auth: 'any',
        params: EmojiParams,
        body: t.Object({ name: t.Optional(Name), roles: t.Optional(t.Nullable(Roles)) }, { additionalProperties: false }),
        detail: { summary: 'Rename a custom emoji or change its roles (manage_guild_expressions)' },
      },
    )
    .delete(
      '/guilds/:guildId/emojis/:emojiId',
      async ({ caller, params, set }) => {
        await emojis.delete(params.guildId, params.emojiId, caller.user.id);
        set.status = 204;
      },
      { response: none(), auth: 'any', params: EmojiParams, detail: { summary: 'Delete a custom emoji (manage_guild_expressions)' } },
    );
}

// PUT /api/v1/admin/discord-bridge: an instance admin corrects the Discord bridge's bot token (and guild) without a
// restart; GET says how the bridge is doing. Mounted by app.ts before the v1 API (whose catch-all would answer first).
import { Elysia, t } from 'elysia';
import type { RouteDeps } from '../../../http/guard.ts';
import { BEARER_ONLY, Snowflake } from '../../../http/schemas.ts';
import type { DiscordBridgeControl } from '../../../integrations/discord-bridge/bridge-launcher.ts';
import { apiErrorHandler } from '../index.ts';
import { ok } from '../models.ts';

const BridgeStateModel = t.Object(
  {
    state: t.Union(
      [
        t.Literal('off'),
        t.Literal('connecting'),
        t.Literal('ready'),
        t.Literal('reconnecting'),
        t.Literal('waiting_for_guild'),
        t.Literal('failed'),
        t.Literal('stopped'),
      ],
      { description: 'off: no token configured; failed: a rejected token or intents not enabled (see the log)' },
    ),
    guild_id: t.Nullable(Snowflake),
    members: t.Integer({ description: 'Mirrored members shown by the presence API' }),
  },
  { title: 'DiscordBridgeState' },
);

export function discordBridgeRoutes({ guard }: RouteDeps, control: DiscordBridgeControl) {
  const state = () => control.current?.health() ?? { state: 'off' as const, guild_id: null, members: 0 };
  return new Elysia({ prefix: '/api/v1', normalize: false, detail: { tags: ['Admin'], security: BEARER_ONLY } })
    .onError({ as: 'scoped' }, ({ code, error }) => apiErrorHandler(code, error))
    .use(guard)
    .get('/admin/discord-bridge', () => state(), {
      response: ok(BridgeStateModel),
      auth: 'admin',
      detail: { summary: "The Discord bridge's state (as in /health), never its token" },
    })
    .put('/admin/discord-bridge', ({ body }) => control.reconfigure(body.token, body.guild_id ?? null), {
      response: ok(BridgeStateModel),
      auth: 'admin',
      body: t.Object(
        {
          token: t.String({ minLength: 1, maxLength: 512, description: "The bot's token from Discord's Developer Portal; kept in memory only" }),
          guild_id: t.Optional(t.Nullable(Snowflake)),
        },
        { additionalProperties: false },
      ),
      detail: {
        summary: "Set the Discord bridge's bot token (and server) without a restart",
        description:
          'Stops the running bridge, if any, and starts one with this token, retrying with backoff while Discord cannot be reached. ' +
          'The token is not stored: set HARMONY_DISCORD_TOKEN too, for the next start.',
      },
    });
}

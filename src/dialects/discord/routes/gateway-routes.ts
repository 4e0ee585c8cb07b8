// GET /gateway and /gateway/bot: the first call discord.js makes on login. One shard is all Harmony asks for;
// session starts are not metered, so the limit reported is a constant full bucket.
import type { APIGatewayBotInfo, APIGatewayInfo } from 'discord-api-types/v10';
import { Elysia } from 'elysia';
import { discordGatewayUrl } from '../gateway-url.ts';
import type { DiscordRouteDeps } from './deps.ts';

const SESSION_STARTS = 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

export function gatewayRoutes({ core, guard, detail }: DiscordRouteDeps) {
  return new Elysia({ detail })
    .use(guard)
    .get('/gateway', ({ request }): APIGatewayInfo => ({ url: discordGatewayUrl(core.config, request) }), {
      detail: { summary: 'Gateway URL for the discord dialect (no auth)' },
    })
    .get(
      '/gateway/bot',
      ({ request }): APIGatewayBotInfo => ({
        url: discordGatewayUrl(core.config, request),
        shards: 1,
        session_start_limit: { total: SESSION_STARTS, remaining: SESSION_STARTS, reset_after: DAY_MS, max_concurrency: 1 },
      }),
      { auth: 'any', detail: { summary: 'Gateway URL, recommended shards (1) and session start limit' } },
    );
}

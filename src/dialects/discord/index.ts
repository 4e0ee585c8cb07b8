// The discord v10 dialect: Discord's REST API, shapes and error JSON over Harmony's services, so an
// unmodified discord.js bot works with only `rest.api` pointed here. /api/v9 is the same dialect.
import { Elysia } from 'elysia';
import { unknown } from '../../http/api-error.ts';
import type { RouteDeps } from '../../http/guard.ts';
import type { JsonIntegers } from '../../http/json-body.ts';
import type { FileRoute } from '../../http/uploads.ts';
import { discordErrorResponse } from './errors.ts';
import { createPresenter } from './presenter.ts';
import { applicationCommandRoutes } from './routes/application-command-routes.ts';
import { applicationRoutes } from './routes/application-routes.ts';
import { auditLogRoutes } from './routes/audit-log-routes.ts';
import { channelRoutes } from './routes/channel-routes.ts';
import type { DiscordRouteDeps } from './routes/deps.ts';
import { emojiRoutes } from './routes/emoji-routes.ts';
import { gatewayRoutes } from './routes/gateway-routes.ts';
import { guildRoutes } from './routes/guild-routes.ts';
import { interactionRoutes } from './routes/interaction-routes.ts';
import { inviteRoutes } from './routes/invite-routes.ts';
import { memberRoutes } from './routes/member-routes.ts';
import { messageRoutes } from './routes/message-routes.ts';
import { searchRoutes } from './routes/search-routes.ts';
import { threadRoutes } from './routes/thread-routes.ts';
import { userRoutes } from './routes/user-routes.ts';
import { webhookRoutes, webhookTokenRoutes } from './routes/webhook-routes.ts';

export const DISCORD_API_VERSIONS = ['v10', 'v9'] as const;

/** Discord libraries send snowflakes as JSON integers too (discord.py does); past 2^53 they keep their digits. */
export const discordBodyIntegers = (path: string): JsonIntegers =>
  DISCORD_API_VERSIONS.some((version) => path.startsWith(`/api/${version}/`)) || path.startsWith(`${UNVERSIONED_WEBHOOKS}/`) ? 'exact' : 'number';

/** Where Discord's webhook URLs point (no API version): only the webhook token routes answer here. */
export const UNVERSIONED_WEBHOOKS = '/api/webhooks';

/** Where this dialect takes files (multipart/form-data with files[n] and payload_json): sending and editing a message. */
export const DISCORD_FILE_ROUTES: FileRoute[] = [
  { method: 'POST', path: /^\/api\/v(?:9|10)\/channels\/\d{1,20}\/messages$/ },
  { method: 'PATCH', path: /^\/api\/v(?:9|10)\/channels\/\d{1,20}\/messages\/\d{1,20}$/ },
  // Webhooks, under the versions and Discord's unversioned /api/webhooks: execute, and edit one of their messages.
  { method: 'POST', path: /^\/api(?:\/v(?:9|10))?\/webhooks\/(\d{1,20})\/([^/]{1,200})$/, webhook: true },
  { method: 'PATCH', path: /^\/api(?:\/v(?:9|10))?\/webhooks\/(\d{1,20})\/([^/]{1,200})\/messages\/(?:\d{1,20}|@original|%40original)$/, webhook: true },
  // Interactions: a person's command with ATTACHMENT options, and an application's answer (the token in the path).
  { method: 'POST', path: /^\/api\/v(?:9|10)\/interactions$/ },
  { method: 'POST', path: /^\/api\/v(?:9|10)\/interactions\/(\d{1,20})\/([^/]{1,300})\/callback$/, interaction: true },
];

function discordVersion(shared: Omit<DiscordRouteDeps, 'detail'>, version: (typeof DISCORD_API_VERSIONS)[number]) {
  const deps: DiscordRouteDeps = { ...shared, detail: { tags: ['Discord v10'], hide: version !== 'v10' } };
  return (
    new Elysia({ prefix: `/api/${version}`, normalize: false })
      // Scoped: lifted to discordApi's instance only, so it answers for this dialect and never for v1 routes.
      .onError({ as: 'scoped' }, ({ code, error }) => discordErrorResponse(code, error))
      .use(gatewayRoutes(deps))
      .use(applicationRoutes(deps))
      .use(applicationCommandRoutes(deps))
      .use(userRoutes(deps))
      .use(guildRoutes(deps))
      .use(emojiRoutes(deps))
      .use(memberRoutes(deps))
      .use(auditLogRoutes(deps))
      .use(channelRoutes(deps))
      // Search before messages: /channels/:id/messages/search is not a message id.
      .use(new Elysia().use(searchRoutes(deps)).use(messageRoutes(deps)))
      .use(threadRoutes(deps))
      .use(inviteRoutes(deps))
      .use(webhookRoutes(deps))
      .use(webhookTokenRoutes(deps))
      .use(interactionRoutes(deps))
      .all(
        '/*',
        () => {
          throw unknown.route();
        },
        { detail: { hide: true } },
      )
  );
}

/** Mounts /api/v10 and /api/v9. */
export function discordApi(deps: RouteDeps) {
  const withPresenter = { ...deps, present: createPresenter(deps.core) };
  const api = new Elysia({ normalize: false });
  for (const version of DISCORD_API_VERSIONS) api.use(discordVersion(withPresenter, version));
  api.use(
    new Elysia({ prefix: '/api', normalize: false })
      .onError({ as: 'scoped' }, ({ code, error }) => discordErrorResponse(code, error))
      .use(webhookTokenRoutes({ ...withPresenter, detail: { tags: ['Discord v10'], hide: true } })),
  );
  return api;
}

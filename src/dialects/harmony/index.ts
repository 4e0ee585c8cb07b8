// The harmony v1 dialect: the seed's REST API under /api/v1.
import { Elysia } from 'elysia';
import { jsonResponse, toApiError } from '../../http/error-response.ts';
import type { RouteDeps } from '../../http/guard.ts';
import { RateLimitedError } from '../../http/rate-limited-error.ts';
import { adminRoutes } from './routes/admin-routes.ts';
import { accountRoutes } from './routes/account-routes.ts';
import { applicationCommandRoutes } from './routes/application-command-routes.ts';
import { authRoutes } from './routes/auth-routes.ts';
import { channelRoutes } from './routes/channel-routes.ts';
import { guildRoutes } from './routes/guild-routes.ts';
import { interactionRoutes } from './routes/interaction-routes.ts';
import { inviteRoutes } from './routes/invite-routes.ts';
import { userRoutes } from './routes/user-routes.ts';
import { webhookRoutes } from './routes/webhook-routes.ts';

/** Errors as { code, message } (+ errors), with Discord's numbers; 429s carry their headers. */
export function apiErrorHandler(code: string | number, error: unknown): Response {
  const apiError = toApiError(code, error);
  const headers = apiError instanceof RateLimitedError ? apiError.headers : {};
  return jsonResponse(apiError.status, apiError.toJSON(), headers);
}

export function harmonyApi(deps: RouteDeps) {
  return new Elysia({ prefix: '/api/v1', normalize: false })
    .onError({ as: 'scoped' }, ({ code, error }) => apiErrorHandler(code, error))
    .use(authRoutes(deps))
    .use(accountRoutes(deps))
    .use(userRoutes(deps))
    .use(guildRoutes(deps))
    .use(channelRoutes(deps))
    .use(inviteRoutes(deps))
    .use(adminRoutes(deps))
    .use(applicationCommandRoutes(deps))
    .use(webhookRoutes(deps))
    .use(interactionRoutes(deps))
    .all('/*', () => {
      throw toApiError('NOT_FOUND', null);
    });
}

// The harmony v1 dialect: the seed's REST API under /api/v1.
import { Elysia } from 'elysia';
import { jsonResponse, toApiError } from '../../http/error-response.ts';
import type { RouteDeps } from '../../http/guard.ts';
import { RateLimitedError } from '../../http/rate-limited-error.ts';
import { StorageError } from '../../http/storage-failure.ts';
import type { FileRoute } from '../../http/uploads.ts';
import { accountRoutes } from './routes/account-routes.ts';
import { adminRoutes } from './routes/admin-routes.ts';
import { applicationCommandRoutes } from './routes/application-command-routes.ts';
import { auditLogRoutes } from './routes/audit-log-routes.ts';
import { authRoutes } from './routes/auth-routes.ts';
import { channelRoutes } from './routes/channel-routes.ts';
import { emojiRoutes } from './routes/emoji-routes.ts';
import { guildRoutes } from './routes/guild-routes.ts';
import { interactionRoutes } from './routes/interaction-routes.ts';
import { inviteRoutes } from './routes/invite-routes.ts';
import { searchRoutes } from './routes/search-routes.ts';
import { threadRoutes } from './routes/thread-routes.ts';
import { userRoutes } from './routes/user-routes.ts';
import { webhookRoutes } from './routes/webhook-routes.ts';

/** Where v1 takes files (multipart/form-data, as the Discord dialect): sending and editing a message. */
export const HARMONY_FILE_ROUTES: FileRoute[] = [
  { method: 'POST', path: /^\/api\/v1\/channels\/\d{1,20}\/messages$/ },
  { method: 'PATCH', path: /^\/api\/v1\/messages\/\d{1,20}$/ },
  { method: 'POST', path: /^\/api\/v1\/webhooks\/(\d{1,20})\/([^/]{1,200})$/, webhook: true },
  { method: 'PATCH', path: /^\/api\/v1\/webhooks\/(\d{1,20})\/([^/]{1,200})\/messages\/(?:\d{1,20}|@original|%40original)$/, webhook: true },
  { method: 'POST', path: /^\/api\/v1\/interactions$/ },
  { method: 'POST', path: /^\/api\/v1\/interactions\/(\d{1,20})\/([^/]{1,300})\/callback$/, interaction: true },
];

/** Errors as { code, message } (+ errors), with Discord's numbers; 429s carry their headers. */
export function apiErrorHandler(code: string | number, error: unknown): Response {
  const apiError = toApiError(code, error);
  const headers = apiError instanceof RateLimitedError || apiError instanceof StorageError ? apiError.headers : {};
  return jsonResponse(apiError.status, apiError.toJSON(), headers);
}

export function harmonyApi(deps: RouteDeps) {
  return new Elysia({ prefix: '/api/v1', normalize: false })
    .onError({ as: 'scoped' }, ({ code, error }) => apiErrorHandler(code, error))
    .use(authRoutes(deps))
    .use(accountRoutes(deps))
    .use(userRoutes(deps))
    .use(guildRoutes(deps))
    .use(emojiRoutes(deps))
    .use(auditLogRoutes(deps))
    .use(searchRoutes(deps))
    .use(channelRoutes(deps))
    .use(threadRoutes(deps))
    .use(inviteRoutes(deps))
    .use(adminRoutes(deps))
    .use(applicationCommandRoutes(deps))
    .use(webhookRoutes(deps))
    .use(interactionRoutes(deps))
    .all('/*', () => {
      throw toApiError('NOT_FOUND', null);
    });
}

// GET /applications/@me and GET /oauth2/applications/@me (what discord.py's login asks): a bot's application
// (on Harmony, the bot itself).
import { type APIApplication, RESTJSONErrorCodes as Codes } from 'discord-api-types/v10';
import { Elysia } from 'elysia';
import type { Caller } from '../../../domain/users.ts';
import { ApiError } from '../../../http/api-error.ts';
import { application } from '../serializers/application.ts';
import type { DiscordRouteDeps } from './deps.ts';

export function applicationRoutes({ core, guard, detail }: DiscordRouteDeps) {
  const current = async ({ caller }: { caller: Caller }): Promise<APIApplication> => {
    if (!caller.user.bot) throw new ApiError(404, Codes.UnknownApplication, 'Unknown Application');
    const owner = caller.user.createdBy ? await core.services.users.find(caller.user.createdBy) : null;
    return application(caller.user, owner);
  };
  return new Elysia({ detail })
    .use(guard)
    .get('/applications/@me', current, { auth: 'any', detail: { summary: "The calling bot's application" } })
    .get('/oauth2/applications/@me', current, { auth: 'any', detail: { summary: "The calling bot's application (OAuth2 route, as discord.py asks)" } });
}

// GET /applications/@me: a bot's application (on Harmony, the bot itself).
import { RESTJSONErrorCodes as Codes } from 'discord-api-types/v10';
import { Elysia } from 'elysia';
import { ApiError } from '../../../http/api-error.ts';
import { application } from '../serializers/application.ts';
import type { DiscordRouteDeps } from './deps.ts';

export function applicationRoutes({ core, guard, detail }: DiscordRouteDeps) {
  return new Elysia({ detail }).use(guard).get(
    '/applications/@me',
    ({ caller }) => {
      if (!caller.user.bot) throw new ApiError(404, Codes.UnknownApplication, 'Unknown Application');
      const owner = caller.user.createdBy ? core.services.users.find(caller.user.createdBy) : null;
      return application(caller.user, owner);
    },
    { auth: 'any', detail: { summary: "The calling bot's application" } },
  );
}

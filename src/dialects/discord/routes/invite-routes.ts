// /invites/:code: look one up (anyone signed in, without usage metadata) or revoke it. Joining by invite is a person's act (v1), not a bot's.

import { Elysia, t } from 'elysia';
import { Query } from '../../../http/schemas.ts';
import { isTrue, QueryBoolean } from '../schemas.ts';
import type { DiscordRouteDeps } from './deps.ts';

const CodeParams = t.Object({ code: t.String({ minLength: 1, maxLength: 32, pattern: '^[A-Za-z0-9-]+$' }) });

export function inviteRoutes({ core, guard, present, detail }: DiscordRouteDeps) {
  const { invites } = core.services;
  return new Elysia({ detail })
    .use(guard)
    .get(
      '/invites/:code',
      async ({ caller, params, query }) => present.invitePreview(await invites.get(params.code, caller.user.id), isTrue(query.with_counts)),
      {
        auth: 'any',
        params: CodeParams,
        query: Query({ with_counts: QueryBoolean, with_expiration: QueryBoolean }),
        detail: { summary: 'What an invite leads to' },
      },
    )
    .delete(
      '/invites/:code',
      async ({ caller, params }) => present.invitePreview(await invites.preview(await invites.delete(params.code, caller.user.id), caller.user.id)),
      {
        auth: 'any',
        params: CodeParams,
        detail: { summary: 'Revoke an invite (its creator, MANAGE_CHANNELS or MANAGE_GUILD)' },
      },
    );
}

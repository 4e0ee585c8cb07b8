// /invites/:code: look one up (anyone) or revoke it. Joining by invite is a person's act (v1), not a bot's.
import { Query } from '../../../http/schemas.ts';
import type { APIExtendedInvite, APIInvite } from 'discord-api-types/v10';
import { Elysia, t } from 'elysia';
import { unknown } from '../../../http/api-error.ts';
import { isTrue, QueryBoolean } from '../schemas.ts';
import type { DiscordRouteDeps } from './deps.ts';

const CodeParams = t.Object({ code: t.String({ minLength: 1, maxLength: 32, pattern: '^[A-Za-z0-9-]+$' }) });

/** Usage metadata is for those who manage invites; a lookup shows what Discord shows anyone. */
function publicInvite(extended: APIExtendedInvite | undefined): APIInvite {
  if (!extended) throw unknown.invite();
  const { uses: _uses, max_uses: _maxUses, max_age: _maxAge, temporary: _temporary, created_at: _createdAt, ...rest } = extended;
  return rest;
}

export function inviteRoutes({ core, guard, present, detail }: DiscordRouteDeps) {
  const { invites } = core.services;
  return new Elysia({ detail })
    .use(guard)
    .get(
      '/invites/:code',
      async ({ params, query }) => {
        const { invite } = await invites.get(params.code);
        return publicInvite(present.invites([invite], isTrue(query.with_counts))[0]);
      },
      {
        auth: 'any',
        params: CodeParams,
        query: Query({ with_counts: QueryBoolean, with_expiration: QueryBoolean }),
        detail: { summary: 'What an invite leads to' },
      },
    )
    .delete('/invites/:code', async ({ caller, params }) => publicInvite(present.invites([await invites.delete(params.code, caller.user.id)])[0]), {
      auth: 'any',
      params: CodeParams,
      detail: { summary: 'Revoke an invite (its creator, MANAGE_CHANNELS or MANAGE_GUILD)' },
    });
}

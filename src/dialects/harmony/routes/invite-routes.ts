// Looking up (without usage metadata), accepting and revoking invite codes.
import { Elysia, t } from 'elysia';
import type { RouteDeps } from '../../../http/guard.ts';
import { BEARER_ONLY, BOT_OR_BEARER } from '../../../http/schemas.ts';
import { GuildModel, InviteModel, InvitePreviewModel, ok } from '../models.ts';
import * as wire from '../serializers.ts';

const CodeParams = t.Object({ code: t.String({ minLength: 1, maxLength: 32, pattern: '^[A-Za-z0-9-]+$' }) });

export function inviteRoutes({ core, guard }: RouteDeps) {
  const { invites } = core.services;
  return new Elysia({ detail: { tags: ['Invites'], security: BOT_OR_BEARER } })
    .use(guard)
    .get('/invites/:code', async ({ caller, params }) => wire.invitePreview(await invites.get(params.code, caller.user.id)), {
      response: ok(InvitePreviewModel),
      auth: 'any',
      params: CodeParams,
      detail: { summary: 'What an invite leads to' },
    })
    .post('/invites/:code', async ({ caller, params }) => wire.guild(await invites.accept(params.code, caller.user.id)), {
      response: ok(GuildModel),
      auth: 'human',
      params: CodeParams,
      detail: { summary: 'Join the guild of this invite (bots are added by guild managers instead)', security: BEARER_ONLY },
    })
    .delete('/invites/:code', async ({ caller, params }) => wire.invite(await invites.delete(params.code, caller.user.id)), {
      response: ok(InviteModel),
      auth: 'any',
      params: CodeParams,
      detail: { summary: 'Revoke an invite (its creator, manage_channels or manage_guild)' },
    });
}

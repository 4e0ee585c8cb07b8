// A person's own account: the sessions they are signed in with (listed, revoked one by one or all but this one), a
// new password (which ends every other session) and deleting the account. Session tokens only: bots have none of it.
import { Elysia, t } from 'elysia';
import type { Session } from '../../../domain/sessions.ts';
import type { RouteDeps } from '../../../http/guard.ts';
import { BEARER_ONLY, Snowflake } from '../../../http/schemas.ts';
import { none, ok, SessionInfoModel } from '../models.ts';

const sessionInfo = (session: Session, current: Session | null) => ({
  id: session.id,
  current: session.id === current?.id,
  device: session.device,
  address: session.address,
  created_at: new Date(session.createdAt).toISOString(),
  last_used_at: new Date(session.lastUsedAt).toISOString(),
});

const Password = t.String({ minLength: 1, maxLength: 1024 });

export function accountRoutes({ core, guard }: RouteDeps) {
  const { sessions, users } = core.services;
  return new Elysia({ detail: { tags: ['Accounts'] } })
    .use(guard)
    .get(
      '/users/@me/sessions',
      async ({ caller }) => {
        const current = (await sessions.use(caller.tokenHash))?.session ?? null;
        return (await sessions.list(caller.user.id)).map((s) => sessionInfo(s, current));
      },
      {
        response: ok(t.Array(SessionInfoModel)),
        auth: 'human',
        detail: { summary: 'The sessions you are signed in with, most recently used first (never their tokens)', security: BEARER_ONLY },
      },
    )
    .delete(
      '/users/@me/sessions',
      async ({ caller, set }) => {
        await core.uow.write((emit) => sessions.revokeAll(emit, caller.user.id, caller.tokenHash));
        set.status = 204;
      },
      {
        response: none(),
        auth: 'human',
        detail: { summary: 'Sign out every other session: their tokens stop working and their gateway connections close', security: BEARER_ONLY },
      },
    )
    .delete(
      '/users/@me/sessions/:sessionId',
      async ({ caller, params, set }) => {
        await sessions.revoke(caller.user.id, params.sessionId);
        set.status = 204;
      },
      {
        params: t.Object({ sessionId: Snowflake }),
        response: none(),
        auth: 'human',
        detail: { summary: 'Sign out one session (404, code 10020, if it is not yours): its token stops working at once', security: BEARER_ONLY },
      },
    )
    .put(
      '/users/@me/password',
      async ({ caller, body, set }) => {
        await users.changePassword(caller, body.password, body.new_password);
        set.status = 204;
      },
      {
        body: t.Object({ password: Password, new_password: Password }, { additionalProperties: false }),
        response: none(),
        auth: 'human',
        detail: {
          summary: 'Change your password; every other session is signed out',
          description: 'A wrong current password is a 400 with code 50035 and PASSWORD_DOES_NOT_MATCH on `password`.',
          security: BEARER_ONLY,
        },
      },
    )
    .delete(
      '/users/@me',
      async ({ caller, body, set }) => {
        await users.deleteAccount(caller, body.password);
        set.status = 204;
      },
      {
        body: t.Object({ password: Password }, { additionalProperties: false }),
        response: none(),
        auth: 'human',
        detail: {
          summary: 'Delete your account',
          description:
            'Your messages stay, shown as from "Deleted User"; your name is freed; you leave every server; every session ends. Servers you own must be transferred or deleted first, and the last instance admin cannot delete their account.',
          security: BEARER_ONLY,
        },
      },
    );
}

// Sign up, log in, log out. Login and register are rate limited per client address.
import { Elysia, t } from 'elysia';
import { SessionModel, created, none, ok } from '../models.ts';
import { BEARER_ONLY } from '../../../http/schemas.ts';
import { clientAddress } from '../../../http/client-address.ts';
import type { RouteDeps } from '../../../http/guard.ts';
import { AUTH_RATE_LIMIT } from '../../../http/rate-limit-rules.ts';
import { RateLimitedError } from '../../../http/rate-limited-error.ts';
import { selfUser } from '../serializers.ts';

const Credentials = t.Object(
  { username: t.String({ minLength: 1, maxLength: 64 }), password: t.String({ minLength: 1, maxLength: 1024 }) },
  { additionalProperties: false },
);

export function authRoutes({ core, limiter, guard }: RouteDeps) {
  const perAddress = (address: string) => {
    const decision = limiter.take(address, AUTH_RATE_LIMIT);
    if (!decision.allowed) {
      throw new RateLimitedError(decision.resetAfter, false, { 'Retry-After': String(decision.resetAfter), 'X-RateLimit-Scope': 'user' });
    }
  };
  return new Elysia({ detail: { tags: ['Accounts'] } })
    .use(guard)
    .post(
      '/auth/register',
      async ({ body, request, set }) => {
        perAddress(clientAddress(request));
        const { user, token } = await core.services.users.register(body.username, body.password);
        set.status = 201;
        return { user: selfUser(user), token };
      },
      { body: Credentials, response: created(SessionModel), detail: { summary: 'Create an account (the first one becomes the instance admin)' } },
    )
    .post(
      '/auth/login',
      async ({ body, request }) => {
        perAddress(clientAddress(request));
        const { user, token } = await core.services.users.login(body.username, body.password);
        return { user: selfUser(user), token };
      },
      { body: Credentials, response: ok(SessionModel), detail: { summary: 'Log in; returns a session token for Authorization: Bearer' } },
    )
    .post(
      '/auth/logout',
      async ({ caller, set }) => {
        await core.services.users.logout(caller);
        set.status = 204;
      },
      { response: none(), auth: 'human', detail: { summary: 'Revoke the session token used for this request', security: BEARER_ONLY } },
    );
}

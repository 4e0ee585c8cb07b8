// Sign up, log in, log out. Logins are limited per client address and backed off per account (login-backoff.ts);
// sign-ups are limited per client address in a bucket of their own.
import { Elysia, t } from 'elysia';
import { ApiError } from '../../../http/api-error.ts';
import { clientAddress } from '../../../http/client-address.ts';
import { deviceLabel } from '../../../http/device-label.ts';
import type { RouteDeps } from '../../../http/guard.ts';
import { LoginBackoff } from '../../../http/login-backoff.ts';
import type { RateLimitRule } from '../../../http/rate-limit.ts';
import { LOGIN_RATE_LIMIT, REGISTER_RATE_LIMIT } from '../../../http/rate-limit-rules.ts';
import { RateLimitedError } from '../../../http/rate-limited-error.ts';
import { BEARER_ONLY } from '../../../http/schemas.ts';
import type { LoginAttempts } from '../../../http/shared-login-backoff.ts';
import { created, none, ok, SessionModel } from '../models.ts';
import { selfUser } from '../serializers.ts';

const Credentials = t.Object(
  { username: t.String({ minLength: 1, maxLength: 64 }), password: t.String({ minLength: 1, maxLength: 1024 }) },
  { additionalProperties: false },
);

const refusal = (retryAfter: number, message?: string) =>
  new RateLimitedError(retryAfter, false, { 'Retry-After': String(retryAfter), 'X-RateLimit-Scope': 'user' }, message);

export function authRoutes({ core, limiter, guard }: RouteDeps) {
  // Per account across every node of a cluster (in Redis), per process otherwise.
  const shared = limiter.enabled ? limiter.shared?.loginBackoff : null;
  const backoff: LoginAttempts = shared ?? new LoginBackoff(core.clock, { enabled: limiter.enabled });
  // Per address across every node of a cluster (limiter.shared), per process otherwise.
  const perAddress = async (address: string, rule: RateLimitRule) => {
    const decision = await limiter.takeShared(address, rule);
    if (!decision.allowed) throw refusal(decision.resetAfter);
  };
  return new Elysia({ detail: { tags: ['Accounts'] } })
    .use(guard)
    .post(
      '/auth/register',
      async ({ body, request, set }) => {
        const address = clientAddress(request);
        await perAddress(address, REGISTER_RATE_LIMIT);
        const origin = { device: deviceLabel(request.headers.get('user-agent')), address };
        const { user, token } = await core.services.users.register(body.username, body.password, origin);
        await backoff.trust(body.username, address);
        set.status = 201;
        return { user: selfUser(user), token };
      },
      { body: Credentials, response: created(SessionModel), detail: { summary: 'Create an account (the first one becomes the instance admin)' } },
    )
    .post(
      '/auth/login',
      async ({ body, request }) => {
        const address = clientAddress(request);
        await perAddress(address, LOGIN_RATE_LIMIT);
        const wait = await backoff.admit(body.username, address);
        if (wait !== null) throw refusal(wait, 'Too many failed logins for this account; try again after retry_after seconds.');
        try {
          const origin = { device: deviceLabel(request.headers.get('user-agent')), address };
          const { user, token } = await core.services.users.login(body.username, body.password, origin);
          // Logged in: failing to record it (Redis away) must not turn the success into an error.
          await Promise.resolve(backoff.settle(body.username, address, 'succeeded')).catch(() => undefined);
          return { user: selfUser(user), token };
        } catch (error) {
          // Only a refused password counts against the account; a server fault is not the caller's failure.
          await backoff.settle(body.username, address, error instanceof ApiError && error.status === 401 ? 'failed' : 'aborted');
          throw error;
        }
      },
      {
        body: Credentials,
        response: ok(SessionModel),
        detail: {
          summary: 'Log in; returns a session token for Authorization: Bearer',
          description:
            'Limited to 10 attempts a minute per client address. Failed logins for an account make attempts on it from other addresses wait 1 s, 2 s, 4 s ... up to 30 s (429 with retry_after); an address that logged in to the account recently does not wait.',
        },
      },
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

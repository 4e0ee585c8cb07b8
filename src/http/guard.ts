// The per-route guard every API dialect uses: who is calling (token -> caller), may they
// (human/admin), and are they within their rate limits. Routes opt in with `{ auth: level }`.

import { RESTJSONErrorCodes as Codes } from 'discord-api-types/v10';
import { Elysia } from 'elysia';
import type { Core } from '../core.ts';
import { enterAuditReason } from '../domain/audit-log.ts';
import type { Caller, TokenKind } from '../domain/users.ts';
import { ApiError, unauthorized } from './api-error.ts';
import type { RateLimiter } from './rate-limit.ts';
import { DEFAULT_RATE_LIMITS, DEFAULT_USER_RATE_LIMITS } from './rate-limit-rules.ts';
import { RateLimitedError } from './rate-limited-error.ts';
import { checkRequest, checkSharedRequest, type RestRateLimitResult, routeKey } from './rest-rate-limit.ts';

export type AuthLevel = 'any' | 'human' | 'admin';

/** `Bot <token>`, `Bearer <token>`, or (as Lanyard clients send a presence API token) the bare token. */
export function tokenFrom(header: string | null | undefined): string | null {
  if (!header) return null;
  const match = /^(?:(?:Bot|Bearer)\s+)?(\S+)$/i.exec(header.trim());
  return match?.[1] ?? null;
}

const SCHEMES: Record<string, TokenKind> = { bot: 'bot', bearer: 'session' };

/**
 * The token of the bot API's Authorization header and the kind its scheme names: `Bot` for a bot's token, `Bearer`
 * for a person's session. Null without a scheme: a token is only taken under its own, so a leaked session token is
 * not a bot token and the other way round.
 */
export function credentialsFrom(header: string | null | undefined): { token: string; kind: TokenKind } | null {
  const match = /^(\S+)\s+(\S+)$/.exec(header?.trim() ?? '');
  const kind = match ? SCHEMES[(match[1] ?? '').toLowerCase()] : undefined;
  return match?.[2] && kind ? { token: match[2], kind } : null;
}

/** Discord buckets per channel, guild or webhook: the first such id in the path. */
function majorParameter(params: Record<string, string | undefined>): string | null {
  return params.channelId ?? params.guildId ?? null;
}

export function guardPlugin(core: Core, limiter: RateLimiter) {
  // Who is calling, found before validation and handed to resolve (which runs after it) by request.
  const callers = new WeakMap<Request, Caller>();
  return new Elysia().macro({
    auth: (level: AuthLevel) => ({
      // Transform runs after the body is parsed and before any schema is checked: a caller who may not use the
      // route is refused (401/403) without costing validation work or learning what the route expects.
      async transform({ headers, request }) {
        const credentials = credentialsFrom(headers.authorization);
        const caller = credentials && (await core.services.users.authenticate(credentials.token, credentials.kind));
        if (!caller) throw unauthorized();
        if (level === 'human' && caller.user.bot) throw new ApiError(403, Codes.MissingAccess, 'Bots cannot use this endpoint');
        if (level === 'admin' && !caller.user.admin) throw new ApiError(403, Codes.MissingAccess, 'Only instance admins can use this endpoint');
        callers.set(request, caller);
      },
      // Rate limits count only requests that passed validation, keyed by the validated route parameters.
      resolve({ request, route, params, set }): { caller: Caller } | Promise<{ caller: Caller }> {
        const caller = callers.get(request);
        if (!caller) throw unauthorized();
        const rules = caller.user.bot ? DEFAULT_RATE_LIMITS : DEFAULT_USER_RATE_LIMITS;
        const key = routeKey(request.method, route);
        const major = majorParameter((params ?? {}) as Record<string, string>);
        // The reason a change gives (Discord's X-Audit-Log-Reason) goes into the audit log entry it writes. Entered
        // here, on resolve's own synchronous path, so the handler's context has it however the check below runs.
        enterAuditReason(auditReasonFrom(request.headers.get('x-audit-log-reason')));
        const admit = (decision: RestRateLimitResult) => {
          if (!decision.allowed) throw new RateLimitedError(decision.retryAfter, decision.global, decision.headers);
          if (decision.headers) Object.assign(set.headers, decision.headers);
          return { caller };
        };
        // On a node of a cluster the buckets are counted in Redis (shared by every node): only then is this async.
        if (limiter.shared) return checkSharedRequest(limiter, caller.user.id, key, major, rules).then(admit);
        return admit(checkRequest(limiter, caller.user.id, key, major, rules));
      },
    }),
  });
}

export type Guard = ReturnType<typeof guardPlugin>;

/** X-Audit-Log-Reason is URI-encoded (discord.js and discord.py encode it); a value that does not decode is kept as sent. */
export function auditReasonFrom(raw: string | null | undefined): string | null {
  if (!raw) return null;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** What every route module is built from. */
export type RouteDeps = { core: Core; limiter: RateLimiter; guard: Guard };

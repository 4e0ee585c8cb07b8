// GET and POST /presence-token/:nonce, the one-time link the `.token` command sends. GET only shows a
// button, because link previewers and prefetchers issue GETs and must not use the link up; the button's
// POST burns the link and shows a fresh token once.
import { Elysia } from 'elysia';
import { REVEAL_PATH, type TokenReveals } from '../../domain/presence/token-reveals.ts';
import type { RouteDeps } from '../../http/guard.ts';
import { faceDeps, PresenceError, rateLimit } from './presence-http.ts';
import { type RevealPage, revealPageResponse } from './token-reveal-page.ts';

export function tokenRevealPages({ core, limiter }: Pick<RouteDeps, 'core' | 'limiter'>) {
  const reveals: TokenReveals = core.services.tokenReveals;
  const face = faceDeps({ core, limiter });
  const prefix = core.config.commandPrefix;

  /** Counts the request against the address's presence budget, then renders what `decide` picks. */
  const answer = async (request: Request, decide: () => Promise<RevealPage>): Promise<Response> => {
    try {
      await rateLimit(face, request, {});
      return revealPageResponse(await decide());
    } catch (error) {
      if (error instanceof PresenceError && error.status === 429) {
        return revealPageResponse({ kind: 'rate_limited', retryAfter: error.retryAfter ?? 1 }, { 'Retry-After': error.headers['Retry-After'] ?? '1' });
      }
      console.error('token reveal failed:', error instanceof Error ? error.message : error);
      return revealPageResponse({ kind: 'error' });
    }
  };

  const hidden = { detail: { hide: true } };
  return new Elysia({ name: 'token-reveal', normalize: false })
    .get(
      `${REVEAL_PATH}/:nonce`,
      ({ params, request }) =>
        answer(request, async (): Promise<RevealPage> => {
          const state = await reveals.state(params.nonce);
          return state === 'ready' ? { kind: 'ready' } : { kind: state, prefix };
        }),
      hidden,
    )
    .post(
      `${REVEAL_PATH}/:nonce`,
      ({ params, request }) =>
        answer(request, async (): Promise<RevealPage> => {
          const result = await reveals.reveal(params.nonce);
          return result.ok ? { kind: 'revealed', token: result.token } : { kind: result.state, prefix };
        }),
      { ...hidden, parse: 'none' },
    );
}

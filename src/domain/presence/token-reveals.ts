// The `.token` command hands out a one-time link instead of the token, so no chat history (Harmony's or
// Discord's) ever holds a working secret. The link's nonce is 32 random bytes, kept only as a SHA-256 digest
// with its user and an expiry; revealing it issues a fresh token and burns the link in the same step.
import type { UnitOfWork } from '../../db/unit-of-work.ts';
import type { Clock } from '../clock.ts';
import type { Immediate, TokenRevealsRepo } from '../ports/index.ts';
import { tokenDigest } from '../tokens.ts';
import type { PresenceDirectory } from './presence-directory.ts';

/** How long a link works. */
export const REVEAL_TTL_MS = 10 * 60_000;
/** The reveal page, relative to the server root (and to publicUrl's path). */
export const REVEAL_PATH = '/presence-token';
// Used and expired links are told apart from unknown ones for a day, then forgotten.
const REMEMBER_MS = 24 * 60 * 60_000;
const NONCE = /^[A-Za-z0-9_-]{43}$/;

/** What a link is: `ready` to reveal once, `gone` (used or expired), or `unknown` (never made, or long forgotten). */
export type RevealState = 'ready' | 'gone' | 'unknown';
export type RevealResult = { ok: true; userId: string; token: string } | { ok: false; state: 'gone' | 'unknown' };

/** The commands' view: make a link for someone, or take back one that could not be delivered. */
export type TokenLinks = {
  /** A one-time link to a new token for the user, or null when this server has no URL to put in it. */
  create(userId: string): string | null;
  withdraw(link: string): void;
};

export type TokenRevealsDeps = {
  uow: UnitOfWork;
  store: Immediate<TokenRevealsRepo>;
  directory: Pick<PresenceDirectory, 'issueToken'>;
  clock: Clock;
};

export class TokenReveals {
  constructor(private readonly deps: TokenRevealsDeps) {}

  /** A new nonce for the user (their earlier links stop working). */
  create(userId: string): string {
    const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url');
    const now = this.deps.clock.now();
    this.deps.uow.write(() => {
      this.deps.store.purge(now - REMEMBER_MS);
      this.deps.store.put(tokenDigest(nonce), userId, now, now + REVEAL_TTL_MS);
    });
    return nonce;
  }

  /** Looks at a link without using it (what GET does: link previews must not burn it). */
  state(nonce: string): RevealState {
    if (!NONCE.test(nonce)) return 'unknown';
    const row = this.deps.store.get(tokenDigest(nonce));
    if (!row) return 'unknown';
    return row.usedAt === null && row.expiresAt > this.deps.clock.now() ? 'ready' : 'gone';
  }

  /** Burns the link and issues a fresh token (the previous one stops working). Only the first call succeeds. */
  reveal(nonce: string): RevealResult {
    if (!NONCE.test(nonce)) return { ok: false, state: 'unknown' };
    const digest = tokenDigest(nonce);
    const userId = this.deps.uow.write(() => this.deps.store.use(digest, this.deps.clock.now()));
    if (userId === null) return { ok: false, state: this.deps.store.get(digest) ? 'gone' : 'unknown' };
    const token = this.deps.directory.issueToken(userId);
    // The account went away while the link waited.
    if (token === null) return { ok: false, state: 'gone' };
    return { ok: true, userId, token };
  }

  withdraw(nonce: string): void {
    if (NONCE.test(nonce)) this.deps.uow.write(() => this.deps.store.delete(tokenDigest(nonce)));
  }

  /** Links under `base()` (an origin with an optional path, no trailing slash); no base, no links. */
  linksAt(base: () => string | null): TokenLinks {
    return {
      create: (userId) => {
        const root = base();
        return root ? `${root}${REVEAL_PATH}/${this.create(userId)}` : null;
      },
      withdraw: (link) => this.withdraw(link.slice(link.lastIndexOf('/') + 1)),
    };
  }
}

// The `.token` command hands out a one-time link instead of the token, so no chat history (Harmony's or
// Discord's) ever holds a working secret. The link's nonce is 32 random bytes, kept only as a SHA-256 digest
// with its user and an expiry; revealing it issues a fresh token and burns the link in the same step.

import type { Clock } from '../clock.ts';
import type { TokenRevealsRepo } from '../ports/index.ts';
import type { UnitOfWork } from '../ports/unit-of-work.ts';
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
  create(userId: string): Promise<string | null>;
  withdraw(link: string): Promise<void>;
};

export type TokenRevealsDeps = {
  uow: UnitOfWork;
  store: TokenRevealsRepo;
  directory: Pick<PresenceDirectory, 'issueToken'>;
  clock: Clock;
};

export class TokenReveals {
  constructor(private readonly deps: TokenRevealsDeps) {}

  /** A new nonce for the user (their earlier links stop working). */
  async create(userId: string): Promise<string> {
    const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url');
    const now = this.deps.clock.now();
    await this.deps.uow.write(async () => {
      await this.deps.store.purge(now - REMEMBER_MS);
      await this.deps.store.put(tokenDigest(nonce), userId, now, now + REVEAL_TTL_MS);
    });
    return nonce;
  }

  /** Looks at a link without using it (what GET does: link previews must not burn it). */
  async state(nonce: string): Promise<RevealState> {
    if (!NONCE.test(nonce)) return 'unknown';
    const row = await this.deps.store.get(tokenDigest(nonce));
    if (!row) return 'unknown';
    return row.usedAt === null && row.expiresAt > this.deps.clock.now() ? 'ready' : 'gone';
  }

  /** Burns the link and issues a fresh token (the previous one stops working). Only the first call succeeds. */
  async reveal(nonce: string): Promise<RevealResult> {
    if (!NONCE.test(nonce)) return { ok: false, state: 'unknown' };
    const digest = tokenDigest(nonce);
    const userId = await this.deps.uow.write(async () => this.deps.store.use(digest, this.deps.clock.now()));
    if (userId === null) return { ok: false, state: (await this.deps.store.get(digest)) ? 'gone' : 'unknown' };
    const token = await this.deps.directory.issueToken(userId);
    // The account went away while the link waited.
    if (token === null) return { ok: false, state: 'gone' };
    return { ok: true, userId, token };
  }

  async withdraw(nonce: string): Promise<void> {
    if (NONCE.test(nonce)) await this.deps.uow.write(async () => this.deps.store.delete(tokenDigest(nonce)));
  }

  /** Links under `base()` (an origin with an optional path, no trailing slash); no base, no links. */
  linksAt(base: () => string | null): TokenLinks {
    return {
      create: async (userId) => {
        const root = base();
        return root ? `${root}${REVEAL_PATH}/${await this.create(userId)}` : null;
      },
      withdraw: (link) => this.withdraw(link.slice(link.lastIndexOf('/') + 1)),
    };
  }
}

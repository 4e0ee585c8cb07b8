// One-time token links of the presence API.
// A port: the domain declares it, src/store/sqlite (and src/store/postgres) implement it. See ./index.ts.
import type { TokenRevealRow } from '../model/presence.ts';

export interface TokenRevealsRepo {
  /** Records a new link and withdraws the user's earlier ones: only the latest link works. */
  put(nonceHash: Uint8Array, userId: string, now: number, expiresAt: number): Promise<void>;
  get(nonceHash: Uint8Array): Promise<TokenRevealRow | null>;
  /** Marks the link used if it is still unused and unexpired; the user it was for, or null. One caller wins. */
  use(nonceHash: Uint8Array, now: number): Promise<string | null>;
  delete(nonceHash: Uint8Array): Promise<void>;
  /** Forgets links that expired before `before`; until then a used or expired link is told apart from an unknown one. */
  purge(before: number): Promise<void>;
}

// Tokens resolved to whoever holds them, kept for a few seconds: every request carries a token, and looking it up
// was one database read on every one of them (a session's, while writes are open, on the read connection, whose page
// cache each commit of the writer drops). One cache for bot tokens, one for session tokens (src/core.ts). An entry
// goes at once when an event says the holder's account or credentials or a bot's privileged intents changed (on any
// node: events from the others reach this hub too), and on its own after TTL_MS, a bound on anything no event
// announces.

import type { EventHub } from '../events/event-hub.ts';
import type { Clock } from './clock.ts';
import { ExpiringCache } from './expiring-cache.ts';

const TTL_MS = 5_000;
/** Far more token holders than one instance serves at once; past it the cache starts over rather than grow. */
const MAX_ENTRIES = 10_000;

export class TokenCallers<V> {
  /** Holders by the hex digest of their token. */
  private readonly held: ExpiringCache<string, V>;

  /**
   * `holder`: the user id behind a value (what events name); `usable`: whether a value may be kept at all (a
   * disabled account is asked about again at each request, so its answer can never outlive a change).
   */
  constructor(
    clock: Clock,
    private readonly holder: (value: V) => string,
    private readonly usable: (value: V) => boolean,
  ) {
    this.held = new ExpiringCache(clock, TTL_MS, MAX_ENTRIES);
  }

  /** Forgets a holder whose account or credentials change, as soon as the change is committed. */
  watch(hub: EventHub): () => void {
    return hub.subscribe((event) => {
      if (event.type === 'credentials.revoked' || event.type === 'bot.settings_changed') this.forget(event.userId);
      else if (event.type === 'user.update') this.forget(event.user.id);
    });
  }

  get(tokenHashHex: string): V | null {
    return this.held.get(tokenHashHex) ?? null;
  }

  /** The holder of a token, from memory or `read()`; a usable one is kept unless it changed while it was read. */
  resolve(tokenHashHex: string, read: () => Promise<V | null>): Promise<V | null> {
    return this.held.load(tokenHashHex, read, this.usable);
  }

  /** Changes what is kept for a token (a session's last use, once written); nothing when it is not kept. */
  update(tokenHashHex: string, change: (value: V) => V): void {
    this.held.update(tokenHashHex, change);
  }

  forget(userId: string): void {
    this.held.forgetWhere((value) => this.holder(value) === userId);
  }
}

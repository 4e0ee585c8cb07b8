// Bot tokens resolved to their bot, kept for a few seconds: a bot sends every request with its token, and looking
// it up was one database read on every one of them. An entry goes at once when an event says the bot's account or
// credentials or its privileged intents changed (on any node: events from the others reach this hub too), and on its
// own after TTL_MS, a bound on anything no event announces.

import type { EventHub } from '../events/event-hub.ts';
import type { Clock } from './clock.ts';
import { ExpiringCache } from './expiring-cache.ts';
import type { User } from './users.ts';

const TTL_MS = 5_000;
/** Far more bots than one instance runs; past it the cache starts over rather than grow. */
const MAX_ENTRIES = 10_000;

export class BotCallers {
  /** Bots by the hex digest of their token. */
  private readonly bots: ExpiringCache<string, User>;

  constructor(clock: Clock) {
    this.bots = new ExpiringCache(clock, TTL_MS, MAX_ENTRIES);
  }

  /** Forgets a bot whose account or credentials change, as soon as the change is committed. */
  watch(hub: EventHub): () => void {
    return hub.subscribe((event) => {
      if (event.type === 'credentials.revoked' || event.type === 'bot.settings_changed') this.forget(event.userId);
      else if (event.type === 'user.update') this.forget(event.user.id);
    });
  }

  get(tokenHashHex: string): User | null {
    return this.bots.get(tokenHashHex) ?? null;
  }

  /** The bot of a token, from memory or `read()`; an enabled bot is kept unless it changed while it was read. */
  resolve(tokenHashHex: string, read: () => Promise<User | null>): Promise<User | null> {
    return this.bots.load(tokenHashHex, read, (bot) => !bot.disabled);
  }

  forget(userId: string): void {
    this.bots.forgetWhere((bot) => bot.id === userId);
  }
}

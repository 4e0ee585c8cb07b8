// Bot tokens resolved to their bot, kept for a few seconds: a bot sends every request with its token, and looking
// it up was one database read on every one of them. An entry goes at once when an event says the bot's account or
// credentials changed (on any node: events from the others reach this hub too), and on its own after TTL_MS, which
// bounds how long a change that carries no event (intents, set by an admin) takes to reach every node.

import type { EventHub } from '../events/event-hub.ts';
import type { Clock } from './clock.ts';
import type { User } from './users.ts';

const TTL_MS = 5_000;
/** Far more bots than one instance runs; past it the cache starts over rather than grow. */
const MAX_ENTRIES = 10_000;

export class BotCallers {
  private readonly entries = new Map<string, { bot: User; until: number }>();

  constructor(private readonly clock: Clock) {}

  /** Forgets a bot whose account or credentials change, as soon as the change is committed. */
  watch(hub: EventHub): () => void {
    return hub.subscribe((event) => {
      if (event.type === 'credentials.revoked') this.forget(event.userId);
      else if (event.type === 'user.update') this.forget(event.user.id);
    });
  }

  get(tokenHashHex: string): User | null {
    const entry = this.entries.get(tokenHashHex);
    if (!entry) return null;
    if (entry.until > this.clock.now()) return entry.bot;
    this.entries.delete(tokenHashHex);
    return null;
  }

  remember(tokenHashHex: string, bot: User): void {
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(tokenHashHex, { bot, until: this.clock.now() + TTL_MS });
  }

  forget(userId: string): void {
    for (const [key, entry] of this.entries) if (entry.bot.id === userId) this.entries.delete(key);
  }
}

// Enrich at commit: events leave the unit of work carrying what the gateways encode, read inside the
// transaction that made them, so fan-out (off the request's stack, in order) and the encoders read no database.
// So far: a message's view and the members it names (MESSAGE_CREATE / MESSAGE_UPDATE, the hot path).
import type { DomainEvent } from '../events/domain-events.ts';
import type { MessageService } from './messages.ts';
import type { Member } from './model/guild.ts';
import type { MessageView } from './model/message.ts';
import type { GuildsRepo } from './ports/index.ts';

export function eventViews(messages: MessageService, guilds: GuildsRepo): (events: DomainEvent[]) => Promise<void> {
  return async (events) => {
    for (const [i, event] of events.entries()) {
      if ((event.type !== 'message.create' && event.type !== 'message.update') || event.seen) continue;
      const view = await messages.view(event.message, null);
      const members = new Map<string, Member>();
      const guildId = event.message.guildId;
      if (guildId !== null)
        for (const userId of named(view)) {
          const member = await guilds.member(guildId, userId);
          if (member) members.set(userId, member);
        }
      const seen = { view, members };
      if (event.type === 'message.create') messages.rememberSeen(event.message, seen);
      events[i] = { ...event, seen };
    }
  };
}

/**
 * Who a view shows as a user that may be a member: the author (not a webhook), the mentioned, who ran the
 * interaction it answers, and the same for the reply (as the Discord presenter's `membersNamed` reads them).
 */
function named(view: MessageView): Set<string> {
  const ids = new Set<string>();
  for (let v: MessageView | null = view; v; v = v.referenced) {
    if (!v.message.webhook) ids.add(v.message.authorId);
    for (const u of v.mentions) ids.add(u.id);
    if (v.message.interaction) ids.add(v.message.interaction.userId);
  }
  return ids;
}

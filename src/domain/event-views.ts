// Enrich at commit: events leave the unit of work carrying what the gateways encode, read inside the
// transaction that made them, so fan-out (off the request's stack, in order, on every node) and the encoders read
// no database, and show each event as it was when it was committed, never a row a later write has changed.
// What each event carries is its `seen` field (src/events/domain-events.ts); `extra` enrichers (a dialect that
// shapes a payload itself at commit: INTERACTION_CREATE) run after these.
import type { DmSeen, DomainEvent } from '../events/domain-events.ts';
import type { MessageService } from './messages.ts';
import type { Channel } from './model/channel.ts';
import type { Member } from './model/guild.ts';
import type { Message, MessageView } from './model/message.ts';
import type { EmojisRepo, GuildsRepo, UsersRepo } from './ports/index.ts';

export type Enricher = (events: DomainEvent[]) => Promise<void>;

export type EventViewDeps = { messages: MessageService; guilds: GuildsRepo; users: UsersRepo; emojis: EmojisRepo };

export function eventViews(deps: EventViewDeps, extra: readonly Enricher[] = []): Enricher {
  const { guilds, users, emojis } = deps;

  async function seenMessage(message: Message) {
    const view = await deps.messages.view(message, null);
    const members = new Map<string, Member>();
    const guildId = message.guildId;
    if (guildId !== null)
      for (const userId of named(view)) {
        const member = await guilds.member(guildId, userId);
        if (member) members.set(userId, member);
      }
    return { view, members };
  }

  async function actor(guildId: string | null, userId: string) {
    if (guildId === null) return undefined;
    const member = await guilds.member(guildId, userId);
    return { member, user: member ? await users.byId(userId) : null };
  }

  /** A DM's participants (and `also`, who just left it); nothing for a guild channel or a thread. */
  async function dm(channel: Channel, also?: string): Promise<DmSeen | undefined> {
    if (channel.guildId !== null || channel.thread) return undefined;
    const ids = also === undefined || channel.recipientIds.includes(also) ? channel.recipientIds : [...channel.recipientIds, also];
    return { users: [...(await users.byIds(ids)).values()] };
  }

  async function seen(event: DomainEvent): Promise<DomainEvent> {
    switch (event.type) {
      case 'message.create': {
        if (event.seen) return event;
        const seen = await seenMessage(event.message);
        // The sender's answer shows the same view (messages.ts: seenBy).
        deps.messages.rememberSeen(event.message, seen);
        return { ...event, seen };
      }
      case 'message.update': {
        if (event.seen) return event;
        const seen = await seenMessage(event.message);
        // The editor's answer shows the same view, with reactions as they see them (messages.ts: seenBy).
        deps.messages.rememberSeen(event.message, seen);
        return { ...event, seen };
      }
      case 'ephemeral.message':
        return event.seen || event.action === 'delete' ? event : { ...event, seen: await seenMessage(event.message) };
      case 'reaction.add':
      case 'typing.start': {
        const seen = await actor(event.guildId, event.userId);
        return seen ? { ...event, seen } : event;
      }
      case 'member.join':
      case 'member.update':
        return { ...event, seen: { user: await users.byId(event.member.userId) } };
      case 'member.leave':
        return { ...event, seen: { user: await users.byId(event.userId) } };
      case 'user.update': {
        const memberships: Member[] = [];
        for (const guild of await guilds.guildsOf(event.user.id)) {
          const member = await guilds.member(guild.id, event.user.id);
          if (member) memberships.push(member);
        }
        return { ...event, seen: { memberships } };
      }
      case 'channel.create':
      case 'channel.update':
      case 'channel.delete':
      case 'dm.close':
      case 'dm.reopen': {
        const seen = await dm(event.channel);
        return seen ? { ...event, seen } : event;
      }
      case 'dm.recipient_add':
      case 'dm.recipient_remove': {
        const seen = await dm(event.channel, event.userId);
        return seen ? { ...event, seen } : event;
      }
      case 'guild.update':
        return { ...event, seen: { roles: await guilds.roles(event.guild.id), emojis: await emojis.list(event.guild.id) } };
      case 'interaction.modal':
        return { ...event, seen: { application: await users.byId(event.interaction.applicationId) } };
      default:
        return event;
    }
  }

  return async (events) => {
    for (const [i, event] of events.entries()) events[i] = await seen(event);
    for (const enrich of extra) await enrich(events);
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

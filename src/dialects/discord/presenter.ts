// The serializers are pure functions of domain objects; this loads what they need besides (authors'
// memberships, DM recipients, invite guilds, approximate counts) from one core, for the discord routes.
import type { APIGuildMember } from 'discord-api-types/v10';
import type { Core } from '../../core.ts';
import type { Channel } from '../../domain/channels.ts';
import type { Invite, InvitePreview } from '../../domain/invites.ts';
import type { Member } from '../../domain/members.ts';
import type { Message, MessageView } from '../../domain/messages.ts';
import type { GuildsRepo } from '../../domain/ports/index.ts';
import type { User } from '../../domain/users.ts';
import { unknown } from '../../http/api-error.ts';
import { channel } from './serializers/channel.ts';
import type { GuildCounts } from './serializers/guild.ts';
import { invite, invitePreview } from './serializers/invite.ts';
import { member } from './serializers/member.ts';
import { type MemberLookup, message } from './serializers/message.ts';

/** Who a view shows as a user that may be a member: authors (not webhooks), the mentioned, interaction invokers, replies' too. */
function named(view: MessageView, into: Set<string>): void {
  for (let v: MessageView | null = view; v; v = v.referenced) {
    if (!v.message.webhook) into.add(v.message.authorId);
    for (const u of v.mentions) into.add(u.id);
    if (v.message.interaction) into.add(v.message.interaction.userId);
  }
}

/**
 * The guild members some messages name, read ahead in one pass (each user once), as the serializer's lookup.
 * Messages of one channel share a guild; a lookup for another guild answers null.
 */
export async function membersNamed(guilds: GuildsRepo, views: readonly MessageView[]): Promise<MemberLookup> {
  const guildId = views[0]?.message.guildId ?? null;
  if (guildId === null) return () => null;
  const ids = new Set<string>();
  for (const view of views) named(view, ids);
  const found = new Map<string, Member>();
  for (const id of ids) {
    const m = await guilds.member(guildId, id);
    if (m) found.set(id, m);
  }
  return (g, userId) => (g === guildId ? (found.get(userId) ?? null) : null);
}

export function createPresenter(core: Core) {
  const { services } = core;
  const stores = core.uow.repos;

  /** Users by id, in the given order; ids of deleted accounts are skipped. */
  const users = async (ids: readonly string[]): Promise<User[]> => {
    const found = await stores.users.byIds(ids);
    return ids.flatMap((id) => found.get(id) ?? []);
  };

  const counts = async (guildId: string): Promise<GuildCounts> => {
    const ids = await stores.guilds.memberIds(guildId);
    return { members: ids.length, presences: ids.filter((id) => services.presence.get(id).status !== 'offline').length };
  };

  /** Messages as `viewerId` sees them (their own reactions marked `me`). */
  const messages = async (list: readonly Message[], viewerId: string) => {
    // A message this request just sent or edited was viewed at commit, with the members it names.
    const seen = list.length === 1 ? await services.messages.seenBy(list[0] as Message, viewerId) : undefined;
    if (seen) {
      const guildId = seen.view.message.guildId;
      return [message(seen.view, (g, userId) => (g === guildId ? (seen.members.get(userId) ?? null) : null))];
    }
    const views = await services.messages.views(list, viewerId);
    const memberOf = await membersNamed(stores.guilds, views);
    return views.map((v) => message(v, memberOf));
  };

  return {
    users,
    counts,
    messages,
    message: async (m: Message, viewerId: string) => (await messages([m], viewerId))[0] as ReturnType<typeof message>,
    channel: async (c: Channel, viewerId: string) => {
      // A DM shows its other participants (or the viewer alone): read ahead for the serializer.
      const participants = c.guildId === null && !c.thread ? await users(c.recipientIds) : [];
      return channel(c, viewerId, (ids) => participants.filter((u) => ids.includes(u.id)));
    },
    members: async (list: readonly Member[]): Promise<APIGuildMember[]> => {
      const found = await stores.users.byIds(list.map((m) => m.userId));
      return list.flatMap((m) => {
        const u = found.get(m.userId);
        return u ? [member(m, u)] : [];
      });
    },
    member: async (m: Member): Promise<APIGuildMember> => {
      const u = await stores.users.byId(m.userId);
      if (!u) throw unknown.member();
      return member(m, u);
    },
    invites: async (list: readonly Invite[], withCounts = false) => {
      const inviters = await stores.users.byIds(list.flatMap((i) => (i.inviterId ? [i.inviterId] : [])));
      const out = [];
      for (const i of list) {
        const guild = await stores.guilds.guild(i.guildId);
        if (!guild) continue;
        const inviter = i.inviterId ? (inviters.get(i.inviterId) ?? null) : null;
        const channelOf = await stores.channels.byId(i.channelId);
        out.push(invite(i, { guild, channel: channelOf, inviter, counts: withCounts ? await counts(guild.id) : undefined }));
      }
      return out;
    },
    /** What anyone with the code sees (the domain already chose what the viewer may learn). */
    invitePreview: async (p: InvitePreview, withCounts = false) => {
      const inviter = p.inviterId ? await stores.users.byId(p.inviterId) : null;
      return invitePreview(p, { inviter, counts: withCounts ? await counts(p.guild.id) : undefined });
    },
  };
}

export type Presenter = ReturnType<typeof createPresenter>;

// The serializers are pure functions of domain objects; this loads what they need besides (authors'
// memberships, DM recipients, invite guilds, approximate counts) from one core, for the discord routes.
import type { APIGuildMember } from 'discord-api-types/v10';
import type { Core } from '../../core.ts';
import type { Channel } from '../../domain/channels.ts';
import type { Invite, InvitePreview } from '../../domain/invites.ts';
import type { Member } from '../../domain/members.ts';
import type { Message } from '../../domain/messages.ts';
import type { User } from '../../domain/users.ts';
import { unknown } from '../../http/api-error.ts';
import { channel } from './serializers/channel.ts';
import type { GuildCounts } from './serializers/guild.ts';
import { invite, invitePreview } from './serializers/invite.ts';
import { member } from './serializers/member.ts';
import { type MemberLookup, message } from './serializers/message.ts';

export function createPresenter(core: Core) {
  const { stores, services } = core;
  const memberOf: MemberLookup = (guildId, userId) => stores.guilds.member(guildId, userId);

  /** Users by id, in the given order; ids of deleted accounts are skipped. */
  const users = (ids: readonly string[]): User[] => {
    const found = stores.users.byIds(ids);
    return ids.flatMap((id) => found.get(id) ?? []);
  };

  const counts = (guildId: string): GuildCounts => {
    const ids = stores.guilds.memberIds(guildId);
    return { members: ids.length, presences: ids.filter((id) => services.presence.get(id).status !== 'offline').length };
  };

  return {
    memberOf,
    users,
    counts,
    /** Messages as `viewerId` sees them (their own reactions marked `me`). */
    messages: (list: readonly Message[], viewerId: string) => services.messages.views(list, viewerId).map((v) => message(v, memberOf)),
    message: (m: Message, viewerId: string) => message(services.messages.view(m, viewerId), memberOf),
    channel: (c: Channel, viewerId: string) => channel(c, viewerId, users),
    members: (list: readonly Member[]): APIGuildMember[] => {
      const found = stores.users.byIds(list.map((m) => m.userId));
      return list.flatMap((m) => {
        const u = found.get(m.userId);
        return u ? [member(m, u)] : [];
      });
    },
    member: (m: Member): APIGuildMember => {
      const u = stores.users.byId(m.userId);
      if (!u) throw unknown.member();
      return member(m, u);
    },
    invites: (list: readonly Invite[], withCounts = false) => {
      const inviters = stores.users.byIds(list.flatMap((i) => (i.inviterId ? [i.inviterId] : [])));
      return list.flatMap((i) => {
        const guild = stores.guilds.guild(i.guildId);
        if (!guild) return [];
        const inviter = i.inviterId ? (inviters.get(i.inviterId) ?? null) : null;
        return [invite(i, { guild, channel: stores.channels.byId(i.channelId), inviter, counts: withCounts ? counts(guild.id) : undefined })];
      });
    },
    /** What anyone with the code sees (the domain already chose what the viewer may learn). */
    invitePreview: (p: InvitePreview, withCounts = false) => {
      const inviter = p.inviterId ? stores.users.byId(p.inviterId) : null;
      return invitePreview(p, { inviter, counts: withCounts ? counts(p.guild.id) : undefined });
    },
  };
}

export type Presenter = ReturnType<typeof createPresenter>;

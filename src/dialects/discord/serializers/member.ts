// Guild members in Discord's shape. Harmony has no voice state, boosts, timeouts or onboarding, so those
// fields carry Discord's values for "none". `roles` never lists @everyone (Discord leaves it implicit too).
import type { APIGuildMember, APIGuildMemberNoUser, GuildMemberFlags } from 'discord-api-types/v10';
import type { Member } from '../../../domain/members.ts';
import type { User } from '../../../domain/users.ts';
import { user } from './user.ts';

const iso = (ms: number) => new Date(ms).toISOString();

/** Without `user`: the shape inside MESSAGE_CREATE's `member` and a mention's `member`. */
export function memberWithoutUser(m: Member): APIGuildMemberNoUser {
  return {
    nick: m.nick,
    avatar: null,
    banner: null,
    roles: m.roleIds.filter((id) => id !== m.guildId),
    joined_at: iso(m.joinedAt),
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0 as GuildMemberFlags,
    pending: false,
    communication_disabled_until: null,
  };
}

export function member(m: Member, u: User): APIGuildMember {
  return { ...memberWithoutUser(m), user: user(u) };
}

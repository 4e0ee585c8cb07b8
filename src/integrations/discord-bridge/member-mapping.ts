// Who a Discord guild member is, in the presence directory's terms (an ExternalProfile), from the discord.js
// GuildMember the bridge's events and member fetches hand over (built by discord.js from GUILD_CREATE,
// GUILD_MEMBERS_CHUNK and GUILD_MEMBER_ADD/UPDATE payloads; the fixture tests replay recorded ones).
import type { GuildMember } from 'discord.js';
import type { ExternalProfile } from '../../domain/presence/presence-directory.ts';

/** The directory's source name for everyone the bridge mirrors. */
export const DISCORD_SOURCE = 'discord';

// Discord caps names at 32 characters and hashes are 34; the API URL is configurable, so whatever answers there
// is bounded before it is kept in memory and on every public face.
const NAME_MAX = 100;
const AVATAR_MAX = 512;

/** The profile of a discord.js GuildMember. */
export function profileFromMember(member: GuildMember): ExternalProfile {
  const { user } = member;
  return profile(member.guild.id, user.id, user.username, user.globalName ?? null, user.avatar ?? null, user.bot, member.nickname ?? null);
}

function profile(
  guildId: string,
  id: string,
  username: string,
  globalName: string | null,
  avatar: string | null,
  bot: boolean,
  nick: string | null,
): ExternalProfile {
  return {
    id,
    source: DISCORD_SOURCE,
    guildId,
    username: bounded(username, NAME_MAX) ?? id,
    globalName: bounded(globalName, NAME_MAX),
    // The hash exactly as Discord gives it (`a_` prefix for animated ones), as the hosted presence API shows it.
    avatar: bounded(avatar, AVATAR_MAX),
    bot,
    nick: bounded(nick, NAME_MAX),
  };
}

function bounded(value: string | null | undefined, max: number): string | null {
  if (typeof value !== 'string' || value === '') return null;
  return [...value].slice(0, max).join('');
}

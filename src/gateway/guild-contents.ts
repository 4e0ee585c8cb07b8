// What GUILD_CREATE shows of a guild beyond its snapshot (members, their accounts, emoji, the viewer's thread
// memberships), read in one place: by the fan-out when a guild becomes available to a session (a join, a new
// guild), so that the encoders read nothing, and by IDENTIFY for READY's guilds.
import type { Channel, ThreadMember } from '../domain/model/channel.ts';
import type { Member } from '../domain/model/guild.ts';
import type { Repositories } from '../domain/ports/index.ts';
import type { GuildContents, GuildSnapshot } from './dispatch.ts';

type Repos = Pick<Repositories, 'guilds' | 'users' | 'emojis' | 'threads'>;

const MEMBER_PAGE = 1000;

/** Every member of a guild, in id order (paged through the store). */
export async function allMembers(guilds: Repos['guilds'], guildId: string): Promise<Member[]> {
  const out: Member[] = [];
  let after = '0';
  for (;;) {
    const page = await guilds.members(guildId, MEMBER_PAGE, after);
    out.push(...page);
    if (page.length < MEMBER_PAGE) return out;
    after = (page[page.length - 1] as Member).userId;
  }
}

/** `everyone`: every member (a session with presences); otherwise only the viewer's own membership. */
export async function guildContents(repos: Repos, snapshot: GuildSnapshot, everyone: boolean): Promise<GuildContents> {
  const { guild, userId } = snapshot;
  let members: Member[];
  if (everyone) members = await allMembers(repos.guilds, guild.id);
  else {
    const own = snapshot.member ?? (await repos.guilds.member(guild.id, userId));
    members = own ? [own] : [];
  }
  const users = await repos.users.byIds(members.map((m) => m.userId));
  const emojis = await repos.emojis.list(guild.id);
  const threadMembers = await threadMembersOf(repos.threads, snapshot.threads, [userId]);
  return { members, users, emojis, threadMembers };
}

/** `${threadId}:${userId}` → that user's membership of the thread, for the threads and users given. */
export async function threadMembersOf(threads: Repos['threads'], of: readonly Channel[], userIds: readonly string[]): Promise<Map<string, ThreadMember>> {
  const found = new Map<string, ThreadMember>();
  for (const userId of userIds)
    for (const t of of) {
      const m = await threads.member(t.id, userId);
      if (m) found.set(`${t.id}:${userId}`, m);
    }
  return found;
}

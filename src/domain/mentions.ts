// Finds who a message mentions: <@id> and <@!id> user mentions, and @everyone / @here.
import { isSnowflake } from './snowflake.ts';

const USER_MENTION = /<@!?(\d{1,20})>/g;
const EVERYONE = /@(everyone|here)\b/;
const ROLE_MENTION = /<@&(\d{1,20})>/g;

export function parseMentions(content: string): { userIds: string[]; everyone: boolean } {
  const userIds: string[] = [];
  for (const match of content.matchAll(USER_MENTION)) {
    const userId = match[1];
    if (userId && isSnowflake(userId) && !userIds.includes(userId)) userIds.push(userId);
  }
  return { userIds, everyone: EVERYONE.test(content) };
}

/** Role mentions (<@&id>), each once, in order of appearance. */
export function parseRoleMentions(content: string): string[] {
  const roleIds: string[] = [];
  for (const match of content.matchAll(ROLE_MENTION)) {
    const roleId = match[1];
    if (roleId && isSnowflake(roleId) && !roleIds.includes(roleId)) roleIds.push(roleId);
  }
  return roleIds;
}

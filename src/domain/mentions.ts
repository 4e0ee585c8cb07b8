// Finds who a message mentions: <@id> and <@!id> user mentions, and @everyone / @here.
import { isSnowflake } from './snowflake.ts';

const USER_MENTION = /<@!?(\d{1,20})>/g;
const EVERYONE = /@(everyone|here)\b/;

export function parseMentions(content: string): { userIds: string[]; everyone: boolean } {
  const userIds: string[] = [];
  for (const match of content.matchAll(USER_MENTION)) {
    const userId = match[1];
    if (userId && isSnowflake(userId) && !userIds.includes(userId)) userIds.push(userId);
  }
  return { userIds, everyone: EVERYONE.test(content) };
}

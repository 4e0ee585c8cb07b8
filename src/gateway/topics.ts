// Topic names. A logical topic says who may see something (a channel's viewers, a guild's members, one
// user's sessions); a dialect stream turns it into the Bun topic its sessions subscribe to, so each
// serialized variant of an event goes to exactly the sessions that speak it.

/** Sessions of users who may view the channel now (VIEW_CHANNEL, or DM participants). */
export const channelTopic = (channelId: string): string => `c:${channelId}`;

/** Sessions of the guild's members. */
export const guildTopic = (guildId: string): string => `g:${guildId}`;

/** Every session of one user. */
export const userTopic = (userId: string): string => `u:${userId}`;

/** The Bun topic for a logical topic on one stream (a dialect's payload variant). */
export const streamTopic = (stream: string, topic: string): string => `${stream}|${topic}`;

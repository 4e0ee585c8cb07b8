// Who a dispatch is for, in a form that is cheap to publish now and to check again at RESUME time.
import { userTopic } from './topics.ts';

export type Audience =
  /** Sessions subscribed to a logical topic (channel viewers, guild members, one user's sessions). */
  | { kind: 'topic'; topic: string }
  /** Every session of these users: per-user payloads and notifications about what they just gained or lost. */
  | { kind: 'users'; userIds: readonly string[] };

export const toTopic = (topic: string): Audience => ({ kind: 'topic', topic });
export const toUsers = (userIds: readonly string[]): Audience => ({ kind: 'users', userIds });

/** The logical topics a publish goes to: one for a topic audience, one per user otherwise. */
export function audienceTopics(audience: Audience): readonly string[] {
  return audience.kind === 'topic' ? [audience.topic] : audience.userIds.map(userTopic);
}

/** What replay needs to know about a session to judge an old dispatch. */
export type AudienceMember = { userId: string; wasSubscribed(topic: string, seq: number): boolean };

/** Whether dispatch `seq` with this audience reached (or would have reached) the session when it went out. */
export function reaches(audience: Audience, session: AudienceMember, seq: number): boolean {
  return audience.kind === 'topic' ? session.wasSubscribed(audience.topic, seq) : audience.userIds.includes(session.userId);
}

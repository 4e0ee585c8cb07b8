// A thread's own state and its members.
// A port: the domain declares it, src/store/sqlite (and src/store/postgres) implement it. See ./index.ts.
import type { NewThread, ThreadChanges, ThreadMember } from '../model/channel.ts';

export interface ThreadsRepo {
  insert(t: NewThread): Promise<void>;
  update(threadId: string, changes: ThreadChanges): Promise<void>;
  /** A message was posted at `at`: counters up, idle clock reset. */
  countMessage(threadId: string, at: number): Promise<void>;
  /** A message was deleted: message_count (not total_message_sent) goes down, as on Discord. */
  uncountMessage(threadId: string): Promise<void>;
  /** Adds a member; false when they already were one. */
  addMember(threadId: string, userId: string, at: number): Promise<boolean>;
  removeMember(threadId: string, userId: string): Promise<boolean>;
  member(threadId: string, userId: string): Promise<ThreadMember | null>;
  /** Members in user id order, after `after`. */
  members(threadId: string, limit: number, after?: string): Promise<ThreadMember[]>;
  /** The threads of one guild that `userId` has joined, as memberships. */
  membershipsIn(guildId: string, userId: string): Promise<ThreadMember[]>;
}

// Messages and their reactions.
// A port: the domain declares it, src/store/sqlite (and src/store/postgres) implement it. See ./index.ts.
import type { Message, MessageInteraction, ReactionCount, SystemMessageKind } from '../model/message.ts';
import type { MessageSearchQuery } from '../model/message-search.ts';

/** Whether a stored message has attachment rows, a thread started from it, and reactions. */
export type MessageLinks = { files: boolean; thread: boolean; reactions: boolean };

export interface MessagesRepo {
  insert(m: Message): Promise<void>;
  byId(messageId: string): Promise<Message | null>;
  /** Newest first. `before`/`after` are exclusive snowflake bounds. */
  list(
    channelId: string,
    options: {
      limit: number;
      before?: string;
      after?: string;
      around?: string;
    },
  ): Promise<Message[]>;
  /** The newest message by `authorId` in the channel with this nonce, among ids above `afterId` (the messages_channel index bounds the scan). */
  byNonce(channelId: string, authorId: string, nonce: string, afterId: string): Promise<Message | null>;
  /**
   * Writes what an edit can change: the body, the users and roles it mentions, SUPPRESS_EMBEDS and the edit time. Answers
   * what hangs off the message as the write leaves it, so the edit's view reads only that; null when there is no such
   * message (deleted meanwhile).
   */
  update(m: Message): Promise<MessageLinks | null>;
  setPinned(messageId: string, pinned: boolean): Promise<void>;
  pinned(channelId: string): Promise<Message[]>;
  delete(messageId: string): Promise<void>;
  /** The interaction a message answers (JSON of the domain model); written after insert, and when a loading reply is answered. */
  /** Marks a message as one the server wrote itself (a join announcement); written right after its insert. */
  setSystem(messageId: string, kind: SystemMessageKind): Promise<void>;
  setInteraction(messageId: string, interaction: MessageInteraction | null): Promise<void>;
  /** Messages in `q.channelIds` matching every filter, newest (or most relevant) first, and how many match in all. */
  search(q: MessageSearchQuery): Promise<{ total: number; messages: Message[] }>;
  /** Whether committed messages wait to enter the search index (an engine that indexes each row as it is written: never). */
  hasPendingSearch(): Promise<boolean>;
  /** Indexes up to `limit` of the oldest waiting messages and returns how many it took (inside a write). */
  indexPendingSearch(limit: number): Promise<number>;
  addReaction(messageId: string, emoji: string, userId: string, at: number): Promise<boolean>;
  removeReaction(messageId: string, emoji: string, userId: string): Promise<boolean>;
  /** Deletes a message's reactions (all, or one emoji's) and returns what was removed. */
  clearReactions(
    messageId: string,
    emoji: string | null,
  ): Promise<
    {
      emoji: string;
      userId: string;
    }[]
  >;
  reactionUsers(messageId: string, emoji: string, limit: number, after: string): Promise<string[]>;
  /** Counts per emoji for many messages at once, with whether `viewerId` reacted. */
  reactionCounts(messageIds: readonly string[], viewerId: string): Promise<Map<string, ReactionCount[]>>;
}
